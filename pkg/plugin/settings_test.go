package plugin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestParseSettingsDefaults(t *testing.T) {
	s, err := ParseSettings(backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(`{"sqlitePath":"/data/falco.db"}`), DecryptedSecureJSONData: map[string]string{"ingestToken": "s3cret"}})
	if err != nil {
		t.Fatalf("a path is all sqlite needs, got %v", err)
	}
	if s.EventStore != StoreSQLite || s.RetentionDays != defaultRetentionDays || s.MaxStoreMB != defaultMaxStoreMB {
		t.Fatalf("defaults: got store %q retention %d max %d", s.EventStore, s.RetentionDays, s.MaxStoreMB)
	}
	if s.IngestToken != "s3cret" {
		t.Fatalf("ingest token must come from secureJsonData, got %q", s.IngestToken)
	}
}

// Grafana >= 12.4 passes no host environment to plugins: the path is never taken from GF_PATHS_DATA.
func TestParseSettingsHasNoEnvironmentDefault(t *testing.T) {
	t.Setenv("GF_PATHS_DATA", "/data/grafana")
	_, err := ParseSettings(backend.DataSourceInstanceSettings{UID: "falco"})
	if err == nil || !strings.Contains(err.Error(), "no SQLite path is set") {
		t.Fatalf("got %v", err)
	}
}

func TestParseSettingsValid(t *testing.T) {
	for name, tc := range map[string]struct {
		json      string
		wantStore string
	}{
		"sqlite with path":  {`{"eventStore":"sqlite","sqlitePath":"/var/lib/grafana/falco.db","retentionDays":30}`, StoreSQLite},
		"loki":              {`{"eventStore":"loki","lokiUrl":"https://loki.monitoring:3100"}`, StoreLoki},
		"kind is trimmed":   {`{"eventStore":"  LOKI ","lokiUrl":"http://loki:3100"}`, StoreLoki},
		"loki, no path":     {`{"eventStore":"loki","lokiUrl":"http://loki:3100","maxStoreMB":5}`, StoreLoki},
		"unknown keys kept": {`{"future":"value","sqlitePath":"/x/e.db","defaultCluster":"prod","clusterField":"cluster"}`, StoreSQLite},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(tc.json)})
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if s.EventStore != tc.wantStore {
				t.Fatalf("store: got %q want %q", s.EventStore, tc.wantStore)
			}
		})
	}
}

func TestParseSettingsInvalid(t *testing.T) {
	for name, tc := range map[string]struct {
		json string
		want []string // each must appear in the error
	}{
		"not an object":         {`[1,2]`, []string{"jsonData is not a valid settings object"}},
		"unknown store":         {`{"eventStore":"mysql"}`, []string{`event store "mysql" is not supported`, `"sqlite"`, `"loki"`}},
		"relative sqlite path":  {`{"sqlitePath":"events.db"}`, []string{"must be absolute"}},
		"path escapes":          {`{"sqlitePath":"/var/lib/grafana/../../etc/passwd"}`, []string{"must not contain '..'"}},
		"path is a directory":   {`{"sqlitePath":"/var/lib/grafana/"}`, []string{"names a directory"}},
		"loki without url":      {`{"eventStore":"loki"}`, []string{"no Loki URL is set"}},
		"loki bad scheme":       {`{"eventStore":"loki","lokiUrl":"ftp://loki:3100"}`, []string{"must start with http:// or https://"}},
		"loki no host":          {`{"eventStore":"loki","lokiUrl":"http://"}`, []string{"has no host"}},
		"loki credentials":      {`{"eventStore":"loki","lokiUrl":"http://admin:pw@loki:3100"}`, []string{"must not contain credentials"}},
		"loki unparsable":       {`{"eventStore":"loki","lokiUrl":"http://[::1"}`, []string{"is not a valid URL"}},
		"negative retention":    {`{"retentionDays":-3}`, []string{"between 1 and 3650 days, got -3"}},
		"retention too long":    {`{"retentionDays":99999}`, []string{"got 99999"}},
		"retention wrong type":  {`{"retentionDays":"ten"}`, []string{"jsonData is not a valid settings object"}},
		"every problem at once": {`{"eventStore":"loki","retentionDays":0}`, []string{"no Loki URL", "got 0"}},
		"null jsonData":         {`null`, []string{"no SQLite path is set"}},
		"grafana.db":            {`{"sqlitePath":"/var/lib/grafana/GRAFANA.DB"}`, []string{"Grafana's own database"}},
		"store size zero":       {`{"sqlitePath":"/x/e.db","maxStoreMB":0}`, []string{"between 1 and 1048576 MB, got 0"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(tc.json)})
			if err == nil {
				t.Fatal("expected an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// A password pasted into the Loki URL must not come back in any problem, response or health message.
func TestLokiURLPasswordIsNeverEchoed(t *testing.T) {
	for name, lokiURL := range map[string]string{
		"valid url with credentials": "http://admin:hunter2@loki:3100",
		"odd scheme":                 "ftp://admin:hunter2@loki:3100",
		"unparsable":                 "http://admin:hunter2@[::1",
		"no scheme":                  "admin:hunter2@loki:3100",
		"no host":                    "http://admin:hunter2@",
	} {
		t.Run(name, func(t *testing.T) {
			jsonData := `{"eventStore":"loki","lokiUrl":` + strconv.Quote(lokiURL) + `}`
			s, err := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(jsonData)})
			if err == nil {
				t.Fatal("a Loki URL with credentials must be rejected")
			}
			d := newTestDatasource(t, jsonData)
			rec, _ := serve(t, newMux(d.routes()), http.MethodGet, "/settings", "", nil)
			health, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			query := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeStoreStatus})
			for where, text := range map[string]string{
				"error":          err.Error(),
				"settings field": s.LokiURL,
				"/settings":      rec.Body.String(),
				"health message": health.Message,
				"health details": string(health.JSONDetails),
				"query error":    query.Error.Error(),
			} {
				if strings.Contains(text, "hunter2") {
					t.Errorf("%s echoes the password: %s", where, text)
				}
			}
			if !strings.Contains(err.Error(), "Loki URL") {
				t.Errorf("the problem must name the Loki URL: %v", err)
			}
		})
	}
}
