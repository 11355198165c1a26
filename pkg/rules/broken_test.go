package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// A valid rule to build broken variants from; line numbers below count from the file's first line.
const okRule = `- rule: Shell in container
  desc: a shell ran in a container
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: shell (user=%user.name container=%container.id)
  priority: WARNING
`

type brokenCase struct {
	name     string
	content  string
	severity Severity
	code     string
	item     string
	line     int
	column   int
	contains string
}

func brokenCases() []brokenCase {
	return []brokenCase{
		// YAML
		{"yaml syntax", "- rule: x\n  desc: [unclosed\n", SeverityError, "LOAD_ERR_YAML_PARSE", "", 2, 1, "did not find expected"},
		{"tab indentation", "- rule: x\n\tdesc: y\n", SeverityError, "LOAD_ERR_YAML_PARSE", "", 2, 1, "tab"},
		{"top level mapping", "rule: x\ndesc: y\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 1, 1, "not yaml array of objects"},
		{"top level scalar", "just text\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 1, 1, "not yaml array"},
		{"null element", "- \n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 1, 2, "associative array"},
		{"scalar element", "- rule\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 1, 3, "associative array"},
		{"unknown item", "- widget: x\n", SeverityWarning, "LOAD_UNKNOWN_ITEM", "", 1, 3, "Unknown top level item 'widget'"},
		// required keys and types
		{"rule without condition", "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "r", 1, 3, "no mapping for key 'condition'"},
		{"rule without output", "- rule: r\n  desc: d\n  condition: evt.num > 0\n  priority: INFO\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "r", 1, 3, "key 'output'"},
		{"rule without priority", "- rule: r\n  desc: d\n  condition: evt.num > 0\n  output: o\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "r", 1, 3, "key 'priority'"},
		{"macro without condition", "- macro: m\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "m", 1, 3, "key 'condition'"},
		{"list without items", "- list: l\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "l", 1, 3, "key 'items'"},
		{"empty rule name", "- rule: \n  desc: d\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 1, 3, "non-empty string"},
		{"items not a sequence", "- list: l\n  items: bash\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "l", 2, 10, "must be a sequence"},
		{"item is a mapping", "- list: l\n  items: [a, {b: c}]\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "l", 2, 14, "string or a number"},
		{"tags not a sequence", strings.Replace(okRule, "  priority: WARNING\n", "  priority: WARNING\n  tags: shell\n", 1), SeverityError, "LOAD_ERR_YAML_VALIDATE", "Shell in container", 6, 9, "'tags' must be a sequence"},
		{"enabled not boolean", okRule + "  enabled: maybe\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "Shell in container", 6, 12, "'enabled' must be a boolean"},
		{"skip-if-unknown-filter not boolean", okRule + "  skip-if-unknown-filter: [yes]\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "Shell in container", 6, 27, "'skip-if-unknown-filter' must be a boolean"},
		{"condition is a list", "- macro: m\n  condition: [a, b]\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "m", 2, 14, "'condition' must be a string"},
		// rule_loader_reader.cpp read_item: "Invalid priority" is thrown by the reader's THROW, LOAD_ERR_YAML_VALIDATE.
		{"bad priority", strings.Replace(okRule, "WARNING", "URGENT", 1), SeverityError, "LOAD_ERR_YAML_VALIDATE", "Shell in container", 5, 13, "Invalid priority level: URGENT"},
		{"unknown key", okRule + "  severity: high\n", SeverityWarning, "LOAD_UNKNOWN_KEY", "Shell in container", 6, 3, "Unknown key 'severity'"},
		{"bad engine version", "- required_engine_version: latest\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 1, 28, "Unable to parse engine version 'latest'"},
		{"plugin version without name", "- required_plugin_versions:\n  - version: 0.1.0\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 2, 5, "key 'name'"},
		// conditions
		{"condition syntax", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.name in (shell_binaries", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 75, "expected a ')' token to close the list opened at line 3, column 61"},
		{"missing operator", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.name bash", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 58, "expected a valid check operator"},
		{"unknown field", strings.Replace(okRule, "proc.name in", "proc.nmae in", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 48, "nonexistent field proc.nmae"},
		{"unknown field skipped", strings.Replace(okRule, "proc.name in", "proc.nmae in", 1) + "  skip-if-unknown-filter: true\n", SeverityWarning, "LOAD_UNKNOWN_FILTER", "Shell in container", 3, 48, "proc.nmae"},
		{"undefined macro", strings.Replace(okRule, "spawned_process", "spawned_procss", 1), SeverityError, "LOAD_ERR_VALIDATE", "Shell in container", 3, 14, "Undefined macro 'spawned_procss'"},
		{"field from another source", strings.Replace(okRule, "proc.name in", "ka.verb in", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 48, "not available for source syscall"},
		// libsinsp parser.cpp parse_num_value_or_transformer: < and > take numbers (on strings too, compared as text).
		{"numeric operator with a word", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.name > abc", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 60, "expected a number value"},
		// filter_compare.cpp flt_is_comparable_numeric: no string operators on numbers.
		{"string operator on a number", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.pid contains 1", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 57, "'contains' operator not supported for numeric filters"},
		{"string operator on ip", strings.Replace(okRule, "proc.name in (shell_binaries)", `fd.sip startswith "10."`, 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 55, "'startswith' operator not supported"},
		{"cidr on an address field", strings.Replace(okRule, "proc.name in (shell_binaries)", "fd.rip in (10.0.0.0/8)", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 59, "unrecognized IP address 10.0.0.0/8"},
		{"not a number", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.pid = abc", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 59, "'abc' is not a number"},
		{"argument on a plain field", strings.Replace(okRule, "proc.name in", "proc.name[1] in", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 48, "does not take an argument"},
		{"missing required argument", strings.Replace(okRule, "proc.name in (shell_binaries)", "evt.arg exists", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 48, "requires an argument"},
		{"index not numeric", strings.Replace(okRule, "proc.name in", "proc.aname[two] in", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 48, "numeric index"},
		// rule_loader_compiler.cpp compile_macros_infos: a macro sees only macros defined before it, so a -> b -> a
		// fails at a's use of b.
		{"macro cycle", "- macro: a\n  condition: b\n- macro: b\n  condition: a\n" + strings.Replace(okRule, "spawned_process", "a", 1), SeverityError, "LOAD_ERR_VALIDATE", "a", 2, 14, "Undefined macro 'b' used in filter."},
		{"folded condition position", "- macro: m\n  condition: >\n    evt.num > 0 and\n    proc.nmae = x\n" + strings.Replace(okRule, "spawned_process", "m", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "m", 4, 5, "proc.nmae"},
		// Falco's grammar (libsinsp filter/parser.cpp), each with Falco's code and position in the file.
		// RGX_BARESTR stops at '=': the rest of the value is a stray token after the check.
		{"unquoted value with =", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.cmdline contains --privileged=true", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 82, "unexpected token '=true', expecting 'or', 'and'"},
		// s_binary_str_ops holds "contains " with its space: contains"..." is no operator.
		{"quote glued to an operator", strings.Replace(okRule, "proc.name in (shell_binaries)", `proc.cmdline contains"nc -e"`, 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 61, "expected a valid check operator"},
		// parse_and: "and" must be followed by a blank or '('.
		{"and glued to a field", strings.Replace(okRule, "container and proc.name", "container andproc.name", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 47, "expected blank or '(' after 'and'"},
		// parse_num_value_or_transformer: a leading '-' is a sign, so -x is no number.
		{"numeric operator with a dash word", strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.pid > -x", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 3, 59, "expected a number value"},
		// RGX_IDENTIFIER: a macro named _my_shells is a warning where it is defined (rule_loader_reader.cpp
		// read_item) and cannot be used in a condition.
		{"macro name starting with _", "- macro: _my_shells\n  condition: proc.name in (shell_binaries)\n", SeverityWarning, "LOAD_INVALID_MACRO_NAME", "_my_shells", 1, 3, "Macro has an invalid name"},
		{"macro starting with _ used", "- macro: _my_shells\n  condition: proc.name in (shell_binaries)\n" + strings.Replace(okRule, "spawned_process", "_my_shells", 1), SeverityError, "LOAD_ERR_COMPILE_CONDITION", "Shell in container", 5, 14, "expected a '(' token, a field check, or an identifier"},
		// RGX_BARESTR for list names.
		{"list name with parentheses", "- list: my(list)\n  items: [a]\n", SeverityWarning, "LOAD_INVALID_LIST_NAME", "my(list)", 1, 3, "List has an invalid name"},
		// outputs
		{"output unknown field", strings.Replace(okRule, "%user.name", "%user.nam", 1), SeverityError, "LOAD_ERR_COMPILE_OUTPUT", "Shell in container", 4, 23, "%user.nam"},
		{"output field of another source", strings.Replace(okRule, "%user.name", "%ka.user.name", 1), SeverityError, "LOAD_ERR_COMPILE_OUTPUT", "Shell in container", 4, 23, "not available for source syscall"},
		// append, override, exceptions
		{"append without target", "- macro: nothing_here\n  condition: evt.num > 0\n  override:\n    condition: append\n", SeverityError, "LOAD_ERR_VALIDATE", "nothing_here", 1, 3, "no macro by that name"},
		{"legacy append is deprecated", "- list: shell_binaries\n  items: [fish]\n  append: true\n", SeverityWarning, "LOAD_DEPRECATED_ITEM", "shell_binaries", 3, 3, "deprecated"},
		{"override bad mode", "- list: shell_binaries\n  items: [fish]\n  override:\n    items: merge\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "shell_binaries", 4, 12, "Invalid override operation for key 'items': 'merge'"},
		{"override key not overridable", "- macro: container\n  condition: evt.num > 0\n  override:\n    output: replace\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "container", 4, 5, "Key 'output' cannot be replaced"},
		{"override and append together", "- list: shell_binaries\n  items: [fish]\n  append: true\n  override:\n    items: append\n", SeverityError, "LOAD_ERR_VALIDATE", "shell_binaries", 4, 3, "cannot be used together"},
		// rule_loader_collector.cpp enable: "Rule has 'enabled' key but no rule by that name already exists".
		{"enabled-only for missing rule", "- rule: Not A Rule\n  enabled: false\n", SeverityError, "LOAD_ERR_VALIDATE", "Not A Rule", 1, 3, "has 'enabled' key but no rule by that name already exists"},
		// rule_loader_reader.cpp read_item adds WARNING_ENABLED before collector.enable fails, so both are reported.
		{"enabled-only for missing rule is deprecated too", "- rule: Not A Rule\n  enabled: false\n", SeverityWarning, "LOAD_DEPRECATED_ITEM", "Not A Rule", 1, 3, "standalone 'enabled' key usage is deprecated"},
		{"exception without name", okRule + "  exceptions:\n    - fields: [proc.name]\n", SeverityError, "LOAD_ERR_YAML_VALIDATE", "", 7, 7, "key 'name'"},
		{"exception fields and comps differ", okRule + "  exceptions:\n    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=]\n", SeverityError, "LOAD_ERR_VALIDATE", "e", 9, 14, "2 fields but 1 comps"},
		{"exception value width", okRule + "  exceptions:\n    - name: e\n      fields: [proc.name, proc.pname]\n      values: [[bash]]\n", SeverityError, "LOAD_ERR_VALIDATE", "e", 9, 16, "2 fields but this value has 1"},
		{"exception unknown field", okRule + "  exceptions:\n    - name: e\n      fields: [proc.nam]\n", SeverityError, "LOAD_ERR_VALIDATE", "e", 8, 16, "'proc.nam' is not a supported filter field"},
		{"exception bad operator", okRule + "  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [~=]\n", SeverityError, "LOAD_ERR_VALIDATE", "e", 9, 14, "'~=' is not a supported comparison operator"},
		{"duplicate exception names", okRule + "  exceptions:\n    - name: e\n      fields: proc.name\n    - name: e\n      fields: proc.pname\n", SeverityWarning, "LOAD_EXCEPTION_NAME_NOT_UNIQUE", "e", 9, 7, "Multiple definitions of exception 'e'"},
		// warnings
		{"unused macro", "- macro: never_used\n  condition: evt.num > 0\n", SeverityWarning, "LOAD_UNUSED_MACRO", "never_used", 1, 3, "never_used"},
		{"unused list", "- list: never_listed\n  items: [a]\n", SeverityWarning, "LOAD_UNUSED_LIST", "never_listed", 1, 3, "never_listed"},
		{"invalid macro name", "- macro: my-macro\n  condition: evt.num > 0\n", SeverityWarning, "LOAD_INVALID_MACRO_NAME", "my-macro", 1, 3, "Macro names should match a regular expression"},
		{"unknown source", strings.Replace(okRule, "  priority: WARNING\n", "  priority: WARNING\n  source: nginx_logs\n", 1), SeverityWarning, "LOAD_UNKNOWN_SOURCE", "Shell in container", 6, 11, "Unknown source nginx_logs"},
	}
}

func TestBrokenInputs(t *testing.T) {
	defaults := &catalog.Get().Defaults
	cases := brokenCases()
	if len(cases) < 40 {
		t.Fatalf("the table must cover at least 40 broken inputs, has %d", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Validate([]File{{Name: "custom.yaml", Content: tc.content}}, Options{Defaults: defaults})
			var found *Diagnostic
			for i, d := range res.Diagnostics {
				if d.Code == tc.code && d.Severity == tc.severity {
					found = &res.Diagnostics[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no %s %s; got %s", tc.severity, tc.code, describe(res.Diagnostics))
			}
			if found.ItemName != tc.item || found.Line != tc.line || found.Column != tc.column || !strings.Contains(found.Message, tc.contains) || found.File != "custom.yaml" {
				t.Fatalf("got %s %q at %d:%d item %q; want item %q at %d:%d containing %q", found.Code, found.Message, found.Line, found.Column, found.ItemName, tc.item, tc.line, tc.column, tc.contains)
			}
			if found.CodeDesc == "" || found.Snippet == "" {
				t.Fatalf("codedesc and snippet must be set: %+v", found)
			}
		})
	}
}

func describe(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n  %s %s %d:%d %s (%s)", d.Severity, d.Code, d.Line, d.Column, d.Message, d.ItemName)
	}
	return b.String()
}

// libsinsp filter_compare.cpp flt_is_comparable_string: strings compare with <, <=, >, >= (as text), and the
// parser (parse_num_value_or_transformer) gives those operators numbers, hex numbers and exponents.
func TestStringsCompareWithNumbers(t *testing.T) {
	content := strings.Replace(okRule, "proc.name in (shell_binaries)", "proc.name > 3 and proc.name <= 0x1F and proc.pid >= -15 and evt.dir=<", 1)
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: &catalog.Get().Defaults})
	for _, d := range res.Diagnostics {
		if d.Severity == SeverityError {
			t.Fatalf("Falco accepts these comparisons: %s", describe(res.Diagnostics))
		}
	}
}

func TestValidRuleHasNoDiagnostics(t *testing.T) {
	res := Validate([]File{{Name: "custom.yaml", Content: okRule}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("unexpected diagnostics: %s", describe(res.Diagnostics))
	}
	defaults := len(catalog.Get().Defaults.Rules)
	if len(res.Rules) != defaults+1 {
		t.Fatalf("effective rules: want the %d defaults and the custom one, got %d", defaults, len(res.Rules))
	}
	if r := res.Rules[defaults]; r.Name != "Shell in container" || r.Priority != "Warning" || !r.Enabled || r.Default || r.File != "custom.yaml" || r.Line != 1 {
		t.Fatalf("the custom rule comes last, after the defaults: %+v", r)
	}
}

func TestLimits(t *testing.T) {
	big := strings.Repeat("# filler line of a huge rules file\n", MaxFileBytes/30)
	res := Validate([]File{{Name: "huge.yaml", Content: big}}, Options{})
	if res.Errors() != 1 || res.Diagnostics[0].Code != "LOAD_ERR_FILE_READ" || !strings.Contains(res.Diagnostics[0].Message, "larger than") {
		t.Fatalf("oversized file: %s", describe(res.Diagnostics))
	}
	var many []File
	for i := 0; i < MaxFiles+1; i++ {
		many = append(many, File{Name: fmt.Sprintf("f%d.yaml", i), Content: "[]"})
	}
	res = Validate(many, Options{})
	if res.Errors() != 1 || !strings.Contains(res.Diagnostics[0].Message, "too many files") {
		t.Fatalf("too many files: %s", describe(res.Diagnostics))
	}
	// Aliases that would expand exponentially are refused by the YAML parser, not expanded.
	bomb := "- &a [x, x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n- &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n- &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n- &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n- &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n- [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	res = Validate([]File{{Name: "bomb.yaml", Content: bomb}}, Options{})
	if res.Errors() == 0 {
		t.Fatal("an alias bomb must be refused")
	}
	// Empty files load with no items, as in Falco.
	res = Validate([]File{{Name: "empty.yaml", Content: ""}, {Name: "blank.yaml", Content: "\n# only a comment\n"}}, Options{})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("empty files: %s", describe(res.Diagnostics))
	}
}
