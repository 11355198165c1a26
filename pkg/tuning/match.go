package tuning

import (
	"encoding/json"
	"strings"
)

// State is what an event's output_fields hold for a field.
type State uint8

const (
	Absent     State = iota // the key is not in output_fields: the rule's output does not print it
	Unresolved              // null, or "<NA>" from older Falco: Falco could not extract the field
	Text                    // a string value
	Other                   // a number, boolean, list or object: not compared here
)

// Value is one field of one event.
type Value struct {
	State State
	Text  string
}

// ValueOf reads one member of output_fields from its JSON text (SQLite's -> operator: NULL when absent).
func ValueOf(raw *string) Value {
	if raw == nil {
		return Value{State: Absent}
	}
	switch s := strings.TrimSpace(*raw); {
	case s == "null":
		return Value{State: Unresolved}
	case strings.HasPrefix(s, `"`):
		var t string
		if json.Unmarshal([]byte(s), &t) != nil {
			return Value{State: Other}
		}
		if t == "<NA>" {
			return Value{State: Unresolved}
		}
		return Value{State: Text, Text: t}
	}
	return Value{State: Other}
}

// Verdict is three-valued: an event the draft matches, does not match, or may match (a field it cannot read).
type Verdict uint8

const (
	No Verdict = iota
	Yes
	Unknown
)

// Match evaluates the draft on one event's values (aligned with e.Fields) as Falco evaluates the exception it
// compiles (rule_loader_compiler.cpp build_rule_exception_infos): each row is the AND of its fields' comparisons,
// rows are ORed. A comparison on a field Falco could not extract is false (libsinsp sinsp_filtercheck.cpp
// compare_nocache returns false when extract fails), whatever the comp. A comparison this matcher cannot make
// (an absent field, a comp it does not evaluate, a value that is not a string) is Unknown, so the answer is Unknown
// unless the known comparisons decide it.
func (e *Exception) Match(vals []Value) Verdict {
	any := No
	for _, row := range e.Values {
		v := e.matchRow(row, vals)
		if v == Yes {
			return Yes
		}
		if v == Unknown {
			any = Unknown
		}
	}
	return any
}

func (e *Exception) matchRow(row []string, vals []Value) Verdict {
	out := Yes
	for i, comp := range e.Comps {
		if i >= len(row) || i >= len(vals) {
			return Unknown
		}
		switch compare(comp, vals[i], row[i]) {
		case No:
			return No
		case Unknown:
			out = Unknown
		}
	}
	return out
}

func compare(comp string, v Value, want string) Verdict {
	switch {
	case v.State == Unresolved:
		return No // whatever the comp
	case v.State != Text || !supportedComps[comp]:
		return Unknown
	}
	var ok bool
	switch comp {
	case "=", "==", "in": // a scalar value of "in" is pasted as "(value)" (paren_item): a list of one
		ok = v.Text == want
	case "!=":
		ok = v.Text != want
	case "startswith":
		ok = strings.HasPrefix(v.Text, want)
	case "endswith":
		ok = strings.HasSuffix(v.Text, want)
	case "contains":
		ok = strings.Contains(v.Text, want)
	}
	if ok {
		return Yes
	}
	return No
}
