package deploy_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
)

var (
	goodRule  = deploytest.GoodRule
	otherRule = deploytest.OtherRule
)

// fixture wraps deploytest's Falco release in Helm's memory storage with a fake kube client, as Helm's own action
// tests set up their Configuration (pkg/action/action_test.go actionConfigFixture).
type fixture struct {
	*deploytest.Fixture
	cfg *action.Configuration
	svc *deploy.Service
	cs  *fake.Clientset
}

func newFixture(t *testing.T, values map[string]any) *fixture {
	f := deploytest.New(t, values)
	return &fixture{Fixture: f, cfg: f.Config, svc: f.Service, cs: f.Clientset}
}

func (f *fixture) last() *release.Release { return f.Last() }

func sidekickValues(files map[string]any) map[string]any { return deploytest.SidekickValues(files) }

func wantCode(t *testing.T, err error, code string) *deploy.Error {
	t.Helper()
	var de *deploy.Error
	if !errors.As(err, &de) {
		t.Fatalf("want a deploy error %q, got %v", code, err)
	}
	if de.Code != code {
		t.Fatalf("want code %q, got %q: %s", code, de.Code, de.Message)
	}
	return de
}

func TestPlanRulesChangeTouchesOnlyTheRulesConfigMapAndChecksum(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	plan, err := f.svc.Plan(context.Background(), deploy.PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: goodRule + "\n# changed\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Warnings) != 0 || plan.ConfirmRequired {
		t.Fatalf("a rules-only change must need no confirmation, got %+v", plan.Warnings)
	}
	var kinds []string
	for _, o := range plan.Objects {
		kinds = append(kinds, o.Kind+"/"+o.Name)
		if !o.Expected || o.Change != deploy.ChangeModified {
			t.Errorf("object %s/%s: change %s expected %v", o.Kind, o.Name, o.Change, o.Expected)
		}
	}
	if strings.Join(kinds, ",") != "ConfigMap/falco-rules,DaemonSet/falco" {
		t.Fatalf("objects = %v, want the rules ConfigMap and the DaemonSet", kinds)
	}
	if len(plan.Files) != 1 || plan.Files[0].Change != deploy.ChangeModified || !strings.Contains(plan.Files[0].Diff, "+# changed") {
		t.Fatalf("file diff: %+v", plan.Files)
	}
	if !strings.Contains(plan.Objects[1].Diff, "checksum/rules") {
		t.Errorf("DaemonSet diff does not show the checksum change:\n%s", plan.Objects[1].Diff)
	}
	if plan.ServerValidated {
		t.Error("the fake kube client cannot validate on a server")
	}
	if f.last().Version != 1 {
		t.Fatal("a plan must not create a revision")
	}
}

func TestApplyKeepsUserValuesReplacesRulesAndRecordsUser(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule, "b.yaml": otherRule}))
	res, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: goodRule}, {Name: "c.yaml", Content: otherRule}}, User: "ops \"lead\""})
	if err != nil {
		t.Fatal(err)
	}
	if res.Release.Revision != 2 || res.Release.Status != "deployed" {
		t.Fatalf("release after apply: %+v", res.Release)
	}
	rel := f.last()
	cr := rel.Config["customRules"].(map[string]any)
	if len(cr) != 2 || cr["b.yaml"] != nil || cr["c.yaml"] != otherRule {
		t.Fatalf("customRules must be exactly the files sent (b.yaml removed, not merged back): %v", cr)
	}
	if sk := rel.Config["falcosidekick"].(map[string]any); sk["enabled"] != true {
		t.Fatalf("user values other than customRules must be kept: %v", rel.Config)
	}
	if !strings.Contains(rel.Manifest, "falco-falcosidekick") {
		t.Fatal("the upgrade lost falcosidekick: it must use the full chart with subcharts")
	}
	if f.ChartLoads == 0 {
		t.Fatal("apply must load the full chart from the chart source, not reuse the stored one")
	}
	hist, err := f.svc.History(context.Background(), "falco", "falco")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Revision != 2 || hist[0].User != `ops "lead"` || strings.Join(hist[0].Files, ",") != "b.yaml,c.yaml" {
		t.Fatalf("history = %+v", hist)
	}
	if hist[1].User != "" || strings.Join(hist[1].Files, ",") != "a.yaml,b.yaml" {
		t.Fatalf("the install was not made from Grafana: %+v", hist[1])
	}
	diff, err := f.svc.HistoryDiff(context.Background(), "falco", "falco", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range diff {
		got[d.Name] = d.Change
	}
	if got["a.yaml"] != deploy.ChangeUnchanged || got["b.yaml"] != deploy.ChangeRemoved || got["c.yaml"] != deploy.ChangeAdded {
		t.Fatalf("history diff = %v", got)
	}
}

func TestInvalidRulesNeverReachHelm(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	broken := "- rule: broken\n  desc: x\n  condition: proc.name = \n  output: x\n  priority: WARNING\n"
	_, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "bad.yaml", Content: broken}}, User: "admin"})
	de := wantCode(t, err, deploy.CodeInvalidRules)
	if len(de.Details) == 0 || !strings.Contains(de.Message, "bad.yaml line 3") {
		t.Fatalf("the error must name file and line: %s %v", de.Message, de.Details)
	}
	if f.ChartLoads != 0 || f.last().Version != 1 {
		t.Fatal("invalid rules must be refused before the chart is loaded or a revision written")
	}
}

func TestStaleRevisionIsRefusedWithWhoChangedIt(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	if _, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: otherRule}}, User: "alice"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: goodRule}}, User: "bob"})
	de := wantCode(t, err, deploy.CodeStaleRevision)
	for _, want := range []string{"revision 1", "revision 2", "alice"} {
		if !strings.Contains(de.Message, want) {
			t.Errorf("stale message %q does not say %q", de.Message, want)
		}
	}
}

func TestPendingReleaseIsRefusedWithTheWayOut(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	// What an interrupted `helm upgrade` leaves behind: a newer revision stuck in pending-upgrade.
	stuck := *f.last()
	info := *stuck.Info
	stuck.Info = &info
	stuck.Version = 2
	stuck.Info.Status = rcommon.StatusPendingUpgrade
	f.last().Info.Status = rcommon.StatusSuperseded
	if err := f.cfg.Releases.Create(&stuck); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 2,
		Files: []deploy.File{{Name: "a.yaml", Content: otherRule}}, User: "admin"})
	de := wantCode(t, err, deploy.CodeReleasePending)
	if !strings.Contains(de.Message, "helm rollback falco 1 -n falco") {
		t.Fatalf("pending message must give the way out: %s", de.Message)
	}
	_, err = f.svc.Rollback(context.Background(), deploy.RollbackRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, ToRevision: 1, User: "admin"})
	wantCode(t, err, deploy.CodeReleasePending)
}

func TestFluxManagedReleaseIsRefused(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	rel := f.last()
	// Flux's helm-controller post-renders these labels onto every object (internal/postrender/origin_labels.go).
	rel.Manifest = strings.Replace(rel.Manifest, "  labels:\n", "  labels:\n    helm.toolkit.fluxcd.io/name: falco\n    helm.toolkit.fluxcd.io/namespace: flux-system\n", 1)
	if err := f.cfg.Releases.Update(rel); err != nil {
		t.Fatal(err)
	}
	got, _, err := f.svc.Release(context.Background(), "falco", "falco")
	if err != nil {
		t.Fatal(err)
	}
	if got.ManagedBy.Kind != deploy.ManagedByFlux || got.ManagedBy.Detail != "HelmRelease flux-system/falco" {
		t.Fatalf("managedBy = %+v", got.ManagedBy)
	}
	_, err = f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: goodRule}}, User: "admin"})
	de := wantCode(t, err, deploy.CodeGitOpsManaged)
	if !strings.Contains(de.Message, "Flux") || !strings.Contains(de.Message, "export") {
		t.Fatalf("message: %s", de.Message)
	}
}

func TestStoredChartWithoutSubchartsIsRefused(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	stored := f.last().Chart // what Helm keeps in the release Secret: no subchart bodies
	svc := deploy.NewWith(func(string) (*action.Configuration, error) { return f.cfg, nil }, f.cs,
		deploy.ChartLoaderFunc(func(context.Context, string) (*chart.Chart, error) {
			c := *stored
			c.SetDependencies()
			return &c, nil
		}))
	_, err := svc.Plan(context.Background(), deploy.PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: goodRule}}})
	de := wantCode(t, err, deploy.CodeChartUnavailable)
	if !strings.Contains(de.Message, "falcosidekick") {
		t.Fatalf("the error must name the missing subchart: %s", de.Message)
	}
}

func TestFirstRulesFileNeedsConfirmationBecauseThePodSpecGainsAVolume(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	req := deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1, Files: []deploy.File{{Name: "a.yaml", Content: goodRule}}, User: "admin"}
	_, err := f.svc.Apply(context.Background(), req)
	de := wantCode(t, err, deploy.CodeConfirmRequired)
	if !strings.Contains(de.Message, "DaemonSet falco/falco") {
		t.Fatalf("the warning must name the DaemonSet: %s", de.Message)
	}
	req.ConfirmWarnings = true
	if _, err := f.svc.Apply(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if f.last().Version != 2 {
		t.Fatal("confirmed apply did not create revision 2")
	}
}

func TestRollbackPlanAndRollback(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	if _, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []deploy.File{{Name: "a.yaml", Content: otherRule}}, User: "alice"}); err != nil {
		t.Fatal(err)
	}
	plan, err := f.svc.Plan(context.Background(), deploy.PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, RollbackTo: 1})
	if err != nil {
		t.Fatal(err)
	}
	if plan.RollbackTo != 1 || plan.ConfirmRequired || len(plan.Files) != 1 || plan.Files[0].Change != deploy.ChangeModified {
		t.Fatalf("rollback plan = %+v", plan)
	}
	res, err := f.svc.Rollback(context.Background(), deploy.RollbackRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, ToRevision: 1, User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Release.Revision != 3 || !strings.Contains(res.Description, `Grafana user "bob" rolled back to revision 1: a.yaml`) {
		t.Fatalf("rollback result = %+v", res)
	}
	if cr := f.last().Config["customRules"].(map[string]any); cr["a.yaml"] != goodRule {
		t.Fatal("rollback did not restore revision 1's rules")
	}
	_, err = f.svc.Rollback(context.Background(), deploy.RollbackRequest{Namespace: "falco", Name: "falco", BaseRevision: 3, ToRevision: 7, User: "bob"})
	wantCode(t, err, deploy.CodeBadRequest)
}

func TestReleasesListsOnlyFalco(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	other := *f.last()
	other.Name = "nginx"
	md := *other.Chart.Metadata
	md.Name = "nginx"
	ch := *other.Chart
	ch.Metadata = &md
	other.Chart = &ch
	if err := f.cfg.Releases.Create(&other); err != nil {
		t.Fatal(err)
	}
	rels, err := f.svc.Releases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 1 || rels[0].Name != "falco" || rels[0].ChartVersion != "9.1.0" || rels[0].AppVersion != "0.44.1" || rels[0].ManagedBy.Kind != deploy.ManagedByHelm {
		t.Fatalf("releases = %+v", rels)
	}
	_, _, err = f.svc.Release(context.Background(), "falco", "nginx")
	wantCode(t, err, deploy.CodeReleaseNotFound)
	_, _, err = f.svc.Release(context.Background(), "falco", "nope")
	wantCode(t, err, deploy.CodeReleaseNotFound)
	_, _, err = f.svc.Release(context.Background(), "Falco!", "x")
	wantCode(t, err, deploy.CodeBadRequest)
}

func daemonSet(name string, generation, observed int64, desired, updated, ready, available int32) *appsv1.DaemonSet {
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "falco", UID: types.UID("uid-" + name), Generation: generation},
		Spec: appsv1.DaemonSetSpec{
			Selector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": name}},
			UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType},
		},
		Status: appsv1.DaemonSetStatus{ObservedGeneration: observed, DesiredNumberScheduled: desired,
			UpdatedNumberScheduled: updated, NumberReady: ready, NumberAvailable: available},
	}
}

func pod(name, ds string, status corev1.PodStatus) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "falco", Labels: map[string]string{"app.kubernetes.io/name": ds},
		OwnerReferences: []metav1.OwnerReference{{Kind: "DaemonSet", Name: ds, UID: types.UID("uid-" + ds)}}}, Status: status}
}

func TestRolloutJudgesLikeKubectlAndNamesFailingPods(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	ctx := context.Background()
	// Generation 2 observed, 3 nodes, one pod updated and crash-looping: what a rules file Falco cannot load does.
	if _, err := f.cs.AppsV1().DaemonSets("falco").Create(ctx, daemonSet("falco", 2, 2, 3, 1, 2, 2), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	crash := corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{
		Name: "falco", RestartCount: 4,
		State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 40s restarting failed container"}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error", Message: "Error: could not load rules file /etc/falco/rules.d/a.yaml\nmore"}},
	}}}
	healthy := corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "falco", Ready: true,
		State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}
	for _, p := range []*corev1.Pod{pod("falco-abc", "falco", crash), pod("falco-def", "falco", healthy), pod("falco-ghi", "falco", healthy)} {
		if _, err := f.cs.CoreV1().Pods("falco").Create(ctx, p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ro, err := f.svc.Rollout(ctx, "falco", "falco")
	if err != nil {
		t.Fatal(err)
	}
	if ro.Done || len(ro.DaemonSets) != 1 {
		t.Fatalf("rollout = %+v", ro)
	}
	ds := ro.DaemonSets[0]
	if ds.Desired != 3 || ds.Updated != 1 || ds.Ready != 2 || ds.Available != 2 || ds.Done {
		t.Fatalf("daemonset = %+v", ds)
	}
	if len(ds.FailingPods) != 1 || ds.FailingPods[0].Name != "falco-abc" || ds.FailingPods[0].Reason != "CrashLoopBackOff" ||
		!strings.Contains(ds.FailingPods[0].Message, "could not load rules file") || strings.Contains(ds.FailingPods[0].Message, "more") {
		t.Fatalf("failing pods = %+v", ds.FailingPods)
	}

	// All updated and available, but the controller has not observed generation 3 yet: not done (kubectl waits too).
	upd := daemonSet("falco", 3, 2, 3, 3, 3, 3)
	if _, err := f.cs.AppsV1().DaemonSets("falco").Update(ctx, upd, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.cs.CoreV1().Pods("falco").Delete(ctx, "falco-abc", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if ro, _ = f.svc.Rollout(ctx, "falco", "falco"); ro.Done {
		t.Fatal("an unobserved generation is not done")
	}
	upd.Status.ObservedGeneration = 3
	if _, err := f.cs.AppsV1().DaemonSets("falco").Update(ctx, upd, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if ro, _ = f.svc.Rollout(ctx, "falco", "falco"); !ro.Done || len(ro.DaemonSets[0].FailingPods) != 0 {
		t.Fatalf("rollout should be done: %+v", ro)
	}
}

func TestArgoCDTrackedReleaseIsRefused(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	ds := daemonSet("falco", 1, 1, 1, 1, 1, 1)
	// Argo CD's annotation tracking: "<app>:<group>/<kind>:<namespace>/<name>".
	ds.Annotations = map[string]string{"argocd.argoproj.io/tracking-id": "security-falco:apps/DaemonSet:falco/falco"}
	if _, err := f.cs.AppsV1().DaemonSets("falco").Create(context.Background(), ds, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Plan(context.Background(), deploy.PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 1, Files: []deploy.File{}})
	de := wantCode(t, err, deploy.CodeGitOpsManaged)
	if !strings.Contains(de.Message, "Argo CD (Application security-falco, seen on live DaemonSet falco)") {
		t.Fatalf("message: %s", de.Message)
	}
}

func TestPlansNeverShowSecretValues(t *testing.T) {
	slack := func(url string) map[string]any {
		v := sidekickValues(map[string]any{"a.yaml": goodRule})
		v["falcosidekick"].(map[string]any)["config"] = map[string]any{"slack": map[string]any{"webhookurl": url}}
		return v
	}
	f := newFixture(t, slack("https://hooks.slack.example/T0/B0/first-secret"))
	// Someone changes the webhook with helm upgrade; rolling back from Grafana would change it again.
	up := action.NewUpgrade(f.cfg)
	up.Namespace = "falco"
	up.WaitStrategy = "hookOnly"
	if _, err := up.RunWithContext(context.Background(), "falco", deploytest.LoadChart(t), slack("https://hooks.slack.example/T0/B0/second-secret")); err != nil {
		t.Fatal(err)
	}
	plan, err := f.svc.Plan(context.Background(), deploy.PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, RollbackTo: 1})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := json.Marshal(plan)
	for _, secret := range []string{"first-secret", "second-secret", base64.StdEncoding.EncodeToString([]byte("https://hooks.slack.example/T0/B0/first-secret"))} {
		if strings.Contains(string(all), secret) {
			t.Fatalf("the plan shows a secret value %q", secret)
		}
	}
	var secretObj *deploy.ObjectChange
	for i, o := range plan.Objects {
		if o.Kind == "Secret" && o.Name == "falco-falcosidekick" {
			secretObj = &plan.Objects[i]
		}
	}
	if secretObj == nil || secretObj.Expected || !strings.Contains(secretObj.Diff, "SLACK_WEBHOOKURL: (hidden ") {
		t.Fatalf("the Secret's change must be listed, unexpected, with hidden values: %+v", secretObj)
	}
	if !strings.Contains(plan.ValuesDiff, "webhookurl: (hidden ") || !plan.ConfirmRequired {
		t.Fatalf("values diff must show which value changes, not the value:\n%s", plan.ValuesDiff)
	}
}

func TestHistoryLengthIsTheSetting(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
	f.svc.HistoryMax = 2
	for rev := 1; rev <= 3; rev++ {
		content := []string{deploytest.OtherRule, deploytest.GoodRule}[rev%2]
		if _, err := f.svc.Apply(context.Background(), deploy.ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: rev,
			Files: []deploy.File{{Name: "a.yaml", Content: content}}, User: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	// Helm prunes past MaxHistory on each upgrade (action.Upgrade: cfg.Releases.MaxHistory), keeping the newest.
	hist, err := f.cfg.Releases.History("falco")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 {
		t.Fatalf("history-max 2 keeps 2 revisions, found %d", len(hist))
	}
}
