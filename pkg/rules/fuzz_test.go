package rules

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// corpusItems splits the corpus files into their top-level items, so the fuzzer starts from every real item kind
// while each input stays small enough to mutate quickly.
func corpusItems(tb testing.TB) []string {
	var items []string
	for _, f := range loadCorpus(tb) {
		for _, chunk := range strings.Split(f.Content, "\n- ") {
			items = append(items, "- "+strings.TrimPrefix(chunk, "- "))
		}
	}
	return items
}

// FuzzValidate feeds arbitrary file content to the loader, after the defaults as the editor does.
// CI runs it for 20s; for a longer hunt: go test -run '^$' -fuzz FuzzValidate -fuzztime 10m ./pkg/rules/
func FuzzValidate(f *testing.F) {
	f.Add(okRule)
	for _, tc := range brokenCases() {
		f.Add(tc.content)
	}
	for _, item := range corpusItems(f) {
		f.Add(item)
	}
	defaults := &catalog.Get().Defaults
	f.Fuzz(func(t *testing.T, content string) {
		res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: defaults})
		checkResult(t, res, map[string]int{"custom.yaml": len(splitLines(content))})
		if utf8.ValidString(content) {
			for _, d := range res.Diagnostics {
				if !utf8.ValidString(d.Message) {
					t.Fatalf("message of valid UTF-8 input is not valid UTF-8: %q", d.Message)
				}
			}
		}
	})
}

// checkResult holds every validation, whatever its input, to the shape the editor relies on.
func checkResult(t *testing.T, res *Result, lines map[string]int) {
	t.Helper()
	if res.Diagnostics == nil || res.Rules == nil {
		t.Fatal("diagnostics and rules must be empty lists, never null")
	}
	for _, d := range res.Diagnostics {
		if d.Severity != SeverityError && d.Severity != SeverityWarning {
			t.Fatalf("severity %q: %+v", d.Severity, d)
		}
		if _, ok := codeDescs[d.Code]; !ok || d.CodeDesc == "" || d.Message == "" {
			t.Fatalf("code %q is not one of Falco's or has no description/message: %+v", d.Code, d)
		}
		n, ok := lines[d.File]
		if !ok {
			t.Fatalf("diagnostic names a file that was not given: %+v", d)
		}
		if d.Line < 1 || d.Line > n || d.Column < 1 {
			t.Fatalf("position %d:%d outside a file of %d lines: %+v", d.Line, d.Column, n, d)
		}
	}
	for _, r := range res.Rules {
		defaultOK := r.Default && r.File == DefaultsFile && r.Line == 0
		loadedOK := !r.Default && r.Priority != "" && lines[r.File] > 0 && r.Line >= 1
		if r.Name == "" || r.Tags == nil || r.Mitre == nil || !defaultOK && !loadedOK {
			t.Fatalf("effective rule is incomplete: %+v", r)
		}
	}
}

// Inputs built to explode naive expansion must finish with a bounded answer; a hang here fails by test timeout.
func TestHostileInputs(t *testing.T) {
	var b strings.Builder
	// 30 lists, each naming the next one 30 times: 30^30 values if expanded naively.
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "- list: l%d\n  items: [", i)
		for j := 0; j < 30; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			if i == 29 {
				fmt.Fprintf(&b, "v%d", j)
			} else {
				fmt.Fprintf(&b, "l%d", i+1)
			}
		}
		b.WriteString("]\n")
	}
	// 40 macros, each using the one before it twice: 2^40 visits if checked naively.
	b.WriteString("- macro: m40\n  condition: proc.name in (l0)\n")
	for i := 39; i >= 0; i-- {
		fmt.Fprintf(&b, "- macro: m%d\n  condition: m%d and m%d\n", i, i+1, i+1)
	}
	b.WriteString("- list: cycle_a\n  items: [cycle_b]\n- list: cycle_b\n  items: [cycle_a, x]\n")
	b.WriteString("- rule: bomb\n  desc: d\n  condition: m0 and proc.pname in (cycle_a)\n  output: o\n  priority: INFO\n  warn_evttypes: false\n")
	res := Validate([]File{{Name: "bomb.yaml", Content: b.String()}}, Options{})
	if len(res.Diagnostics) != 0 || len(res.Rules) != 1 {
		t.Fatalf("expansion bomb: %s", describe(res.Diagnostics))
	}

	// Falco has no length limit on conditions: a 360 KB condition is valid (used, so no unused-macro warning).
	long := "- macro: long\n  condition: " + strings.Repeat("proc.name = a and ", 20000) + "proc.name = b\n" +
		"- rule: long\n  desc: d\n  condition: evt.type = open and long\n  output: o\n  priority: info\n"
	res = Validate([]File{{Name: "long.yaml", Content: long}}, Options{})
	if len(res.Diagnostics) != 0 {
		t.Fatalf("long condition: %s", describe(res.Diagnostics))
	}

	deep := "- macro: deep\n  condition: " + strings.Repeat("(", 5000) + "evt.num > 0" + strings.Repeat(")", 5000) + "\n"
	res = Validate([]File{{Name: "deep.yaml", Content: deep}}, Options{})
	if e := firstError(res); res.Errors() != 1 || !strings.Contains(e.Message, "nests deeper than") {
		t.Fatalf("deep nesting: %s", describe(res.Diagnostics))
	}

	nested := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	res = Validate([]File{{Name: "nested.yaml", Content: nested}}, Options{})
	if e := firstError(res); res.Errors() != 1 || e.Code != "LOAD_ERR_YAML_PARSE" {
		t.Fatalf("deep YAML: %s", describe(res.Diagnostics))
	}
}

func firstError(res *Result) Diagnostic {
	for _, d := range res.Diagnostics {
		if d.Severity == SeverityError {
			return d
		}
	}
	return Diagnostic{}
}
