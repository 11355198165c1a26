// Package deploytest sets up a Falco release in Helm's in-memory storage with Helm's fake kube client, for tests of
// pkg/deploy and of the endpoints in pkg/plugin. It reads the real Falco chart from ../shared/corpus.
package deploytest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	release "helm.sh/helm/v4/pkg/release/v1"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/containersec/container-security/pkg/deploy"
)

// ChartDir finds the corpus's Falco chart (9.1.0 with vendored subcharts) from any package directory.
func ChartDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		p := filepath.Join(d, "..", "shared", "corpus", "charts", "falco")
		if _, err := os.Stat(filepath.Join(p, "Chart.yaml")); err == nil {
			return p
		}
	}
	t.Fatalf("the Falco chart is not in ../shared/corpus/charts/falco above %s", dir)
	return ""
}

// LoadChart loads the full Falco chart, subcharts included.
func LoadChart(t testing.TB) *chart.Chart {
	t.Helper()
	ch, err := loader.LoadDir(ChartDir(t))
	if err != nil {
		t.Fatalf("load the Falco chart: %v", err)
	}
	return ch
}

// Fixture is one Falco release "falco" in namespace "falco", installed into memory storage.
type Fixture struct {
	T         testing.TB
	Config    *action.Configuration
	Kube      *kubefake.FailingKubeClient
	Clientset *fake.Clientset
	Service   *deploy.Service
	// ChartLoads counts how often the service fetched the full chart.
	ChartLoads int
	// ChartError, when set, is what the chart source answers.
	ChartError error
}

// New installs the Falco chart with values, as `helm install falco falcosecurity/falco -n falco -f values` would,
// into Helm's memory driver (the storage Helm's own action tests use) with a fake kube client.
func New(t testing.TB, values map[string]any) *Fixture {
	t.Helper()
	mem := driver.NewMemory()
	mem.SetNamespace("falco")
	kc := &kubefake.FailingKubeClient{PrintingKubeClient: kubefake.PrintingKubeClient{Out: io.Discard}}
	cfg := &action.Configuration{Releases: storage.Init(mem), KubeClient: kc, Capabilities: common.DefaultCapabilities}
	f := &Fixture{T: t, Config: cfg, Kube: kc, Clientset: fake.NewClientset()}
	f.Service = deploy.NewWith(func(string) (*action.Configuration, error) { return cfg, nil }, f.Clientset,
		deploy.ChartLoaderFunc(func(_ context.Context, version string) (*chart.Chart, error) {
			f.ChartLoads++
			if f.ChartError != nil {
				return nil, f.ChartError
			}
			ch := LoadChart(t)
			if ch.Metadata.Version != version {
				return nil, &deploy.Error{Code: deploy.CodeChartUnavailable, Message: "test chart source has no falco " + version}
			}
			return ch, nil
		}))
	in := action.NewInstall(cfg)
	in.ReleaseName = "falco"
	in.Namespace = "falco"
	if _, err := in.RunWithContext(context.Background(), LoadChart(t), values); err != nil {
		t.Fatalf("install the Falco chart into Helm's memory storage: %v", err)
	}
	return f
}

// Last is the release's latest revision.
func (f *Fixture) Last() *release.Release {
	f.T.Helper()
	ri, err := f.Config.Releases.Last("falco")
	if err != nil {
		f.T.Fatal(err)
	}
	r, ok := ri.(*release.Release)
	if !ok {
		f.T.Fatalf("release type %T", ri)
	}
	return r
}

// SidekickValues are user values with falcosidekick enabled and, when given, customRules.
func SidekickValues(files map[string]any) map[string]any {
	v := map[string]any{"falcosidekick": map[string]any{"enabled": true, "webui": map[string]any{"enabled": false}}}
	if files != nil {
		v["customRules"] = files
	}
	return v
}

// GoodRule and OtherRule are rules files Falco loads after its default ruleset.
const GoodRule = `- rule: Shell in grafana test container
  desc: a shell started in a container
  condition: spawned_process and container and proc.name = bash
  output: shell in a container (user=%user.name container=%container.id)
  priority: WARNING
`

const OtherRule = `- rule: Curl in grafana test container
  desc: curl started in a container
  condition: spawned_process and container and proc.name = curl
  output: curl in a container (container=%container.id)
  priority: NOTICE
`

// BrokenRule has an incomplete condition at line 3.
const BrokenRule = "- rule: broken\n  desc: x\n  condition: proc.name = \n  output: x\n  priority: WARNING\n"

// ServeChartRepository packages the corpus's Falco chart (with its vendored subcharts) and serves it as a classic
// Helm chart repository on 127.0.0.1, as `helm package` + `helm repo index` would; it returns the URL and the archive.
func ServeChartRepository(t testing.TB) (url, archive string) {
	t.Helper()
	dir := t.TempDir()
	archive, err := chartutil.Save(LoadChart(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	idx, err := repo.IndexDirectory(dir, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.URL, archive
}
