package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// maxRequestBody bounds every resource request body; a larger one gets 413 before it is read into memory.
const maxRequestBody = 4 << 20

// route is one resource endpoint: adding an endpoint is adding one line to Datasource.routes.
type route struct {
	method  string
	path    string
	handler http.HandlerFunc
}

// ErrorBody is the one JSON shape of every 4xx/5xx answer from a resource endpoint.
type ErrorBody struct {
	Error   string `json:"error"`
	Details []any  `json:"details,omitempty"`
	// Code names the failure for the browser to act on (deploy endpoints: see contracts/deploy-api.md).
	Code string `json:"code,omitempty"`
}

func (d *Datasource) routes() []route {
	return []route{
		{http.MethodGet, "/settings", d.handleSettings},
		{http.MethodPost, "/rules/validate", d.handleValidateRules},
		{http.MethodGet, "/rules/catalog", d.handleRulesCatalog},
		{http.MethodGet, "/rules/lab", d.handleLabRules},
		{http.MethodGet, "/deploy/releases", d.handleDeployReleases},
		{http.MethodGet, "/deploy/release", d.handleDeployRelease},
		{http.MethodPost, "/deploy/plan", d.handleDeployPlan},
		{http.MethodPost, "/deploy/apply", d.handleDeployApply},
		{http.MethodPost, "/deploy/rollback", d.handleDeployRollback},
		{http.MethodPost, "/deploy/recover", d.handleDeployRecover},
		{http.MethodGet, "/deploy/operation", d.handleDeployOperation},
		{http.MethodGet, "/deploy/permissions", d.handleDeployPermissions},
		{http.MethodGet, "/deploy/rollout", d.handleDeployRollout},
		{http.MethodGet, "/deploy/history", d.handleDeployHistory},
		{http.MethodGet, "/deploy/history/diff", d.handleDeployHistoryDiff},
		{http.MethodPost, "/events", d.handleIngest},
		{http.MethodGet, "/tuning/rule-rate", d.handleRuleRate},
		{http.MethodGet, "/tuning/fields", d.handleTuningFields},
		{http.MethodGet, "/tuning/sources", d.handleTuningSources},
		{http.MethodPost, "/tuning/preview", d.handleTuningPreview},
	}
}

// newMux mounts the route table; wrong methods get 405 and unknown paths 404, both in the JSON error shape.
func newMux(routes []route) *http.ServeMux {
	mux := http.NewServeMux()
	byPath := map[string]map[string]http.HandlerFunc{}
	for _, r := range routes {
		if byPath[r.path] == nil {
			byPath[r.path] = map[string]http.HandlerFunc{}
		}
		byPath[r.path][r.method] = r.handler
	}
	for path, methods := range byPath {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		mux.HandleFunc(path, func(w http.ResponseWriter, req *http.Request) {
			h, ok := methods[req.Method]
			if !ok {
				w.Header().Set("Allow", strings.Join(allowed, ", "))
				writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s is not supported; use %s", req.Method, path, strings.Join(allowed, " or ")))
				return
			}
			if req.Body == nil { // httpadapter builds requests without a body when the call's body is empty
				req.Body = http.NoBody
			}
			req.Body = http.MaxBytesReader(w, req.Body, maxRequestBody)
			defer recoverAs500(w, req, path)
			h(w, req)
		})
	}
	known := make([]any, 0, len(byPath))
	for p := range byPath {
		known = append(known, p)
	}
	sort.Slice(known, func(i, j int) bool { return known[i].(string) < known[j].(string) })
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no resource %q", req.URL.Path), known...)
	})
	return mux
}

// recoverAs500 turns a handler's panic into the JSON error shape, logged with its stack, instead of a failed gRPC call.
func recoverAs500(w http.ResponseWriter, req *http.Request, path string) {
	if r := recover(); r != nil {
		log.DefaultLogger.FromContext(req.Context()).Error("resource handler panicked", "path", path, "panic", r, "stack", string(debug.Stack()))
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("%s %s failed unexpectedly; the Grafana server log has the details", req.Method, path))
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string, details ...any) {
	writeJSON(w, status, ErrorBody{Error: msg, Details: details})
}

// decodeJSONBody reads one JSON value into v and answers the client itself when the body is unusable.
// It returns false when an error answer was written.
func decodeJSONBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q is not supported; send application/json", ct))
		return false
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		var syntaxErr *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &maxErr):
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", maxErr.Limit))
		case errors.Is(err, io.EOF):
			writeError(w, http.StatusBadRequest, "request body is empty; send a JSON object")
		case errors.As(err, &syntaxErr):
			writeError(w, http.StatusBadRequest, fmt.Sprintf("request body is not valid JSON at byte %d: %v", syntaxErr.Offset, err))
		case errors.As(err, &typeErr):
			writeError(w, http.StatusBadRequest, fmt.Sprintf("field %q must be %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value))
		default:
			writeError(w, http.StatusBadRequest, fmt.Sprintf("request body is not valid JSON: %v", err))
		}
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "request body must hold exactly one JSON value")
		return false
	}
	return true
}

// settingsView is what the browser may see of the settings: never the ingest token itself.
type settingsView struct {
	Settings
	DeploySettings
	IngestTokenConfigured bool     `json:"ingestTokenConfigured"`
	KubeconfigConfigured  bool     `json:"kubeconfigConfigured"`
	IngestPath            string   `json:"ingestPath"`
	IngestHeader          string   `json:"ingestHeader"`
	Problems              []string `json:"problems,omitempty"`
	DeployProblems        []string `json:"deployProblems,omitempty"`
}

func (d *Datasource) handleSettings(w http.ResponseWriter, _ *http.Request) {
	view := settingsView{Settings: d.settings, DeploySettings: d.settings.Deploy, IngestTokenConfigured: d.settings.IngestToken != "",
		KubeconfigConfigured: d.settings.Deploy.Kubeconfig != "", DeployProblems: d.settings.Deploy.Problems,
		IngestPath: "/api/datasources/uid/" + d.uid + "/resources/events", IngestHeader: IngestTokenHeader}
	if d.settingsErr != nil {
		view.Problems = asSettingsError(d.settingsErr)
	}
	writeJSON(w, http.StatusOK, view)
}
