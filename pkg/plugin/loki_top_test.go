package plugin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// A Loki count or value list bounded to the top values says so in its frame: a notice Grafana shows on the panel,
// and meta.custom {top, of}.
func TestLokiTopValuesAreSaidInTheFrame(t *testing.T) {
	at := strconv.FormatInt(evTime.Unix(), 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("query")
		switch {
		case strings.HasPrefix(q, "count("): // 1,291 pods in the range
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795000000,"1291"]}]}}`))
		case strings.HasPrefix(q, "topk("), r.URL.Path == "/loki/api/v1/query":
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"k8s_pod_name":"web-1"},"value":[1795000000,"40"]},{"metric":{"k8s_pod_name":"web-2"},"value":[1795000000,"30"]}]}}`))
		default:
			if !strings.Contains(q, `k8s_pod_name=~"web-1|web-2"`) {
				http.Error(w, "maximum number of series (500) reached for a single query", http.StatusBadRequest)
				return
			}
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"k8s_pod_name":"web-1"},"values":[[` + at + `,"3"]]},{"metric":{"k8s_pod_name":"web-2"},"values":[[` + at + `,"2"]]}]}}`))
		}
	}))
	defer srv.Close()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "loki-top", JSONData: []byte(`{"eventStore":"loki","lokiUrl":"` + srv.URL + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	defer d.Dispose()
	for _, c := range []struct{ queryType, js string }{{QueryTypeEventCounts, `{"groupBy":"pod"}`}, {QueryTypeEventValues, `{"field":"pod","limit":2}`}} {
		res := runEventsQuery(t, d, c.queryType, c.js)
		if res.Error != nil {
			t.Fatalf("%s: %v", c.queryType, res.Error)
		}
		m := res.Frames[0].Meta
		if m == nil || len(m.Notices) != 1 || m.Notices[0].Text != "top 2 of 1291 pod values: Loki answers at most max_query_series (500 by default) series per query" {
			t.Fatalf("%s: meta %+v", c.queryType, m)
		}
		if got := m.Custom.(map[string]int); got["top"] != 2 || got["of"] != 1291 {
			t.Fatalf("%s: custom %v", c.queryType, got)
		}
	}
}
