package plugin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/containersec/container-security/internal/deploytest"
	"github.com/containersec/container-security/pkg/deploy"
	"github.com/containersec/container-security/pkg/rules"
)

// A plan renders every object with the datasource's credentials: Admin only, unless the datasource lets Editors plan.
func TestDeployPlanNeedsAdminUnlessEditorsMayPlan(t *testing.T) {
	d, _, _ := deployDatasource(t, deploytest.SidekickValues(map[string]any{"a.yaml": deploytest.GoodRule}))
	body := applyBody(1, rules.File{Name: "a.yaml", Content: deploytest.OtherRule})
	for _, u := range []*backend.User{viewer, editor, nil} {
		rec, eb := call(t, d, u, http.MethodPost, "/deploy/plan", body)
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
		if u != nil && !strings.Contains(eb.Error, "you are "+u.Role) {
			t.Errorf("the reason names the role: %s", eb.Error)
		}
		rec, eb = call(t, d, u, http.MethodGet, "/deploy/permissions?namespace=falco&name=falco", nil)
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
		rec, eb = call(t, d, u, http.MethodPost, "/deploy/recover", map[string]any{"namespace": "falco", "name": "falco", "baseRevision": 1})
		wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
	}
	if rec, _ := call(t, d, admin, http.MethodPost, "/deploy/plan", body); rec.Code != http.StatusOK {
		t.Fatalf("admin plan: %d %s", rec.Code, rec.Body.String())
	}

	d.settings.Deploy.EditorsCanPlan = true
	if rec, _ := call(t, d, editor, http.MethodPost, "/deploy/plan", body); rec.Code != http.StatusOK {
		t.Fatalf("editor plan with editorsCanPlan: %d %s", rec.Code, rec.Body.String())
	}
	rec, eb := call(t, d, viewer, http.MethodPost, "/deploy/plan", body)
	wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
	if !strings.Contains(eb.Error, "Admin or Editor") {
		t.Fatalf("reason: %s", eb.Error)
	}
	// Editors still never apply.
	rec, eb = call(t, d, editor, http.MethodPost, "/deploy/apply", body)
	wantStatus(t, rec, eb, http.StatusForbidden, deploy.CodeForbiddenRole)
}

func TestDeployTimeoutAndPlanSettings(t *testing.T) {
	s, _ := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{}`)})
	if s.Deploy.KubeRequestTimeoutSeconds != 30 || s.Deploy.ChartDownloadTimeoutSeconds != 60 || s.Deploy.EditorsCanPlan {
		t.Fatalf("defaults: %+v", s.Deploy)
	}
	s, _ = ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"kubeRequestTimeoutSeconds":0,"chartDownloadTimeoutSeconds":9999,"editorsCanPlan":true}`)})
	all := strings.Join(s.Deploy.Problems, "\n")
	if !strings.Contains(all, "Kubernetes request timeout") || !strings.Contains(all, "chart download timeout") || !s.Deploy.EditorsCanPlan {
		t.Fatalf("problems: %s", all)
	}
}
