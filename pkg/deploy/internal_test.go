package deploy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/action"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/rest"
)

func wantCode(t *testing.T, err error, code string) *Error {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("want a deploy error %q, got %v", code, err)
	}
	if de.Code != code {
		t.Fatalf("want code %q, got %q: %s", code, de.Code, de.Message)
	}
	return de
}

func TestDescribeStaysWithinHelmsLimitAndReadsBack(t *testing.T) {
	var files []string
	for i := 0; i < 40; i++ {
		files = append(files, strings.Repeat("x", 20)+".yaml")
	}
	d := describe("admin@example.com", "deployed custom rules", files)
	if n := len([]rune(d)); n > action.MaxDescriptionLength {
		t.Fatalf("description is %d characters", n)
	}
	if !strings.Contains(d, "more)") || userOf(d) != "admin@example.com" {
		t.Fatalf("description %q", d)
	}
	if userOf("Upgrade complete") != "" || userOf(`Grafana user "a\"b" deployed`) != `a"b` {
		t.Fatal("userOf")
	}
}

func TestClassifyNamesTheMissingVerb(t *testing.T) {
	err := classify(errors.New(`configmaps "falco-rules" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot patch resource "configmaps" in API group "" in the namespace "falco"`), "upgrade falco/falco")
	de := wantCode(t, err, CodeKubeForbidden)
	if !strings.Contains(de.Message, "cannot patch configmaps in namespace falco") {
		t.Fatalf("message: %s", de.Message)
	}
	wantCode(t, classify(errors.New("Kubernetes cluster unreachable: dial tcp 127.0.0.1:1: connect: connection refused"), "x"), CodeClusterUnreachable)
}

const kubeconfigTemplate = `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster:
    server: https://127.0.0.1:6443
    %s
contexts:
- name: c
  context: {cluster: k, user: u, namespace: falco}
users:
- name: u
  user:
    %s
`

func TestKubeconfigRefusesWhatWouldTouchTheGrafanaHost(t *testing.T) {
	ok := strings.Replace(kubeconfigTemplate, "%s", "insecure-skip-tls-verify: true", 1)
	ok = strings.Replace(ok, "%s", "token: abc", 1)
	cfg, err := KubeconfigConfig([]byte(ok), "")
	if err != nil || cfg.Host != "https://127.0.0.1:6443" || cfg.BearerToken != "abc" {
		t.Fatalf("a token kubeconfig must work: %v %+v", err, cfg)
	}
	for name, c := range map[string][2]string{
		"exec plugin":   {"insecure-skip-tls-verify: true", "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, 'id']}"},
		"auth provider": {"insecure-skip-tls-verify: true", "auth-provider: {name: oidc}"},
		"cert file":     {"insecure-skip-tls-verify: true", "client-certificate: /etc/passwd\n    client-key: /etc/shadow"},
		"token file":    {"insecure-skip-tls-verify: true", "tokenFile: /var/run/secrets/token"},
		"CA file":       {"certificate-authority: /etc/ssl/ca.pem", "token: abc"},
	} {
		text := strings.Replace(strings.Replace(kubeconfigTemplate, "%s", c[0], 1), "%s", c[1], 1)
		_, err := KubeconfigConfig([]byte(text), "")
		de := wantCode(t, err, CodeClusterNotConfigured)
		if !strings.Contains(de.Message, "refused") {
			t.Errorf("%s: %s", name, de.Message)
		}
	}
	_, err = KubeconfigConfig([]byte(ok), "other")
	if de := wantCode(t, err, CodeClusterNotConfigured); !strings.Contains(de.Message, `no context "other" (contexts: c)`) {
		t.Errorf("unknown context: %s", de.Message)
	}
	_, err = KubeconfigConfig([]byte("{{{ not yaml"), "")
	wantCode(t, err, CodeClusterNotConfigured)
	_, err = KubeconfigConfig(make([]byte, MaxKubeconfigBytes+1), "")
	wantCode(t, err, CodeClusterNotConfigured)
}

func TestInClusterConfigWithoutTheHostEnvironment(t *testing.T) {
	dir := t.TempDir()
	token, ca := dir+"/token", dir+"/ca.crt"
	notInCluster := func() (*rest.Config, error) { return nil, rest.ErrNotInCluster }
	// Outside a pod: nothing mounted, so client-go cannot read the CA.
	if _, err := inClusterConfig(notInCluster, token, ca); CodeOf(err) != CodeClusterNotConfigured || !strings.Contains(err.Error(), "kubeconfig") {
		t.Fatalf("outside a pod: %v", err)
	}
	// In a pod whose plugin process got no KUBERNETES_SERVICE_* variables (Grafana >= 12.4).
	if err := os.WriteFile(token, []byte("t"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ca, selfSignedCA(t), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := inClusterConfig(notInCluster, token, ca)
	if err != nil || cfg.Host != "https://kubernetes.default.svc" || cfg.BearerTokenFile != token || cfg.TLSClientConfig.CAFile != ca {
		t.Fatalf("in a pod without the variables: %v %+v", err, cfg)
	}
	// With the variables, client-go's own answer is used.
	want := &rest.Config{Host: "https://10.96.0.1:443"}
	if cfg, err := inClusterConfig(func() (*rest.Config, error) { return want, nil }, token, ca); err != nil || cfg != want {
		t.Fatal("rest.InClusterConfig's config must be used when it works")
	}
}

func TestClassifyServerRejectionsAndOtherHelmFailures(t *testing.T) {
	invalid := apierrors.NewInvalid(schema.GroupKind{Group: "apps", Kind: "DaemonSet"}, "falco",
		field.ErrorList{field.Invalid(field.NewPath("spec", "template", "spec", "containers").Index(0).Child("image"), "", "must not be empty")})
	de := wantCode(t, classify(invalid, "check DaemonSet falco with the API server"), CodeServerRejected)
	if !strings.Contains(de.Message, "spec.template.spec.containers[0].image") {
		t.Fatalf("the rejection must quote the field: %s", de.Message)
	}
	de = wantCode(t, classify(errors.New("template: falco/templates/daemonset.yaml:3: bad"), "render"), CodeHelmFailed)
	if !strings.Contains(de.Message, "daemonset.yaml:3") {
		t.Fatalf("Helm's own error must be quoted: %s", de.Message)
	}
	wantCode(t, classify(errors.New("another operation (install/upgrade/rollback) is in progress"), "upgrade"), CodeReleasePending)
	wantCode(t, classify(apierrors.NewUnauthorized("token expired"), "list"), CodeClusterNotConfigured)
}

// selfSignedCA is a PEM CA certificate like the one the kubelet mounts, for client-go to parse.
func selfSignedCA(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kubernetes"}, IsCA: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
