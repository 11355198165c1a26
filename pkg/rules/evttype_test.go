package rules

import (
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// Falco compiles each rule's condition into a sinsp filter (falco rule_loader_compiler.cpp compile_condition).
// Every value compared with evt.type passes sinsp_filter_check_event::validate_filter_value (libs
// userspace/libsinsp/sinsp_filtercheck_event.cpp), which throws "unknown event type <name>" for a name that is
// neither in the event table nor a ppm_sc name: LOAD_ERR_COMPILE_CONDITION, or with skip-if-unknown-filter a
// LOAD_UNKNOWN_FILTER warning (err_is_unknown_type_or_field). Positions point at the unknown name.
func unknownEvttypeCases() []brokenCase {
	with := func(cond string) string { return strings.Replace(okRule, "proc.name in (shell_binaries)", cond, 1) }
	rule := "Shell in container"
	return []brokenCase{
		{"validate_filter_value: evt.type = unknown", with("evt.type = opn"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 59, "unknown event type opn"},
		{"validate_filter_value: evt.type == unknown", with("evt.type == opn"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 60, "unknown event type opn"},
		{"validate_filter_value: quoted unknown", with(`evt.type = "opn"`), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 59, "unknown event type opn"},
		{"validate_filter_value: evt.type != unknown", with("evt.type != opn"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 60, "unknown event type opn"},
		{"validate_filter_value: evt.type in (known, unknown)", with("evt.type in (execve, bogus_evt)"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 69, "unknown event type bogus_evt"},
		{"validate_filter_value: evt.type intersects", with("evt.type intersects (execve, bogus_evt)"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 77, "unknown event type bogus_evt"},
		{"validate_filter_value: names are case-sensitive", with("evt.type = Execve"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 59, "unknown event type Execve"},
		{"validate_filter_value: any string operator", with("evt.type startswith ope"), SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 3, 68, "unknown event type ope"},
		{"err_is_unknown_type_or_field: skip-if-unknown-filter warns", with("evt.type = opn") + "  skip-if-unknown-filter: true\n", SeverityWarning, "LOAD_UNKNOWN_FILTER", rule, 3, 59, "unknown event type opn"},
		{"validate_filter_value: in a macro the rule uses",
			"- macro: my_evt\n  condition: evt.type in (open, opn)\n" + strings.Replace(okRule, "spawned_process", "my_evt", 1),
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "my_evt", 2, 33, "unknown event type opn"},
		{"validate_filter_value: an item of the user's list",
			"- list: my_evts\n  items: [execve, bogus_evt]\n" + strings.Replace(okRule, "proc.name in (shell_binaries)", "evt.type in (my_evts)", 1),
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", rule, 2, 19, "unknown event type bogus_evt"},
		{"validate_filter_value: in an exception (build_rule_exception_infos)",
			okRule + "  exceptions:\n    - name: e\n      fields: evt.type\n      comps: in\n      values: [execve, opn]\n",
			SeverityError, "LOAD_ERR_COMPILE_CONDITION", "e", 10, 24, "unknown event type opn"},
	}
}

func TestUnknownEvttype(t *testing.T) {
	defaults := &catalog.Get().Defaults
	for _, tc := range unknownEvttypeCases() {
		t.Run(tc.name, func(t *testing.T) {
			res := Validate([]File{{Name: "custom.yaml", Content: tc.content}}, Options{Defaults: defaults})
			var got []Diagnostic
			for _, d := range res.Diagnostics {
				if strings.Contains(d.Message, "unknown event type") {
					got = append(got, d)
				}
			}
			// libsinsp throws at the first unknown value: one diagnostic, and no LOAD_NO_EVTTYPE for a rule
			// Falco cannot compile.
			if len(got) != 1 {
				t.Fatalf("want one unknown event type diagnostic, got %s", describe(res.Diagnostics))
			}
			d := got[0]
			if d.Code != tc.code || d.Severity != tc.severity || d.ItemName != tc.item || d.Line != tc.line || d.Column != tc.column || !strings.Contains(d.Message, tc.contains) || d.Snippet == "" {
				t.Fatalf("got %s %s %q at %d:%d item %q; want %s %s at %d:%d item %q containing %q", d.Severity, d.Code, d.Message, d.Line, d.Column, d.ItemName, tc.severity, tc.code, tc.line, tc.column, tc.item, tc.contains)
			}
			for _, o := range res.Diagnostics {
				if o.Code == "LOAD_NO_EVTTYPE" {
					t.Fatalf("Falco stops at the compile error and never counts event types: %s", describe(res.Diagnostics))
				}
			}
		})
	}
}

// Names Falco accepts stay clean: event table names (meta events such as switch, container, procexit included)
// and ppm_sc names of syscalls that only have generic events (getpid, restart_syscall).
func TestKnownEvttypesAccepted(t *testing.T) {
	content := strings.Replace(okRule, "proc.name in (shell_binaries)",
		"(evt.type in (execve, execveat, getpid, restart_syscall, switch, procexit) or evt.type = container or evt.type intersects (openat2)) and not evt.type = clone3", 1)
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("known event names: %s", describe(res.Diagnostics))
	}
}

// Falco only compiles macros within the rules that use them (rule_loader_compiler.cpp compile_macros_infos parses
// them; compile_condition compiles rules): an unused macro with an unknown name is only an unused macro.
func TestUnknownEvttypeInUnusedMacro(t *testing.T) {
	res := Validate([]File{{Name: "custom.yaml", Content: "- macro: never_used\n  condition: evt.type = opn\n"}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "LOAD_UNUSED_MACRO" {
		t.Fatalf("want only LOAD_UNUSED_MACRO: %s", describe(res.Diagnostics))
	}
}

// Every evt.type value of the four official rulesets (falco_rules, incubating, sandbox, deprecated) is a name
// Falco loads: checking event names adds no diagnostic to them, error or warning.
func TestCorpusEvttypesAreKnown(t *testing.T) {
	res := Validate(loadCorpus(t), Options{})
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "unknown event type") || d.Code == "LOAD_UNKNOWN_FILTER" {
			t.Errorf("%s:%d:%d %s %s", d.File, d.Line, d.Column, d.Code, d.Message)
		}
	}
}
