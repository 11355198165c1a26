package tuning

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
	"github.com/containersec/container-security/pkg/rules/condition"
)

// testdata/editor_exception.yaml is what the Rules editor's writer (src/components/Tuning/exceptionYaml.ts) makes
// of an exception holding every hostile value; its jest test checks it writes exactly this file. Falco's loader, as
// the rules service mirrors it, accepts the file, and the condition Falco builds from it holds the same values.
func TestTheEditorsFileLoadsBackToTheSameValues(t *testing.T) {
	b, err := os.ReadFile("testdata/editor_exception.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := rules.Validate([]rules.File{{Name: "tuning_exceptions.yaml", Content: string(b)}}, rules.Options{Defaults: &catalog.Get().Defaults})
	for _, d := range res.Diagnostics {
		t.Errorf("%s: %s (line %d)", d.Code, d.Message, d.Line)
	}
	var items []struct {
		Rule       string `yaml:"rule"`
		Exceptions []struct {
			Name   string     `yaml:"name"`
			Fields []string   `yaml:"fields"`
			Comps  []string   `yaml:"comps"`
			Values [][]string `yaml:"values"`
		} `yaml:"exceptions"`
		Override map[string]string `yaml:"override"`
	}
	if err := yaml.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Override["exceptions"] != "append" || len(items[0].Exceptions) != 1 {
		t.Fatalf("items %+v", items)
	}
	ex := items[0].Exceptions[0]
	want := hostileValues(t)
	if ex.Name != `a "b", c` || len(ex.Values) != len(want) {
		t.Fatalf("exception %q with %d rows, want %d", ex.Name, len(ex.Values), len(want))
	}
	for i, row := range ex.Values {
		cond := "evt.type = open" + writtenCondition(ex.Fields, ex.Comps, [][]string{row})
		ast, err := condition.Parse(cond)
		if err != nil {
			t.Fatalf("row %d: %q: %v", i, cond, err)
		}
		var got []string
		condition.Walk(ast, func(n condition.Node) {
			if c, ok := n.(*condition.Check); ok && c.Field.Name != "evt.type" {
				if c.Value != nil {
					got = append(got, c.Value.Text)
				}
				if c.List != nil {
					for _, it := range c.List.Items {
						got = append(got, it.Text)
					}
				}
			}
		})
		if len(got) != 2 || got[0] != want[i].Value || got[1] != want[i].Value {
			t.Errorf("row %d: Falco reads %q, the event held %q", i, got, want[i].Value)
		}
	}
}
