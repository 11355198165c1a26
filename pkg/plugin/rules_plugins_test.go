package plugin

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules"
)

const auditRule = `- rule: Exec into pod
  desc: someone ran kubectl exec
  condition: ka.verb = create and ka.target.subresource = exec
  output: exec (user=%ka.user.name)
  priority: NOTICE
  source: k8s_audit
`

func validateWith(t *testing.T, d *Datasource, body map[string]any) (int, rules.Result, ErrorBody) {
	t.Helper()
	b, _ := json.Marshal(body)
	rec, eb := serve(t, newMux(d.routes()), http.MethodPost, "/rules/validate", "application/json", b)
	var res rules.Result
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Code, res, eb
}

// The Falco chart loads no plugins (load_plugins: []), so a k8s_audit rule gets Falco's "Unknown source" warning
// (rule_loader_collector.cpp define) unless the datasource's falcoPlugins setting or the request names k8saudit.
func TestValidateRulesKnowsWhichPluginsFalcoLoads(t *testing.T) {
	files := []rules.File{{Name: "audit.yaml", Content: auditRule}}
	stock := newTestDatasource(t, sqliteSettings(t))
	code, res, _ := validateWith(t, stock, map[string]any{"files": files})
	if code != http.StatusOK || len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "LOAD_UNKNOWN_SOURCE" || !strings.HasPrefix(res.Diagnostics[0].Message, "Unknown source k8s_audit, skipping") {
		t.Fatalf("stock Falco: %d %+v", code, res.Diagnostics)
	}
	code, res, _ = validateWith(t, stock, map[string]any{"files": files, "plugins": []string{"k8saudit", "json"}})
	if code != http.StatusOK || len(res.Diagnostics) != 0 {
		t.Fatalf("request names k8saudit: %d %+v", code, res.Diagnostics)
	}

	b, _ := json.Marshal(map[string]any{"eventStore": "sqlite", "sqlitePath": filepath.Join(t.TempDir(), "events.db"), "falcoPlugins": []string{"k8saudit", "json"}})
	withAudit := newTestDatasource(t, string(b))
	if code, res, _ = validateWith(t, withAudit, map[string]any{"files": files}); code != http.StatusOK || len(res.Diagnostics) != 0 {
		t.Fatalf("setting names k8saudit: %d %+v", code, res.Diagnostics)
	}
	// The request's list replaces the setting: an empty list is stock Falco again.
	if code, res, _ = validateWith(t, withAudit, map[string]any{"files": files, "plugins": []string{}}); code != http.StatusOK || len(res.Diagnostics) != 1 {
		t.Fatalf("request says no plugins: %d %+v", code, res.Diagnostics)
	}
	// A name that cannot be a plugin's is the request's mistake.
	if code, _, eb := validateWith(t, stock, map[string]any{"files": files, "plugins": []string{"k8s audit"}}); code != http.StatusBadRequest || !strings.Contains(eb.Error, `"k8s audit"`) {
		t.Fatalf("bad plugin name: %d %+v", code, eb)
	}
}

func TestSettingsRejectABadFalcoPluginName(t *testing.T) {
	b, _ := json.Marshal(map[string]any{"eventStore": "sqlite", "sqlitePath": filepath.Join(t.TempDir(), "events.db"), "falcoPlugins": []string{"k8saudit", "bad name"}})
	d := newTestDatasource(t, string(b))
	if d.settingsErr == nil || !strings.Contains(d.settingsErr.Error(), `Falco plugin "bad name"`) || len(d.settings.FalcoPlugins) != 1 {
		t.Fatalf("settings: %v %+v", d.settingsErr, d.settings.FalcoPlugins)
	}
}
