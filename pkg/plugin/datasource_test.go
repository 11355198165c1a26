package plugin

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func newTestDatasource(t *testing.T, jsonData string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(jsonData)})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	return inst.(*Datasource)
}

func sqliteSettings(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "store", "events.db")
	b, _ := json.Marshal(map[string]any{"eventStore": "sqlite", "sqlitePath": path})
	return string(b)
}

func runQuery(t *testing.T, d *Datasource, q backend.DataQuery) backend.DataResponse {
	t.Helper()
	if q.RefID == "" {
		q.RefID = "A"
	}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
	if err != nil {
		t.Fatalf("QueryData must not fail as a whole: %v", err)
	}
	return resp.Responses[q.RefID]
}

func TestQueryStoreStatus(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeStoreStatus, JSON: []byte(`{"queryType":"storeStatus"}`)})
	if res.Error != nil {
		t.Fatalf("unexpected error: %v", res.Error)
	}
	f := res.Frames[0]
	if got := f.Fields[0].At(0); got != StoreSQLite {
		t.Fatalf("kind: got %v", got)
	}
	if ok := f.Fields[2].At(0).(bool); !ok {
		t.Fatalf("store in a temp dir must be writable: %v", f.Fields[3].At(0))
	}
	if _, err := os.Stat(filepath.Dir(d.settings.SQLitePath)); err != nil {
		t.Fatalf("the check must create the store directory: %v", err)
	}
}

func TestQueryDispatchErrors(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	for name, tc := range map[string]struct {
		q    backend.DataQuery
		want string
	}{
		"unknown type": {backend.DataQuery{QueryType: "bogus", JSON: []byte(`{}`)}, `unknown query type "bogus"; choose one of "rules", "storeStatus"`},
		"empty type":   {backend.DataQuery{JSON: []byte(`{}`)}, "query has no queryType"},
		"bad json":     {backend.DataQuery{QueryType: QueryTypeStoreStatus, JSON: []byte(`{"queryType":`)}, "query is not valid JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			res := runQuery(t, d, tc.q)
			if res.Status != backend.StatusBadRequest {
				t.Fatalf("status: got %v want 400", res.Status)
			}
			if res.Error == nil || !strings.Contains(res.Error.Error(), tc.want) {
				t.Fatalf("error %v does not say %q", res.Error, tc.want)
			}
		})
	}
}

func TestQueryHandlerPanicIsContained(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	d.queries["explode"] = func(context.Context, backend.DataQuery) backend.DataResponse { panic("boom") }
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "A", QueryType: "explode"},
		{RefID: "B", QueryType: QueryTypeStoreStatus},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Responses["A"].Status != backend.StatusInternal || !strings.Contains(resp.Responses["A"].Error.Error(), `"explode" failed unexpectedly`) {
		t.Fatalf("panicking handler: got %+v", resp.Responses["A"])
	}
	if resp.Responses["B"].Error != nil {
		t.Fatalf("a panic in one query must not fail the others: %v", resp.Responses["B"].Error)
	}
}

func TestQueryWithInvalidSettingsNamesTheProblem(t *testing.T) {
	d := newTestDatasource(t, `{"eventStore":"loki"}`)
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeStoreStatus})
	if res.Status != backend.StatusBadRequest || !strings.Contains(res.Error.Error(), "no Loki URL is set") {
		t.Fatalf("got %v %v", res.Status, res.Error)
	}
}

func TestCheckHealth(t *testing.T) {
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	roWritable := os.Geteuid() == 0 // root ignores directory permissions
	for name, tc := range map[string]struct {
		json       string
		wantStatus backend.HealthStatus
		want       string
	}{
		"writable sqlite":  {sqliteSettings(t), backend.HealthStatusOk, "is writable"},
		"loki":             {`{"eventStore":"loki","lokiUrl":"http://loki:3100"}`, backend.HealthStatusOk, "Loki URL is valid"},
		"invalid settings": {`{"eventStore":"loki"}`, backend.HealthStatusError, "settings: Loki is selected"},
		"parent is a file": {`{"sqlitePath":"` + filepath.Join(writeFile(t), "events.db") + `"}`, backend.HealthStatusError, "cannot create the event store directory"},
		"path is a dir":    {`{"sqlitePath":"` + t.TempDir() + `"}`, backend.HealthStatusError, "is a directory"},
	} {
		t.Run(name, func(t *testing.T) {
			d := newTestDatasource(t, tc.json)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.wantStatus || !strings.Contains(res.Message, tc.want) {
				t.Fatalf("got %v %q, want %v containing %q", res.Status, res.Message, tc.wantStatus, tc.want)
			}
			var details struct{ Components []componentHealth }
			if err := json.Unmarshal(res.JSONDetails, &details); err != nil || len(details.Components) == 0 {
				t.Fatalf("details must list components: %s (%v)", res.JSONDetails, err)
			}
		})
	}
	t.Run("read-only directory", func(t *testing.T) {
		d := newTestDatasource(t, `{"sqlitePath":"`+filepath.Join(ro, "events.db")+`"}`)
		res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if roWritable {
			if res.Status != backend.HealthStatusOk {
				t.Fatalf("as root the directory is writable: %v", res.Message)
			}
			return
		}
		if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "is not writable") {
			t.Fatalf("got %v %q", res.Status, res.Message)
		}
	})
}

func writeFile(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
