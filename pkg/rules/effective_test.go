package rules

import (
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

func effective(t *testing.T, content string) map[string]RuleInfo {
	t.Helper()
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: &catalog.Get().Defaults})
	if res.Errors() != 0 {
		t.Fatalf("unexpected errors: %s", describe(res.Diagnostics))
	}
	out := map[string]RuleInfo{}
	for _, r := range res.Rules {
		out[r.Name] = r
	}
	return out
}

// Custom files change default rules the way Falco applies them: enabled-only items and replaced keys show,
// appends to a default rule's body are accepted without inventing what the body was.
func TestEffectiveRulesetAppliesOverridesToDefaults(t *testing.T) {
	rules := effective(t, `
- rule: Terminal shell in container
  enabled: false
- rule: Run shell untrusted
  priority: critical
  tags: [mitre_execution, T1059]
  override:
    priority: replace
    tags: replace
- rule: Read sensitive file untrusted
  condition: and not proc.name = backup
  override:
    condition: append
- rule: Netcat in container
  desc: netcat ran
  condition: spawned_process and container and proc.name in (nc, ncat)
  output: netcat (container=%container.name)
  priority: notice
  tags: [container, mitre_command_and_control, mitre_lateral_movement]
`)
	if r := rules["Terminal shell in container"]; r.Enabled || !r.Default || r.File != DefaultsFile {
		t.Errorf("enabled: false must switch the default rule off: %+v", r)
	}
	if r := rules["Run shell untrusted"]; r.Priority != "Critical" || len(r.Mitre) != 1 || r.Mitre[0] != "execution" {
		t.Errorf("replaced priority and tags must show: %+v", r)
	}
	// The default ruleset's facts give the rule its priority, source and tags.
	if r := rules["Read sensitive file untrusted"]; !r.Enabled || r.Priority != "Warning" || r.Source != "syscall" || len(r.Mitre) == 0 || !r.Default {
		t.Errorf("a default rule shows its priority, source and tags: %+v", r)
	}
	r := rules["Netcat in container"]
	if r.Priority != "Notice" || r.Default || r.Line != 14 || len(r.Mitre) != 2 || r.Mitre[0] != "command and control" || r.Mitre[1] != "lateral movement" {
		t.Errorf("custom rule: %+v", r)
	}
}

// A later definition of a rule replaces the earlier one in place, as Falco keeps the first load position.
func TestRedefinitionReplaces(t *testing.T) {
	rules := effective(t, `
- rule: Twice
  desc: first
  condition: evt.num > 0
  output: one
  priority: debug
- rule: Twice
  desc: second
  condition: evt.num > 1
  output: two
  priority: error
  enabled: false
`)
	if r := rules["Twice"]; r.Priority != "Error" || r.Enabled || r.Line != 7 {
		t.Errorf("the second definition wins: %+v", r)
	}
}
