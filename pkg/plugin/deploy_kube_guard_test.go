package plugin

// Subtests of TestDeployOnRealAPIServer for the rules a release really loads (falco.rules_files), the rollout guard,
// GitOps signals on live objects, and the plan/apply figures. No kubelet runs: the DaemonSet and pod status are
// written by the test as the DaemonSet controller and the kubelet would.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	release "helm.sh/helm/v4/pkg/release/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/rules"
)

// selfContainedRule defines its own macro, so it loads without Falco's default ruleset.
const selfContainedRule = `- macro: grafana_test_spawn
  condition: evt.type in (execve, execveat) and evt.dir = <
- rule: Shell spawned (self-contained)
  desc: a shell started, without the default ruleset's macros
  condition: grafana_test_spawn and proc.name = bash
  output: shell started (command=%proc.cmdline)
  priority: WARNING
`

// usesOwnMacro uses the macro of selfContainedRule: it loads only after it (rules.d's alphabetical order).
const usesOwnMacro = `- rule: Curl spawned (self-contained)
  desc: curl started, with a macro of another custom file
  condition: grafana_test_spawn and proc.name = curl
  output: curl started (command=%proc.cmdline)
  priority: NOTICE
`

// guardDatasource is a datasource on a user's credentials with extra jsonData (rollout guard settings).
func guardDatasource(t *testing.T, c *kubeCluster, user, repoURL string, extra map[string]any) *Datasource {
	t.Helper()
	jd := map[string]any{"eventStore": "sqlite", "sqlitePath": filepath.Join(t.TempDir(), "events.db"),
		"kubeAccess": "kubeconfig", "falcoNamespace": "falco", "chartSource": "repository", "chartRepositoryUrl": repoURL}
	for k, v := range extra {
		jd[k] = v
	}
	raw, _ := json.Marshal(jd)
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: fmt.Sprintf("falco-%s-%d", user, time.Now().UnixNano()), JSONData: raw,
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

func releaseBody(namespace, name string, base int, files ...rules.File) map[string]any {
	b := applyBody(base, files...)
	b["namespace"], b["name"] = namespace, name
	return b
}

func decodePlan(t *testing.T, code int, body []byte) deploy.Plan {
	t.Helper()
	var p deploy.Plan
	if err := json.Unmarshal(body, &p); err != nil || code != http.StatusOK {
		t.Fatalf("plan: %d %s", code, body)
	}
	return p
}

// waitGuard polls the rollout view until the guard leaves "watching".
func waitGuard(t *testing.T, d *Datasource, namespace, name string, revision int, within time.Duration) deploy.GuardStatus {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/rollout?namespace="+namespace+"&name="+name, nil)
		var ro deploy.Rollout
		if err := json.Unmarshal(rec.Body.Bytes(), &ro); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("rollout: %d %s", rec.Code, rec.Body.String())
		}
		if g := ro.Guard; g != nil && g.Revision == revision && g.State != deploy.GuardWatching {
			return *g
		}
		if time.Now().After(deadline) {
			t.Fatalf("the guard of revision %d is still watching after %s: %s", revision, within, rec.Body.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// falcoPodLike creates a pod of the DaemonSet as its controller would (template labels and annotations, owner).
func falcoPodLike(t *testing.T, ctx context.Context, cs *kubernetes.Clientset, ds *appsv1.DaemonSet, name string, status corev1.PodStatus) {
	t.Helper()
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ds.Namespace, Labels: ds.Spec.Template.Labels, Annotations: ds.Spec.Template.Annotations,
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: ds.Name, UID: ds.UID}}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "falco", Image: "falcosecurity/falco:0.44.1"}}}}
	p, err := cs.CoreV1().Pods(ds.Namespace).Create(ctx, p, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Status = status
	if _, err := cs.CoreV1().Pods(ds.Namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func lastRevision(t *testing.T, d *Datasource, namespace, name string) deploy.Revision {
	t.Helper()
	rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/history?namespace="+namespace+"&name="+name, nil)
	var hist struct{ Revisions []deploy.Revision }
	if err := json.Unmarshal(rec.Body.Bytes(), &hist); err != nil || len(hist.Revisions) == 0 {
		t.Fatalf("history: %d %s", rec.Code, rec.Body.String())
	}
	return hist.Revisions[0]
}

func testDeployGuardAndSignals(t *testing.T, c *kubeCluster, tgz, repoURL string) {
	ctx := context.Background()
	admin := &backend.User{Login: "admin", Role: "Admin"}
	adminCS := c.clientset(t, "admin")
	for _, ns := range []string{"rf", "guard", "gitops"} {
		if _, err := adminCS.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	d := guardDatasource(t, c, "admin", repoURL, map[string]any{"rolloutGuard": false})
	rfCfg := c.helmConfig(t, "admin", "rf")

	t.Run("rules-files: a release loading only rules.d refuses rules that need the default ruleset", func(t *testing.T) {
		installFalco(t, rfCfg, tgz, "rf", "only-rulesd", map[string]any{
			"falco":       map[string]any{"rules_files": []any{"/etc/falco/rules.d"}},
			"customRules": map[string]any{"own.yaml": selfContainedRule}}, nil)
		// OtherRule uses spawned_process and container, macros of falco_rules.yaml, which this release never loads.
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/plan", releaseBody("rf", "only-rulesd", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		wantStatus(t, rec, eb, http.StatusUnprocessableEntity, deploy.CodeInvalidRules)
		if !strings.Contains(eb.Error, "spawned_process") || !strings.Contains(eb.Error, "does not load Falco's default ruleset") {
			t.Fatalf("the error must name the macro and why it is undefined: %s", eb.Error)
		}
		rec, _ = call(t, d, admin, http.MethodPost, "/deploy/plan", releaseBody("rf", "only-rulesd", 1, rules.File{Name: "own.yaml", Content: selfContainedRule},
			rules.File{Name: "z.yaml", Content: usesOwnMacro}))
		p := decodePlan(t, rec.Code, rec.Body.Bytes())
		if rf := p.RulesFiles; rf == nil || rf.LoadsDefaults || strings.Join(rf.Loaded, ",") != "own.yaml,z.yaml" || strings.Join(rf.RulesFiles, ",") != "/etc/falco/rules.d" {
			t.Fatalf("rules files: %+v", p.RulesFiles)
		}
	})

	t.Run("rules-files: files a release never loads need confirmation", func(t *testing.T) {
		installFalco(t, rfCfg, tgz, "rf", "no-rulesd", map[string]any{
			"falco":       map[string]any{"rules_files": []any{"/etc/falco/falco_rules.yaml"}},
			"customRules": map[string]any{"a.yaml": deploytest.GoodRule}}, nil)
		rec, _ := call(t, d, admin, http.MethodPost, "/deploy/plan", releaseBody("rf", "no-rulesd", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		p := decodePlan(t, rec.Code, rec.Body.Bytes())
		if !p.ConfirmRequired || len(p.Warnings) != 1 || p.Warnings[0].Code != deploy.WarnRulesFileNotLoaded || !strings.Contains(p.Warnings[0].Message, "a.yaml goes to /etc/falco/rules.d/a.yaml") {
			t.Fatalf("warnings: %+v", p.Warnings)
		}
		if rf := p.RulesFiles; !rf.LoadsDefaults || len(rf.Loaded) != 0 || strings.Join(rf.NotLoaded, ",") != "a.yaml" {
			t.Fatalf("rules files: %+v", rf)
		}
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", releaseBody("rf", "no-rulesd", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeConfirmRequired)
		body := releaseBody("rf", "no-rulesd", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule})
		body["confirmWarnings"] = true
		if rec, _ := call(t, d, admin, http.MethodPost, "/deploy/apply", body); rec.Code != http.StatusOK {
			t.Fatalf("confirmed apply: %d %s", rec.Code, rec.Body.String())
		}
	})

	// The guarded release: falcosidekick and falco-talon on, as in production.
	guardCfg := c.helmConfig(t, "admin", "guard")
	full := deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule})
	full["responseActions"] = map[string]any{"enabled": true}
	guardRel := installFalco(t, guardCfg, tgz, "guard", "falco", full, nil)
	dg := guardDatasource(t, c, "admin", repoURL, map[string]any{"rolloutTimeoutSeconds": 10})
	changed := rules.File{Name: "a.yaml", Content: deploytest.OtherRule}
	original := rules.File{Name: "a.yaml", Content: deploytest.GoodRule}
	writeDaemonSetStatus := func(t *testing.T, desired, updated, ready int32, observed bool) *appsv1.DaemonSet {
		t.Helper()
		ds, err := adminCS.AppsV1().DaemonSets("guard").Get(ctx, "falco", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		gen := ds.Generation
		if !observed {
			gen--
		}
		ds.Status = appsv1.DaemonSetStatus{ObservedGeneration: gen, DesiredNumberScheduled: desired, CurrentNumberScheduled: desired,
			UpdatedNumberScheduled: updated, NumberReady: ready, NumberAvailable: ready}
		if ds, err = adminCS.AppsV1().DaemonSets("guard").UpdateStatus(ctx, ds, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		return ds
	}
	rulesInCluster := func(t *testing.T) string {
		t.Helper()
		cm, err := adminCS.CoreV1().ConfigMaps("guard").Get(ctx, "falco-rules", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(cm.Data["a.yaml"])
	}

	t.Run("guard: the plan says which pods restart, how, and that nodes go unwatched", func(t *testing.T) {
		writeDaemonSetStatus(t, 3, 3, 3, true)
		rec, _ := call(t, dg, admin, http.MethodPost, "/deploy/plan", releaseBody("guard", "falco", 1, changed))
		p := decodePlan(t, rec.Code, rec.Body.Bytes())
		if len(p.Restarts) != 1 {
			t.Fatalf("restarts: %+v", p.Restarts)
		}
		r := p.Restarts[0]
		// maxUnavailable 1 is the API server's default for a RollingUpdate DaemonSet (the chart sets none).
		if r.Kind != "DaemonSet" || r.Name != "falco" || r.Pods != 3 || r.MaxUnavailable != 1 || r.Strategy != "RollingUpdate" ||
			!strings.Contains(r.Message, "all 3 node(s)") || !strings.Contains(r.Message, "one node at a time") || !strings.Contains(r.Message, "unwatched while its Falco pod restarts") {
			t.Fatalf("restart: %+v", r)
		}
	})

	t.Run("guard: crash-looping new Falco pods are rolled back automatically", func(t *testing.T) {
		rec, _ := call(t, dg, admin, http.MethodPost, "/deploy/apply", releaseBody("guard", "falco", 1, changed))
		if rec.Code != http.StatusOK {
			t.Fatalf("apply: %d %s", rec.Code, rec.Body.String())
		}
		// Mid-rollout on 3 nodes: the first new pod exits on its rules and the kubelet backs off.
		ds := writeDaemonSetStatus(t, 3, 1, 2, true)
		falcoPodLike(t, ctx, adminCS, ds, "falco-crash", corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "falco", RestartCount: 3,
			State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 40s"}},
			LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error", Message: "LOAD_ERR_COMPILE_CONDITION"}}}}})
		g := waitGuard(t, dg, "guard", "falco", 2, 30*time.Second)
		if g.State != deploy.GuardRolledBack || g.RollbackRevision != 3 || !strings.Contains(g.Reason, "pod falco-crash is CrashLoopBackOff") {
			t.Fatalf("guard: %+v", g)
		}
		last := lastRevision(t, dg, "guard", "falco")
		if last.Revision != 3 || !last.AutomaticRollback || last.Status != "deployed" || !strings.Contains(last.Description, "revision 2 (Grafana user \"admin\") to 1") ||
			!strings.Contains(last.Description, "CrashLoopBackOff") {
			t.Fatalf("history: %+v", last)
		}
		if got := rulesInCluster(t); got != strings.TrimSpace(original.Content) {
			t.Fatalf("the rules ConfigMap must be back to revision 1: %s", got)
		}
		deployments := 0
		for _, k := range objectKeys(guardRel.Manifest) {
			if dep, ok := strings.CutPrefix(k, "Deployment/"); ok {
				deployments++
				if _, err := adminCS.AppsV1().Deployments("guard").Get(ctx, dep, metav1.GetOptions{}); err != nil {
					t.Fatalf("%s after the automatic rollback: %v", dep, err)
				}
			}
		}
		if deployments < 2 {
			t.Fatalf("falcosidekick and falco-talon Deployments expected: %v", objectKeys(guardRel.Manifest))
		}
		if err := adminCS.CoreV1().Pods("guard").Delete(ctx, "falco-crash", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("guard: new pods not ready within the rollout timeout are rolled back", func(t *testing.T) {
		start := time.Now()
		rec, _ := call(t, dg, admin, http.MethodPost, "/deploy/apply", releaseBody("guard", "falco", 3, changed))
		if rec.Code != http.StatusOK {
			t.Fatalf("apply: %d %s", rec.Code, rec.Body.String())
		}
		// Nothing picks the change up (no controller runs): the DaemonSet status stays at the old generation.
		g := waitGuard(t, dg, "guard", "falco", 4, 45*time.Second)
		if g.State != deploy.GuardRolledBack || g.RollbackRevision != 5 || !strings.Contains(g.Reason, "not all ready within 10s") ||
			!strings.Contains(g.Reason, "DaemonSet guard/falco: the DaemonSet controller has not picked up the change") {
			t.Fatalf("guard: %+v", g)
		}
		if waited := time.Since(start); waited < 10*time.Second {
			t.Fatalf("rolled back after %s, before the 10 s rollout timeout", waited)
		}
		if last := lastRevision(t, dg, "guard", "falco"); last.Revision != 5 || !last.AutomaticRollback || rulesInCluster(t) != strings.TrimSpace(original.Content) {
			t.Fatalf("history: %+v", last)
		}
	})

	t.Run("guard: a rollout that completes is left alone", func(t *testing.T) {
		rec, _ := call(t, dg, admin, http.MethodPost, "/deploy/apply", releaseBody("guard", "falco", 5, changed))
		if rec.Code != http.StatusOK {
			t.Fatalf("apply: %d %s", rec.Code, rec.Body.String())
		}
		ds := writeDaemonSetStatus(t, 3, 3, 3, true)
		falcoPodLike(t, ctx, adminCS, ds, "falco-ok", corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "falco", Ready: true,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}})
		g := waitGuard(t, dg, "guard", "falco", 6, 30*time.Second)
		if g.State != deploy.GuardPassed {
			t.Fatalf("guard: %+v", g)
		}
		if last := lastRevision(t, dg, "guard", "falco"); last.Revision != 6 || last.AutomaticRollback || rulesInCluster(t) != strings.TrimSpace(changed.Content) {
			t.Fatalf("a healthy rollout must stay: %+v", last)
		}
	})

	gitopsCfg := c.helmConfig(t, "admin", "gitops")
	gitopsRel := installFalco(t, gitopsCfg, tgz, "gitops", "falco", map[string]any{"customRules": map[string]any{"a.yaml": deploytest.GoodRule}}, nil)
	managedBy := func(t *testing.T) deploy.ManagedBy {
		t.Helper()
		rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/release?namespace=gitops&name=falco", nil)
		var body struct{ Release deploy.Release }
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("release: %d %s", rec.Code, rec.Body.String())
		}
		return body.Release.ManagedBy
	}
	patchMeta := func(t *testing.T, kind, name, patch string) {
		t.Helper()
		var err error
		switch kind {
		case "ServiceAccount":
			_, err = adminCS.CoreV1().ServiceAccounts("gitops").Patch(ctx, name, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
		case "ConfigMap":
			_, err = adminCS.CoreV1().ConfigMaps("gitops").Patch(ctx, name, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
		default:
			t.Fatalf("kind %s", kind)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	sa := objectNamed(t, gitopsRel, "ServiceAccount")

	t.Run("argocd: a tracking-id on any live object of the release, and Argo CD's instance labels, are detected", func(t *testing.T) {
		if mb := managedBy(t); mb.Kind != deploy.ManagedByHelm {
			t.Fatalf("before any signal: %+v", mb)
		}
		for _, tc := range []struct{ kind, name, set, unset, want string }{
			// Argo CD's annotation tracking (common.AnnotationKeyAppInstance), on the ServiceAccount only.
			{"ServiceAccount", sa, `{"metadata":{"annotations":{"argocd.argoproj.io/tracking-id":"sec-falco:/ServiceAccount:gitops/` + sa + `"}}}`,
				`{"metadata":{"annotations":{"argocd.argoproj.io/tracking-id":null}}}`, "Application sec-falco, seen on live ServiceAccount " + sa},
			// The instance label key Argo CD's FAQ recommends for application.instanceLabelKey.
			{"ConfigMap", "falco-rules", `{"metadata":{"labels":{"argocd.argoproj.io/instance":"sec-falco"}}}`,
				`{"metadata":{"labels":{"argocd.argoproj.io/instance":null}}}`, "Application sec-falco (label argocd.argoproj.io/instance)"},
			// Label tracking with the default key (common.LabelKeyAppInstance) rewrites the chart's own value.
			{"ConfigMap", "falco-rules", `{"metadata":{"labels":{"app.kubernetes.io/instance":"sec-falco"}}}`,
				`{"metadata":{"labels":{"app.kubernetes.io/instance":"falco"}}}`, "Application sec-falco (label app.kubernetes.io/instance=sec-falco on the live object"},
		} {
			patchMeta(t, tc.kind, tc.name, tc.set)
			if mb := managedBy(t); mb.Kind != deploy.ManagedByArgoCD || !strings.Contains(mb.Detail, tc.want) {
				t.Fatalf("%s %s: %+v", tc.kind, tc.set, mb)
			}
			rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", releaseBody("gitops", "falco", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
			wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeGitOpsManaged)
			patchMeta(t, tc.kind, tc.name, tc.unset)
		}
		if mb := managedBy(t); mb.Kind != deploy.ManagedByHelm {
			t.Fatalf("with every signal removed: %+v", mb)
		}
	})

	t.Run("flux-live: Flux's labels on a live object only are detected", func(t *testing.T) {
		// helm-controller's origin labels (internal/postrender/origin_labels.go), here only on the live object.
		patchMeta(t, "ConfigMap", "falco-rules", `{"metadata":{"labels":{"helm.toolkit.fluxcd.io/name":"falco","helm.toolkit.fluxcd.io/namespace":"flux-system"}}}`)
		if mb := managedBy(t); mb.Kind != deploy.ManagedByFlux || !strings.Contains(mb.Detail, "HelmRelease flux-system/falco, seen on live ConfigMap falco-rules") {
			t.Fatalf("managedBy: %+v", mb)
		}
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", releaseBody("gitops", "falco", 1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeGitOpsManaged)
		patchMeta(t, "ConfigMap", "falco-rules", `{"metadata":{"labels":{"helm.toolkit.fluxcd.io/name":null,"helm.toolkit.fluxcd.io/namespace":null}}}`)
	})

	t.Run("rbac: a release with falco-talon deploys with the Role and the subcharts' ClusterRole, and is refused naming the manifest without it", func(t *testing.T) {
		role, binding := rolesFromProvisioning(t)
		binding.Subjects = []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "deployer"}}
		if _, err := adminCS.RbacV1().Roles("guard").Create(ctx, role, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := adminCS.RbacV1().RoleBindings("guard").Create(ctx, binding, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		dd := guardDatasource(t, c, "deployer", repoURL, map[string]any{"rolloutGuard": false})
		rev := lastRevision(t, dd, "guard", "falco").Revision
		rec, eb := call(t, dd, admin, http.MethodPost, "/deploy/plan", releaseBody("guard", "falco", rev, original))
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeKubeForbidden)
		if !strings.Contains(eb.Error, "provisioning/kubernetes/falco-deployer-clusterrole.yaml") || !strings.Contains(eb.Error, "falco-talon") {
			t.Fatalf("the refusal must name the ClusterRole manifest: %s", eb.Error)
		}
		cr, crb := clusterRoleFromProvisioning(t)
		crb.Subjects = binding.Subjects
		if _, err := adminCS.RbacV1().ClusterRoles().Create(ctx, cr, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := adminCS.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if rec, _ := call(t, dd, admin, http.MethodPost, "/deploy/apply", releaseBody("guard", "falco", rev, original)); rec.Code != http.StatusOK {
			t.Fatalf("apply with the Role and the ClusterRole: %d %s", rec.Code, rec.Body.String())
		}
		if rec, _ := call(t, dd, admin, http.MethodPost, "/deploy/rollback", map[string]any{"namespace": "guard", "name": "falco", "baseRevision": rev + 1, "toRevision": rev}); rec.Code != http.StatusOK {
			t.Fatalf("rollback with the Role and the ClusterRole: %d %s", rec.Code, rec.Body.String())
		}
	})

	t.Run("bench: plan and apply medians with falcosidekick and falco-talon", func(t *testing.T) {
		n, _ := strconv.Atoi(os.Getenv("CONTAINERSEC_DEPLOY_BENCH"))
		if n <= 0 {
			t.Skip("set CONTAINERSEC_DEPLOY_BENCH=<rounds> (npm run bench:deploy) to measure plan and apply")
		}
		db := guardDatasource(t, c, "admin", repoURL, map[string]any{"rolloutGuard": false})
		// The first plan downloads the chart; the rounds measure plans with the cached chart.
		rev := lastRevision(t, db, "guard", "falco").Revision
		if rec, _ := call(t, db, admin, http.MethodPost, "/deploy/plan", releaseBody("guard", "falco", rev, original)); rec.Code != http.StatusOK {
			t.Fatalf("warm-up plan: %d %s", rec.Code, rec.Body.String())
		}
		var plans, applies []time.Duration
		var planCPU, applyCPU []time.Duration
		for i := range n {
			files := []rules.File{original, changed}[i%2]
			step, cpu := time.Now(), processCPU()
			rec, _ := call(t, db, admin, http.MethodPost, "/deploy/plan", releaseBody("guard", "falco", rev, files))
			plans = append(plans, time.Since(step))
			planCPU = append(planCPU, processCPU()-cpu)
			if rec.Code != http.StatusOK {
				t.Fatalf("plan: %d %s", rec.Code, rec.Body.String())
			}
			step, cpu = time.Now(), processCPU()
			rec, _ = call(t, db, admin, http.MethodPost, "/deploy/apply", releaseBody("guard", "falco", rev, files))
			applies = append(applies, time.Since(step))
			applyCPU = append(applyCPU, processCPU()-cpu)
			if rec.Code != http.StatusOK {
				t.Fatalf("apply: %d %s", rec.Code, rec.Body.String())
			}
			rev++
		}
		load, _ := os.ReadFile("/proc/loadavg")
		// CPU: of this process, which runs the backend code (kube-apiserver and etcd are other processes).
		t.Logf("deploy bench (falcosidekick + falco-talon, %d rounds, cached chart): plan median %s (backend CPU %s), apply median %s (backend CPU %s); load average %s",
			n, median(plans).Round(time.Millisecond), median(planCPU).Round(time.Millisecond), median(applies).Round(time.Millisecond),
			median(applyCPU).Round(time.Millisecond), strings.Join(strings.Fields(string(load))[:3], " "))
		if prof := os.Getenv("CONTAINERSEC_DEPLOY_BENCH_CPUPROFILE"); prof != "" {
			f, err := os.Create(prof)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				call(t, db, admin, http.MethodPost, "/deploy/plan", releaseBody("guard", "falco", rev, []rules.File{original, changed}[i%2]))
			}
			pprof.StopCPUProfile()
		}
	})
}

func clusterRoleFromProvisioning(t *testing.T) (*rbacv1.ClusterRole, *rbacv1.ClusterRoleBinding) {
	return provisionedPair[rbacv1.ClusterRole, rbacv1.ClusterRoleBinding](t, "falco-deployer-clusterrole.yaml")
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// objectNamed is the name of the release's first object of a kind.
func objectNamed(t *testing.T, rel *release.Release, kind string) string {
	t.Helper()
	for _, k := range objectKeys(rel.Manifest) {
		if strings.HasPrefix(k, kind+"/") {
			return strings.TrimPrefix(k, kind+"/")
		}
	}
	t.Fatalf("the release renders no %s", kind)
	return ""
}
