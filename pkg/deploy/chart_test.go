package deploy_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/deploy/deploytest"
)

func TestChartLoaderFetchesTheFullChartAtTheDeployedVersion(t *testing.T) {
	url, _ := deploytest.ServeChartRepository(t)
	ch, err := deploy.NewChartLoader(deploy.ChartSource{Kind: deploy.ChartSourceRepository, RepositoryURL: url}).Load(context.Background(), "9.1.0")
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
		t.Fatalf("chart %s with subcharts %v", ch.Metadata.Version, subs)
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
