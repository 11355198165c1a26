package plugin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func serve(t *testing.T, h http.Handler, method, path, contentType string, body []byte) (*httptest.ResponseRecorder, ErrorBody) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var eb ErrorBody
	if rec.Code >= 400 {
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("error answers must be JSON, got %q", ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error == "" {
			t.Fatalf("error body %q is not the {error, details} shape: %v", rec.Body.String(), err)
		}
	}
	return rec, eb
}

func TestSettingsRouteHidesTheToken(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	d.settings.IngestToken = "do-not-leak"
	rec, _ := serve(t, newMux(d.routes()), http.MethodGet, "/settings", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "do-not-leak") {
		t.Fatal("the ingest token must never reach the browser")
	}
	var v map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &v)
	if v["ingestTokenConfigured"] != true || v["eventStore"] != "sqlite" {
		t.Fatalf("unexpected body %s", rec.Body.String())
	}
}

func TestRoutingErrors(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	mux := newMux(d.routes())
	rec, eb := serve(t, mux, http.MethodGet, "/nope", "", nil)
	if rec.Code != http.StatusNotFound || !strings.Contains(eb.Error, `no resource "/nope"`) || len(eb.Details) == 0 {
		t.Fatalf("404: got %d %+v", rec.Code, eb)
	}
	rec, eb = serve(t, mux, http.MethodDelete, "/settings", "", nil)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET" || !strings.Contains(eb.Error, "use GET") {
		t.Fatalf("405: got %d %+v", rec.Code, eb)
	}
}

// echoRoute exercises decodeJSONBody the way every POST endpoint uses it.
func echoRoute() route {
	return route{http.MethodPost, "/echo", func(w http.ResponseWriter, r *http.Request) {
		var v struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		}
		if !decodeJSONBody(w, r, &v) {
			return
		}
		writeJSON(w, http.StatusOK, v)
	}}
}

func TestDecodeJSONBody(t *testing.T) {
	mux := newMux([]route{echoRoute()})
	huge := append([]byte(`{"name":"`), bytes.Repeat([]byte("a"), maxRequestBody+1)...)
	for name, tc := range map[string]struct {
		body        []byte
		contentType string
		status      int
		want        string
	}{
		"valid":           {[]byte(`{"name":"x","count":2}`), "application/json", 200, ""},
		"empty":           {nil, "application/json", 400, "request body is empty"},
		"syntax":          {[]byte(`{"name": }`), "application/json", 400, "not valid JSON at byte"},
		"truncated":       {[]byte(`{"name": "x"`), "application/json", 400, "not valid JSON"},
		"wrong type":      {[]byte(`{"count":"many"}`), "application/json", 400, `field "count" must be int`},
		"two values":      {[]byte(`{} {}`), "application/json", 400, "exactly one JSON value"},
		"oversized":       {huge, "application/json", 413, "larger than"},
		"wrong media":     {[]byte(`name=x`), "application/x-www-form-urlencoded", 415, "send application/json"},
		"binary garbage":  {[]byte{0xff, 0xfe, 0x00, 0x01}, "", 400, "not valid JSON"},
		"deeply nested":   {[]byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000)), "", 400, "exceeded max depth"},
		"charset allowed": {[]byte(`{"name":"ü"}`), "application/json; charset=utf-8", 200, ""},
	} {
		t.Run(name, func(t *testing.T) {
			rec, eb := serve(t, mux, http.MethodPost, "/echo", tc.contentType, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status: got %d want %d (%s)", rec.Code, tc.status, rec.Body.String())
			}
			if tc.want != "" && !strings.Contains(eb.Error, tc.want) {
				t.Fatalf("error %q does not say %q", eb.Error, tc.want)
			}
		})
	}
}

func TestResourcePanicIsAJSON500(t *testing.T) {
	mux := newMux([]route{
		{http.MethodPost, "/boom", func(http.ResponseWriter, *http.Request) { panic("secret-free crash") }},
		{http.MethodGet, "/fine", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, "ok") }},
	})
	rec, eb := serve(t, mux, http.MethodPost, "/boom", "application/json", []byte(`{}`))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(eb.Error, "POST /boom failed unexpectedly") {
		t.Fatalf("got %d %+v", rec.Code, eb)
	}
	if strings.Contains(rec.Body.String(), "secret-free crash") {
		t.Fatal("the panic value belongs in the server log, not in the answer")
	}
	if rec, _ := serve(t, mux, http.MethodGet, "/fine", "", nil); rec.Code != http.StatusOK {
		t.Fatalf("the mux must keep serving after a panic, got %d", rec.Code)
	}
}
