package rules

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

const shippedRules = "../../rules/falco/containersec_rules.yaml"

// The lab's rules must load cleanly after Falco's rulesets, as the chart loads them, and define what they promise.
func TestShippedRulesValidateAfterTheCorpus(t *testing.T) {
	content, err := os.ReadFile(shippedRules)
	if err != nil {
		t.Fatal(err)
	}
	files := append(loadCorpus(t), File{Name: "containersec_rules.yaml", Content: string(content)})
	res := Validate(files, Options{})
	for _, d := range res.Diagnostics {
		// The corpus's own warnings (3 deprecated fields) are Falco's business; ours must be clean.
		if d.File == "containersec_rules.yaml" || d.Severity == SeverityError {
			t.Errorf("%s:%d:%d %s %s %s\n%s", d.File, d.Line, d.Column, d.Severity, d.Code, d.Message, d.Snippet)
		}
	}
	want := map[string]string{"Curl in container": "Notice", "Sensitive file opened in container": "Warning", "Shell in container": "Notice"}
	for _, r := range res.Rules {
		if p, ok := want[r.Name]; ok {
			if r.Priority != p || r.File != "containersec_rules.yaml" || !r.Enabled || len(r.Mitre) == 0 {
				t.Errorf("%s: %+v", r.Name, r)
			}
			delete(want, r.Name)
		}
	}
	if len(want) != 0 {
		t.Errorf("missing from the effective ruleset: %v", want)
	}

	// Against the embedded defaults (the editor's view) they are just as clean.
	res = Validate([]File{{Name: "containersec_rules.yaml", Content: string(content)}}, Options{Defaults: &catalog.Get().Defaults})
	if len(res.Diagnostics) != 0 {
		t.Errorf("after the embedded defaults: %s", describe(res.Diagnostics))
	}
}

// The outputs promise who, what and where: these fields must be in each rule's output.
func TestShippedRulesOutputs(t *testing.T) {
	content, err := os.ReadFile(shippedRules)
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := yaml.Unmarshal(content, &items); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"Curl in container":                  {"%container.id", "%container.name", "%proc.cmdline"},
		"Sensitive file opened in container": {"%user.name", "%proc.name", "%fd.name", "%container.id"},
		"Shell in container":                 {"%proc.name", "%container.id", "%container.name", "%user.name"},
	}
	defaults := catalog.Get().Defaults
	for _, it := range items {
		for _, kind := range []string{"macro", "list"} {
			if name, ok := it[kind].(string); ok && (contains(defaults.Macros, name) || contains(defaults.Lists, name)) {
				t.Errorf("%s %s would replace the default ruleset's own", kind, name)
			}
		}
		name, _ := it["rule"].(string)
		output, _ := it["output"].(string)
		for _, token := range want[name] {
			if !strings.Contains(output, token+" ") && !strings.Contains(output, token+")") {
				t.Errorf("%s: output lacks %s", name, token)
			}
		}
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
