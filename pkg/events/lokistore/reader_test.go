package lokistore

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// No Loki runs in these tests: a 127.0.0.1 server answers with the response shapes of Loki's HTTP API
// (/loki/api/v1/query_range: "streams" for log queries, "matrix" for metric queries; /query: "vector").
type fakeLoki struct {
	mu      sync.Mutex
	queries []url.Values
	answer  func(path string, q url.Values) (int, string)
}

func startFake(t *testing.T, answer func(path string, q url.Values) (int, string)) (*fakeLoki, *Reader) {
	t.Helper()
	f := &fakeLoki{answer: answer}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.queries = append(f.queries, r.URL.Query())
		f.mu.Unlock()
		code, body := f.answer(r.URL.Path, r.URL.Query())
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}))
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	r, err := New(Config{URL: srv.URL, Client: srv.Client(), Options: events.Options{DefaultCluster: "eu-1"}})
	if err != nil {
		t.Fatal(err)
	}
	return f, r
}

func streamsBody(streams ...string) string {
	return `{"status":"success","data":{"resultType":"streams","result":[` + strings.Join(streams, ",") + `],"stats":{}}}`
}

func streamJSON(labels map[string]string, entries ...[2]string) string {
	b, _ := json.Marshal(map[string]any{"stream": labels, "values": entries})
	return string(b)
}

var base = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func tsAt(sec int) string {
	return strconv.FormatInt(base.Add(time.Duration(sec)*time.Second).UnixNano(), 10)
}

func TestSelectorEscapesEveryValue(t *testing.T) {
	warning := events.Warning
	got := Selector(events.Filters{
		Rules: []string{`Shell "in" container`}, Namespaces: []string{"shop", "a.b|c"}, Pods: []string{`x"} |= "`},
		MinPriority: &warning, Tags: []string{"T1059"}, Text: `curl (evil`,
	})
	want := `{rule=~".+", rule="Shell \"in\" container", k8s_ns_name=~"shop|a\\.b\\|c", k8s_pod_name="x\"} |= \"", priority=~"Emergency|Alert|Critical|Error|Warning", tags=~"(.*,)?(T1059)(,.*)?"} |~ "(?i)curl \\(evil"`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestListMergesStreamsNewestFirstAndPages(t *testing.T) {
	textLabels := map[string]string{"rule": "Terminal shell in container", "priority": "Notice", "source": "syscall", "hostname": "node-1",
		"k8s_ns_name": "shop", "k8s_pod_name": "web-1", "tags": "T1059,container,shell"}
	payload := `{"uuid":"u-9","output":"json line","priority":"Critical","rule":"Drop and execute new binary in container","time":"2026-11-29T12:00:05Z","output_fields":{"k8s.ns.name":"shop","container.image.repository":"nginx","container.image.tag":"1.27"},"source":"syscall","tags":["mitre_persistence"],"hostname":"node-2"}`
	all := map[int]string{
		5: streamJSON(map[string]string{"rule": "Drop and execute new binary in container", "priority": "Critical", "source": "syscall"}, [2]string{tsAt(5), payload}),
		4: streamJSON(textLabels, [2]string{tsAt(4), "12:00:04: Notice shell B"}),
		3: streamJSON(textLabels, [2]string{tsAt(3), "12:00:03: Notice shell C"}),
		1: streamJSON(textLabels, [2]string{tsAt(1), "12:00:01: Notice shell D"}),
	}
	f, r := startFake(t, func(path string, q url.Values) (int, string) {
		end, _ := strconv.ParseInt(q.Get("end"), 10, 64)
		limit, _ := strconv.Atoi(q.Get("limit"))
		var out []string
		for _, sec := range []int{5, 4, 3, 1} { // Loki answers backward, newest first, up to limit
			if base.Add(time.Duration(sec)*time.Second).UnixNano() < end && len(out) < limit {
				out = append(out, all[sec])
			}
		}
		return 200, streamsBody(out...)
	})
	page, err := r.List(context.Background(), events.ListRequest{From: base, To: base.Add(time.Minute), Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 2 || page.NextCursor == "" {
		t.Fatalf("first page: %+v", page)
	}
	j, txt := page.Events[0], page.Events[1]
	if j.Rule != "Drop and execute new binary in container" || j.Priority != events.Critical || j.Image != "nginx:1.27" || j.Hostname != "node-2" || j.Namespace != "shop" {
		t.Fatalf("loki.format json line is the whole payload: %+v", j)
	}
	if txt.Output != "12:00:04: Notice shell B" || txt.Priority != events.Notice || txt.Pod != "web-1" || strings.Join(txt.Tags, "|") != "T1059|container|shell" || txt.Cluster != "eu-1" {
		t.Fatalf("text line takes the labels: %+v", txt)
	}
	q := f.queries[0]
	if q.Get("direction") != "backward" || q.Get("query") != `{rule=~".+"}` || q.Get("start") != strconv.FormatInt(base.UnixNano(), 10) {
		t.Fatalf("query_range params: %v", q)
	}
	page2, err := r.List(context.Background(), events.ListRequest{From: base, To: base.Add(time.Minute), Limit: 2, Cursor: page.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if len(page2.Events) != 2 || page2.Events[0].Output != "12:00:03: Notice shell C" || page2.Events[1].Output != "12:00:01: Notice shell D" || page2.NextCursor != "" {
		t.Fatalf("second page: %+v", page2.Events)
	}
	one, err := r.Get(context.Background(), txt.ID)
	if err != nil || one.Output != txt.Output {
		t.Fatalf("get by id: %+v %v", one, err)
	}
	if _, err := r.List(context.Background(), events.ListRequest{From: base, To: base.Add(time.Minute), Cursor: "zzz"}); err != ErrBadCursor {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestCountsFromMatrixWithZerosAndTags(t *testing.T) {
	bucket := time.Minute
	f, r := startFake(t, func(path string, q url.Values) (int, string) {
		if strings.HasPrefix(q.Get("query"), "count(") { // how many values: fewer than MaxSeries, so no topk
			return 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795000000,"2"]}]}}`
		}
		// count_over_time at each bucket end: samples at 12:01 (the 12:00 bucket) and 12:03.
		return 200, fmt.Sprintf(`{"status":"success","data":{"resultType":"matrix","result":[
			{"metric":{"tags":"T1059,shell"},"values":[[%d,"2"],[%d,"1"]]},
			{"metric":{"tags":"shell"},"values":[[%d,"4"]]}]}}`, base.Add(time.Minute).Unix(), base.Add(3*time.Minute).Unix(), base.Add(3*time.Minute).Unix())
	})
	c, err := r.Count(context.Background(), events.CountRequest{From: base, To: base.Add(3*time.Minute + 30*time.Second), GroupBy: events.DimTag, Bucket: bucket})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range c.Series {
		got[s.Value] = fmt.Sprint(s.Counts)
	}
	if got["shell"] != "[2 0 5 0]" || got["T1059"] != "[2 0 1 0]" || len(got) != 2 {
		t.Fatalf("tags split into one series each, zeros kept: %v", got)
	}
	q := f.queries[1]
	if q.Get("query") != `sum by (tags) (count_over_time({rule=~".+"} [60s]))` || q.Get("step") != "60s" || c.Of != 0 {
		t.Fatalf("metric query: %v", q)
	}
	if _, err := r.Count(context.Background(), events.CountRequest{From: base, To: base.Add(time.Hour), GroupBy: events.DimPriority, Bucket: bucket, Filters: events.Filters{Cluster: "x"}}); err == nil {
		t.Fatal("cluster is no Loki label: counts must say so")
	}
}

func TestValuesFromVector(t *testing.T) {
	_, r := startFake(t, func(path string, q url.Values) (int, string) {
		if path != "/loki/api/v1/query" {
			return 404, "not found"
		}
		if strings.HasPrefix(q.Get("query"), "count(") {
			return 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795000000,"3"]}]}}`
		}
		return 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"k8s_ns_name":"shop"},"value":[1795000000,"3"]},{"metric":{"k8s_ns_name":"kube-system"},"value":[1795000000,"9"]},{"metric":{},"value":[1795000000,"4"]}]}}`
	})
	vals, err := r.Values(context.Background(), events.ValueRequest{From: base, To: base.Add(time.Hour), Field: events.DimNamespace})
	if err != nil || fmt.Sprint(vals) != "[{kube-system 9} {shop 3}]" {
		t.Fatalf("%v %v", vals, err)
	}
	if _, err := r.Values(context.Background(), events.ValueRequest{From: base, To: base.Add(time.Hour), Field: events.DimImage}); err == nil {
		t.Fatal("image is no Loki label")
	}
}

func TestLokiErrorsAreNamed(t *testing.T) {
	_, r := startFake(t, func(path string, q url.Values) (int, string) {
		return 400, "parse error at line 1, col 2: syntax error: unexpected IDENTIFIER" + strings.Repeat("x", 2000)
	})
	_, err := r.List(context.Background(), events.ListRequest{From: base, To: base.Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "Loki answered 400: parse error") || len(err.Error()) > 600 {
		t.Fatalf("error: %v", err)
	}
	_, r = startFake(t, func(path string, q url.Values) (int, string) {
		return 200, `{"status":"success","data":{"resultType":"matrix","result":[]}}`
	})
	if _, err := r.List(context.Background(), events.ListRequest{From: base, To: base.Add(time.Hour)}); err == nil || !strings.Contains(err.Error(), `"matrix" result where "streams"`) {
		t.Fatalf("wrong result type: %v", err)
	}
}
