package deploy

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// MaxKubeconfigBytes bounds the kubeconfig kept in secureJsonData.
const MaxKubeconfigBytes = 256 << 10

// Where the kubelet mounts a pod's service account token and the cluster CA (the paths rest.InClusterConfig reads).
const (
	serviceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token" // #nosec G101 -- a file path, not a credential
	serviceAccountCA    = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
)

// InClusterConfig is the service account Grafana's pod runs as.
//
// rest.InClusterConfig finds the API server through KUBERNETES_SERVICE_HOST/PORT, but Grafana 12.4 and later start
// plugin processes without the host's environment, so inside a pod those are missing: then the API server is reached
// by its in-cluster DNS name kubernetes.default.svc with the same mounted token and CA.
func InClusterConfig() (*rest.Config, error) {
	return inClusterConfig(rest.InClusterConfig, serviceAccountToken, serviceAccountCA)
}

func inClusterConfig(fromEnv func() (*rest.Config, error), tokenFile, caFile string) (*rest.Config, error) {
	cfg, err := fromEnv()
	if err == nil {
		return cfg, nil
	}
	if errors.Is(err, rest.ErrNotInCluster) {
		// client-go reads both files itself: the CA when the transport is built (rest.TransportFor, below: outside a
		// pod it is missing), the token on each request (transport.NewCachedFileTokenSource, so a rotated token is
		// picked up).
		cfg := &rest.Config{Host: "https://kubernetes.default.svc", BearerTokenFile: tokenFile}
		cfg.TLSClientConfig.CAFile = caFile
		if _, terr := rest.TransportFor(cfg); terr == nil {
			return cfg, nil
		} else {
			err = fmt.Errorf("%w; no service account CA at %s: %v", err, caFile, terr)
		}
	}
	return nil, errorf(CodeClusterNotConfigured, err,
		"Grafana does not run in a Kubernetes pod with a service account (%v): choose \"kubeconfig\" as the cluster access and paste a kubeconfig", err)
}

// KubeconfigConfig builds the client configuration from kubeconfig text and a context name (empty: current-context).
//
// The kubeconfig comes from a datasource setting, so it must not make the Grafana server run programs or read its
// files: exec credential plugins, auth providers and file references (certificate, key, CA or token files) are
// refused; certificates must be inline (*-data) and tokens literal.
func KubeconfigConfig(kubeconfig []byte, context string) (*rest.Config, error) {
	if len(kubeconfig) == 0 {
		return nil, errorf(CodeClusterNotConfigured, nil, "no kubeconfig is saved in the datasource's secure settings")
	}
	if len(kubeconfig) > MaxKubeconfigBytes {
		return nil, errorf(CodeClusterNotConfigured, nil, "the kubeconfig is %d bytes; at most %d are accepted", len(kubeconfig), MaxKubeconfigBytes)
	}
	raw, err := clientcmd.Load(kubeconfig)
	if err != nil {
		return nil, errorf(CodeClusterNotConfigured, err, "the kubeconfig cannot be read: %v", err)
	}
	if context == "" {
		context = raw.CurrentContext
	}
	if context == "" {
		return nil, errorf(CodeClusterNotConfigured, nil, "the kubeconfig has no current-context: name the context to use (contexts: %s)", strings.Join(contextNames(raw), ", "))
	}
	kctx, ok := raw.Contexts[context]
	if !ok {
		return nil, errorf(CodeClusterNotConfigured, nil, "the kubeconfig has no context %q (contexts: %s)", context, strings.Join(contextNames(raw), ", "))
	}
	if p := unsafeKubeconfig(raw, kctx); p != "" {
		return nil, errorf(CodeClusterNotConfigured, nil, "the kubeconfig is refused: %s", p)
	}
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, context, &clientcmd.ConfigOverrides{}, nil).ClientConfig()
	if err != nil {
		return nil, errorf(CodeClusterNotConfigured, err, "the kubeconfig's context %q is not usable: %v", context, err)
	}
	return cfg, nil
}

func contextNames(raw *clientcmdapi.Config) []string {
	names := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return []string{"none"}
	}
	return names
}

func unsafeKubeconfig(raw *clientcmdapi.Config, kctx *clientcmdapi.Context) string {
	cluster, ok := raw.Clusters[kctx.Cluster]
	if !ok {
		return fmt.Sprintf("context names cluster %q, which it does not define", kctx.Cluster)
	}
	if cluster.CertificateAuthority != "" {
		return "cluster " + kctx.Cluster + " reads its CA from a file; inline it as certificate-authority-data"
	}
	if user, ok := raw.AuthInfos[kctx.AuthInfo]; ok {
		switch {
		case user.Exec != nil:
			return "user " + kctx.AuthInfo + " runs an exec credential plugin, which would run a program on the Grafana server; use a service account token"
		case user.AuthProvider != nil:
			return "user " + kctx.AuthInfo + " uses an auth provider; use a service account token or a client certificate"
		case user.ClientCertificate != "" || user.ClientKey != "":
			return "user " + kctx.AuthInfo + " reads its client certificate from a file; inline it as client-certificate-data and client-key-data"
		case user.TokenFile != "":
			return "user " + kctx.AuthInfo + " reads its token from a file; put the token itself in the kubeconfig"
		}
	}
	return ""
}

// restGetter hands one rest.Config to Helm's action configuration and kube client (genericclioptions'
// RESTClientGetter), with a discovery cache kept for the getter's life.
type restGetter struct {
	cfg       *rest.Config
	namespace string
	created   time.Time

	once   sync.Once
	disc   discovery.CachedDiscoveryInterface
	mapper meta.RESTMapper
	err    error
}

func newRESTGetter(cfg *rest.Config, namespace string) *restGetter {
	return &restGetter{cfg: cfg, namespace: namespace, created: time.Now()}
}

// discoveryTTL is how long one getter's discovery answers (API groups and resources) are reused: without it every
// plan starts with a round of discovery requests; after it, kinds installed since (a CRD) are found.
const discoveryTTL = 10 * time.Minute

// restGetters keeps one restGetter per namespace for discoveryTTL.
type restGetters struct {
	mu sync.Mutex
	m  map[string]*restGetter
}

func (g *restGetters) get(cfg *rest.Config, namespace string) *restGetter {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[string]*restGetter{}
	}
	if rg, ok := g.m[namespace]; ok && time.Since(rg.created) < discoveryTTL {
		return rg
	}
	rg := newRESTGetter(cfg, namespace)
	g.m[namespace] = rg
	return rg
}

func (g *restGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.cfg), nil }

func (g *restGetter) init() {
	g.once.Do(func() {
		dc, err := discovery.NewDiscoveryClientForConfig(rest.CopyConfig(g.cfg))
		if err != nil {
			g.err = err
			return
		}
		g.disc = memory.NewMemCacheClient(dc)
		g.mapper = restmapper.NewShortcutExpander(restmapper.NewDeferredDiscoveryRESTMapper(g.disc), g.disc, nil)
	})
}

func (g *restGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	g.init()
	return g.disc, g.err
}

func (g *restGetter) ToRESTMapper() (meta.RESTMapper, error) {
	g.init()
	return g.mapper, g.err
}

// ToRawKubeConfigLoader gives Helm's kube client the namespace; the credentials come from ToRESTConfig.
func (g *restGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig {
	return clientcmd.NewDefaultClientConfig(clientcmdapi.Config{}, &clientcmd.ConfigOverrides{Context: clientcmdapi.Context{Namespace: g.namespace}})
}

var errNoCluster = errors.New("no cluster configured")
