package deploy

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/getter"
	"helm.sh/helm/v4/pkg/registry"
	repo "helm.sh/helm/v4/pkg/repo/v1"
)

// Chart sources a datasource can be configured with.
const (
	ChartSourceRepository = "repository"
	ChartSourceOCI        = "oci"
	ChartSourceNone       = "none"
)

// MaxChartBytes bounds a downloaded chart archive (the Falco chart with its subcharts packs to well under 1 MiB).
const MaxChartBytes = 20 << 20

// ChartSource is where the full Falco chart is fetched from at the deployed version.
type ChartSource struct {
	Kind          string
	RepositoryURL string
	OCIRef        string
	Username      string
	Password      string
	// Timeout bounds each request to the chart repository or registry (Helm's getters default to none for OCI and
	// 2 minutes for HTTP).
	Timeout time.Duration
}

// ChartLoader returns the complete Falco chart (with its subcharts) at a version.
//
// A Helm release stores its chart without the subcharts' bodies (chart.Chart keeps dependencies in an unexported
// field that is not serialised), so an upgrade with the stored chart would delete every enabled subchart's objects.
type ChartLoader interface {
	Load(ctx context.Context, version string) (*chart.Chart, error)
}

// ChartLoaderFunc adapts a function (tests load the chart from ../shared/corpus).
type ChartLoaderFunc func(ctx context.Context, version string) (*chart.Chart, error)

func (f ChartLoaderFunc) Load(ctx context.Context, version string) (*chart.Chart, error) {
	return f(ctx, version)
}

// NewChartLoader fetches from a classic chart repository (index.yaml) or an OCI registry with Helm's getters.
func NewChartLoader(src ChartSource) ChartLoader {
	return ChartLoaderFunc(func(ctx context.Context, version string) (*chart.Chart, error) {
		switch src.Kind {
		case ChartSourceRepository:
			return loadFromRepository(src, version)
		case ChartSourceOCI:
			return loadFromOCI(src, version)
		default:
			return nil, errorf(CodeChartUnavailable, nil,
				"no chart source is configured: the deployed chart %s %s must be fetched complete with its subcharts; set the datasource's chart source to the Falco chart repository (https://falcosecurity.github.io/charts) or an OCI reference",
				ChartName, version)
		}
	})
}

func loadFromRepository(src ChartSource, version string) (*chart.Chart, error) {
	if src.RepositoryURL == "" {
		return nil, errorf(CodeChartUnavailable, nil, "the chart repository URL is empty: set it in the datasource settings")
	}
	getters := getter.Getters()
	entry := &repo.Entry{Name: "containersec-falco", URL: src.RepositoryURL, Username: src.Username, Password: src.Password}
	cr, err := repo.NewChartRepository(entry, getters)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "chart repository %s: %v", src.RepositoryURL, err)
	}
	// DownloadIndexFile writes the index into CachePath; Grafana's plugin process may have no home directory, so use
	// a private temporary directory.
	dir, err := os.MkdirTemp("", "containersec-helm-index-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cr.CachePath = dir
	// NewChartRepository's getter has no timeout option; the HTTP getter keeps WithTimeout for every Get.
	if cr.Client, err = getter.NewHTTPGetter(getter.WithTimeout(src.Timeout)); err != nil {
		return nil, errorf(CodeChartUnavailable, err, "chart repository %s: %v", src.RepositoryURL, err)
	}
	indexPath, err := cr.DownloadIndexFile()
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot read the chart repository index at %s%s: %v", src.RepositoryURL, noAnswer(err, src.Timeout), err)
	}
	idx, err := repo.LoadIndexFile(indexPath)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "the chart repository index at %s is not valid: %v", src.RepositoryURL, err)
	}
	cv, err := idx.Get(ChartName, version)
	if err != nil || cv.Version != version {
		return nil, errorf(CodeChartUnavailable, err, "chart repository %s has no %s %s (the deployed version): configure the repository the release was installed from", src.RepositoryURL, ChartName, version)
	}
	if len(cv.URLs) == 0 {
		return nil, errorf(CodeChartUnavailable, nil, "chart repository %s lists %s %s without a download URL", src.RepositoryURL, ChartName, version)
	}
	u, err := repo.ResolveReferenceURL(src.RepositoryURL, cv.URLs[0])
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "chart repository %s: bad chart URL %q: %v", src.RepositoryURL, cv.URLs[0], err)
	}
	g, err := getters.ByScheme(schemeOf(u))
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot download %s: %v", u, err)
	}
	opts := []getter.Option{getter.WithURL(src.RepositoryURL), getter.WithTimeout(src.Timeout)}
	if src.Username != "" {
		opts = append(opts, getter.WithBasicAuth(src.Username, src.Password))
	}
	buf, err := g.Get(u, opts...)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot download %s %s from %s%s: %v", ChartName, version, u, noAnswer(err, src.Timeout), err)
	}
	return loadArchive(buf, u)
}

func loadFromOCI(src ChartSource, version string) (*chart.Chart, error) {
	ref := strings.TrimSuffix(src.OCIRef, "/")
	if !registry.IsOCI(ref) {
		return nil, errorf(CodeChartUnavailable, nil, "OCI chart reference %q must start with oci://", src.OCIRef)
	}
	opts := []registry.ClientOption{registry.ClientOptHTTPClient(&http.Client{Timeout: src.Timeout})}
	if src.Username != "" {
		opts = append(opts, registry.ClientOptBasicAuth(src.Username, src.Password))
	}
	rc, err := registry.NewClient(opts...)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "OCI registry client: %v", err)
	}
	g, err := getter.NewOCIGetter(getter.WithRegistryClient(rc))
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "OCI getter: %v", err)
	}
	u := ref + ":" + version
	buf, err := g.Get(u)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "cannot pull %s%s: %v", u, noAnswer(err, src.Timeout), err)
	}
	return loadArchive(buf, u)
}

func loadArchive(buf *bytes.Buffer, from string) (*chart.Chart, error) {
	if buf.Len() > MaxChartBytes {
		return nil, errorf(CodeChartUnavailable, nil, "the chart at %s is %d bytes, more than the %d accepted", from, buf.Len(), MaxChartBytes)
	}
	ch, err := loader.LoadArchive(buf)
	if err != nil {
		return nil, errorf(CodeChartUnavailable, err, "the chart at %s cannot be loaded: %v", from, err)
	}
	return ch, nil
}

func schemeOf(u string) string {
	if i := strings.Index(u, "://"); i > 0 {
		return u[:i]
	}
	return fmt.Sprint("none")
}
