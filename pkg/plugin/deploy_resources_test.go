package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/rules"
)

// auditLog records the datasource's audit lines.
type auditLog struct {
	mu    sync.Mutex
	lines []string
}

func (a *auditLog) add(level, msg string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lines = append(a.lines, level+" "+msg+" "+fmt.Sprint(args...))
}
func (a *auditLog) Debug(msg string, args ...any)          { a.add("debug", msg, args...) }
func (a *auditLog) Info(msg string, args ...any)           { a.add("info", msg, args...) }
func (a *auditLog) Warn(msg string, args ...any)           { a.add("warn", msg, args...) }
func (a *auditLog) Error(msg string, args ...any)          { a.add("error", msg, args...) }
func (a *auditLog) With(...any) log.Logger                 { return a }
func (a *auditLog) Level() log.Level                       { return log.Debug }
func (a *auditLog) FromContext(context.Context) log.Logger { return a }
func (a *auditLog) all() string                            { a.mu.Lock(); defer a.mu.Unlock(); return strings.Join(a.lines, "\n") }

// deployDatasource is a Falco datasource whose deploy service runs on Helm's memory storage with the real chart.
func deployDatasource(t *testing.T, values map[string]any) (*Datasource, *deploytest.Fixture, *auditLog) {
	t.Helper()
	d := newTestDatasource(t, sqliteSettings(t))
	f := deploytest.New(t, values)
	audit := &auditLog{}
	d.deploy = &deployState{build: func() (*deploy.Service, error) { return f.Service, nil }, audit: audit}
	return d, f, audit
}

var (
	admin  = &backend.User{Login: "admin", Role: "Admin"}
	editor = &backend.User{Login: "ed", Role: "Editor"}
	viewer = &backend.User{Login: "vi", Role: "Viewer"}
)

// call sends one resource request the way Grafana does: the user comes in the plugin context, not in the request.
func call(t *testing.T, d *Datasource, user *backend.User, method, path string, body any) (*httptest.ResponseRecorder, ErrorBody) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case nil:
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	ctx := backend.WithPluginContext(req.Context(), backend.PluginContext{User: user})
	ctx = backend.WithUser(ctx, user)
	rec := httptest.NewRecorder()
	newMux(d.routes()).ServeHTTP(rec, req.WithContext(ctx))
	var eb ErrorBody
	if rec.Code >= 400 {
		if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error == "" {
			t.Fatalf("error body %q is not the {error, details, code} shape: %v", rec.Body.String(), err)
		}
	}
	return rec, eb
}

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, eb ErrorBody, status int, code string) {
	t.Helper()
	if rec.Code != status || eb.Code != code {
		t.Fatalf("want %d %q, got %d %q: %s", status, code, rec.Code, eb.Code, rec.Body.String())
	}
}

func applyBody(base int, files ...rules.File) map[string]any {
	if files == nil {
		files = []rules.File{}
	}
	return map[string]any{"namespace": "falco", "name": "falco", "baseRevision": base, "files": files}
}

func TestDeployReadEndpoints(t *testing.T) {
	d, _, _ := deployDatasource(t, deploytest.SidekickValues(map[string]any{"b.yaml": deploytest.OtherRule, "a.yaml": deploytest.GoodRule}))
	rec, _ := call(t, d, viewer, http.MethodGet, "/deploy/releases", nil)
	var list struct{ Releases []deploy.Release }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || rec.Code != 200 || len(list.Releases) != 1 || list.Releases[0].ManagedBy.Kind != "helm" {
		t.Fatalf("releases: %d %s", rec.Code, rec.Body.String())
	}
	rec, _ = call(t, d, viewer, http.MethodGet, "/deploy/release?namespace=falco&name=falco", nil)
	var one struct {
		Release deploy.Release
		Files   []rules.File
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &one); err != nil || one.Release.Revision != 1 || len(one.Files) != 2 || one.Files[0].Name != "a.yaml" {
		t.Fatalf("release: %s", rec.Body.String())
	}
	rec, eb := call(t, d, viewer, http.MethodGet, "/deploy/release?namespace=falco&name=missing", nil)
	wantStatus(t, rec, eb, http.StatusNotFound, deploy.CodeReleaseNotFound)
	rec, eb = call(t, d, viewer, http.MethodGet, "/deploy/release?namespace=../etc&name=falco", nil)
	wantStatus(t, rec, eb, http.StatusBadRequest, deploy.CodeBadRequest)
	rec, eb = call(t, d, viewer, http.MethodGet, "/deploy/history/diff?namespace=falco&name=falco&from=x&to=1", nil)
	wantStatus(t, rec, eb, http.StatusBadRequest, deploy.CodeBadRequest)
	rec, eb = call(t, d, viewer, http.MethodGet, "/deploy/history/diff?namespace=falco&name=falco&from=1&to=9", nil)
	wantStatus(t, rec, eb, http.StatusNotFound, deploy.CodeReleaseNotFound)
	// The fake clientset has no DaemonSet yet: the release renders one, so the rollout is not done.
	rec, _ = call(t, d, viewer, http.MethodGet, "/deploy/rollout?namespace=falco&name=falco", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"done":false,"daemonSets":[{"namespace":"falco","name":"falco"`) || !strings.Contains(rec.Body.String(), `"missing":true`) {
		t.Fatalf("rollout: %d %s", rec.Code, rec.Body.String())
	}
}

func TestDeployPlanApplyHistoryOverHTTP(t *testing.T) {
	d, f, audit := deployDatasource(t, deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
	changed := rules.File{Name: "a.yaml", Content: deploytest.OtherRule}
	rec, _ := call(t, d, admin, http.MethodPost, "/deploy/plan", applyBody(1, changed))
	var plan deploy.Plan
	if err := json.Unmarshal(rec.Body.Bytes(), &plan); err != nil || rec.Code != 200 || plan.ConfirmRequired || len(plan.Objects) != 2 || plan.Files[0].Change != "modified" {
		t.Fatalf("plan: %d %s", rec.Code, rec.Body.String())
	}
	rec, _ = call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, changed))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `Grafana user \"admin\" deployed custom rules: a.yaml`) {
		t.Fatalf("apply: %d %s", rec.Code, rec.Body.String())
	}
	if f.Last().Version != 2 {
		t.Fatal("apply did not make revision 2")
	}
	if a := audit.all(); !strings.Contains(a, "info Falco rules deploy") || !strings.Contains(a, "admin") || !strings.Contains(a, "ok") {
		t.Fatalf("apply not audited with user and result: %s", a)
	}
	rec, _ = call(t, d, viewer, http.MethodGet, "/deploy/history?namespace=falco&name=falco", nil)
	var hist struct{ Revisions []deploy.Revision }
	if err := json.Unmarshal(rec.Body.Bytes(), &hist); err != nil || len(hist.Revisions) != 2 || hist.Revisions[0].User != "admin" || hist.Revisions[0].Files[0] != "a.yaml" {
		t.Fatalf("history: %s", rec.Body.String())
	}
	rec, _ = call(t, d, viewer, http.MethodGet, "/deploy/history/diff?namespace=falco&name=falco&from=1&to=2", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "+- rule: Curl in grafana test container") {
		t.Fatalf("history diff: %s", rec.Body.String())
	}
	// Rollback preview, then rollback by an Admin.
	rec, _ = call(t, d, admin, http.MethodPost, "/deploy/plan", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 2, "rollbackTo": 1})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"rollbackTo":1`) {
		t.Fatalf("rollback plan: %s", rec.Body.String())
	}
	rec, _ = call(t, d, admin, http.MethodPost, "/deploy/rollback", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 2, "toRevision": 1})
	if rec.Code != 200 || f.Last().Version != 3 {
		t.Fatalf("rollback: %d %s", rec.Code, rec.Body.String())
	}
	if a := audit.all(); !strings.Contains(a, "rollback") {
		t.Fatalf("rollback not audited: %s", a)
	}
}

func TestDeployChangesNeedGrafanaAdmin(t *testing.T) {
	d, f, audit := deployDatasource(t, deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
	for _, u := range []*backend.User{viewer, editor, nil} {
		rec, eb := call(t, d, u, http.MethodPost, "/deploy/apply", applyBody(1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule}))
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
		if u != nil && !strings.Contains(eb.Error, "you are "+u.Role) {
			t.Errorf("reason must name the role: %s", eb.Error)
		}
		if u == nil && !strings.Contains(eb.Error, "no Grafana user") {
			t.Errorf("a call without a user (alerting) must say so: %s", eb.Error)
		}
		rec, eb = call(t, d, u, http.MethodPost, "/deploy/rollback", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 1, "toRevision": 1})
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
	}
	// A role written into the body is ignored: only the plugin context counts.
	body := applyBody(1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule})
	body["role"] = "Admin"
	rec, eb := call(t, d, viewer, http.MethodPost, "/deploy/apply", body)
	wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
	if f.Last().Version != 1 {
		t.Fatal("a refused apply changed the release")
	}
	if a := audit.all(); !strings.Contains(a, "refused") || !strings.Contains(a, "vi") {
		t.Fatalf("refusals are audited: %s", a)
	}
}

func TestDeployErrorsHaveTheirStatusAndCode(t *testing.T) {
	good := rules.File{Name: "a.yaml", Content: deploytest.OtherRule}
	t.Run("invalid rules 422 with diagnostics", func(t *testing.T) {
		d, f, _ := deployDatasource(t, deploytest.SidekickValues(nil))
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, rules.File{Name: "bad.yaml", Content: deploytest.BrokenRule}))
		wantStatus(t, rec, eb, http.StatusUnprocessableEntity, deploy.CodeInvalidRules)
		det, _ := json.Marshal(eb.Details)
		if !strings.Contains(string(det), `"file":"bad.yaml"`) || !strings.Contains(string(det), `"line":3`) || f.Last().Version != 1 || f.ChartLoads != 0 {
			t.Fatalf("details %s, revision %d, chart loads %d", det, f.Last().Version, f.ChartLoads)
		}
		rec, eb = call(t, d, admin, http.MethodPost, "/deploy/plan", applyBody(1, rules.File{Name: "bad.yaml", Content: deploytest.BrokenRule}))
		wantStatus(t, rec, eb, http.StatusUnprocessableEntity, deploy.CodeInvalidRules)
	})
	t.Run("stale revision 409", func(t *testing.T) {
		d, _, _ := deployDatasource(t, deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(7, good))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeStaleRevision)
	})
	t.Run("confirm required 409", func(t *testing.T) {
		d, _, _ := deployDatasource(t, deploytest.SidekickValues(nil))
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, good))
		wantStatus(t, rec, eb, http.StatusConflict, deploy.CodeConfirmRequired)
		body := applyBody(1, good)
		body["confirmWarnings"] = true
		if rec, _ = call(t, d, admin, http.MethodPost, "/deploy/apply", body); rec.Code != 200 {
			t.Fatalf("confirmed: %s", rec.Body.String())
		}
	})
	t.Run("chart unavailable 502", func(t *testing.T) {
		d, f, _ := deployDatasource(t, deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
		f.ChartError = &deploy.Error{Code: deploy.CodeChartUnavailable, Message: "chart repository has no falco 9.1.0"}
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, good))
		wantStatus(t, rec, eb, http.StatusBadGateway, deploy.CodeChartUnavailable)
	})
	t.Run("kube forbidden 403 names the verb", func(t *testing.T) {
		d, f, _ := deployDatasource(t, deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
		f.Kube.UpdateError = apierrors.NewForbidden(schema.GroupResource{Resource: "configmaps"}, "falco-rules",
			errors.New(`User "system:serviceaccount:monitoring:grafana" cannot patch resource "configmaps" in API group "" in the namespace "falco"`))
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/apply", applyBody(1, good))
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeKubeForbidden)
		if !strings.Contains(eb.Error, "cannot patch configmaps in namespace falco") {
			t.Fatalf("message: %s", eb.Error)
		}
	})
	t.Run("cluster unreachable 502", func(t *testing.T) {
		d, f, _ := deployDatasource(t, deploytest.SidekickValues(nil))
		f.Kube.ConnectionError = errors.New("kubernetes cluster unreachable: Get \"https://10.0.0.1:443/version\": dial tcp 10.0.0.1:443: i/o timeout")
		rec, eb := call(t, d, viewer, http.MethodGet, "/deploy/releases", nil)
		wantStatus(t, rec, eb, http.StatusBadGateway, deploy.CodeClusterUnreachable)
	})
	t.Run("bad requests 400 and 413", func(t *testing.T) {
		d, f, _ := deployDatasource(t, deploytest.SidekickValues(nil))
		for name, body := range map[string]any{
			"malformed":    `{"namespace":`,
			"no release":   map[string]any{"baseRevision": 1, "files": []any{}},
			"no base":      map[string]any{"namespace": "falco", "name": "falco", "files": []any{}},
			"no files":     map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 1},
			"path in name": applyBody(1, rules.File{Name: "../x.yaml", Content: "[]"}),
			"dup names":    applyBody(1, rules.File{Name: "a.yaml", Content: "[]"}, rules.File{Name: "a.yaml", Content: "[]"}),
		} {
			rec, _ := call(t, d, admin, http.MethodPost, "/deploy/apply", body)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s: want 400, got %d %s", name, rec.Code, rec.Body.String())
			}
		}
		big := applyBody(1, rules.File{Name: "big.yaml", Content: strings.Repeat("#", rules.MaxFileBytes+1)})
		if rec, _ := call(t, d, admin, http.MethodPost, "/deploy/apply", big); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized file: want 413, got %d", rec.Code)
		}
		rec, eb := call(t, d, admin, http.MethodPost, "/deploy/rollback", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 1})
		wantStatus(t, rec, eb, http.StatusBadRequest, deploy.CodeBadRequest)
		rec, eb = call(t, d, admin, http.MethodPost, "/deploy/plan", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 1})
		wantStatus(t, rec, eb, http.StatusBadRequest, deploy.CodeBadRequest)
		if f.Last().Version != 1 {
			t.Fatal("a bad request changed the release")
		}
	})
}

func TestDeployWithoutClusterSettings(t *testing.T) {
	d := newTestDatasource(t, `{"kubeAccess":"kubeconfig"}`)
	rec, eb := call(t, d, admin, http.MethodGet, "/deploy/releases", nil)
	wantStatus(t, rec, eb, http.StatusBadRequest, deploy.CodeClusterNotConfigured)
	if !strings.Contains(eb.Error, "no kubeconfig") {
		t.Fatalf("message: %s", eb.Error)
	}
	// Grafana outside a pod, with the default in-cluster access.
	d = newTestDatasource(t, `{}`)
	rec, eb = call(t, d, admin, http.MethodGet, "/deploy/releases", nil)
	wantStatus(t, rec, eb, http.StatusBadRequest, deploy.CodeClusterNotConfigured)
}
