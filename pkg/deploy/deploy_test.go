package deploy

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/chart/common"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/client-go/kubernetes/fake"
)

// The real Falco chart 9.1.0 with its vendored subcharts (../shared/corpus, see its README).
const corpusChart = "../../../shared/corpus/charts/falco"

func loadCorpusChart(t *testing.T) *chart.Chart {
	t.Helper()
	ch, err := loader.LoadDir(corpusChart)
	if err != nil {
		t.Fatalf("load the Falco chart from the corpus: %v", err)
	}
	return ch
}

const goodRule = `- rule: Shell in grafana test container
  desc: a shell started in a container
  condition: spawned_process and container and proc.name = bash
  output: shell in a container (user=%user.name container=%container.id)
  priority: WARNING
`

const otherRule = `- rule: Curl in grafana test container
  desc: curl started in a container
  condition: spawned_process and container and proc.name = curl
  output: curl in a container (container=%container.id)
  priority: NOTICE
`

// fixture is a Falco release in Helm's in-memory storage with Helm's fake kube client, as Helm's own action tests
// set up their Configuration (pkg/action/action_test.go actionConfigFixture).
type fixture struct {
	t     *testing.T
	cfg   *action.Configuration
	svc   *Service
	chart *chart.Chart
	cs    *fake.Clientset
	loads int
}

func newFixture(t *testing.T, values map[string]any) *fixture {
	t.Helper()
	mem := driver.NewMemory()
	mem.SetNamespace("falco")
	cfg := &action.Configuration{
		Releases:     storage.Init(mem),
		KubeClient:   &kubefake.PrintingKubeClient{Out: io.Discard},
		Capabilities: common.DefaultCapabilities,
	}
	f := &fixture{t: t, cfg: cfg, chart: loadCorpusChart(t), cs: fake.NewClientset()}
	f.svc = NewWith(func(string) (*action.Configuration, error) { return cfg, nil }, f.cs,
		ChartLoaderFunc(func(_ context.Context, version string) (*chart.Chart, error) {
			f.loads++
			if version != "9.1.0" {
				return nil, errorf(CodeChartUnavailable, nil, "no chart %s", version)
			}
			return loadCorpusChart(t), nil
		}))
	in := action.NewInstall(cfg)
	in.ReleaseName = "falco"
	in.Namespace = "falco"
	in.DryRunStrategy = action.DryRunNone
	if _, err := in.RunWithContext(context.Background(), f.chart, values); err != nil {
		t.Fatalf("install the Falco chart into Helm's memory storage: %v", err)
	}
	return f
}

func (f *fixture) last() *release.Release {
	f.t.Helper()
	ri, err := f.cfg.Releases.Last("falco")
	if err != nil {
		f.t.Fatal(err)
	}
	r, err := toV1(ri)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func sidekickValues(files map[string]any) map[string]any {
	v := map[string]any{"falcosidekick": map[string]any{"enabled": true, "webui": map[string]any{"enabled": false}}}
	if files != nil {
		v["customRules"] = files
	}
	return v
}

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

func TestPlanRulesChangeTouchesOnlyTheRulesConfigMapAndChecksum(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	plan, err := f.svc.Plan(context.Background(), PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: goodRule + "\n# changed\n"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Warnings) != 0 || plan.ConfirmRequired {
		t.Fatalf("a rules-only change must need no confirmation, got %+v", plan.Warnings)
	}
	var kinds []string
	for _, o := range plan.Objects {
		kinds = append(kinds, o.Kind+"/"+o.Name)
		if !o.Expected || o.Change != ChangeModified {
			t.Errorf("object %s/%s: change %s expected %v", o.Kind, o.Name, o.Change, o.Expected)
		}
	}
	if strings.Join(kinds, ",") != "ConfigMap/falco-rules,DaemonSet/falco" {
		t.Fatalf("objects = %v, want the rules ConfigMap and the DaemonSet", kinds)
	}
	if len(plan.Files) != 1 || plan.Files[0].Change != ChangeModified || !strings.Contains(plan.Files[0].Diff, "+# changed") {
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
	res, err := f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: goodRule}, {Name: "c.yaml", Content: otherRule}}, User: "ops \"lead\""})
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
	if f.loads == 0 {
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
	if got["a.yaml"] != ChangeUnchanged || got["b.yaml"] != ChangeRemoved || got["c.yaml"] != ChangeAdded {
		t.Fatalf("history diff = %v", got)
	}
}

func TestInvalidRulesNeverReachHelm(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	broken := "- rule: broken\n  desc: x\n  condition: proc.name = \n  output: x\n  priority: WARNING\n"
	_, err := f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "bad.yaml", Content: broken}}, User: "admin"})
	de := wantCode(t, err, CodeInvalidRules)
	if len(de.Details) == 0 || !strings.Contains(de.Message, "bad.yaml line 3") {
		t.Fatalf("the error must name file and line: %s %v", de.Message, de.Details)
	}
	if f.loads != 0 || f.last().Version != 1 {
		t.Fatal("invalid rules must be refused before the chart is loaded or a revision written")
	}
}

func TestStaleRevisionIsRefusedWithWhoChangedIt(t *testing.T) {
	f := newFixture(t, sidekickValues(map[string]any{"a.yaml": goodRule}))
	if _, err := f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: otherRule}}, User: "alice"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: goodRule}}, User: "bob"})
	de := wantCode(t, err, CodeStaleRevision)
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
	_, err := f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 2,
		Files: []File{{Name: "a.yaml", Content: otherRule}}, User: "admin"})
	de := wantCode(t, err, CodeReleasePending)
	if !strings.Contains(de.Message, "helm rollback falco 1 -n falco") {
		t.Fatalf("pending message must give the way out: %s", de.Message)
	}
	_, err = f.svc.Rollback(context.Background(), RollbackRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, ToRevision: 1, User: "admin"})
	wantCode(t, err, CodeReleasePending)
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
	if got.ManagedBy.Kind != ManagedByFlux || got.ManagedBy.Detail != "HelmRelease flux-system/falco" {
		t.Fatalf("managedBy = %+v", got.ManagedBy)
	}
	_, err = f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: goodRule}}, User: "admin"})
	de := wantCode(t, err, CodeGitOpsManaged)
	if !strings.Contains(de.Message, "Flux") || !strings.Contains(de.Message, "export") {
		t.Fatalf("message: %s", de.Message)
	}
}

func TestStoredChartWithoutSubchartsIsRefused(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	stored := f.last().Chart // what Helm keeps in the release Secret: no subchart bodies
	f.svc.charts = ChartLoaderFunc(func(context.Context, string) (*chart.Chart, error) {
		c := *stored
		c.SetDependencies()
		return &c, nil
	})
	_, err := f.svc.Plan(context.Background(), PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: goodRule}}})
	de := wantCode(t, err, CodeChartUnavailable)
	if !strings.Contains(de.Message, "falcosidekick") {
		t.Fatalf("the error must name the missing subchart: %s", de.Message)
	}
}

func TestFirstRulesFileNeedsConfirmationBecauseThePodSpecGainsAVolume(t *testing.T) {
	f := newFixture(t, sidekickValues(nil))
	req := ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1, Files: []File{{Name: "a.yaml", Content: goodRule}}, User: "admin"}
	_, err := f.svc.Apply(context.Background(), req)
	de := wantCode(t, err, CodeConfirmRequired)
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
	if _, err := f.svc.Apply(context.Background(), ApplyRequest{Namespace: "falco", Name: "falco", BaseRevision: 1,
		Files: []File{{Name: "a.yaml", Content: otherRule}}, User: "alice"}); err != nil {
		t.Fatal(err)
	}
	plan, err := f.svc.Plan(context.Background(), PlanRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, RollbackTo: 1})
	if err != nil {
		t.Fatal(err)
	}
	if plan.RollbackTo != 1 || plan.ConfirmRequired || len(plan.Files) != 1 || plan.Files[0].Change != ChangeModified {
		t.Fatalf("rollback plan = %+v", plan)
	}
	res, err := f.svc.Rollback(context.Background(), RollbackRequest{Namespace: "falco", Name: "falco", BaseRevision: 2, ToRevision: 1, User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Release.Revision != 3 || !strings.Contains(res.Description, `Grafana user "bob" rolled back to revision 1: a.yaml`) {
		t.Fatalf("rollback result = %+v", res)
	}
	if cr := f.last().Config["customRules"].(map[string]any); cr["a.yaml"] != goodRule {
		t.Fatal("rollback did not restore revision 1's rules")
	}
	_, err = f.svc.Rollback(context.Background(), RollbackRequest{Namespace: "falco", Name: "falco", BaseRevision: 3, ToRevision: 7, User: "bob"})
	wantCode(t, err, CodeBadRequest)
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
	if len(rels) != 1 || rels[0].Name != "falco" || rels[0].ChartVersion != "9.1.0" || rels[0].AppVersion != "0.44.1" || rels[0].ManagedBy.Kind != ManagedByHelm {
		t.Fatalf("releases = %+v", rels)
	}
	_, _, err = f.svc.Release(context.Background(), "falco", "nginx")
	wantCode(t, err, CodeReleaseNotFound)
	_, _, err = f.svc.Release(context.Background(), "falco", "nope")
	wantCode(t, err, CodeReleaseNotFound)
	_, _, err = f.svc.Release(context.Background(), "Falco!", "x")
	wantCode(t, err, CodeBadRequest)
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
