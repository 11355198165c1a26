package plugin

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func newTestDatasource(t *testing.T, jsonData string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(jsonData)})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	t.Cleanup(inst.(*Datasource).Dispose)
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
	var names []string
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	// The contract's storeStatus row, in order.
	if got := strings.Join(names, ","); got != "store,events,oldest,newest,sizeBytes,lastIngest,refused,retentionDays,maxStoreMB,problem,problemSince" {
		t.Fatalf("fields: %s", got)
	}
	if f.Fields[0].At(0) != StoreSQLite || f.Fields[1].At(0) != int64(0) || f.Fields[2].At(0) != (*time.Time)(nil) {
		t.Fatalf("an empty store: %v %v %v", f.Fields[0].At(0), f.Fields[1].At(0), f.Fields[2].At(0))
	}
	if f.Fields[4].At(0).(int64) == 0 || f.Fields[8].At(0) != int64(defaultMaxStoreMB) {
		t.Fatalf("size of the created file and the default limit: %v %v", f.Fields[4].At(0), f.Fields[8].At(0))
	}
	if _, err := os.Stat(d.settings.SQLitePath); err != nil {
		t.Fatalf("opening the store creates its file: %v", err)
	}
}

func TestQueryDispatchErrors(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	for name, tc := range map[string]struct {
		q    backend.DataQuery
		want string
	}{
		"unknown type": {backend.DataQuery{QueryType: "bogus", JSON: []byte(`{}`)}, `unknown query type "bogus"; choose one of "deployAnnotations", "event", "eventCounts", "eventValues", "events", "rules", "storeStatus"`},
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
		"sqlite without token": {sqliteSettings(t), backend.HealthStatusError, "event ingest: no ingest token is set"},
		"invalid settings":     {`{"eventStore":"loki"}`, backend.HealthStatusError, "settings: Loki is selected"},
		"no sqlite path":       {`{"eventStore":"sqlite"}`, backend.HealthStatusError, "no SQLite path is set"},
		"grafana's database":   {`{"sqlitePath":"/var/lib/grafana/grafana.db"}`, backend.HealthStatusError, "Grafana's own database"},
		"parent is a file":     {`{"sqlitePath":"` + filepath.Join(writeFile(t), "events.db") + `"}`, backend.HealthStatusError, "cannot create the event store directory"},
		"path is a dir":        {`{"sqlitePath":"` + t.TempDir() + `"}`, backend.HealthStatusError, "is a directory"},
		"not a database":       {`{"sqlitePath":"` + writeText(t, strings.Repeat("not a database\n", 200)) + `"}`, backend.HealthStatusError, "is not an SQLite database"},
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
	t.Run("sqlite with token", func(t *testing.T) {
		d := newTestDatasourceWithToken(t, sqliteSettings(t), "tok")
		res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "holds 0 events") {
			t.Fatalf("got %v %q", res.Status, res.Message)
		}
	})
	t.Run("read-only directory", func(t *testing.T) {
		d := newTestDatasource(t, `{"sqlitePath":"`+filepath.Join(ro, "events.db")+`"}`)
		res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if roWritable {
			t.Skip("as root the directory is writable")
		}
		if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "event store") {
			t.Fatalf("got %v %q", res.Status, res.Message)
		}
	})
}

func newTestDatasourceWithToken(t *testing.T, jsonData, token string) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(jsonData), DecryptedSecureJSONData: map[string]string{"ingestToken": token}})
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	t.Cleanup(inst.(*Datasource).Dispose)
	return inst.(*Datasource)
}

func writeFile(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeText(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "text-file")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRulesQueryNeedsNoEventStore(t *testing.T) {
	d := newTestDatasource(t, `{}`) // no sqlitePath: the event store is not configured
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeRules, JSON: []byte(`{"minPriority":"critical"}`)})
	if res.Error != nil || len(res.Frames) != 1 {
		t.Fatalf("rules query: %v", res.Error)
	}
	res = runQuery(t, d, backend.DataQuery{QueryType: QueryTypeEvents, JSON: []byte(`{}`)})
	if res.Status != backend.StatusBadRequest || !strings.Contains(res.Error.Error(), "no SQLite path is set") {
		t.Fatalf("events query without a store: %v", res.Error)
	}
}
