package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/pkg/tuning"
)

const shellRule = "Terminal shell in container"

// tuningStore holds a noisy default rule's events: 20 of shop's app image running sh and 10 of nginx running bash
// in the last 24 h, 5 more of shop 3 days ago, 2 whose process Falco could not resolve, and another rule's events.
func tuningStore(t *testing.T) *Datasource {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	old := tuningNow
	tuningNow = func() time.Time { return now }
	t.Cleanup(func() { tuningNow = old })
	d := ingestDatasource(t)
	i := 0
	send := func(n int, rule string, ago time.Duration, fields map[string]any) {
		for range n {
			i++
			b, _ := json.Marshal(map[string]any{"uuid": fmt.Sprintf("t-%d", i), "rule": rule, "priority": "Notice", "source": "syscall",
				"time": now.Add(-ago - time.Duration(i)*time.Second).Format(time.RFC3339Nano), "output": fmt.Sprintf("event %d", i), "output_fields": fields})
			if rec := post(t, d, testToken, b); rec.Code != 200 {
				t.Fatalf("ingest: %d %s", rec.Code, rec.Body)
			}
		}
	}
	shop := map[string]any{"container.image.repository": "ghcr.io/shop/app", "proc.name": "sh", "k8s.ns.name": "shop", "k8s.pod.name": "app-1", "user.name": "root"}
	send(20, shellRule, time.Hour, shop)
	send(10, shellRule, 2*time.Hour, map[string]any{"container.image.repository": "docker.io/library/nginx", "proc.name": "bash", "k8s.ns.name": "web", "k8s.pod.name": "web-7", "user.name": "root"})
	send(5, shellRule, 72*time.Hour, shop)
	send(2, shellRule, 3*time.Hour, map[string]any{"container.image.repository": "ghcr.io/shop/app", "proc.name": nil, "k8s.ns.name": "shop"})
	send(4, "Other rule", time.Hour, shop)
	return d
}

func tuningGet(t *testing.T, d *Datasource, path string, q url.Values) (*httptest.ResponseRecorder, ErrorBody) {
	t.Helper()
	return serve(t, newMux(d.routes()), http.MethodGet, path+"?"+q.Encode(), "", nil)
}

func TestTuningFieldsOfferTheRulesOutputFields(t *testing.T) {
	d := tuningStore(t)
	rec, _ := tuningGet(t, d, "/tuning/fields", url.Values{"rule": {shellRule}})
	var v tuningFieldsView
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var got []string
	for _, c := range v.Fields {
		got = append(got, fmt.Sprintf("%s %s %v", c.Field, c.Comp, c.Checked))
	}
	want := "container.image.repository = true|proc.name = true|k8s.ns.name = false|k8s.pod.name = false|user.name = false"
	if v.Source != "syscall" || strings.Join(got, "|") != want {
		t.Errorf("source %q fields %q", v.Source, strings.Join(got, "|"))
	}
	if _, eb := tuningGet(t, d, "/tuning/fields", url.Values{}); !strings.Contains(eb.Error, `"rule" is required`) {
		t.Errorf("no rule: %q", eb.Error)
	}
	if rec, eb := tuningGet(t, d, "/tuning/fields", url.Values{"rule": {"No such rule"}}); rec.Code != 404 || !strings.Contains(eb.Error, "No such rule") {
		t.Errorf("unknown rule: %d %q", rec.Code, eb.Error)
	}
	if rec, _ := tuningGet(t, d, "/tuning/fields", url.Values{"rule": {strings.Repeat("r", maxRuleName+1)}}); rec.Code != 400 {
		t.Errorf("oversized rule name: %d", rec.Code)
	}
}

func TestTuningSourcesGroupsTheRulesEvents(t *testing.T) {
	d := tuningStore(t)
	rec, _ := tuningGet(t, d, "/tuning/sources", url.Values{"rule": {shellRule}, "fields": {"container.image.repository,proc.name"}})
	var v tuningSourcesView
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var rows []string
	for _, r := range v.Rows {
		rows = append(rows, fmt.Sprintf("%s/%s/%s %d %.3f", r.Values[0].Text, r.Values[1].Text, r.Values[1].State, r.Count, r.Share))
	}
	want := "ghcr.io/shop/app/sh/text 20 0.625|docker.io/library/nginx/bash/text 10 0.312|ghcr.io/shop/app//unresolved 2 0.062"
	if v.Total != 32 || v.Of != 3 || strings.Join(rows, "|") != want {
		t.Errorf("total %d of %d rows %q", v.Total, v.Of, strings.Join(rows, "|"))
	}
	week := fmt.Sprint(tuningNow().Add(-7 * 24 * time.Hour).UnixMilli())
	rec, _ = tuningGet(t, d, "/tuning/sources", url.Values{"rule": {shellRule}, "fields": {"proc.name"}, "from": {week}, "limit": {"1"}})
	_ = json.Unmarshal(rec.Body.Bytes(), &v)
	if v.Total != 37 || v.Of != 3 || len(v.Rows) != 1 || v.Rows[0].Count != 25 {
		t.Errorf("7 d, top 1: %+v", v)
	}
	for _, tc := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"rule": {shellRule}}, `"fields" is required`},
		{url.Values{"rule": {shellRule}, "fields": {"proc.nam"}}, `"proc.nam" is not a Falco field`},
		{url.Values{"rule": {shellRule}, "fields": {"ka.user.name"}}, "belongs to source k8s_audit"},
		{url.Values{"rule": {shellRule}, "fields": {strings.Repeat("proc.name,", 9) + "proc.name"}}, "at most 8"},
		{url.Values{"rule": {shellRule}, "fields": {"proc.name"}, "from": {"yesterday"}}, `"from" must be a time in milliseconds`},
		{url.Values{"rule": {shellRule}, "fields": {"proc.name"}, "from": {"2000"}, "to": {"1000"}}, `"to" is before "from"`},
		{url.Values{"rule": {shellRule}, "fields": {"proc.name"}, "from": {"0"}}, "longer than 31 days"},
		{url.Values{"rule": {shellRule}, "fields": {"proc.name"}, "limit": {"0"}}, `"limit" must be 1 to 100`},
	} {
		rec, eb := tuningGet(t, d, "/tuning/sources", tc.q)
		if rec.Code != 400 || !strings.Contains(eb.Error, tc.want) {
			t.Errorf("%v: %d %q, want 400 %q", tc.q, rec.Code, eb.Error, tc.want)
		}
	}
}

func previewOf(t *testing.T, d *Datasource, body string) (int, previewView, ErrorBody) {
	t.Helper()
	rec, eb := serve(t, newMux(d.routes()), http.MethodPost, "/tuning/preview", "application/json", []byte(body))
	var v previewView
	if rec.Code == 200 {
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Code, v, eb
}

func draft(fields, comps []string, values ...[]string) string {
	b, _ := json.Marshal(map[string]any{"exception": tuning.Exception{Rule: shellRule, Name: "shop shells", Fields: fields, Comps: comps, Values: values}})
	return string(b)
}

func windows(v previewView) string {
	var out []string
	for _, w := range v.Windows {
		out = append(out, fmt.Sprintf("%s %d/%d/%d/%d %v", w.Period, w.Total, w.Matched, w.Unknown, w.Left, w.Exact))
	}
	return strings.Join(out, " | ")
}

func TestTuningPreviewCountsWhatTheDraftSilences(t *testing.T) {
	d := tuningStore(t)
	code, v, eb := previewOf(t, d, draft([]string{"container.image.repository", "proc.name"}, []string{"=", "="}, []string{"ghcr.io/shop/app", "sh"}))
	if code != 200 {
		t.Fatal(code, eb)
	}
	if got := windows(v); got != "24h 32/20/0/12 true | 7d 37/25/0/12 true" {
		t.Errorf("windows %s", got)
	}
	if len(v.Matched) != 5 || len(v.Unmatched) != 5 || len(v.Warnings) != 0 || len(v.UnknownFields) != 0 {
		t.Errorf("samples %d/%d warnings %v unknown %v", len(v.Matched), len(v.Unmatched), v.Warnings, v.UnknownFields)
	}
	for _, s := range v.Matched {
		if s.Values["proc.name"] != "sh" || s.Values["container.image.repository"] != "ghcr.io/shop/app" {
			t.Errorf("matched sample %+v", s)
		}
	}
	for _, s := range v.Unmatched {
		if s.Values["proc.name"] == "sh" {
			t.Errorf("unmatched sample %+v", s)
		}
	}
	if v.Condition != " and not (( container.image.repository = ghcr.io/shop/app and  proc.name = sh))" { // two spaces, as Falco writes it
		t.Errorf("condition %q", v.Condition)
	}

	// Everything, across namespaces and images: said before it is deployed.
	_, v, _ = previewOf(t, d, draft([]string{"container.image.repository"}, []string{"contains"}, []string{"/"}))
	if got := windows(v); got != "24h 32/32/0/0 true | 7d 37/37/0/0 true" || len(v.Warnings) != 3 ||
		!strings.Contains(v.Warnings[0], "all 37") || !strings.Contains(v.Warnings[1], "2 namespaces (shop, web)") ||
		!strings.Contains(v.Warnings[2], "2 images (docker.io/library/nginx, ghcr.io/shop/app)") {
		t.Errorf("broad draft: %s %q", windows(v), v.Warnings)
	}

	// A field the events do not carry, and a comp the matcher does not evaluate: unknown, never guessed.
	_, v, _ = previewOf(t, d, draft([]string{"proc.name", "fd.name"}, []string{"=", "startswith"}, []string{"sh", "/etc"}))
	if got := windows(v); got != "24h 32/0/20/12 false | 7d 37/0/25/12 false" || strings.Join(v.UnknownFields, ",") != "fd.name" {
		t.Errorf("absent field: %s unknown %v", windows(v), v.UnknownFields)
	}
	_, v, _ = previewOf(t, d, draft([]string{"proc.name"}, []string{"glob"}, []string{"s*"}))
	if got := windows(v); got != "24h 32/0/30/2 false | 7d 37/0/35/2 false" || strings.Join(v.UnknownFields, ",") != "proc.name" {
		t.Errorf("glob: %s unknown %v", windows(v), v.UnknownFields)
	}

	// Hostile values are data.
	code, v, _ = previewOf(t, d, draft([]string{"proc.name"}, []string{"="}, []string{`sh") or (proc.name = "x`}, []string{"a,b 'c' ✓"}))
	if code != 200 || windows(v) != "24h 32/0/0/32 true | 7d 37/0/0/37 true" {
		t.Errorf("hostile: %d %s", code, windows(v))
	}
}

func TestTuningPreviewRefusesBadDrafts(t *testing.T) {
	d := tuningStore(t)
	for _, tc := range []struct{ body, want string }{
		{`{}`, `no "exception"`},
		{`{"exception": 3}`, `must be`},
		{draft([]string{"proc.name"}, []string{"="}, []string{`C:\`}), "ends with a backslash"},
		{draft([]string{"ka.user.name"}, []string{"="}, []string{"admin"}), "belongs to source k8s_audit"},
		{draft([]string{"proc.name"}, []string{"exists"}, []string{"x"}), `comp "exists"`},
		{draft([]string{"proc.name"}, []string{"="}), "1 to 100 rows"},
		{`{"exception":{"rule":"` + shellRule + `","name":"n","fields":["proc.name"],"comps":["="],"values":[["` + strings.Repeat("x", 2000) + `"]]}}`, "longer than 1024 bytes"},
	} {
		code, _, eb := previewOf(t, d, tc.body)
		if code != 400 || !strings.Contains(eb.Error+fmt.Sprint(eb.Details), tc.want) {
			t.Errorf("%.80s: %d %q %v, want 400 %q", tc.body, code, eb.Error, eb.Details, tc.want)
		}
	}
	rec, _ := serve(t, newMux(d.routes()), http.MethodPost, "/tuning/preview", "application/json", []byte(`{"exception":{"name":"`+strings.Repeat("x", maxRequestBody)+`"}}`))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", rec.Code)
	}
}

// The Loki store cannot group by output fields: the answer says so instead of a number.
func TestTuningOnLokiSaysWhatItCannotCount(t *testing.T) {
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "loki", JSONData: []byte(`{"eventStore":"loki","lokiUrl":"http://127.0.0.1:1"}`)})
	if err != nil {
		t.Fatal(err)
	}
	d := inst.(*Datasource)
	defer d.Dispose()
	code, v, eb := previewOf(t, d, draft([]string{"proc.name"}, []string{"="}, []string{"sh"}))
	if code != 200 || !strings.Contains(v.Unavailable, "Loki") || v.Windows != nil || v.Condition == "" {
		t.Errorf("preview on Loki: %d %+v %v", code, v, eb)
	}
	rec, _ := tuningGet(t, d, "/tuning/sources", url.Values{"rule": {shellRule}, "fields": {"proc.name"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"unavailable":"The Loki event store cannot count`) {
		t.Errorf("sources on Loki: %d %s", rec.Code, rec.Body)
	}
	rec, _ = tuningGet(t, d, "/tuning/fields", url.Values{"rule": {shellRule}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"field":"proc.name"`) {
		t.Errorf("fields on Loki come from the catalog: %d %s", rec.Code, rec.Body)
	}
}

// A browser that leaves (or Grafana's timeout) while the store reads: 504 saying nothing was changed, not a 500 that
// reads like a broken store; the stored events are untouched and the next request answers.
func TestTuningReadsEndedByTheClientAreNotStoreFaults(t *testing.T) {
	d := tuningStore(t)
	mux := newMux(d.routes())
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodPost, "/tuning/preview", draft([]string{"proc.name"}, []string{"="}, []string{"sh"})},
		{http.MethodGet, "/tuning/sources?" + url.Values{"rule": {shellRule}, "fields": {"proc.name"}}.Encode(), ""},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body)).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusGatewayTimeout || !strings.Contains(rec.Body.String(), "nothing was changed") {
			t.Errorf("%s with the client gone: %d %s", tc.path, rec.Code, rec.Body)
		}
	}
	code, v, eb := previewOf(t, d, draft([]string{"proc.name"}, []string{"="}, []string{"sh"}))
	if code != 200 || len(v.Windows) != 2 || v.Windows[1].Total == 0 {
		t.Fatalf("after the cancelled requests: %d %+v %v", code, v.Windows, eb)
	}
}
