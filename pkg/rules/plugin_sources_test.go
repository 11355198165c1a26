package rules

import (
	"strings"
	"testing"
)

const auditRule = `- rule: Exec into pod
  desc: someone ran kubectl exec
  condition: ka.verb = create and ka.target.subresource = exec
  output: exec (user=%ka.user.name)
  priority: NOTICE
  source: k8s_audit
`

// Stock Falco, as the chart installs it (load_plugins: []), has only the syscall source: a rule for a plugin's
// source is collected with unknown_source and warned about, never compiled (falcosecurity/falco
// rule_loader_collector.cpp define(rule_info): LOAD_UNKNOWN_SOURCE "Unknown source <source>, skipping").
func TestPluginSourceNotLoadedIsSkipped_RuleLoaderCollectorDefine(t *testing.T) {
	for source, plugin := range map[string]string{"k8s_audit": "k8saudit", "aws_cloudtrail": "cloudtrail", "okta": "okta", "gcp_auditlog": "gcpaudit", "github": "github"} {
		t.Run(source, func(t *testing.T) {
			// A field that does not exist: Falco never compiles the rule, so it says nothing about it.
			content := "- rule: r\n  desc: d\n  condition: not.a.field = x\n  output: o\n  priority: info\n  source: " + source + "\n"
			res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: defaultsForTest()})
			if len(res.Diagnostics) != 1 {
				t.Fatalf("want one warning: %s", describe(res.Diagnostics))
			}
			d := res.Diagnostics[0]
			if d.Severity != SeverityWarning || d.Code != "LOAD_UNKNOWN_SOURCE" || !strings.HasPrefix(d.Message, "Unknown source "+source+", skipping") ||
				!strings.Contains(d.Message, plugin) || d.Line != 6 || d.Column != 11 {
				t.Fatalf("want Falco's unknown-source warning naming %s at the source key: %s", plugin, describe(res.Diagnostics))
			}
		})
	}
}

// When the user says which plugins their Falco loads, the plugin's source is there and its rules are checked.
func TestPluginSourceLoadedIsChecked(t *testing.T) {
	res := Validate([]File{{Name: "custom.yaml", Content: auditRule}}, Options{Defaults: defaultsForTest(), Plugins: []string{"k8saudit", "json"}})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("k8saudit loaded: want no diagnostics: %s", describe(res.Diagnostics))
	}
	broken := strings.Replace(auditRule, "ka.verb", "ka.verbb", 1)
	res = Validate([]File{{Name: "custom.yaml", Content: broken}}, Options{Defaults: defaultsForTest(), Plugins: []string{"k8saudit"}})
	if e := firstError(res); e.Code != "LOAD_ERR_COMPILE_CONDITION" || !strings.Contains(e.Message, "ka.verbb") {
		t.Fatalf("k8saudit loaded: a wrong field is an error: %s", describe(res.Diagnostics))
	}
	// Another plugin does not bring k8s_audit.
	res = Validate([]File{{Name: "custom.yaml", Content: auditRule}}, Options{Defaults: defaultsForTest(), Plugins: []string{"cloudtrail"}})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "LOAD_UNKNOWN_SOURCE" {
		t.Fatalf("only cloudtrail loaded: %s", describe(res.Diagnostics))
	}
	// The syscall source needs no plugin.
	res = Validate([]File{{Name: "custom.yaml", Content: okRule}}, Options{Defaults: defaultsForTest()})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("syscall rule: %s", describe(res.Diagnostics))
	}
}
