package plugin

// The failure paths of a deploy on the real API server (issue 18), each on a Falco release of its own namespace so
// they do not depend on the order of the other subtests: a request cancelled mid-apply, an upgrade refused part-way,
// a Role without update on Secrets, a pending release recovered from Grafana, an API server and a chart repository
// that accept connections and never answer, and two Service instances applying at once.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"helm.sh/helm/v4/pkg/action"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	admissionv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/rules"
)

// kubeEnv is what the failure subtests share with TestDeployOnRealAPIServer.
type kubeEnv struct {
	c       *kubeCluster
	repoURL string
	tgz     string
	adminCS *kubernetes.Clientset
}

// newFalcoRelease installs Falco with falcosidekick and a.yaml = GoodRule as release "falco" in a new namespace.
func (e kubeEnv) newFalcoRelease(t *testing.T, ns string) *action.Configuration {
	t.Helper()
	if _, err := e.adminCS.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cfg := e.c.helmConfig(t, "admin", ns)
	installFalco(t, cfg, e.tgz, ns, "falco", deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}), nil)
	return cfg
}

func lastRelease(t *testing.T, cfg *action.Configuration) *release.Release {
	t.Helper()
	ri, err := cfg.Releases.Last("falco")
	if err != nil {
		t.Fatal(err)
	}
	return ri.(*release.Release)
}

func (e kubeEnv) rulesConfigMap(t *testing.T, ns string) string {
	t.Helper()
	cm, err := e.adminCS.CoreV1().ConfigMaps(ns).Get(context.Background(), "falco-rules", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(cm.Data["a.yaml"])
}

func nsBody(ns string, base int, files ...rules.File) map[string]any {
	b := applyBody(base, files...)
	b["namespace"] = ns
	return b
}

// callCtx is call with a request context the test can cancel, as a closing browser tab or a proxy does.
func callCtx(t *testing.T, ctx context.Context, d *Datasource, user *backend.User, method, path string, body any) *httptest.ResponseRecorder {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(string(b))).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	pctx := backend.WithUser(backend.WithPluginContext(req.Context(), backend.PluginContext{User: user}), user)
	rec := httptest.NewRecorder()
	newMux(d.routes()).ServeHTTP(rec, req.WithContext(pctx))
	return rec
}

// waitOperation polls deploy/operation until the change has ended.
func waitOperation(t *testing.T, d *Datasource, ns string) deploy.Operation {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		rec, _ := call(t, d, admin, http.MethodGet, "/deploy/operation?namespace="+ns+"&name=falco", nil)
		var op deploy.Operation
		if err := json.Unmarshal(rec.Body.Bytes(), &op); err != nil || rec.Code != 200 {
			t.Fatalf("operation: %d %s", rec.Code, rec.Body.String())
		}
		if op.State != deploy.OperationRunning {
			return op
		}
		if time.Now().After(deadline) {
			t.Fatalf("operation still running after 3 minutes: %+v", op)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func deployFailureSubtests(t *testing.T, e kubeEnv) {
	ctx := context.Background()

	t.Run("cancel: a request cancelled mid-apply still completes and the release is deployed", func(t *testing.T) {
		cfg := e.newFalcoRelease(t, "cancel-test")
		d := kubeDatasource(t, e.c, "admin", e.repoURL)
		contents := []string{deploytest.OtherRule, deploytest.GoodRule, deploytest.OtherRule}
		for i, after := range []time.Duration{300 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond} {
			base := lastRelease(t, cfg).Version
			rctx, cancel := context.WithTimeout(ctx, after)
			start := time.Now()
			rec := callCtx(t, rctx, d, admin, http.MethodPost, "/deploy/apply", nsBody("cancel-test", base, rules.File{Name: "a.yaml", Content: contents[i]}))
			cancel()
			t.Logf("request cancelled after %s: answered %d in %s", after, rec.Code, time.Since(start).Round(time.Millisecond))
			if rec.Code != http.StatusAccepted && rec.Code != http.StatusOK {
				t.Fatalf("a cancelled request answers 202 (still running) or 200 (done): %d %s", rec.Code, rec.Body.String())
			}
			op := waitOperation(t, d, "cancel-test")
			if op.State != deploy.OperationSucceeded || op.Release == nil || op.Release.Revision != base+1 || op.Release.Status != "deployed" || op.User != "admin" {
				t.Fatalf("operation after the cancelled request: %+v %+v", op, op.Error)
			}
			rel := lastRelease(t, cfg)
			if rel.Version != base+1 || rel.Info.Status != rcommon.StatusDeployed {
				t.Fatalf("Helm storage: revision %d %s, want %d deployed", rel.Version, rel.Info.Status, base+1)
			}
			if got := e.rulesConfigMap(t, "cancel-test"); got != strings.TrimSpace(contents[i]) {
				t.Fatalf("rules ConfigMap after the cancelled request: %q", got)
			}
		}
	})

	t.Run("cancel: an upgrade refused part-way restores the last deployed revision", func(t *testing.T) {
		const ns = "remediate-test"
		cfg := e.newFalcoRelease(t, ns)
		// A ValidatingAdmissionPolicy refuses any real (not dry-run) change of a DaemonSet's checksum/rules in this
		// namespace: Helm applies the rules ConfigMap, then the DaemonSet is refused (a webhook or quota does this).
		refuseRulesRollout(t, e.adminCS, ns)
		d := kubeDatasource(t, e.c, "admin", e.repoURL)
		base := lastRelease(t, cfg).Version
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", nsBody(ns, base, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		if rec.Code < 400 || !strings.Contains(eb.Error, fmt.Sprintf("Revision %d failed, so Grafana restored revision %d (now revision %d, deployed)", base+1, base, base+2)) {
			t.Fatalf("answer: %d %s", rec.Code, rec.Body.String())
		}
		t.Logf("answer: %d %s", rec.Code, eb.Error)
		rel := lastRelease(t, cfg)
		if rel.Version != base+2 || rel.Info.Status != rcommon.StatusDeployed {
			t.Fatalf("Helm storage: revision %d %s", rel.Version, rel.Info.Status)
		}
		if failed, _ := cfg.Releases.Get("falco", base+1); failed.(*release.Release).Info.Status != rcommon.StatusFailed {
			t.Fatalf("revision %d: %s", base+1, failed.(*release.Release).Info.Status)
		}
		if got := e.rulesConfigMap(t, ns); got != strings.TrimSpace(deploytest.GoodRule) {
			t.Fatalf("the new rules stay live under a failed revision: %q", got)
		}
		rec, _ = call(t, d, admin, http.MethodGet, "/deploy/history?namespace="+ns+"&name=falco", nil)
		if !strings.Contains(rec.Body.String(), fmt.Sprintf(`restored revision %d after a failed change`, base)) {
			t.Fatalf("history: %s", rec.Body.String())
		}
	})

	t.Run("preflight: a Role without update on Secrets blocks the plan and nothing is applied", func(t *testing.T) {
		const ns = "preflight-test"
		cfg := e.newFalcoRelease(t, ns)
		role, binding := rolesFromProvisioning(t)
		role.Namespace, binding.Namespace = ns, ns
		role.Name = "deployer-no-secret-update"
		for i, r := range role.Rules {
			if len(r.Resources) == 1 && r.Resources[0] == "secrets" {
				role.Rules[i].Verbs = []string{"get", "list", "create", "patch", "delete"}
			}
		}
		binding.Name, binding.RoleRef.Name = role.Name, role.Name
		binding.Subjects = []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "limited"}}
		if _, err := e.adminCS.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.adminCS.RbacV1().RoleBindings(ns).Create(ctx, binding, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		d := kubeDatasource(t, e.c, "limited", e.repoURL)
		base := lastRelease(t, cfg).Version
		body := nsBody(ns, base, rules.File{Name: "a.yaml", Content: deploytest.OtherRule})
		for _, path := range []string{"/deploy/plan", "/deploy/apply"} {
			rec, eb := call(t, d, admin, http.MethodPost, path, body)
			wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeKubeForbidden)
			for _, want := range []string{"cannot update secrets in namespace " + ns, "Helm's release storage", "resources: [secrets]\n  verbs: [update]", "Role in namespace " + ns} {
				if !strings.Contains(eb.Error, want) {
					t.Fatalf("%s: the 403 must say %q: %s", path, want, eb.Error)
				}
			}
		}
		if rel := lastRelease(t, cfg); rel.Version != base || rel.Info.Status != rcommon.StatusDeployed {
			t.Fatalf("a refused apply touched the release: revision %d %s", rel.Version, rel.Info.Status)
		}
		if got := e.rulesConfigMap(t, ns); got != strings.TrimSpace(deploytest.GoodRule) {
			t.Fatalf("a refused apply wrote the rules ConfigMap: %q", got)
		}
		// The config page's list: the same check, granted and missing.
		rec, _ := call(t, d, admin, http.MethodGet, "/deploy/permissions?namespace="+ns+"&name=falco", nil)
		var out struct{ Checks []deploy.PermissionCheck }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || len(out.Checks) != 1 {
			t.Fatalf("permissions: %d %s", rec.Code, rec.Body.String())
		}
		pc := out.Checks[0]
		granted := 0
		for _, p := range pc.Permissions {
			if p.Granted {
				granted++
			}
		}
		if pc.Missing != 1 || pc.Permissions[0].Verb != "update" || pc.Permissions[0].Resource != "secrets" || pc.Permissions[0].Granted || granted < 20 {
			t.Fatalf("permissions: missing %d, first %+v, granted %d", pc.Missing, pc.Permissions[0], granted)
		}
		// With the full provisioning Role the same user's check is all granted.
		rec, _ = call(t, kubeDatasource(t, e.c, "admin", e.repoURL), admin, http.MethodGet, "/deploy/permissions?namespace="+ns+"&name=falco", nil)
		if !strings.Contains(rec.Body.String(), `"missing":0`) {
			t.Fatalf("admin permissions: %s", rec.Body.String())
		}
	})

	t.Run("recover: an Admin takes a pending-upgrade release back to its last deployed revision", func(t *testing.T) {
		const ns = "recover-test"
		cfg := e.newFalcoRelease(t, ns)
		good := lastRelease(t, cfg)
		// What an interrupted upgrade leaves: a newer revision stuck in pending-upgrade.
		stuck := *good
		info := *good.Info
		stuck.Info, stuck.Version = &info, good.Version+1
		stuck.Info.Status, stuck.Info.Description = rcommon.StatusPendingUpgrade, "Preparing upgrade"
		if err := cfg.Releases.Create(&stuck); err != nil {
			t.Fatal(err)
		}
		d := kubeDatasource(t, e.c, "admin", e.repoURL)
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", nsBody(ns, stuck.Version, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeReleasePending)
		if !strings.Contains(eb.Error, "deploy/recover") {
			t.Fatalf("the 409 names the way out: %s", eb.Error)
		}
		recoverBody := map[string]any{"namespace": ns, "name": "falco", "baseRevision": stuck.Version}
		rec, eb = call(t, d, editor, http.MethodPost, "/deploy/recover", recoverBody)
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
		rec, _ = call(t, d, admin, http.MethodPost, "/deploy/plan", map[string]any{"namespace": ns, "name": "falco", "baseRevision": stuck.Version, "recover": true})
		var plan deploy.Plan
		if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil || rec.Code != 200 || !plan.Recover || plan.RollbackTo != good.Version || !plan.ServerValidated {
			t.Fatalf("recover preview: %d %s", rec.Code, rec.Body.String())
		}
		rec, _ = call(t, d, admin, http.MethodPost, "/deploy/recover", recoverBody)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), fmt.Sprintf(`"revision":%d,"status":"deployed"`, stuck.Version+1)) {
			t.Fatalf("recover: %d %s", rec.Code, rec.Body.String())
		}
		rec, _ = call(t, d, admin, http.MethodGet, "/deploy/history?namespace="+ns+"&name=falco", nil)
		var hist struct{ Revisions []deploy.Revision }
		if err := json.Unmarshal(rec.Body.Bytes(), &hist); err != nil || len(hist.Revisions) < 3 {
			t.Fatalf("history: %s", rec.Body.String())
		}
		if r := hist.Revisions[0]; r.User != "admin" || r.Status != "deployed" || !strings.Contains(r.Description, fmt.Sprintf("recovered pending-upgrade revision %d by rolling back to revision %d", stuck.Version, good.Version)) {
			t.Fatalf("recover in history: %+v", r)
		}
		if r := hist.Revisions[1]; r.Revision != stuck.Version || r.Status != "failed" || r.User != "admin" {
			t.Fatalf("the interrupted revision %d is recorded as failed by the recovering user: %+v", stuck.Version, r)
		}
		// And the release takes changes again.
		rec, _ = call(t, d, admin, http.MethodPost, "/deploy/apply", nsBody(ns, stuck.Version+1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		if rec.Code != 200 {
			t.Fatalf("apply after recover: %d %s", rec.Code, rec.Body.String())
		}
	})

	t.Run("hang: an API server that accepts TLS and never answers is given up after the request timeout", func(t *testing.T) {
		stop := make(chan struct{})
		hung := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select { // completes TLS, reads the request, never answers
			case <-stop:
			case <-r.Context().Done():
			}
		}))
		hung.StartTLS()
		t.Cleanup(func() { close(stop); hung.Close() })
		kc := strings.Replace(e.c.kubeconfig("admin"), e.c.url, hung.URL, 1)
		d := datasourceWith(t, kc, e.repoURL, map[string]any{"kubeRequestTimeoutSeconds": 2})
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "/deploy/releases", nil},
			{http.MethodPost, "/deploy/plan", nsBody("falco", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule})},
		} {
			start := time.Now()
			rec, eb := call(t, d, admin, c.method, c.path, c.body)
			t.Logf("%s %s on a hung API server: %d after %s", c.method, c.path, rec.Code, time.Since(start).Round(time.Millisecond))
			wantStatus(t, rec, eb, http.StatusBadGateway, deploy.CodeClusterUnreachable)
			if !strings.Contains(eb.Error, "the Kubernetes API server "+hung.URL+" did not answer within 2s") {
				t.Fatalf("the answer names what did not answer and after how long: %s", eb.Error)
			}
		}
	})

	t.Run("hang: a chart repository that accepts TCP and never answers is given up after the chart timeout", func(t *testing.T) {
		cfg := e.newFalcoRelease(t, "hang-test")
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var conns []net.Conn
		var mu sync.Mutex
		go func() {
			for {
				c, err := l.Accept() // accepts, never reads or writes
				if err != nil {
					return
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
		t.Cleanup(func() {
			l.Close()
			mu.Lock()
			for _, c := range conns {
				c.Close()
			}
			mu.Unlock()
		})
		repo := "http://" + l.Addr().String()
		d := datasourceWith(t, e.c.kubeconfig("admin"), repo, map[string]any{"chartDownloadTimeoutSeconds": 2})
		start := time.Now()
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/plan", nsBody("hang-test", lastRelease(t, cfg).Version, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		t.Logf("plan with a hung chart repository: %d after %s", rec.Code, time.Since(start).Round(time.Millisecond))
		wantStatus(t, rec, eb, http.StatusBadGateway, deploy.CodeChartUnavailable)
		if !strings.Contains(eb.Error, repo) || !strings.Contains(eb.Error, "no answer within 2s") {
			t.Fatalf("the answer names the repository and the time: %s", eb.Error)
		}
	})

	t.Run("replicas: two Service instances applying at once, the loser hears the revision that won", func(t *testing.T) {
		const ns = "replicas-test"
		cfg := e.newFalcoRelease(t, ns)
		// Two Grafana replicas: two datasource instances, two deploy Services, no shared lock.
		d1 := kubeDatasource(t, e.c, "admin", e.repoURL)
		d2 := kubeDatasource(t, e.c, "admin", e.repoURL)
		for round := 0; round < 3; round++ {
			base := lastRelease(t, cfg).Version
			files := []string{deploytest.OtherRule, deploytest.GoodRule}
			if round%2 == 1 {
				files[0], files[1] = files[1], files[0]
			}
			var wg sync.WaitGroup
			recs := make([]*httptest.ResponseRecorder, 2)
			for i, d := range []*Datasource{d1, d2} {
				wg.Add(1)
				go func(i int, d *Datasource) {
					defer wg.Done()
					recs[i] = callCtx(t, ctx, d, admin, http.MethodPost, "/deploy/apply",
						nsBody(ns, base, rules.File{Name: "a.yaml", Content: files[i]}, rules.File{Name: fmt.Sprintf("replica-%d.yaml", i), Content: deploytest.GoodRule}))
				}(i, d)
			}
			wg.Wait()
			win, lose := -1, -1
			for i, r := range recs {
				switch r.Code {
				case 200:
					win = i
				case 409:
					lose = i
				}
			}
			if win < 0 || lose < 0 {
				t.Fatalf("round %d: want one 200 and one 409, got %d %s / %d %s", round, recs[0].Code, recs[0].Body.String(), recs[1].Code, recs[1].Body.String())
			}
			var eb ErrorBody
			_ = json.Unmarshal(recs[lose].Body.Bytes(), &eb)
			if eb.Code != deploy.CodeStaleRevision || !strings.Contains(eb.Error, fmt.Sprintf("revision %d", base+1)) {
				t.Fatalf("round %d: the loser must name revision %d: %s", round, base+1, recs[lose].Body.String())
			}
			t.Logf("round %d: loser heard: %s", round, eb.Error)
			rel := lastRelease(t, cfg)
			if rel.Version != base+1 || rel.Info.Status != rcommon.StatusDeployed {
				t.Fatalf("round %d: Helm storage: revision %d %s", round, rel.Version, rel.Info.Status)
			}
			if got := e.rulesConfigMap(t, ns); got != strings.TrimSpace(files[win]) {
				t.Fatalf("round %d: the live rules are not the winner's", round)
			}
			if _, ok := rel.Config["customRules"].(map[string]any)[fmt.Sprintf("replica-%d.yaml", win)]; !ok {
				t.Fatalf("round %d: the stored revision is not the winner's: %v", round, rel.Config["customRules"])
			}
		}
	})
}

// datasourceWith is kubeDatasource with a kubeconfig of the test's choosing and extra jsonData.
func datasourceWith(t *testing.T, kubeconfig, repoURL string, extra map[string]any) *Datasource {
	t.Helper()
	jd := map[string]any{"eventStore": "sqlite", "sqlitePath": t.TempDir() + "/events.db",
		"kubeAccess": "kubeconfig", "falcoNamespace": "falco", "chartSource": "repository", "chartRepositoryUrl": repoURL,
		"rolloutGuard": false} // no kubelet runs here: the guard would roll back every change (deploy_kube_guard_test.go turns it on)
	for k, v := range extra {
		jd[k] = v
	}
	b, _ := json.Marshal(jd)
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "falco-custom", JSONData: b,
		DecryptedSecureJSONData: map[string]string{"kubeconfig": kubeconfig, "ingestToken": "kube-test-ingest-token"}})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	if p := d.settings.Deploy.Problems; len(p) > 0 {
		t.Fatalf("deploy settings: %v", p)
	}
	return d
}

// refuseRulesRollout installs a ValidatingAdmissionPolicy that refuses real changes of a DaemonSet's checksum/rules
// in ns, and waits until the API server enforces it (policies load asynchronously) with a probe DaemonSet.
func refuseRulesRollout(t *testing.T, cs *kubernetes.Clientset, ns string) {
	t.Helper()
	ctx := context.Background()
	fail := admissionv1.Fail
	name := "refuse-rules-rollout-" + ns
	pol := &admissionv1.ValidatingAdmissionPolicy{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: admissionv1.ValidatingAdmissionPolicySpec{
		FailurePolicy: &fail,
		MatchConstraints: &admissionv1.MatchResources{
			NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": ns}},
			ResourceRules: []admissionv1.NamedRuleWithOperations{{RuleWithOperations: admissionv1.RuleWithOperations{
				Operations: []admissionv1.OperationType{admissionv1.Update},
				Rule:       admissionv1.Rule{APIGroups: []string{"apps"}, APIVersions: []string{"v1"}, Resources: []string{"daemonsets"}}}}},
		},
		Validations: []admissionv1.Validation{{
			Expression: "request.dryRun == true || object.spec.template.metadata.annotations['checksum/rules'] == oldObject.spec.template.metadata.annotations['checksum/rules']",
			Message:    "test policy: this namespace refuses rules rollouts"}},
	}}
	if _, err := cs.AdmissionregistrationV1().ValidatingAdmissionPolicies().Create(ctx, pol, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	bind := &admissionv1.ValidatingAdmissionPolicyBinding{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
		PolicyName: name, ValidationActions: []admissionv1.ValidationAction{admissionv1.Deny}}}
	if _, err := cs.AdmissionregistrationV1().ValidatingAdmissionPolicyBindings().Create(ctx, bind, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "probe"}
	probe := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "policy-probe", Namespace: ns}, Spec: appsv1.DaemonSetSpec{
		Selector: &metav1.LabelSelector{MatchLabels: labels},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: map[string]string{"checksum/rules": "a"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}}}}
	if _, err := cs.AppsV1().DaemonSets(ns).Create(ctx, probe, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; ; i++ {
		ds, err := cs.AppsV1().DaemonSets(ns).Get(ctx, "policy-probe", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ds.Spec.Template.Annotations["checksum/rules"] = fmt.Sprint(i)
		if _, err := cs.AppsV1().DaemonSets(ns).Update(ctx, ds, metav1.UpdateOptions{}); err != nil && strings.Contains(err.Error(), "refuses rules rollouts") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the ValidatingAdmissionPolicy is not enforced after 30s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := cs.AppsV1().DaemonSets(ns).Delete(ctx, "policy-probe", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}
