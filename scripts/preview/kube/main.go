// Command kube runs a real etcd and kube-apiserver (binaries from scripts/kube/build.sh) for the dev stack, installs
// the corpus's Falco chart 9.1.0 as the Helm release falco/falco with falcosidekick and the project's rules, binds the
// project's deployer Role (provisioning/kubernetes/falco-deployer-rbac.yaml) to the token user the datasource uses,
// and serves the chart as a Helm repository. It prints one JSON line with what the datasource needs, then runs until
// SIGTERM. As in TestDeployOnRealAPIServer, no kubelet runs: a loop marks the Falco DaemonSet rolled out the way the
// DaemonSet controller would report it on three ready nodes.
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/kube"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"
)

const namespace = "falco"

// Cluster is the JSON line this program prints.
type Cluster struct {
	APIServer          string `json:"apiServer"`
	ChartRepositoryURL string `json:"chartRepositoryUrl"`
	Kubeconfig         string `json:"kubeconfig"` // the deployer's: what an Admin pastes into the datasource
	Control            string `json:"control"`    // this program's fault switches (revoke/restore the deployer's RoleBinding)
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func kubeconfig(server, user, token string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: {server: %q, insecure-skip-tls-verify: true}
contexts:
- name: dev
  context: {cluster: dev, user: %s}
users:
- name: %s
  user: {token: %s}
`, server, user, user, token)
}

func main() {
	binDir := flag.String("bin", "", "the directory with etcd and kube-apiserver (scripts/kube/build.sh prints it)")
	chartDir := flag.String("chart", "", "the Falco chart directory (../shared/corpus/charts/falco)")
	rulesFile := flag.String("rules", "", "a Falco rules file to install as customRules")
	rbacFile := flag.String("rbac", "", "the deployer Role and RoleBinding (provisioning/kubernetes/falco-deployer-rbac.yaml)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "containersec-devstack-kube-")
	if err != nil {
		log.Fatal(err)
	}
	var procs []*exec.Cmd
	cleanup := func() {
		for _, p := range procs {
			_ = p.Process.Kill()
			_, _ = p.Process.Wait()
		}
		_ = os.RemoveAll(dir)
	}
	fail := func(format string, args ...any) {
		cleanup()
		log.Fatalf(format, args...)
	}
	start := func(name string, args ...string) {
		logf, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			fail("%v", err)
		}
		cmd := exec.Command(filepath.Join(*binDir, name), args...)
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			fail("start %s: %v", name, err)
		}
		procs = append(procs, cmd)
	}

	etcdURL, peerURL := fmt.Sprintf("http://127.0.0.1:%d", freePort()), fmt.Sprintf("http://127.0.0.1:%d", freePort())
	start("etcd", "--name", "dev", "--data-dir", filepath.Join(dir, "etcd"), "--listen-client-urls", etcdURL,
		"--advertise-client-urls", etcdURL, "--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL,
		"--initial-cluster", "dev="+peerURL, "--unsafe-no-fsync", "--log-level", "warn")

	adminToken, deployerToken := "admin-"+rand.Text(), "deployer-"+rand.Text()
	tokens := fmt.Sprintf("%s,admin,uid-0,\"system:masters\"\n%s,deployer,uid-1,\"\"\n", adminToken, deployerToken)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			fail("%v", err)
		}
		return p
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fail("%v", err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	apiPort := freePort()
	server := fmt.Sprintf("https://127.0.0.1:%d", apiPort)
	// The same flags as TestDeployOnRealAPIServer (pkg/plugin/deploy_kube_test.go), which says why each is there.
	start("kube-apiserver", "--etcd-servers", etcdURL, "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
		fmt.Sprintf("--secure-port=%d", apiPort), "--cert-dir", filepath.Join(dir, "certs"),
		"--token-auth-file", write("tokens.csv", tokens), "--authorization-mode", "RBAC",
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", write("sa.pub", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))),
		"--service-account-signing-key-file", write("sa.key", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))),
		"--service-cluster-ip-range", "10.96.0.0/16", "--endpoint-reconciler-type", "none", "--allow-privileged=true",
		"--disable-admission-plugins", "ServiceAccount")

	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	for deadline := time.Now().Add(3 * time.Minute); ; {
		req, _ := http.NewRequest(http.MethodGet, server+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			fail("kube-apiserver not ready after 3 minutes (%v); logs in %s", err, dir)
		}
		time.Sleep(250 * time.Millisecond)
	}

	ctx := context.Background()
	adminConfig := write("admin.kubeconfig", kubeconfig(server, "admin", adminToken))
	restCfg, err := clientcmd.BuildConfigFromFlags("", adminConfig)
	if err != nil {
		fail("%v", err)
	}
	cs := kubernetes.NewForConfigOrDie(restCfg)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}, metav1.CreateOptions{}); err != nil {
		fail("create namespace: %v", err)
	}
	role, binding := readRBAC(*rbacFile, fail)
	binding.Subjects = []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "deployer"}}
	if _, err := cs.RbacV1().Roles(namespace).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		fail("create Role: %v", err)
	}
	if _, err := cs.RbacV1().RoleBindings(namespace).Create(ctx, binding.DeepCopy(), metav1.CreateOptions{}); err != nil {
		fail("create RoleBinding: %v", err)
	}

	// The chart repository, as `helm package` and `helm repo index` would lay it out.
	ch, err := loader.LoadDir(*chartDir)
	if err != nil {
		fail("load the Falco chart: %v", err)
	}
	repoDir := filepath.Join(dir, "charts")
	_ = os.MkdirAll(repoDir, 0o755)
	archive, err := chartutil.Save(ch, repoDir)
	if err != nil {
		fail("%v", err)
	}
	repoListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("%v", err)
	}
	repoURL := "http://" + repoListener.Addr().String()
	idx, err := repo.IndexDirectory(repoDir, repoURL)
	if err != nil {
		fail("%v", err)
	}
	if err := idx.WriteFile(filepath.Join(repoDir, "index.yaml"), 0o644); err != nil {
		fail("%v", err)
	}
	go func() { _ = http.Serve(repoListener, http.FileServer(http.Dir(repoDir))) }()

	// helm install falco falcosecurity/falco -n falco --set falcosidekick.enabled=true --set-file customRules...
	rules, err := os.ReadFile(*rulesFile)
	if err != nil {
		fail("%v", err)
	}
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &adminConfig
	ns := namespace
	flags.Namespace = &ns
	helmCfg := action.NewConfiguration()
	if err := helmCfg.Init(flags, namespace, "secret"); err != nil {
		fail("%v", err)
	}
	// The field manager the helm CLI applies as (helm/v4 pkg/kube/client.go: getManagedFieldsManager uses the binary's
	// name): the release is installed as a user's `helm install` would.
	kube.ManagedFieldsManager = "helm"
	archived, err := loader.Load(archive)
	if err != nil {
		fail("%v", err)
	}
	install := action.NewInstall(helmCfg)
	install.ReleaseName, install.Namespace = "falco", namespace
	install.WaitStrategy = kube.HookOnlyStrategy // no kubelet: nothing would ever become ready
	install.Timeout = 2 * time.Minute
	values := map[string]any{
		"falcosidekick": map[string]any{"enabled": true, "webui": map[string]any{"enabled": false}},
		"customRules":   map[string]any{filepath.Base(*rulesFile): string(rules)},
	}
	if _, err := install.RunWithContext(ctx, archived, values); err != nil {
		fail("helm install falco: %v", err)
	}

	go rollOut(ctx, cs)

	// Fault switches for the journeys: take the deployer's RoleBinding away and give it back.
	mux := http.NewServeMux()
	mux.HandleFunc("POST /rbac/revoke", func(w http.ResponseWriter, r *http.Request) {
		if err := cs.RbacV1().RoleBindings(namespace).Delete(r.Context(), binding.Name, metav1.DeleteOptions{}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /rbac/restore", func(w http.ResponseWriter, r *http.Request) {
		if _, err := cs.RbacV1().RoleBindings(namespace).Create(r.Context(), binding.DeepCopy(), metav1.CreateOptions{}); err != nil && !strings.Contains(err.Error(), "already exists") {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	control, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("%v", err)
	}
	go func() { _ = http.Serve(control, mux) }()

	out, _ := json.Marshal(Cluster{APIServer: server, ChartRepositoryURL: repoURL, Kubeconfig: kubeconfig(server, "deployer", deployerToken), Control: "http://" + control.Addr().String()})
	fmt.Println(string(out))

	sig, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-sig.Done()
	cleanup()
}

func readRBAC(path string, fail func(string, ...any)) (*rbacv1.Role, *rbacv1.RoleBinding) {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	docs := strings.Split(string(b), "\n---\n")
	var role rbacv1.Role
	var binding rbacv1.RoleBinding
	if len(docs) < 2 || yaml.UnmarshalStrict([]byte(docs[0]), &role) != nil || yaml.UnmarshalStrict([]byte(docs[1]), &binding) != nil {
		fail("%s: expected a Role and a RoleBinding", path)
	}
	return &role, &binding
}

// rollOut reports every Falco DaemonSet generation as rolled out on three ready nodes, as the DaemonSet controller
// and the kubelets of a healthy cluster would (no kubelet runs here).
func rollOut(ctx context.Context, cs *kubernetes.Clientset) {
	for {
		time.Sleep(time.Second)
		list, err := cs.AppsV1().DaemonSets(namespace).List(ctx, metav1.ListOptions{})
		if err != nil {
			continue
		}
		for i := range list.Items {
			ds := &list.Items[i]
			if ds.Status.ObservedGeneration == ds.Generation && ds.Status.NumberReady == 3 {
				continue
			}
			ds.Status = appsv1.DaemonSetStatus{ObservedGeneration: ds.Generation, DesiredNumberScheduled: 3, CurrentNumberScheduled: 3,
				UpdatedNumberScheduled: 3, NumberReady: 3, NumberAvailable: 3}
			_, _ = cs.AppsV1().DaemonSets(namespace).UpdateStatus(ctx, ds, metav1.UpdateOptions{})
		}
	}
}
