package condition

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// corpusConditions are the conditions of every rule and macro of the four corpus files: real input to mutate.
func corpusConditions(tb testing.TB) []string {
	var out []string
	for _, name := range []string{"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml", "falco-deprecated_rules.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../../../shared/corpus/falco-rules", name))
		if err != nil {
			tb.Fatalf("the corpus must be beside the repository: %v", err)
		}
		var items []map[string]any
		if err := yaml.Unmarshal(b, &items); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		for _, it := range items {
			if c, ok := it["condition"].(string); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

func TestCorpusConditionsParse(t *testing.T) {
	conds := corpusConditions(t)
	if len(conds) < 400 {
		t.Fatalf("expected the corpus's 400+ conditions, found %d", len(conds))
	}
	for _, c := range conds {
		if _, err := Parse(c); err != nil {
			t.Errorf("%v\n%s", err, c)
		}
	}
}

// FuzzParse: any input parses or fails with a SyntaxError inside the text; every node's span lies inside it.
// CI runs it for 20s; for a longer hunt: go test -run '^$' -fuzz FuzzParse -fuzztime 10m ./pkg/rules/condition/
func FuzzParse(f *testing.F) {
	for _, s := range corpusConditions(f) {
		f.Add(s)
	}
	for _, s := range []string{"a and b", "proc.name in (a, \"b\")", "not (x.y exists)", "tolower(proc.name)=val(proc.pname)",
		"getopt(proc.args, \"a:\")[a] = 1", "join(\"-\", (proc.name, proc.pname)) = x", "proc.name in (", "proc.aname[", "a.b = '\\"} {
		f.Add(s)
	}
	for cond := range parseErrorCases() {
		f.Add(cond)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok || se.Pos < 0 || se.Pos > len(s) || se.Msg == "" {
				t.Fatalf("bad error %#v", err)
			}
			if utf8.ValidString(s) && !utf8.ValidString(se.Msg) {
				t.Fatalf("message of valid UTF-8 input is not valid UTF-8: %q", se.Msg)
			}
			return
		}
		Walk(n, func(node Node) {
			start, end := node.Span()
			if start < 0 || end > len(s) || start > end {
				t.Fatalf("%T spans %d..%d outside %d bytes", node, start, end, len(s))
			}
		})
	})
}
