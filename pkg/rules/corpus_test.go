package rules

import (
	"os"
	"path/filepath"
	"testing"
)

const corpusRules = "../../../shared/corpus/falco-rules"

// Falco's load order for the official rulesets.
var corpusFiles = []string{"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml", "falco-deprecated_rules.yaml"}

func loadCorpus(tb testing.TB) []File {
	tb.Helper()
	var files []File
	for _, name := range corpusFiles {
		b, err := os.ReadFile(filepath.Join(corpusRules, name))
		if err != nil {
			tb.Fatalf("the corpus must be beside the repository: %v", err)
		}
		files = append(files, File{Name: name, Content: string(b)})
	}
	return files
}

func TestCorpusLoadsWithoutErrors(t *testing.T) {
	res := Validate(loadCorpus(t), Options{})
	for _, d := range res.Diagnostics {
		if d.Severity == SeverityError {
			t.Errorf("%s:%d:%d %s %s (%s %s)\n%s", d.File, d.Line, d.Column, d.Code, d.Message, d.ItemType, d.ItemName, d.Snippet)
		}
	}
	// Counted independently from the YAML (distinct names across the four files).
	if len(res.Rules) != 97 || res.Macros != 317 || res.Lists != 126 {
		t.Errorf("resolved %d rules, %d macros, %d lists; want 97, 317, 126", len(res.Rules), res.Macros, res.Lists)
	}
	warnings := map[string]int{}
	for _, d := range res.Diagnostics {
		if d.Severity == SeverityWarning {
			warnings[d.Code]++
		}
	}
	t.Logf("warnings by code: %v", warnings)
}
