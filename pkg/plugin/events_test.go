package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

const testToken = "tok-3f9a,with:odd chars"

var evTime = time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)

// sidekickBody is one falcosidekick webhook body (types.FalcoPayload: uuid, priority name, RFC 3339 time).
func sidekickBody(i int, prio, rule, ns, pod string, tags ...string) string {
	b, _ := json.Marshal(map[string]any{
		"uuid": fmt.Sprintf("uuid-%d", i), "rule": rule, "priority": prio, "source": "syscall", "hostname": fmt.Sprintf("node-%d", i%2),
		"time": evTime.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano), "tags": tags,
		"output": fmt.Sprintf("%s in %s/%s by curl http://203.0.113.9/x", rule, ns, pod),
		"output_fields": map[string]any{"k8s.ns.name": ns, "k8s.pod.name": pod, "proc.name": "curl", "proc.cmdline": "curl http://203.0.113.9/x",
			"container.name": "app", "container.image.repository": "ghcr.io/shop/app", "container.image.tag": "2.1", "user.name": "root", "proc.pname": "sh", "cluster": "eu-1"},
	})
	return string(b)
}

func post(t *testing.T, d *Datasource, token string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(IngestTokenHeader, token)
	}
	rec := httptest.NewRecorder()
	newMux(d.routes()).ServeHTTP(rec, req)
	return rec
}

func ingestDatasource(t *testing.T) *Datasource {
	t.Helper()
	var js map[string]any
	_ = json.Unmarshal([]byte(sqliteSettings(t)), &js)
	js["clusterField"] = "cluster"
	js["defaultCluster"] = "default"
	b, _ := json.Marshal(js)
	return newTestDatasourceWithToken(t, string(b), testToken)
}

func eventCount(t *testing.T, d *Datasource) int64 {
	t.Helper()
	st, err := d.reader.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Events
}

func TestIngestAnswers(t *testing.T) {
	d := ingestDatasource(t)
	good := []byte(sidekickBody(1, "Critical", "Terminal shell in container", "shop", "web-1", "shell"))
	for name, tc := range map[string]struct {
		token  string
		body   []byte
		status int
		want   string
	}{
		"no token":           {"", good, 401, "missing X-Containersec-Ingest-Token header"},
		"wrong token":        {"tok-3f9a", good, 403, "not valid"},
		"token with suffix":  {testToken + "x", good, 403, "not valid"},
		"malformed json":     {testToken, []byte(`{"rule":`), 400, "not valid JSON"},
		"missing rule":       {testToken, []byte(`{"priority":"Warning","time":"2026-11-29T15:00:00Z"}`), 400, `missing "rule"`},
		"missing priority":   {testToken, []byte(`{"rule":"r","time":"2026-11-29T15:00:00Z"}`), 400, `missing "priority"`},
		"missing time":       {testToken, []byte(`{"rule":"r","priority":"Warning"}`), 400, `missing "time"`},
		"unknown priority":   {testToken, []byte(`{"rule":"r","priority":"Urgent","time":"2026-11-29T15:00:00Z"}`), 400, `unknown priority "Urgent"`},
		"bad event in array": {testToken, []byte("[" + string(good) + `,{"rule":"r","priority":"Warning"}]`), 400, `event 1: missing "time"`},
		"too large":          {testToken, append(append([]byte(`{"rule":"r","priority":"Warning","time":"2026-11-29T15:00:00Z","output":"`), bytes.Repeat([]byte("a"), 1<<20)...), '"', '}'), 413, "larger than 1048576 bytes"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := post(t, d, tc.token, tc.body)
			var eb ErrorBody
			if rec.Code != tc.status || json.Unmarshal(rec.Body.Bytes(), &eb) != nil || !strings.Contains(eb.Error, tc.want) {
				t.Fatalf("got %d %s, want %d with %q", rec.Code, rec.Body, tc.status, tc.want)
			}
			if strings.Contains(rec.Body.String(), testToken) {
				t.Fatal("an answer must never repeat the token")
			}
			if n := eventCount(t, d); n != 0 {
				t.Fatalf("a refused request stored %d events", n)
			}
		})
	}
	rec := post(t, d, testToken, good)
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"stored":1,"duplicates":0}` {
		t.Fatalf("good event: %d %s", rec.Code, rec.Body)
	}
	rec = post(t, d, testToken, []byte("["+string(good)+","+sidekickBody(2, "Warning", "r", "shop", "web-2")+"]"))
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"stored":1,"duplicates":1}` {
		t.Fatalf("array with a duplicate: %d %s", rec.Code, rec.Body)
	}
	rec = post(t, d, testToken, []byte(`{"hostname":"h","output":"o","priority":"Warning","rule":"Falco http_output","source":"syscall","time":"2026-11-29T15:00:00.000000001Z","output_fields":{}}`))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"stored":1`) {
		t.Fatalf("Falco's own http_output body (no uuid): %d %s", rec.Code, rec.Body)
	}
}

func TestIngestWithoutConfiguredTokenIsRefused(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	for _, tok := range []string{"", "anything"} {
		rec := post(t, d, tok, []byte(sidekickBody(1, "Critical", "r", "ns", "p")))
		if rec.Code != 401 && rec.Code != 403 {
			t.Fatalf("token %q on a datasource without one: %d", tok, rec.Code)
		}
	}
}

func TestIngestMethodIsPOSTOnly(t *testing.T) {
	d := ingestDatasource(t)
	rec, _ := serve(t, newMux(d.routes()), http.MethodGet, "/events", "", nil)
	if rec.Code != 405 || rec.Header().Get("Allow") != "POST" {
		t.Fatalf("GET /events: %d %q", rec.Code, rec.Header().Get("Allow"))
	}
}

func seeded(t *testing.T) *Datasource {
	d := ingestDatasource(t)
	bodies := []string{
		sidekickBody(0, "Critical", "Terminal shell in container", "shop", "web-1", "shell", "mitre_execution"),
		sidekickBody(1, "Warning", "Read sensitive file untrusted", "shop", "web-2", "filesystem"),
		sidekickBody(2, "Notice", "Terminal shell in container", "kube-system", "coredns-1", "shell"),
		sidekickBody(65, "Critical", "Drop and execute new binary in container", "shop", "web-1", "mitre_persistence"),
	}
	for _, b := range bodies {
		if rec := post(t, d, testToken, []byte(b)); rec.Code != 200 {
			t.Fatalf("seed: %d %s", rec.Code, rec.Body)
		}
	}
	return d
}

func runEventsQuery(t *testing.T, d *Datasource, queryType, js string) backend.DataResponse {
	t.Helper()
	return runQuery(t, d, backend.DataQuery{QueryType: queryType, JSON: []byte(js), Interval: time.Minute,
		TimeRange: backend.TimeRange{From: evTime.Add(-time.Hour), To: evTime.Add(time.Hour)}})
}

func frameColumn(f *data.Frame, name string) []string {
	fl, _ := f.FieldByName(name)
	if fl == nil {
		return nil
	}
	var out []string
	for i := range fl.Len() {
		out = append(out, fmt.Sprint(fl.At(i)))
	}
	return out
}

func TestEventsQueryFrame(t *testing.T) {
	d := seeded(t)
	res := runEventsQuery(t, d, QueryTypeEvents, `{"queryType":"events"}`)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	f := res.Frames[0]
	var names []string
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	if got := strings.Join(names, ","); got != "id,time,priority,rule,source,hostname,cluster,namespace,pod,container,image,process,cmdline,user,parent,tags,output,output_fields" {
		t.Fatalf("fields in the contract's order: %s", got)
	}
	if f.Name != "events" || f.Meta.PreferredVisualization != data.VisTypeTable || f.Meta.Custom.(map[string]any)["nextCursor"] != "" {
		t.Fatalf("frame meta: %q %+v", f.Name, f.Meta)
	}
	if got := strings.Join(frameColumn(f, "id"), ","); got != "uuid-65,uuid-2,uuid-1,uuid-0" {
		t.Fatalf("newest first: %s", got)
	}
	row := map[string]string{}
	for _, fl := range f.Fields {
		row[fl.Name] = fmt.Sprint(fl.At(3))
	}
	for k, v := range map[string]string{"priority": "Critical", "cluster": "eu-1", "namespace": "shop", "pod": "web-1", "container": "app",
		"image": "ghcr.io/shop/app:2.1", "process": "curl", "cmdline": "curl http://203.0.113.9/x", "user": "root", "parent": "sh",
		"tags": "shell,mitre_execution", "hostname": "node-0", "source": "syscall"} {
		if row[k] != v {
			t.Errorf("%s: got %q want %q", k, row[k], v)
		}
	}
	if !strings.Contains(row["output_fields"], `"k8s.pod.name":"web-1"`) {
		t.Errorf("output_fields: %s", row["output_fields"])
	}
}

func TestEventsQueryFiltersAndPaging(t *testing.T) {
	d := seeded(t)
	for name, tc := range map[string]struct{ js, want string }{
		"min priority":      {`{"filters":{"minPriority":"critical"}}`, "uuid-65,uuid-0"},
		"rule string":       {`{"filters":{"rules":"Terminal shell in container"}}`, "uuid-2,uuid-0"},
		"namespaces":        {`{"filters":{"namespaces":["kube-system"]}}`, "uuid-2"},
		"pods and tags":     {`{"filters":{"pods":["web-1"],"tags":["shell"]}}`, "uuid-0"},
		"hostnames":         {`{"filters":{"hostnames":["node-1"]}}`, "uuid-65,uuid-1"},
		"sources":           {`{"filters":{"sources":["k8s_audit"]}}`, ""},
		"images":            {`{"filters":{"images":["ghcr.io/shop/app:2.1"]}}`, "uuid-65,uuid-2,uuid-1,uuid-0"},
		"cluster":           {`{"filters":{"cluster":"eu-1"}}`, "uuid-65,uuid-2,uuid-1,uuid-0"},
		"free text":         {`{"filters":{"text":"sensitive file"}}`, "uuid-1"},
		"empty array items": {`{"filters":{"rules":[""],"namespaces":[]}}`, "uuid-65,uuid-2,uuid-1,uuid-0"},
	} {
		t.Run(name, func(t *testing.T) {
			res := runEventsQuery(t, d, QueryTypeEvents, tc.js)
			if res.Error != nil {
				t.Fatal(res.Error)
			}
			if got := strings.Join(frameColumn(res.Frames[0], "id"), ","); got != tc.want {
				t.Fatalf("got %q want %q", got, tc.want)
			}
		})
	}
	res := runEventsQuery(t, d, QueryTypeEvents, `{"limit":3}`)
	next := res.Frames[0].Meta.Custom.(map[string]any)["nextCursor"].(string)
	if len(frameColumn(res.Frames[0], "id")) != 3 || next == "" {
		t.Fatalf("first page: %v %q", frameColumn(res.Frames[0], "id"), next)
	}
	res = runEventsQuery(t, d, QueryTypeEvents, `{"limit":3,"cursor":"`+next+`"}`)
	if got := strings.Join(frameColumn(res.Frames[0], "id"), ","); got != "uuid-0" || res.Frames[0].Meta.Custom.(map[string]any)["nextCursor"] != "" {
		t.Fatalf("second page: %s", got)
	}
	for js, want := range map[string]string{
		`{"limit":1001}`:                   "limit must be between 1 and 1000",
		`{"limit":0}`:                      "limit must be between 1 and 1000",
		`{"cursor":"garbage!"}`:            "cursor is not valid",
		`{"filters":{"minPriority":"hi"}}`: `unknown priority "hi"`,
		`{"filters":{"rules":5}}`:          "must be a string or an array of strings",
		`{"filters":"all"}`:                `query field "filters" must be`,
		`{"filters":{"text":"a\u0000b"}}`:  "text filter must not contain a NUL byte",
		`{"filters":{"pods":[` + strings.TrimSuffix(strings.Repeat(`"p",`, 1001), ",") + `]}}`: "filters hold 1001 values; at most 1000",
	} {
		res := runEventsQuery(t, d, QueryTypeEvents, js)
		if res.Status != backend.StatusBadRequest || res.Error == nil || !strings.Contains(res.Error.Error(), want) {
			t.Errorf("%s: got %v %v, want 400 with %q", js, res.Status, res.Error, want)
		}
	}
}

func TestEventQueryByID(t *testing.T) {
	d := seeded(t)
	res := runEventsQuery(t, d, QueryTypeEvent, `{"id":"uuid-1"}`)
	if res.Error != nil || strings.Join(frameColumn(res.Frames[0], "rule"), ",") != "Read sensitive file untrusted" {
		t.Fatalf("%v %v", res.Error, res.Frames)
	}
	res = runEventsQuery(t, d, QueryTypeEvent, `{"id":"nope"}`)
	if res.Error == nil || !strings.Contains(res.Error.Error(), `no event with id "nope"`) || len(res.Frames) != 1 || res.Frames[0].Rows() != 0 {
		t.Fatalf("unknown id: %v %v", res.Error, res.Frames)
	}
	res = runEventsQuery(t, d, QueryTypeEvent, `{}`)
	if res.Status != backend.StatusBadRequest {
		t.Fatalf("no id: %v", res.Error)
	}
}

// TestCountBucket: the interval Grafana asks for, at least a second, widened for long ranges, and whole minutes from
// an hour on (the per-minute counts answer those).
func TestCountBucket(t *testing.T) {
	for _, tc := range []struct {
		span, interval, want time.Duration
	}{
		{6 * time.Hour, 20 * time.Second, time.Minute},
		{24 * time.Hour, 30 * time.Second, time.Minute},
		{6 * time.Hour, 90 * time.Second, 2 * time.Minute},
		{time.Hour, 2 * time.Second, time.Minute},
		{time.Hour, 5 * time.Minute, 5 * time.Minute},
		{59 * time.Minute, 20 * time.Second, 20 * time.Second},
		{15 * time.Minute, 0, time.Second},
		{15 * time.Minute, 500 * time.Millisecond, time.Second},
		{30 * 24 * time.Hour, time.Second, 4 * time.Minute}, // 236 s to stay under maxCountBuckets, then whole minutes
	} {
		dq := backend.DataQuery{Interval: tc.interval, TimeRange: backend.TimeRange{From: evTime.Add(-tc.span), To: evTime}}
		if got := countBucket(dq); got != tc.want {
			t.Errorf("%v over %v: bucket %v, want %v", tc.interval, tc.span, got, tc.want)
		}
	}
}

func TestEventCountsQuery(t *testing.T) {
	d := seeded(t)
	// No user in the request: alerting runs queries as the service, and counts must answer.
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeEventCounts, JSON: []byte(`{"groupBy":"priority"}`), Interval: time.Minute,
		TimeRange: backend.TimeRange{From: evTime.Add(-90 * time.Second), To: evTime.Add(150 * time.Second)}})
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	got := map[string]string{}
	for _, f := range res.Frames {
		v := f.Fields[1]
		got[v.Labels["priority"]] = strings.Join(frameColumn(f, "value"), " ")
		if tm := frameColumn(f, "time"); len(tm) != 5 || !strings.HasPrefix(tm[0], "2026-11-29 14:58:00") {
			t.Fatalf("buckets aligned to the interval: %v", tm)
		}
	}
	if got["Critical"] != "0 0 1 1 0" || got["Warning"] != "0 0 1 0 0" || got["Notice"] != "0 0 1 0 0" || len(got) != 3 {
		t.Fatalf("counts per bucket, zeros included: %v", got)
	}
	// Grafana's 20 s interval for a 6 h panel: minute buckets, the counts a 1 minute interval gives.
	sixHours := func(interval time.Duration) map[string]string {
		res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeEventCounts, JSON: []byte(`{"groupBy":"priority"}`), Interval: interval,
			TimeRange: backend.TimeRange{From: evTime.Add(-3 * time.Hour), To: evTime.Add(3 * time.Hour)}})
		if res.Error != nil {
			t.Fatal(res.Error)
		}
		out := map[string]string{}
		for _, f := range res.Frames {
			tm, _ := f.FieldByName("time")
			if tm == nil || tm.Len() != 361 || tm.At(1).(time.Time).Sub(tm.At(0).(time.Time)) != time.Minute {
				t.Fatalf("6 h at %v: want 361 buckets of a minute, got %v", interval, frameColumn(f, "time")[:2])
			}
			out[f.Fields[1].Labels["priority"]] = strings.Join(frameColumn(f, "value"), " ")
		}
		return out
	}
	if at20s, at1m := sixHours(20*time.Second), sixHours(time.Minute); len(at20s) != 3 || !maps.Equal(at20s, at1m) {
		t.Fatalf("6 h at 20 s: %v, at 1 min: %v", at20s, at1m)
	}
	res = runEventsQuery(t, d, QueryTypeEventCounts, `{"groupBy":"tag","filters":{"namespaces":["shop"]}}`)
	tags := map[string]bool{}
	for _, f := range res.Frames {
		tags[f.Fields[1].Labels["tag"]] = true
	}
	if len(tags) != 4 || !tags["filesystem"] || tags[""] {
		t.Fatalf("tags of shop's events: %v", tags)
	}
	res = runEventsQuery(t, d, QueryTypeEventCounts, `{"groupBy":"user"}`)
	if res.Status != backend.StatusBadRequest || !strings.Contains(res.Error.Error(), `groupBy "user" is not one of priority, rule, namespace, pod, hostname, source, tag`) {
		t.Fatalf("bad groupBy: %v", res.Error)
	}
}

func TestEventValuesQuery(t *testing.T) {
	d := seeded(t)
	res := runEventsQuery(t, d, QueryTypeEventValues, `{"field":"rule"}`)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	f := res.Frames[0]
	if got := strings.Join(frameColumn(f, "value"), "|"); got != "Terminal shell in container|Drop and execute new binary in container|Read sensitive file untrusted" {
		t.Fatalf("most frequent first: %s", got)
	}
	if got := strings.Join(frameColumn(f, "count"), ","); got != "2,1,1" {
		t.Fatalf("counts: %s", got)
	}
	res = runEventsQuery(t, d, QueryTypeEventValues, `{"field":"cluster"}`)
	if got := strings.Join(frameColumn(res.Frames[0], "value"), ","); got != "eu-1" {
		t.Fatalf("cluster from output_fields: %s", got)
	}
	res = runEventsQuery(t, d, QueryTypeEventValues, `{"field":"output"}`)
	if res.Status != backend.StatusBadRequest {
		t.Fatalf("unknown field: %v", res.Error)
	}
}

// A Loki datasource answers the same query types from Loki (a 127.0.0.1 stand-in with Loki's response shape)
// through the SDK's HTTP client, with the datasource's basic auth.
func TestEventsQueryFromLoki(t *testing.T) {
	var gotAuth, gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		gotAuth, gotQuery = user+":"+pass, r.URL.Query().Get("query")
		ts := strconv.FormatInt(evTime.UnixNano(), 10)
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{"rule":"Terminal shell in container","priority":"Critical","source":"syscall","k8s_ns_name":"shop","k8s_pod_name":"web-1","hostname":"node-1"},"values":[["` + ts + `","shell in web-1"]]}]}}`))
	}))
	defer srv.Close()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "loki", BasicAuthEnabled: true, BasicAuthUser: "falco",
		DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "pw"},
		JSONData:                []byte(`{"eventStore":"loki","lokiUrl":"` + srv.URL + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	defer d.Dispose()
	res := runEventsQuery(t, d, QueryTypeEvents, `{"filters":{"namespaces":["shop"],"minPriority":"critical"}}`)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	if got := strings.Join(frameColumn(res.Frames[0], "pod"), ","); got != "web-1" {
		t.Fatalf("pod: %s", got)
	}
	if gotAuth != "falco:pw" || gotQuery != `{rule=~".+", k8s_ns_name="shop", priority=~"Emergency|Alert|Critical"}` {
		t.Fatalf("auth %q query %q", gotAuth, gotQuery)
	}
	rec := post(t, d, "", []byte(`{}`))
	if rec.Code != 401 {
		t.Fatalf("ingest on a Loki datasource still needs the token first: %d", rec.Code)
	}
}
