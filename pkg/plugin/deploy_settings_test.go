package plugin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestDeploySettingsDefaultsAndSecrets(t *testing.T) {
	s, err := ParseSettings(backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(`{"sqlitePath":"/var/lib/grafana/containersec-falco/events.db"}`),
		DecryptedSecureJSONData: map[string]string{"kubeconfig": "apiVersion: v1\nkind: Config\n", "chartRepositoryPassword": "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Deploy
	if got.KubeAccess != KubeAccessInCluster || got.FalcoNamespace != "falco" || got.ChartSource != "repository" ||
		got.ChartRepositoryURL != "https://falcosecurity.github.io/charts" || got.RolloutTimeoutSeconds != 300 || len(got.Problems) != 0 {
		t.Fatalf("defaults: %+v", got)
	}
	if got.Kubeconfig == "" || got.ChartRepositoryPassword != "pw" {
		t.Fatal("secrets must come from secureJsonData")
	}
	// An explicitly empty namespace means every namespace the credentials can list.
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"falcoNamespace":""}`)})
	if s.Deploy.FalcoNamespace != "" {
		t.Fatalf("empty namespace: %q", s.Deploy.FalcoNamespace)
	}
}

func TestDeploySettingsProblemsDoNotBreakTheEventStore(t *testing.T) {
	s, err := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"sqlitePath":"/var/lib/grafana/containersec-falco/events.db","kubeAccess":"magic","falcoNamespace":"Falco NS",
		"chartSource":"git","rolloutTimeoutSeconds":5}`)})
	if err != nil {
		t.Fatalf("deploy problems must not invalidate the event store settings: %v", err)
	}
	all := strings.Join(s.Deploy.Problems, "\n")
	for _, want := range []string{`cluster access "magic"`, `namespace "Falco NS"`, `chart source "git"`, "rollout timeout"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems do not name %s: %s", want, all)
		}
	}
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"chartRepositoryUrl":"https://user:hunter2@charts.example"}`)})
	if all := strings.Join(s.Deploy.Problems, "\n"); !strings.Contains(all, "credentials") || strings.Contains(all, "hunter2") {
		t.Fatalf("a password in the repository URL is refused and never repeated: %s", all)
	}
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"chartSource":"oci","chartOciRef":"ghcr.io/x"}`)})
	if len(s.Deploy.Problems) != 1 || !strings.Contains(s.Deploy.Problems[0], "oci://") {
		t.Fatalf("OCI ref: %v", s.Deploy.Problems)
	}
}

func TestSettingsRouteNeverSendsTheKubeconfig(t *testing.T) {
	inst, err := NewDatasource(t.Context(), backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(`{"kubeAccess":"kubeconfig","kubeContext":"prod"}`),
		DecryptedSecureJSONData: map[string]string{"kubeconfig": "users: [{name: u, user: {token: TOPSECRET}}]", "chartRepositoryPassword": "PWSECRET"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(inst.(*Datasource).Dispose)
	rec, _ := serve(t, newMux(inst.(*Datasource).routes()), http.MethodGet, "/settings", "", nil)
	body := rec.Body.String()
	if strings.Contains(body, "TOPSECRET") || strings.Contains(body, "PWSECRET") {
		t.Fatalf("a secret reached the browser: %s", body)
	}
	for _, want := range []string{`"kubeconfigConfigured":true`, `"kubeAccess":"kubeconfig"`, `"kubeContext":"prod"`, `"rolloutTimeoutSeconds":300`, `"chartSource":"repository"`} {
		if !strings.Contains(body, want) {
			t.Errorf("settings lack %s: %s", want, body)
		}
	}
}

func TestCheckHealthReportsTheClusterWhenAKubeconfigIsSet(t *testing.T) {
	kc := "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: 'https://127.0.0.1:1'}}]\n" +
		"contexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: t}}]\n"
	inst, err := NewDatasource(t.Context(), backend.DataSourceInstanceSettings{UID: "falco",
		JSONData: []byte(`{"eventStore":"sqlite","sqlitePath":"` + t.TempDir() + `/e.db","kubeAccess":"kubeconfig"}`), DecryptedSecureJSONData: map[string]string{"kubeconfig": kc}})
	if err != nil {
		t.Fatal(err)
	}
	// Closed before t.TempDir's cleanup removes the store's directory (cleanups run last-registered first): an open
	// store can still write its -wal and -shm files, and RemoveAll then fails with "directory not empty".
	t.Cleanup(inst.(*Datasource).Dispose)
	res, _ := inst.(*Datasource).CheckHealth(t.Context(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "Kubernetes (rules deploy)") || !strings.Contains(res.Message, "cannot be reached") {
		t.Fatalf("health: %v %s", res.Status, res.Message)
	}
	// The default in-cluster access is not checked: Grafana outside Kubernetes stays green.
	inst, err = NewDatasource(t.Context(), backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(`{"eventStore":"sqlite","sqlitePath":"` + t.TempDir() + `/e.db"}`)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(inst.(*Datasource).Dispose)
	res, _ = inst.(*Datasource).CheckHealth(t.Context(), &backend.CheckHealthRequest{})
	if strings.Contains(string(res.JSONDetails), "Kubernetes") {
		t.Fatalf("in-cluster default must not be checked: %s", res.JSONDetails)
	}
}

func TestRolloutGuardAndHistoryLengthSettings(t *testing.T) {
	s, _ := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{}`)})
	if !s.Deploy.RolloutGuard || s.Deploy.HistoryMax != 10 {
		t.Fatalf("defaults: guard %v, history %d", s.Deploy.RolloutGuard, s.Deploy.HistoryMax)
	}
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"rolloutGuard":false,"historyMax":0}`)})
	if s.Deploy.RolloutGuard || s.Deploy.HistoryMax != 0 || len(s.Deploy.Problems) != 0 {
		t.Fatalf("guard off, keep all: %+v", s.Deploy)
	}
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"historyMax":-1}`)})
	if !strings.Contains(strings.Join(s.Deploy.Problems, "\n"), "revisions to keep must be between 0 (keep all) and 1000, got -1") {
		t.Fatalf("problems: %v", s.Deploy.Problems)
	}
}
