package plugin

// The deploy endpoints against a real Kubernetes API server (kube-apiserver and etcd built from the Go module proxy by
// scripts/kube/build.sh) and a real Helm chart repository serving the Falco chart 9.1.0 with its subcharts, packaged
// at test time from ../shared/corpus. Runs when CONTAINERSEC_KUBE_BIN names the directory with the two binaries:
//
//	CONTAINERSEC_KUBE_BIN=$(bash scripts/kube/build.sh) go test -count=1 -run TestDeployOnRealAPIServer ./pkg/plugin
//
// No kubelet or controller runs: nothing schedules pods, so the rollout view is tested against DaemonSet and pod
// status the test writes, as the DaemonSet controller and the kubelet would.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/kube"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/rules"
)

// kubeCluster is one etcd and one kube-apiserver on 127.0.0.1 with static tokens.
type kubeCluster struct {
	url    string
	dir    string
	tokens map[string]string // user -> token
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startProcess runs a binary until the test ends; its output goes to a log file shown when the test fails.
func startProcess(t *testing.T, logPath, bin string, args ...string) {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			if len(b) > 4000 {
				b = b[len(b)-4000:]
			}
			t.Logf("last output of %s:\n%s", filepath.Base(bin), b)
		}
	})
}

func startKube(t *testing.T, binDir string) *kubeCluster {
	t.Helper()
	dir := t.TempDir()
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(binDir, b)); err != nil {
			t.Fatalf("CONTAINERSEC_KUBE_BIN=%s has no %s: run scripts/kube/build.sh", binDir, b)
		}
	}
	etcdPort, peerPort, apiPort := freePort(t), freePort(t), freePort(t)
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", etcdPort)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	startProcess(t, filepath.Join(dir, "etcd.log"), filepath.Join(binDir, "etcd"),
		"--name", "test", "--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
		"--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL, "--initial-cluster", "test="+peerURL,
		"--unsafe-no-fsync", "--log-level", "warn")

	// Static tokens: an admin (system:masters) to set the cluster up, and users who get only the Roles bound below.
	c := &kubeCluster{url: fmt.Sprintf("https://127.0.0.1:%d", apiPort), dir: dir, tokens: map[string]string{}}
	var csv strings.Builder
	for i, u := range []struct{ name, groups string }{{"admin", "system:masters"}, {"deployer", ""}, {"limited", ""}} {
		tok := fmt.Sprintf("token-%s-%d", u.name, time.Now().UnixNano())
		c.tokens[u.name] = tok
		fmt.Fprintf(&csv, "%s,%s,uid-%d,%q\n", tok, u.name, i, u.groups)
	}
	writeTestFile(t, filepath.Join(dir, "tokens.csv"), csv.String())
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "sa.key"), string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})))
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	writeTestFile(t, filepath.Join(dir, "sa.pub"), string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))

	startProcess(t, filepath.Join(dir, "kube-apiserver.log"), filepath.Join(binDir, "kube-apiserver"),
		"--etcd-servers", etcdURL,
		"--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", fmt.Sprintf("--secure-port=%d", apiPort),
		"--cert-dir", filepath.Join(dir, "certs"),
		"--token-auth-file", filepath.Join(dir, "tokens.csv"),
		"--authorization-mode", "RBAC",
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", filepath.Join(dir, "sa.pub"),
		"--service-account-signing-key-file", filepath.Join(dir, "sa.key"),
		"--service-cluster-ip-range", "10.96.0.0/16",
		// The default reconciler writes the kubernetes Service's endpoints with the advertise address, which must not
		// be a loopback address; nothing here needs them.
		"--endpoint-reconciler-type", "none",
		// Falco's DaemonSet runs privileged.
		"--allow-privileged=true",
		// No service account controller runs to create the "default" ServiceAccount the admission plugin waits for.
		"--disable-admission-plugins", "ServiceAccount",
	)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	deadline := time.Now().Add(3 * time.Minute)
	start := time.Now()
	for {
		req, _ := http.NewRequest(http.MethodGet, c.url+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+c.tokens["admin"])
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kube-apiserver not ready after 3 minutes (last error %v)", err)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("etcd and kube-apiserver ready in %s", time.Since(start).Round(time.Millisecond))
	return c
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// kubeconfig is what an admin pastes into the datasource's secure settings for a user's token.
func (c *kubeCluster) kubeconfig(user string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Config
current-context: test
clusters:
- name: test
  cluster:
    server: %s
    insecure-skip-tls-verify: true
contexts:
- name: test
  context: {cluster: test, user: %s}
users:
- name: %s
  user:
    token: %s
`, c.url, user, user, c.tokens[user])
}

func (c *kubeCluster) clientset(t *testing.T, user string) *kubernetes.Clientset {
	t.Helper()
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(c.kubeconfig(user)))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// helmConfig is Helm's action configuration as the helm CLI builds it (genericclioptions flags, Secret driver).
func (c *kubeCluster) helmConfig(t *testing.T, user, namespace string) *action.Configuration {
	t.Helper()
	path := filepath.Join(c.dir, user+".kubeconfig")
	writeTestFile(t, path, c.kubeconfig(user))
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &path
	flags.Namespace = &namespace
	cfg := action.NewConfiguration()
	if err := cfg.Init(flags, namespace, "secret"); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func kubeDatasource(t *testing.T, c *kubeCluster, user, repoURL string) *Datasource {
	t.Helper()
	// No rollout guard: no kubelet runs, so every change would time out and roll back under the subtests' feet
	// (the guard's own subtests are in deploy_kube_guard_test.go).
	jd, _ := json.Marshal(map[string]any{"eventStore": "sqlite", "sqlitePath": filepath.Join(t.TempDir(), "events.db"),
		"kubeAccess": "kubeconfig", "falcoNamespace": "falco", "chartSource": "repository", "chartRepositoryUrl": repoURL, "rolloutGuard": false})
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "falco-" + user, JSONData: jd,
		// An ingest token too: without one Save & test reports event ingest as an error, and this test reads its deploy line.
		DecryptedSecureJSONData: map[string]string{"kubeconfig": c.kubeconfig(user), "ingestToken": "kube-test-ingest-token"}})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	t.Cleanup(d.Dispose) // before the store's t.TempDir is removed
	if p := d.settings.Deploy.Problems; len(p) > 0 {
		t.Fatalf("deploy settings: %v", p)
	}
	return d
}

// fluxLabels post-renders the labels Flux's helm-controller puts on every object (internal/postrender/origin_labels.go).
type fluxLabels struct{}

func (fluxLabels) Run(in *bytes.Buffer) (*bytes.Buffer, error) {
	var out bytes.Buffer
	for _, doc := range strings.Split(in.String(), "\n---\n") {
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			return nil, err
		}
		if obj == nil {
			continue
		}
		meta, _ := obj["metadata"].(map[string]any)
		labels, _ := meta["labels"].(map[string]any)
		if labels == nil {
			labels = map[string]any{}
		}
		labels["helm.toolkit.fluxcd.io/name"] = "falco"
		labels["helm.toolkit.fluxcd.io/namespace"] = "flux-system"
		meta["labels"] = labels
		b, err := yaml.Marshal(obj)
		if err != nil {
			return nil, err
		}
		out.WriteString("---\n")
		out.Write(b)
	}
	return &out, nil
}

func installFalco(t *testing.T, cfg *action.Configuration, tgz, namespace, name string, values map[string]any, pr *fluxLabels) *release.Release {
	t.Helper()
	ch, err := loader.Load(tgz)
	if err != nil {
		t.Fatal(err)
	}
	in := action.NewInstall(cfg)
	in.ReleaseName = name
	in.Namespace = namespace
	in.WaitStrategy = kube.HookOnlyStrategy // no kubelet: nothing would ever become ready
	in.Timeout = 2 * time.Minute
	if pr != nil {
		in.PostRenderer = *pr
	}
	ri, err := in.RunWithContext(context.Background(), ch, values)
	if err != nil {
		t.Fatalf("helm install %s: %v", name, err)
	}
	return ri.(*release.Release)
}

// objectKeys lists kind/name of every object in a release manifest.
func objectKeys(manifest string) []string {
	var keys []string
	for _, doc := range releaseutil.SplitManifests(manifest) {
		var o struct {
			Kind     string
			Metadata struct{ Name string }
		}
		if yaml.Unmarshal([]byte(doc), &o) == nil && o.Kind != "" {
			keys = append(keys, o.Kind+"/"+o.Metadata.Name)
		}
	}
	sort.Strings(keys)
	return keys
}

func rolesFromProvisioning(t *testing.T) (*rbacv1.Role, *rbacv1.RoleBinding) {
	return provisionedPair[rbacv1.Role, rbacv1.RoleBinding](t, "falco-deployer-rbac.yaml")
}

// provisionedPair reads a shipped RBAC manifest of provisioning/kubernetes: a role and its binding, in that order.
func provisionedPair[R, B any](t *testing.T, file string) (*R, *B) {
	t.Helper()
	b, err := os.ReadFile("../../provisioning/kubernetes/" + file)
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(string(b), "\n---\n")
	if len(docs) != 2 {
		t.Fatalf("%s: %d documents, want a role and its binding", file, len(docs))
	}
	var role R
	var binding B
	if err := yaml.UnmarshalStrict([]byte(docs[0]), &role); err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict([]byte(docs[1]), &binding); err != nil {
		t.Fatal(err)
	}
	return &role, &binding
}

func TestDeployOnRealAPIServer(t *testing.T) {
	binDir := os.Getenv("CONTAINERSEC_KUBE_BIN")
	if binDir == "" {
		t.Skip("set CONTAINERSEC_KUBE_BIN to the directory scripts/kube/build.sh prints to run the deploy test on a real kube-apiserver")
	}
	testStart := time.Now()
	ctx := context.Background()
	c := startKube(t, binDir)
	repoURL, tgz := deploytest.ServeChartRepository(t)
	admin := &backend.User{Login: "admin", Role: "Admin"}
	adminCS := c.clientset(t, "admin")
	for _, ns := range []string{"falco", "flux-test"} {
		if _, err := adminCS.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	helmCfg := c.helmConfig(t, "admin", "falco")

	// As a user installs it: falcosidekick on, one custom rules file.
	step := time.Now()
	installed := installFalco(t, helmCfg, tgz, "falco", "falco", deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}), nil)
	t.Logf("helm install of the Falco chart with falcosidekick: %s", time.Since(step).Round(time.Millisecond))
	sidekick := 0
	for _, k := range objectKeys(installed.Manifest) {
		if strings.Contains(k, "falcosidekick") {
			sidekick++
		}
	}
	if sidekick < 4 {
		t.Fatalf("falcosidekick objects missing from the install: %v", objectKeys(installed.Manifest))
	}

	d := kubeDatasource(t, c, "admin", repoURL)
	changed := rules.File{Name: "a.yaml", Content: deploytest.OtherRule}

	t.Run("releases", func(t *testing.T) {
		rec, _ := call(t, d, admin, http.MethodGet, "/deploy/releases", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"name":"falco","revision":1,"status":"deployed","chart":"falco","chartVersion":"9.1.0","appVersion":"0.44.1"`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		res, _ := d.CheckHealth(ctx, &backend.CheckHealthRequest{})
		if res.Status != backend.HealthStatusOk || !strings.Contains(string(res.JSONDetails), "1 Falco release(s) in namespace falco") {
			t.Fatalf("Save & test: %v %s %s", res.Status, res.Message, res.JSONDetails)
		}
	})

	t.Run("plan shows only the rules change, validated by the API server", func(t *testing.T) {
		step := time.Now()
		rec, _ := call(t, d, admin, http.MethodPost, "/deploy/plan", applyBody(1, changed))
		var plan deploy.Plan
		if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil || rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		t.Logf("plan: %s", time.Since(step).Round(time.Millisecond))
		var objs []string
		for _, o := range plan.Objects {
			objs = append(objs, fmt.Sprintf("%s/%s:%s:%v", o.Kind, o.Name, o.Change, o.Expected))
		}
		if strings.Join(objs, ",") != "ConfigMap/falco-rules:modified:true,DaemonSet/falco:modified:true" || len(plan.Warnings) != 0 || !plan.ServerValidated {
			t.Fatalf("objects %v warnings %v serverValidated %v", objs, plan.Warnings, plan.ServerValidated)
		}
	})

	t.Run("viewer cannot apply", func(t *testing.T) {
		rec, eb := call(t, d, viewer, http.MethodPost, "/deploy/apply", applyBody(1, changed))
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
	})

	t.Run("apply writes the ConfigMap and keeps falcosidekick", func(t *testing.T) {
		step := time.Now()
		rec, _ := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, changed))
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		t.Logf("apply: %s", time.Since(step).Round(time.Millisecond))
		cm, err := adminCS.CoreV1().ConfigMaps("falco").Get(ctx, "falco-rules", metav1.GetOptions{})
		if err != nil || strings.TrimSpace(cm.Data["a.yaml"]) != strings.TrimSpace(deploytest.OtherRule) {
			t.Fatalf("rules ConfigMap: %v %v", err, cm.Data)
		}
		ri, err := helmCfg.Releases.Last("falco")
		if err != nil {
			t.Fatal(err)
		}
		rel := ri.(*release.Release)
		if got, want := strings.Join(objectKeys(rel.Manifest), " "), strings.Join(objectKeys(installed.Manifest), " "); got != want {
			t.Fatalf("revision 2 renders other objects than revision 1:\n%s\n%s", got, want)
		}
		// Every object of the new revision, falcosidekick's included, is in the cluster.
		infos, err := helmCfg.KubeClient.Build(strings.NewReader(rel.Manifest), false)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if err := info.Get(); err != nil {
				t.Errorf("%s %s is not in the cluster after apply: %v", info.Mapping.GroupVersionKind.Kind, info.Name, err)
			}
		}
	})

	t.Run("history has both revisions with the Grafana user", func(t *testing.T) {
		rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/history?namespace=falco&name=falco", nil)
		var hist struct{ Revisions []deploy.Revision }
		if err := json.Unmarshal(rec.Body.Bytes(), &hist); err != nil || len(hist.Revisions) != 2 {
			t.Fatalf("%s", rec.Body.String())
		}
		if r := hist.Revisions[0]; r.Revision != 2 || r.User != "admin" || strings.Join(r.Files, ",") != "a.yaml" || r.Status != "deployed" {
			t.Fatalf("revision 2: %+v", r)
		}
	})

	t.Run("stale revision", func(t *testing.T) {
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, changed))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeStaleRevision)
	})

	t.Run("rollback restores the old ConfigMap", func(t *testing.T) {
		rec, _ := call(t, d, admin, http.MethodPost, "/deploy/rollback", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 2, "toRevision": 1})
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		cm, err := adminCS.CoreV1().ConfigMaps("falco").Get(ctx, "falco-rules", metav1.GetOptions{})
		if err != nil || strings.TrimSpace(cm.Data["a.yaml"]) != strings.TrimSpace(deploytest.GoodRule) {
			t.Fatalf("rules ConfigMap after rollback: %v %v", err, cm.Data)
		}
		if _, err := adminCS.AppsV1().Deployments("falco").Get(ctx, "falco-falcosidekick", metav1.GetOptions{}); err != nil {
			t.Fatalf("falcosidekick after rollback: %v", err)
		}
	})

	// The three revisions as annotations, and a rule's rate around the last one (deploy_kube_annotations_test.go).
	t.Run("deploy annotations", func(t *testing.T) { checkDeployAnnotations(t, d, testStart) })

	t.Run("broken rules never reach Helm", func(t *testing.T) {
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(3, rules.File{Name: "a.yaml", Content: deploytest.BrokenRule}))
		wantStatus(t, rec, eb, http.StatusUnprocessableEntity, deploy.CodeInvalidRules)
		if ri, _ := helmCfg.Releases.Last("falco"); ri.(*release.Release).Version != 3 {
			t.Fatal("a revision was written for broken rules")
		}
	})

	t.Run("pending release", func(t *testing.T) {
		ri, _ := helmCfg.Releases.Last("falco")
		stuck := *ri.(*release.Release)
		info := *stuck.Info
		stuck.Info, stuck.Version = &info, 4
		stuck.Info.Status = rcommon.StatusPendingUpgrade
		if err := helmCfg.Releases.Create(&stuck); err != nil {
			t.Fatal(err)
		}
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(4, changed))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeReleasePending)
		if !strings.Contains(eb.Error, "helm rollback falco 3 -n falco") {
			t.Fatalf("the way out: %s", eb.Error)
		}
		if _, err := helmCfg.Releases.Delete("falco", 4); err != nil {
			t.Fatal(err)
		}
	})

	role, binding := rolesFromProvisioning(t)
	bind := func(user string, r *rbacv1.Role) {
		t.Helper()
		b := binding.DeepCopy()
		b.Name, b.RoleRef.Name = r.Name, r.Name
		b.Subjects = []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}}
		if _, err := adminCS.RbacV1().Roles("falco").Create(ctx, r, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := adminCS.RbacV1().RoleBindings("falco").Create(ctx, b, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("a user with only the provisioning Role deploys", func(t *testing.T) {
		bind("deployer", role.DeepCopy())
		dd := kubeDatasource(t, c, "deployer", repoURL)
		rec, _ := call(t, dd, viewer, http.MethodGet, "/deploy/releases", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"revision":3`) {
			t.Fatalf("releases: %d %s", rec.Code, rec.Body.String())
		}
		rec, _ = call(t, dd, admin, http.MethodPost, "/deploy/apply", applyBody(3, changed, rules.File{Name: "b.yaml", Content: deploytest.GoodRule}))
		if rec.Code != 200 {
			t.Fatalf("apply with the provisioning Role: %d %s", rec.Code, rec.Body.String())
		}
		rec, _ = call(t, dd, viewer, http.MethodGet, "/deploy/rollout?namespace=falco&name=falco", nil)
		if rec.Code != 200 {
			t.Fatalf("rollout with the provisioning Role: %d %s", rec.Code, rec.Body.String())
		}
		rec, _ = call(t, dd, admin, http.MethodPost, "/deploy/rollback", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 4, "toRevision": 3})
		if rec.Code != 200 {
			t.Fatalf("rollback with the provisioning Role: %d %s", rec.Code, rec.Body.String())
		}
	})

	t.Run("a user lacking one verb is told which", func(t *testing.T) {
		r := role.DeepCopy()
		r.Name = "containersec-falco-deployer-no-patch"
		for i, rule := range r.Rules {
			for _, res := range rule.Resources {
				if res == "configmaps" {
					r.Rules[i].Resources = []string{"services", "serviceaccounts"}
					r.Rules = append(r.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps"},
						Verbs: []string{"get", "list", "create", "update", "delete"}})
				}
			}
		}
		bind("limited", r)
		dl := kubeDatasource(t, c, "limited", repoURL)
		rec, eb := call(t, dl, admin, http.MethodPost, "/deploy/apply", applyBody(5, changed))
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeKubeForbidden)
		if !strings.Contains(eb.Error, "cannot patch configmaps in namespace falco") {
			t.Fatalf("message: %s", eb.Error)
		}
	})

	t.Run("a Flux-managed release is refused", func(t *testing.T) {
		fcfg := c.helmConfig(t, "admin", "flux-test")
		installFalco(t, fcfg, tgz, "flux-test", "falco-flux", nil, &fluxLabels{})
		rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/release?namespace=flux-test&name=falco-flux", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"managedBy":{"kind":"flux","detail":"HelmRelease flux-system/falco"}`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		body := applyBody(1, changed)
		body["namespace"], body["name"] = "flux-test", "falco-flux"
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", body)
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeGitOpsManaged)
	})

	t.Run("rollout from DaemonSet and pod status", func(t *testing.T) {
		ds, err := adminCS.AppsV1().DaemonSets("falco").Get(ctx, "falco", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// What the DaemonSet controller would write mid-rollout on 3 nodes.
		ds.Status = appsv1.DaemonSetStatus{ObservedGeneration: ds.Generation, DesiredNumberScheduled: 3, CurrentNumberScheduled: 3,
			UpdatedNumberScheduled: 1, NumberReady: 2, NumberAvailable: 2}
		if ds, err = adminCS.AppsV1().DaemonSets("falco").UpdateStatus(ctx, ds, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "falco-x1", Namespace: "falco", Labels: ds.Spec.Selector.MatchLabels,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID}}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "falco", Image: "falcosecurity/falco:0.44.1"}}}}
		if p, err = adminCS.CoreV1().Pods("falco").Create(ctx, p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		// What the kubelet writes when Falco exits on a rules file it cannot load.
		p.Status = corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "falco", Image: "falcosecurity/falco:0.44.1", RestartCount: 3,
			State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 40s"}},
			LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error", Message: "Error: /etc/falco/rules.d/a.yaml: invalid"}}}}}
		if _, err := adminCS.CoreV1().Pods("falco").UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/rollout?namespace=falco&name=falco", nil)
		var ro deploy.Rollout
		if err := json.Unmarshal(rec.Body.Bytes(), &ro); err != nil || rec.Code != 200 || ro.Done || len(ro.DaemonSets) != 1 {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		if r := ro.DaemonSets[0]; r.Desired != 3 || r.Updated != 1 || len(r.FailingPods) != 1 || r.FailingPods[0].Name != "falco-x1" || r.FailingPods[0].Reason != "CrashLoopBackOff" {
			t.Fatalf("rollout: %+v", r)
		}
		if err := adminCS.CoreV1().Pods("falco").Delete(ctx, "falco-x1", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		ds.Status.UpdatedNumberScheduled, ds.Status.NumberReady, ds.Status.NumberAvailable = 3, 3, 3
		if _, err := adminCS.AppsV1().DaemonSets("falco").UpdateStatus(ctx, ds, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		rec, _ = call(t, d, viewer, http.MethodGet, "/deploy/rollout?namespace=falco&name=falco", nil)
		if err := json.Unmarshal(rec.Body.Bytes(), &ro); err != nil || !ro.Done {
			t.Fatalf("rollout should be done: %s", rec.Body.String())
		}
	})
	deployFailureSubtests(t, kubeEnv{c: c, repoURL: repoURL, tgz: tgz, adminCS: adminCS})
	testDeployGuardAndSignals(t, c, tgz, repoURL)
	t.Logf("deploy test on a real API server: %s in all", time.Since(testStart).Round(time.Millisecond))
}
