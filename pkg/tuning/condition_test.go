package tuning

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules/condition"
)

// hostileValues are the values both this package and the editor's YAML writer are tested with.
func hostileValues(t *testing.T) []struct{ Value, Falco string } {
	t.Helper()
	b, err := os.ReadFile("testdata/hostile_values.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Values []struct {
			Value string `json:"value"`
			Falco string `json:"falco"`
		} `json:"values"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	out := make([]struct{ Value, Falco string }, len(f.Values))
	for i, v := range f.Values {
		out[i].Value, out[i].Falco = v.Value, v.Falco
	}
	return out
}

// evalCondition evaluates a parsed Falco condition on one event, three-valued like Match: a check on a field the
// event does not carry is Unknown, on a field Falco could not extract false (sinsp_filtercheck.cpp compare_nocache).
// It is written from the AST alone, so it checks the text Condition builds, not Match's code.
func evalCondition(t *testing.T, n condition.Node, ev map[string]Value) Verdict {
	switch x := n.(type) {
	case *condition.BoolOp:
		out := Yes
		if x.Op == "or" {
			out = No
		}
		for _, c := range x.Children {
			v := evalCondition(t, c, ev)
			if x.Op == "and" && v == No || x.Op == "or" && v == Yes {
				return v
			}
			if v == Unknown {
				out = Unknown
			}
		}
		return out
	case *condition.Not:
		switch evalCondition(t, x.X, ev) {
		case Yes:
			return No
		case No:
			return Yes
		}
		return Unknown
	case *condition.Check:
		v, ok := ev[x.Field.Name]
		if !ok || v.State == Absent || v.State == Other {
			return Unknown
		}
		if v.State == Unresolved {
			return No
		}
		var hit bool
		switch x.Op {
		case "=", "==":
			hit = v.Text == x.Value.Text
		case "!=":
			hit = v.Text != x.Value.Text
		case "startswith":
			hit = strings.HasPrefix(v.Text, x.Value.Text)
		case "endswith":
			hit = strings.HasSuffix(v.Text, x.Value.Text)
		case "contains":
			hit = strings.Contains(v.Text, x.Value.Text)
		case "in":
			for _, it := range x.List.Items {
				hit = hit || v.Text == it.Text
			}
		default:
			return Unknown
		}
		if hit {
			return Yes
		}
		return No
	}
	t.Fatalf("unexpected node %T", n)
	return Unknown
}

// FalcoValue writes each hostile value so that Falco's condition, built as build_rule_exception_infos builds it
// and parsed as libsinsp parses it (pkg/rules/condition), holds exactly that value, with = and with in.
func TestFalcoValueReadsBackThroughTheCondition(t *testing.T) {
	for _, hv := range hostileValues(t) {
		if got := FalcoValue(hv.Value); got != hv.Falco {
			t.Errorf("FalcoValue(%q) = %q, testdata says %q", hv.Value, got, hv.Falco)
		}
		for _, comp := range []string{"=", "in"} {
			e := Exception{Rule: "r", Name: "n", Fields: []string{"proc.name"}, Comps: []string{comp}, Values: [][]string{{hv.Value}}}
			cond := "evt.type = open" + e.Condition()
			ast, err := condition.Parse(cond)
			if err != nil {
				t.Fatalf("%q with %s: condition %q does not parse: %v", hv.Value, comp, cond, err)
			}
			var got []string
			condition.Walk(ast, func(n condition.Node) {
				if c, ok := n.(*condition.Check); ok && c.Field.Name == "proc.name" {
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
			if len(got) != 1 || got[0] != hv.Value {
				t.Errorf("%q with %s: Falco would read %q from %q", hv.Value, comp, got, cond)
			}
		}
	}
}

// Without FalcoValue, Falco's own quoting (quote_item) changes such values: the reason it exists.
func TestFalcosQuotingAloneChangesHostileValues(t *testing.T) {
	for _, v := range []string{"a,b", "f(x)", `say "hi"`} {
		cond := "evt.type = open and not (proc.name in " + parenItem(quoteItem(v)) + ")"
		ast, err := condition.Parse(cond)
		if err != nil {
			continue // refused: changed too
		}
		var items []string
		condition.Walk(ast, func(n condition.Node) {
			if c, ok := n.(*condition.Check); ok && c.List != nil {
				for _, it := range c.List.Items {
					items = append(items, it.Text)
				}
			}
		})
		if len(items) == 1 && items[0] == v {
			t.Errorf("%q reads back unchanged without FalcoValue: the test's premise is wrong", v)
		}
	}
}

// Match gives what evaluating the compiled condition gives, on random events and drafts of hostile values,
// absent and unresolved fields, every supported comp, one to three fields and rows.
func TestMatchEqualsTheCompiledCondition(t *testing.T) {
	pool := []string{}
	for _, hv := range hostileValues(t) {
		pool = append(pool, hv.Value)
	}
	fields := []string{"proc.name", "container.image.repository", "fd.name"}
	comps := []string{"=", "!=", "in", "startswith", "endswith", "contains"}
	r := rand.New(rand.NewSource(21))
	pick := func() string {
		v := pool[r.Intn(len(pool))]
		if r.Intn(4) == 0 && len(v) > 1 { // prefixes and suffixes of values, for startswith/endswith/contains
			v = v[:1+r.Intn(len(v)-1)]
			if ValueProblem(v) != "" {
				return "x"
			}
		}
		return v
	}
	checked := map[Verdict]int{}
	for range 5000 {
		nf := 1 + r.Intn(3)
		e := Exception{Rule: "r", Name: "n"}
		for _, i := range r.Perm(len(fields))[:nf] {
			e.Fields = append(e.Fields, fields[i])
			e.Comps = append(e.Comps, comps[r.Intn(len(comps))])
		}
		for range 1 + r.Intn(3) {
			row := make([]string, nf)
			for k := range row {
				row[k] = pick()
			}
			e.Values = append(e.Values, row)
		}
		ev := map[string]Value{"evt.type": {State: Text, Text: "open"}}
		vals := make([]Value, nf)
		for k, f := range e.Fields {
			switch r.Intn(10) {
			case 0:
				vals[k] = Value{State: Absent}
			case 1:
				vals[k] = Value{State: Unresolved}
			case 2, 3, 4:
				vals[k] = Value{State: Text, Text: e.Values[r.Intn(len(e.Values))][k]}
			default:
				vals[k] = Value{State: Text, Text: pick()}
			}
			ev[f] = vals[k]
		}
		cond := "evt.type = open" + e.Condition()
		ast, err := condition.Parse(cond)
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		fires := evalCondition(t, ast, ev)
		want := map[Verdict]Verdict{Yes: No, No: Yes, Unknown: Unknown}[fires]
		if got := e.Match(vals); got != want {
			t.Fatalf("draft %+v on %+v: Match %v, the condition %q evaluates to fire=%v", e, vals, got, cond, fires)
		}
		checked[want]++
	}
	if checked[Yes] < 500 || checked[No] < 500 || checked[Unknown] < 200 {
		t.Errorf("too few cases of each verdict: %v", checked)
	}
	t.Log(fmt.Sprint(checked))
}
