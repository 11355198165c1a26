package deploy_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
)

func TestChartLoaderFetchesTheFullChartAtTheDeployedVersion(t *testing.T) {
	url, _ := deploytest.ServeChartRepository(t)
	loader := deploy.NewChartLoader(deploy.ChartSource{Kind: deploy.ChartSourceRepository, RepositoryURL: url})
	for i := range 2 {
		ch, err := loader.Load(context.Background(), "9.1.0")
		if err != nil {
			t.Fatal(err)
		}
		var subs []string
		for _, d := range ch.Dependencies() {
			subs = append(subs, d.Name())
		}
		// The loaded archive's subcharts come in no fixed order (seen in CI): compare them as a set.
		sort.Strings(subs)
		if ch.Metadata.Version != "9.1.0" || strings.Join(subs, ",") != "falco-talon,falcosidekick,k8s-metacollector" {
			t.Fatalf("load %d: chart %s with subcharts %v", i+1, ch.Metadata.Version, subs)
		}
		// What Helm's upgrade does to a chart with disabled subcharts (chartutil.ProcessDependencies): the next
		// load from the cache must not see it.
		ch.SetDependencies()
	}
	if loader.Downloads != 1 {
		t.Fatalf("the second plan must use the cached archive: %d downloads", loader.Downloads)
	}

	for name, tc := range map[string]struct {
		src     deploy.ChartSource
		version string
		want    string
	}{
		"version not served": {deploy.ChartSource{Kind: deploy.ChartSourceRepository, RepositoryURL: url}, "9.0.0", "has no falco 9.0.0"},
		"unreachable":        {deploy.ChartSource{Kind: deploy.ChartSourceRepository, RepositoryURL: "http://127.0.0.1:1"}, "9.1.0", "cannot read the chart repository index"},
		"no source":          {deploy.ChartSource{Kind: deploy.ChartSourceNone}, "9.1.0", "no chart source is configured"},
		"bad OCI reference":  {deploy.ChartSource{Kind: deploy.ChartSourceOCI, OCIRef: "ghcr.io/falcosecurity/charts/falco"}, "9.1.0", "must start with oci://"},
	} {
		_, err := deploy.NewChartLoader(tc.src).Load(context.Background(), tc.version)
		if deploy.CodeOf(err) != deploy.CodeChartUnavailable || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestChartWhoseDigestDiffersFromTheIndexIsRefused(t *testing.T) {
	url, archive := deploytest.ServeChartRepository(t)
	index := filepath.Join(filepath.Dir(archive), "index.yaml")
	b, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	digest := regexp.MustCompile(`digest: ([0-9a-f]{64})`).FindSubmatch(b)
	if digest == nil {
		t.Fatalf("repo.IndexDirectory wrote no digest:\n%s", b)
	}
	// A repository (or a proxy) that serves another archive than the one its index describes.
	forged := bytes.Replace(b, digest[1], bytes.Repeat([]byte("f"), 64), 1)
	if err := os.WriteFile(index, forged, 0o600); err != nil {
		t.Fatal(err)
	}
	loader := deploy.NewChartLoader(deploy.ChartSource{Kind: deploy.ChartSourceRepository, RepositoryURL: url})
	_, err = loader.Load(context.Background(), "9.1.0")
	if deploy.CodeOf(err) != deploy.CodeChartUnavailable || !strings.Contains(err.Error(), "not the digest ffff") || !strings.Contains(err.Error(), string(digest[1])) {
		t.Fatalf("want the digest mismatch named, got %v", err)
	}
	if loader.Downloads != 0 {
		t.Fatal("an archive that fails verification must not be cached")
	}
}
