package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// at returns the 1-based line and column of the first occurrence of needle in content (columns count characters
// as the diagnostics do; these inputs are ASCII).
func at(t *testing.T, content, needle string) (int, int) {
	t.Helper()
	i := strings.Index(content, needle)
	if i < 0 {
		t.Fatalf("%q is not in the test input", needle)
	}
	line := strings.Count(content[:i], "\n") + 1
	return line, i - strings.LastIndex(content[:i], "\n")
}

type tuningCase struct {
	name     string
	content  string
	severity Severity
	code     string
	needle   string // the diagnostic points at the first occurrence of this text
	contains string
}

// Tuning the default ruleset, as users do: every change is checked against the default items themselves, as
// Falco loads them (rule_loader_collector.cpp append/selective_replace, then rule_loader_compiler.cpp compiles
// every rule), and each problem is reported in the user's file.
func tuningCases() []tuningCase {
	return []tuningCase{
		// The three cases of issue 13, which Falco refuses to start with.
		{"exception field appended to a default rule", "- rule: Terminal shell in container\n  exceptions: [{name: e, fields: [proc.nmae], comps: [=], values: [[bash]]}]\n  override: {exceptions: append}\n",
			SeverityError, "LOAD_ERR_VALIDATE", "proc.nmae", "'proc.nmae' is not a supported filter field"},
		{"condition appended to a default rule", "- rule: Terminal shell in container\n  condition: and not (proc.name = x\n  override: {condition: append}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "x\n", "expected a ')' token to close the '(' opened at line 2, column 22"},
		{"default macro replaced with a syntax error", "- macro: spawned_process\n  condition: (proc.nmae = x\n  override: {condition: replace}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "x\n", "expected a ')' token to close the '(' opened at line 2, column 14"},
		// A replaced default macro compiles where the default rules use it.
		{"default macro replaced with an unknown field", "- macro: spawned_process\n  condition: proc.nmae = x\n  override: {condition: replace}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "proc.nmae", "nonexistent field proc.nmae"},
		{"default macro appended with an unknown field", "- macro: container\n  condition: or proc.nmae = x\n  override: {condition: append}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "proc.nmae", "nonexistent field proc.nmae"},
		// A redefined default list is checked where the defaults use it: list items are pasted in as text.
		{"default list item that breaks the defaults' conditions", "- list: shell_binaries\n  items: [bash, --login=x]\n  override: {items: append}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "--login=x", "cannot stand unquoted"},
		// Exceptions of default rules: fields for the rule's source, comps for the field's type, typed values.
		{"exception value of the wrong type", "- rule: Terminal shell in container\n  exceptions:\n    - name: peers\n      fields: [fd.sip]\n      values: [[notanip]]\n  override: {exceptions: append}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "notanip", "unrecognized IP address notanip"},
		{"exception comp the field type does not support", "- rule: Terminal shell in container\n  exceptions:\n    - name: pids\n      fields: [proc.pid]\n      comps: [contains]\n      values: [[\"1\"]]\n  override: {exceptions: append}\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "contains", "'contains' operator not supported for numeric filters"},
		{"exception field of another source", "- rule: Terminal shell in container\n  exceptions:\n    - name: verbs\n      fields: [ka.verb]\n      values: [[get]]\n  override: {exceptions: append}\n",
			SeverityError, "LOAD_ERR_VALIDATE", "ka.verb", "not a supported filter field for source syscall"},
		{"exception with one field takes plain values", "- rule: Terminal shell in container\n  exceptions:\n    - name: shells\n      fields: proc.name\n      values: [[bash]]\n  override: {exceptions: append}\n",
			SeverityError, "LOAD_ERR_VALIDATE", "[bash]", "Expected values array to contain a list of strings"},
		// Outputs and priorities of overridden default rules.
		{"output appended to a default rule", "- rule: Terminal shell in container\n  output: (extra=%proc.nmae)\n  override: {output: append}\n",
			SeverityError, "LOAD_ERR_COMPILE_OUTPUT", "%proc.nmae", "nonexistent field proc.nmae"},
		{"priority replaced on a default rule", "- rule: Terminal shell in container\n  priority: urgent\n  override: {priority: replace}\n",
			SeverityError, "LOAD_ERR_YAML_VALIDATE", "urgent", "Invalid priority"},
		// rule_loader_reader.cpp read_item: a rule's source is not overridable.
		{"source cannot be replaced", "- rule: Terminal shell in container\n  source: k8s_audit\n  override: {source: replace}\n",
			SeverityError, "LOAD_ERR_YAML_VALIDATE", "source: replace", "Key 'source' cannot be replaced"},
		// read_item: an override for a key the item does not have.
		{"override of a missing key", "- rule: Terminal shell in container\n  override: {condition: append}\n",
			SeverityError, "LOAD_ERR_YAML_VALIDATE", "rule: Terminal", "An append override for 'condition' was specified but 'condition' is not defined"},
		{"key without an override entry", "- rule: Terminal shell in container\n  condition: and proc.pname = x\n  tags: [x]\n  override: {condition: append}\n",
			SeverityError, "LOAD_ERR_YAML_VALIDATE", "[x]", "Unexpected key 'tags': no corresponding entry under 'override' is defined."},
		// rule_loader_collector.cpp: an existing exception takes more values only.
		{"appending fields to an existing exception", "- rule: Terminal shell in container\n  exceptions:\n    - name: by_parent\n      fields: [proc.pname]\n      values: [[runc]]\n  override: {exceptions: append}\n" +
			"- rule: Terminal shell in container\n  exceptions:\n    - name: by_parent\n      fields:  [proc.pname]\n      values: [[containerd-shim]]\n  override: {exceptions: append}\n",
			SeverityError, "LOAD_ERR_VALIDATE", "fields:  [", "only values"},
	}
}

func TestTuningTheDefaults(t *testing.T) {
	defaults := &catalog.Get().Defaults
	for _, tc := range tuningCases() {
		t.Run(tc.name, func(t *testing.T) {
			res := Validate([]File{{Name: "custom.yaml", Content: tc.content}}, Options{Defaults: defaults})
			line, col := at(t, tc.content, tc.needle)
			for _, d := range res.Diagnostics {
				if d.Code == tc.code && d.Severity == tc.severity && strings.Contains(d.Message, tc.contains) {
					if d.File != "custom.yaml" || d.Line != line || d.Column != col {
						t.Fatalf("%s at %s:%d:%d, want custom.yaml:%d:%d: %s", d.Code, d.File, d.Line, d.Column, line, col, describe(res.Diagnostics))
					}
					return
				}
			}
			t.Fatalf("want %s %s containing %q at %d:%d; got %s", tc.severity, tc.code, tc.contains, line, col, describe(res.Diagnostics))
		})
	}
}

// The documented tuning patterns load without a single diagnostic: the defaults use the redefined names.
func TestTuningPatternsAreQuiet(t *testing.T) {
	content := `
- list: shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash, fish]
- macro: user_known_read_sensitive_files_activities
  condition: (proc.name = backup-agent)
- list: user_known_packet_socket_binaries
  items: [tcpdump]
  override:
    items: append
- macro: user_expected_terminal_shell_in_container_conditions
  condition: (k8s.ns.name = debug)
  override:
    condition: replace
- rule: Terminal shell in container
  condition: and not proc.pname in (sshd)
  exceptions:
    - name: shells_from_ci
      fields: [proc.pname, container.image.repository]
      comps: [=, startswith]
      values:
        - [runner, ghcr.io/acme/]
  override:
    condition: append
    exceptions: append
- rule: Terminal shell in container
  priority: notice
  override:
    priority: replace
- rule: Read sensitive file untrusted
  enabled: false
  override:
    enabled: replace
`
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("the tuning patterns must be quiet: %s", describe(res.Diagnostics))
	}
	rules := map[string]RuleInfo{}
	for _, r := range res.Rules {
		rules[r.Name] = r
	}
	if r := rules["Terminal shell in container"]; r.Priority != "Notice" || !r.Default || r.Source != "syscall" || len(r.Tags) == 0 {
		t.Errorf("replaced priority on a default rule: %+v", r)
	}
	if r := rules["Read sensitive file untrusted"]; r.Enabled {
		t.Errorf("enabled: replace must switch the default rule off: %+v", r)
	}
	if res.Macros != 2 || res.Lists != 1 {
		t.Errorf("the file's own macros and lists: %d, %d; want 2, 1 (a redefinition or replace is the file's, an append stays the default's)", res.Macros, res.Lists)
	}
}

// Every default rule carries its facts: priority, source, tags and MITRE ids, for the effective-rules table.
func TestDefaultRulesCarryTheirFacts(t *testing.T) {
	res := Validate(nil, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Rules) != len(catalog.Get().Defaults.Rules) {
		t.Fatalf("%d rules, the default ruleset has %d", len(res.Rules), len(catalog.Get().Defaults.Rules))
	}
	for _, r := range res.Rules {
		if r.Priority == "" || r.Source == "" || len(r.Tags) == 0 || !r.Default || r.File != DefaultsFile {
			t.Errorf("default rule without its facts: %+v", r)
		}
	}
	if f := catalog.Get().Defaults.Facts; f.FalcoVersion != "0.44.1" || f.EngineVersion != "0.57.0" {
		t.Errorf("the embedded defaults describe Falco %s (engine %s); the corpus has the 0.44.1 chart's ruleset needing 0.57.0", f.FalcoVersion, f.EngineVersion)
	}
}

// rule_loader_collector.cpp define(engine_version_info): a file needing a newer engine than the target is refused.
func TestRequiredEngineVersion(t *testing.T) {
	defaults := &catalog.Get().Defaults
	for _, tc := range []struct {
		content, engine string
		wantErr         bool
	}{
		{"- required_engine_version: 0.57.0\n", "", false},
		// The default target is Falco 0.44.1's own engine, 0.62.0 (falco_engine_version.h), not the 0.57.0 its
		// falco_rules.yaml asks for: 0.58 to 0.62 load in Falco 0.44.1.
		{"- required_engine_version: 0.58.0\n", "", false},
		{"- required_engine_version: 0.62.0\n", "", false},
		{"- required_engine_version: 0.63.0\n", "", true},
		{"- required_engine_version: 0.99.0\n", "", true},
		{"- required_engine_version: 0.50.0\n", "0.40.0", true},
		{"- required_engine_version: 60\n", "", false}, // legacy number: 0.60.0 (get_implicit_engine_version)
		{"- required_engine_version: 63\n", "", true},
		{"- required_engine_version: 30\n", "", false}, // 0.30.0
	} {
		res := Validate([]File{{Name: "custom.yaml", Content: tc.content}}, Options{Defaults: defaults, EngineVersion: tc.engine})
		e := firstError(res)
		if tc.wantErr != (res.Errors() == 1) || tc.wantErr && (e.Code != "LOAD_ERR_VALIDATE" || e.Line != 1 || e.Column != 3 || !strings.Contains(e.Message, "Rules require engine version")) {
			t.Errorf("%q (engine %q): %s", tc.content, tc.engine, describe(res.Diagnostics))
		}
	}
	res := Validate([]File{{Name: "custom.yaml", Content: "- required_engine_version: 0.63.0\n"}}, Options{Defaults: defaults})
	if e := firstError(res); e.Message != "Rules require engine version 0.63.0, but engine version is 0.62.0" {
		t.Errorf("the message names Falco 0.44.1's engine: %s", describe(res.Diagnostics))
	}
}

// rule_loader_compiler.cpp compile_rule_infos: a syscall rule matching no or too many event types warns, unless
// warn_evttypes is false.
func TestNoEvttypeWarning(t *testing.T) {
	rule := func(cond, extra string) string {
		return fmt.Sprintf("- rule: r\n  desc: d\n  condition: %s\n  output: o\n  priority: info\n%s", cond, extra)
	}
	for cond, warn := range map[string]bool{
		"proc.name = x":                                       true,
		"evt.type = execve and proc.name = x":                 false,
		"spawned_process and proc.name = x":                   false,
		"not evt.type = execve":                               true,
		"evt.type != execve":                                  true,
		"evt.type in (open, openat) and not proc.name in (x)": false,
		"evt.type = open and evt.type = execve":               true, // no event type left
		"(open_read or open_write) and not proc_name_exists":  false,
	} {
		res := Validate([]File{{Name: "custom.yaml", Content: rule(cond, "")}}, Options{Defaults: &catalog.Get().Defaults})
		got := len(res.Diagnostics) == 1 && res.Diagnostics[0].Code == "LOAD_NO_EVTTYPE" && res.Diagnostics[0].Line == 1 && res.Diagnostics[0].Column == 3
		if got != warn || !warn && len(res.Diagnostics) != 0 {
			t.Errorf("%s: want warning %v, got %s", cond, warn, describe(res.Diagnostics))
		}
	}
	res := Validate([]File{{Name: "custom.yaml", Content: rule("proc.name = x", "  warn_evttypes: false\n")}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 0 {
		t.Errorf("warn_evttypes: false: %s", describe(res.Diagnostics))
	}
}

// Falco's limits, not invented ones: a 470 KB list is valid.
func TestLargeListIsValid(t *testing.T) {
	var b strings.Builder
	b.WriteString("- list: big_allowlist\n  items: [")
	for i := 0; b.Len() < 470<<10; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "/opt/app/bin/tool-%06d", i)
	}
	b.WriteString("]\n- rule: r\n  desc: d\n  condition: spawned_process and not proc.exepath in (big_allowlist)\n  output: o\n  priority: info\n")
	res := Validate([]File{{Name: "custom.yaml", Content: b.String()}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("a 470 KB list: %s", describe(res.Diagnostics))
	}
}

// A cycle of macros written in order is a forward use, refused where it is written (rule_loader_compiler.cpp
// compile_macros_infos resolves each macro against earlier macros only), as Falco refuses it.
func TestMacroCycleIsAForwardUse(t *testing.T) {
	content := "- macro: a\n  condition: b\n- macro: b\n  condition: c\n- macro: c\n  condition: a\n" + strings.Replace(okRule, "spawned_process", "a", 1)
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: &catalog.Get().Defaults})
	e := firstError(res)
	if e.Message != "Undefined macro 'b' used in filter." || e.Code != "LOAD_ERR_VALIDATE" || e.ItemName != "a" || e.Line != 2 || e.Column != 14 {
		t.Fatalf("cycle: %s", describe(res.Diagnostics))
	}
}

// A second default ruleset version needs no code: the catalog lists what is embedded, and Options pick one.
func TestDefaultRulesetVersions(t *testing.T) {
	all := catalog.DefaultRulesets()
	if len(all) == 0 || all[len(all)-1] != catalog.Get().Defaults.Facts {
		t.Fatalf("the newest embedded ruleset is the default: %v", all)
	}
	if f, ok := catalog.DefaultRuleset("0.44"); !ok || f.FalcoVersion != "0.44.1" {
		t.Fatalf("0.44 must find the 0.44.1 ruleset: %v %v", f, ok)
	}
	if _, ok := catalog.DefaultRuleset("0.4"); ok {
		t.Fatal("0.4 is not 0.44")
	}
}

// Validations run concurrently in the plugin (one per request) and share the default ruleset's base: each sees
// only its own changes. Run with -race to check the sharing.
func TestConcurrentValidationsShareTheDefaultsSafely(t *testing.T) {
	defaults := &catalog.Get().Defaults
	broken := "- macro: spawned_process\n  condition: proc.nmae = x\n  override: {condition: replace}\n"
	tuned := "- list: shell_binaries\n  items: [fish]\n  override: {items: append}\n"
	done := make(chan string, 16)
	for i := 0; i < 16; i++ {
		content := broken
		if i%2 == 0 {
			content = tuned
		}
		go func() {
			res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: defaults})
			done <- fmt.Sprintf("%d", res.Errors())
		}()
	}
	errs := map[string]int{}
	for i := 0; i < 16; i++ {
		errs[<-done]++
	}
	if errs["0"] != 8 || errs["1"] != 8 {
		t.Fatalf("each validation must see only its own file: %v", errs)
	}
	// The shared base is untouched: a fresh validation of nothing is clean.
	if res := Validate(nil, Options{Defaults: defaults}); len(res.Diagnostics) != 0 {
		t.Fatalf("the defaults changed under a validation: %s", describe(res.Diagnostics))
	}
}

// rule_loader_reader.cpp read_item: a replace override of a list or macro is a new definition, valid without an
// earlier one; an append needs one; a rule override needs the rule (rule_loader_collector.cpp selective_replace).
func TestOverrideOfMissingItems(t *testing.T) {
	for content, wantErr := range map[string]bool{
		"- macro: brand_new\n  condition: proc.name = x\n  override: {condition: replace}\n": false,
		"- list: brand_new\n  items: [x]\n  override: {items: replace}\n":                    false,
		"- macro: brand_new\n  condition: proc.name = x\n  override: {condition: append}\n":  true,
		"- list: brand_new\n  items: [x]\n  override: {items: append}\n":                     true,
		"- rule: Brand new\n  priority: info\n  override: {priority: replace}\n":             true,
	} {
		res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: &catalog.Get().Defaults})
		if (res.Errors() > 0) != wantErr {
			t.Errorf("%q: want error %v, got %s", content, wantErr, describe(res.Diagnostics))
		}
	}
}
