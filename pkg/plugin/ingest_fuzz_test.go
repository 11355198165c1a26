package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// ingestCall sends one ingest request the way Grafana does: a CallResourceRequest through the datasource's
// httpadapter (a body of length 0 arrives as a request without a body).
func ingestCall(t testing.TB, d *Datasource, headers map[string][]string, body []byte) (int, []byte) {
	t.Helper()
	rec := &fuzzRecorder{}
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{Method: "POST", Path: "events", URL: "events", Body: body, Headers: headers}, rec)
	if err != nil {
		t.Fatalf("CallResource failed as a call: %v", err)
	}
	return rec.status, rec.body.Bytes()
}

type fuzzRecorder struct {
	status int
	body   bytes.Buffer
}

func (r *fuzzRecorder) Send(res *backend.CallResourceResponse) error {
	if res.Status != 0 {
		r.status = res.Status
	}
	r.body.Write(res.Body)
	return nil
}

func TestIngestEmptyAndBlankBodiesAre400(t *testing.T) {
	d := ingestDatasource(t)
	h := map[string][]string{IngestTokenHeader: {testToken}, "Content-Type": {"application/json"}}
	for name, body := range map[string][]byte{"no body": nil, "empty": {}, "whitespace": []byte(" \n\t\r "), "truncated": []byte(sidekickBody(1, "Critical", "r", "ns", "p")[:40])} {
		status, answer := ingestCall(t, d, h, body)
		var eb ErrorBody
		if status != 400 || json.Unmarshal(answer, &eb) != nil || eb.Error == "" {
			t.Fatalf("%s: got %d %s, want 400 naming the problem", name, status, answer)
		}
	}
	if n := eventCount(t, d); n != 0 {
		t.Fatalf("refused bodies stored %d events", n)
	}
}

// FuzzIngestHandler: whatever the headers and body, the ingest endpoint answers 200 with a count or a 4xx in the
// JSON error shape; never a panic (which recoverAs500 would turn into a 500) and never another 5xx.
func FuzzIngestHandler(f *testing.F) {
	good := sidekickBody(1, "Critical", "Terminal shell in container", "shop", "web-1", "shell")
	for _, seed := range []struct {
		token, contentType string
		body               []byte
	}{
		{testToken, "application/json", []byte(good)},
		{testToken, "application/json", nil},
		{testToken, "", []byte("   ")},
		{testToken, "text/plain", []byte(good[:len(good)/2])},
		{"", "application/json", []byte(good)},
		{"wrong", "application/json", []byte("[" + good + "," + good + "]")},
		{testToken, "application/json", []byte(`{"rule":"r","priority":"Warning","time":"2026-11-29T15:00:00Z","output":"` + strings.Repeat("a", 1<<20) + `"}`)},
		{testToken, "application/json", []byte(`[]`)},
		{testToken, "application/json", []byte("\xff\xfe{")},
	} {
		f.Add(seed.token, seed.contentType, seed.body)
	}
	path := filepath.Join(f.TempDir(), "events.db")
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "falco", JSONData: []byte(`{"eventStore":"sqlite","sqlitePath":"` + path + `"}`),
		DecryptedSecureJSONData: map[string]string{"ingestToken": testToken}})
	if err != nil {
		f.Fatal(err)
	}
	d := inst.(*Datasource)
	f.Cleanup(d.Dispose)
	f.Fuzz(func(t *testing.T, token, contentType string, body []byte) {
		h := map[string][]string{"Content-Type": {contentType}}
		if token != "" {
			h[IngestTokenHeader] = []string{token}
		}
		status, answer := ingestCall(t, d, h, body)
		switch {
		case status == 200:
			var a ingestAnswer
			if json.Unmarshal(answer, &a) != nil || a.Stored+a.Duplicates == 0 {
				t.Fatalf("200 without a count: %s", answer)
			}
		case status >= 400 && status < 500:
			var eb ErrorBody
			if json.Unmarshal(answer, &eb) != nil || eb.Error == "" {
				t.Fatalf("%d without an error message: %s", status, answer)
			}
		default:
			t.Fatalf("status %d for token %q, content type %q, body %q: %s", status, token, contentType, body[:min(len(body), 200)], answer)
		}
	})
}
