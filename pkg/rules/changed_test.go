package rules

import (
	"strings"
	"testing"
)

func TestChangedRulesNamesOnlyRulesWhoseItemsChanged(t *testing.T) {
	before := []File{{Name: "a.yaml", Content: `
- list: shells
  items: [bash]
- rule: Terminal shell in container
  exceptions:
    - name: ci
      fields: [proc.name]
      values: [[bash]]
  override:
    exceptions: append
- rule: Untouched
  condition: evt.type = open
  output: x
  priority: INFO
  desc: d
`}}
	after := []File{{Name: "a.yaml", Content: `
# a comment and another layout do not count
- list: shells
  items: [bash, sh]
- rule: Untouched
  desc: d
  priority: INFO
  output: x
  condition: evt.type = open
- rule: Terminal shell in container
  exceptions:
    - name: ci
      fields: [proc.name]
      values: [[bash], ["sh, \"quoted\" (x)"]]
  override:
    exceptions: append
`}, {Name: "b.yaml", Content: "- rule: Read sensitive file untrusted\n  enabled: false\n"}}
	got, err := ChangedRules(before, after)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "Read sensitive file untrusted|Terminal shell in container" {
		t.Fatalf("changed rules: %q", got)
	}
	// Removing a file names its rules too.
	got, _ = ChangedRules(after, before[:0])
	if strings.Join(got, "|") != "Read sensitive file untrusted|Terminal shell in container|Untouched" {
		t.Fatalf("after removing every file: %q", got)
	}
	if got, _ := ChangedRules(after, after); len(got) != 0 {
		t.Fatalf("no change: %q", got)
	}
}

func TestChangedRulesSaysWhenAFileCannotBeRead(t *testing.T) {
	if _, err := ChangedRules(nil, []File{{Name: "bad.yaml", Content: "- rule: [unclosed"}}); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Fatalf("want an error naming bad.yaml, got %v", err)
	}
}
