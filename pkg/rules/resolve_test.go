package rules

import (
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

const useMacro = `
- rule: Uses m
  desc: d
  condition: spawned_process and m
  output: o
  priority: info
`

// Resolution follows Falco: appends and replaces apply in load order, and every problem points at the item
// that brought the text in, even after the condition was assembled from several items.
func TestResolverSemantics(t *testing.T) {
	for name, tc := range map[string]struct {
		content string
		code    string // "" means no diagnostics at all
		line    int
		column  int
		message string
	}{
		"bare name in a list is a literal": {
			"- macro: m\n  condition: proc.name in (not_a_list, bash)\n" + useMacro, "", 0, 0, ""},
		"list items are checked against the field type": {
			"- list: my_ports\n  items: [22, ssh]\n- macro: m\n  condition: fd.sport in (my_ports)\n" + useMacro,
			"LOAD_ERR_COMPILE_CONDITION", 2, 15, "'ssh' is not a number"}, // at the list item, not the list's use
		"nested lists expand": {
			"- list: inner\n  items: [\"10.0.0.0/8\"]\n- list: outer\n  items: [inner, 192.168.0.0/16]\n- macro: m\n  condition: fd.snet in (outer)\n" + useMacro, "", 0, 0, ""},
		"replaced list items are the ones checked": {
			"- list: my_ports\n  items: [22]\n- list: my_ports\n  items: [http]\n  override:\n    items: replace\n- macro: m\n  condition: fd.sport in (my_ports)\n" + useMacro,
			"LOAD_ERR_COMPILE_CONDITION", 4, 11, "'http' is not a number"},
		"replaced macro condition is the one checked": {
			"- macro: m\n  condition: proc.name = a\n- macro: m\n  condition: proc.nmae = b\n  override:\n    condition: replace\n" + useMacro,
			"LOAD_ERR_COMPILE_CONDITION", 4, 14, "proc.nmae"},
		"appended condition points at the appending item": {
			"- macro: m\n  condition: proc.name = a\n- macro: m\n  condition: or proc.pnam = b\n  override:\n    condition: append\n" + useMacro,
			"LOAD_ERR_COMPILE_CONDITION", 4, 17, "proc.pnam"},
		"legacy append joins conditions too": {
			"- macro: m\n  condition: proc.name = a\n- macro: m\n  condition: or proc.pname = b\n  append: true\n" + useMacro,
			"LOAD_DEPRECATED_ITEM", 5, 3, "deprecated"},
		"undefined macro inside a macro": {
			"- macro: m\n  condition: proc.name = a and nothing_defined\n" + useMacro,
			"LOAD_ERR_VALIDATE", 2, 32, "Undefined macro 'nothing_defined'"},
		// rule_loader_compiler.cpp compile_macros_infos -> resolve_macros(..., m.visibility, ...): a macro resolves
		// against macros whose index is below its own visibility only; THROW there is LOAD_ERR_VALIDATE.
		"a macro using a macro defined after it is undefined (compile_macros_infos)": {
			"- macro: m\n  condition: later\n- macro: later\n  condition: proc.name = a\n" + useMacro,
			"LOAD_ERR_VALIDATE", 2, 14, "Undefined macro 'later' used in filter."},
		"an unused macro using a later macro fails too (every macro is resolved)": {
			"- macro: unused_m\n  condition: later\n- macro: later\n  condition: proc.name = a\n- macro: m\n  condition: later\n" + useMacro,
			"LOAD_ERR_VALIDATE", 2, 14, "Undefined macro 'later' used in filter."},
		// rule_loader_collector.cpp append_info: an append moves the macro's visibility to its own position.
		"an appended macro sees macros defined before the append": {
			"- macro: m\n  condition: proc.name = a\n- macro: later\n  condition: proc.pname = b\n- macro: m\n  condition: or later\n  override:\n    condition: append\n" + useMacro,
			"", 0, 0, ""},
		// falcosecurity/falco regression test invalid_macro_loop.yaml: macro_a redefined after macro_b keeps its
		// index (define_info), sees macro_b, and filter_macro_resolver.cpp reports the loop.
		"a redefinition loop is Falco's reference loop (invalid_macro_loop.yaml)": {
			"- macro: macro_a\n  condition: evt.type=open\n- macro: macro_b\n  condition: macro_a\n- macro: macro_a\n  condition: macro_b\n- macro: m\n  condition: macro_a\n" + useMacro,
			"LOAD_ERR_VALIDATE", 0, 0, "reference loop in macro"},
		"macro defined after the rule still resolves": {
			useMacro + "- macro: m\n  condition: proc.name = a\n", "", 0, 0, ""},
		"transformer and val operands are checked": {
			"- macro: m\n  condition: tolower(proc.nam) = val(proc.pname)\n" + useMacro,
			"LOAD_ERR_COMPILE_CONDITION", 2, 22, "nonexistent field proc.nam"},
		"val operand is checked": {
			"- macro: m\n  condition: proc.name = val(proc.pnam)\n" + useMacro,
			"LOAD_ERR_COMPILE_CONDITION", 2, 30, "nonexistent field proc.pnam"},
		"key argument": {
			"- macro: m\n  condition: container.mount.dest[/var/run/docker.sock] exists and proc.aname[2] = sshd and evt.arg.flags contains O_TRUNC\n" + useMacro, "", 0, 0, ""},
		"modifiers": {
			"- macro: m\n  condition: proc.args contains anyof (-e, --exec) and proc.name = oneof (nc, ncat)\n" + useMacro, "", 0, 0, ""},
	} {
		t.Run(name, func(t *testing.T) {
			res := Validate([]File{{Name: "custom.yaml", Content: tc.content}}, Options{Defaults: defaultsForTest()})
			if tc.code == "" {
				if len(res.Diagnostics) != 0 {
					t.Fatalf("want no diagnostics: %s", describe(res.Diagnostics))
				}
				return
			}
			for _, d := range res.Diagnostics {
				if d.Code == tc.code && (tc.line == 0 || d.Line == tc.line && d.Column == tc.column) && strings.Contains(d.Message, tc.message) {
					return
				}
			}
			t.Fatalf("want %s at %d:%d containing %q; got %s", tc.code, tc.line, tc.column, tc.message, describe(res.Diagnostics))
		})
	}
}

func defaultsForTest() *catalog.Defaults { return &catalog.Get().Defaults }

// Falco reads every YAML document of a file and hands it aliases resolved; both must load, not vanish.
func TestDocumentsAndAliases(t *testing.T) {
	content := `- list: shells_here
  items: &shells [bash, zsh]
- macro: m
  condition: proc.name in (shells_here)
---
- list: more_shells
  items: *shells
- rule: Uses m
  desc: d
  condition: spawned_process and m and proc.pname in (more_shells)
  output: o
  priority: info
`
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: defaultsForTest()})
	if len(res.Diagnostics) != 0 || res.Lists != 2 || res.Macros != 1 || res.Rules[len(res.Rules)-1].Line != 8 {
		t.Fatalf("two documents with an alias: %d lists, %d macros: %s", res.Lists, res.Macros, describe(res.Diagnostics))
	}
	broken := "- list: first\n  items: [a]\n---\n- list: [second\n"
	res = Validate([]File{{Name: "custom.yaml", Content: broken}}, Options{})
	if res.Errors() != 1 || res.Diagnostics[0].Code != "LOAD_ERR_YAML_PARSE" || res.Lists != 0 {
		t.Fatalf("a parse error in a later document loads nothing of the file: %d lists, %s", res.Lists, describe(res.Diagnostics))
	}
}

// Columns count characters, so a caret after "é" or "→" lands under the word the diagnostic names.
func TestColumnsCountCharacters(t *testing.T) {
	content := "- rule: Unicode\n  desc: d\n  condition: proc.name = \"é→\" and proc.nmae = a\n  output: \"né → %proc.nam\"\n  priority: info\n  warn_evttypes: false\n"
	res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{})
	want := map[string][2]int{"LOAD_ERR_COMPILE_CONDITION": {3, 35}, "LOAD_ERR_COMPILE_OUTPUT": {4, 17}}
	if len(res.Diagnostics) != 2 {
		t.Fatalf("want two errors: %s", describe(res.Diagnostics))
	}
	for _, d := range res.Diagnostics {
		pos := want[d.Code]
		if d.Line != pos[0] || d.Column != pos[1] {
			t.Errorf("%s at %d:%d, want %d:%d", d.Code, d.Line, d.Column, pos[0], pos[1])
		}
		lines := strings.Split(d.Snippet, "\n")
		caret := []rune(lines[0])[len(lines[1])-1]
		if caret != 'p' && caret != '%' {
			t.Errorf("%s: caret under %q:\n%s", d.Code, caret, d.Snippet)
		}
	}
}
