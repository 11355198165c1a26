package tuning

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
)

// appendItem is the rules file item the editor writes for a draft: the default rule's exceptions appended to.
func appendItem(t *testing.T, e Exception, encode func(string) string) string {
	t.Helper()
	rows := make([][]string, len(e.Values))
	for i, row := range e.Values {
		for _, v := range row {
			rows[i] = append(rows[i], encode(v))
		}
	}
	item := []map[string]any{{
		"rule":       e.Rule,
		"exceptions": []map[string]any{{"name": e.Name, "fields": e.Fields, "comps": e.Comps, "values": rows}},
		"override":   map[string]string{"exceptions": "append"},
	}}
	b, err := yaml.Marshal(item)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The rules service loads the file the editor writes, hostile values and all, on top of Falco's default ruleset.
func TestHostileValuesPassTheRulesValidator(t *testing.T) {
	var row []string
	e := Exception{Rule: "Terminal shell in container", Name: "tuned: my app", Fields: []string{"container.image.repository", "proc.name"}, Comps: []string{"=", "in"}}
	for _, hv := range hostileValues(t) {
		row = []string{hv.Value, hv.Value}
		e.Values = append(e.Values, row)
	}
	if p := e.Problems(catalog.Get()); p != nil {
		t.Fatal(p)
	}
	content := appendItem(t, e, FalcoValue)
	res := rules.Validate([]rules.File{{Name: "tuning.yaml", Content: content}}, rules.Options{Defaults: &catalog.Get().Defaults})
	for _, d := range res.Diagnostics {
		t.Errorf("%s: %s (line %d)", d.Code, d.Message, d.Line)
	}
	// The same values written as they are break Falco's condition; the validator says so.
	res = rules.Validate([]rules.File{{Name: "tuning.yaml", Content: appendItem(t, e, func(v string) string { return v })}}, rules.Options{Defaults: &catalog.Get().Defaults})
	if res.Errors() == 0 {
		t.Error("raw values with commas and quotes passed the validator")
	}
}

func TestProblemsNameWhatIsWrong(t *testing.T) {
	cat := catalog.Get()
	for _, tc := range []struct {
		e    Exception
		want string
	}{
		{Exception{Name: "n", Fields: []string{"proc.name"}, Comps: []string{"="}, Values: [][]string{{"a"}}}, "rule is empty"},
		{Exception{Rule: "r", Fields: []string{"proc.name"}, Comps: []string{"="}, Values: [][]string{{"a"}}}, "name must be"},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.nam"}, Comps: []string{"="}, Values: [][]string{{"a"}}}, `field "proc.nam" is not a Falco field`},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"exists"}, Values: [][]string{{"a"}}}, `comp "exists"`},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"=", "="}, Values: [][]string{{"a"}}}, "one comp per field"},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"="}, Values: [][]string{{"a", "b"}}}, "row 1 has 2 values"},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"="}, Values: [][]string{{`C:\`}}}, "ends with a backslash"},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"="}, Values: [][]string{{"a\x00b"}}}, "NUL"},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"="}, Values: [][]string{{strings.Repeat("x", MaxValueBytes+1)}}}, "longer than"},
		{Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{"="}}, "1 to 100 rows"},
	} {
		p := strings.Join(tc.e.Problems(cat), "; ")
		if !strings.Contains(p, tc.want) {
			t.Errorf("%+v: problems %q, want %q", tc.e, p, tc.want)
		}
	}
}

func TestFieldsOfferTheRulesSourceWithStableDefaults(t *testing.T) {
	cat := catalog.Get()
	got := Fields(cat, "syscall", []string{"k8s.pod.name", "proc.name", "fd.name", "ka.user.name", "container.image.repository", "proc.pid", "nope"})
	var names []string
	for _, c := range got {
		names = append(names, c.Field+":"+c.Comp+map[bool]string{true: "+", false: ""}[c.Checked])
	}
	if strings.Join(names, " ") != "container.image.repository:=+ proc.name:=+ fd.name:startswith k8s.pod.name:=" {
		t.Errorf("candidates %v", names)
	}
	audit := Fields(cat, "k8s_audit", []string{"proc.name", "ka.user.name", "ka.verb"})
	if len(audit) != 2 || audit[0].Field != "ka.user.name" || !audit[0].Checked || audit[1].Checked {
		t.Errorf("k8s_audit candidates %+v", audit)
	}
	if none := Fields(cat, "syscall", nil); len(none) != 2 {
		t.Errorf("without events: %+v", none)
	}
}
