package sqlitestore

import (
	"encoding/json"

	"github.com/containersec/container-security/pkg/events"
)

// fieldGrouper reads the wanted members of each output_fields object in Go with a scanner of its own: SQLite's
// JSON functions parse the whole object once per call (3 µs an event here) and a token reader builds every token;
// the scanner only finds where each member starts and ends.
type fieldGrouper struct {
	fields []string
	split  int64
	raw    [][]byte // this event's member values, nil when absent
	key    []byte
	byKey  map[string]int
	out    []events.FieldGroup
}

func newFieldGrouper(fields []string, split int64) *fieldGrouper {
	return &fieldGrouper{fields: fields, split: split, raw: make([][]byte, len(fields)), byKey: map[string]int{}}
}

// add counts one event; an object that does not read counts as having none of the fields.
func (g *fieldGrouper) add(obj []byte, at int64) {
	for i := range g.raw {
		g.raw[i] = nil
	}
	if !scanMembers(obj, g.member) {
		for i := range g.raw {
			g.raw[i] = nil
		}
	}
	g.key = g.key[:0]
	for _, r := range g.raw {
		if r == nil {
			g.key = append(g.key, 'a', 0)
			continue
		}
		g.key = append(g.key, 'v')
		g.key = append(g.key, r...)
		g.key = append(g.key, 0)
	}
	recent := int64(0)
	if at >= g.split {
		recent = 1
	}
	if i, ok := g.byKey[string(g.key)]; ok {
		g.out[i].Count++
		g.out[i].Recent += recent
		return
	}
	grp := events.FieldGroup{Values: make([]*string, len(g.raw)), Count: 1, Recent: recent}
	for i, r := range g.raw {
		if r != nil {
			s := string(r)
			grp.Values[i] = &s
		}
	}
	g.byKey[string(g.key)] = len(g.out)
	g.out = append(g.out, grp)
}

// member keeps a wanted member's value; a later duplicate wins, as encoding/json decided at ingest.
func (g *fieldGrouper) member(name []byte, escaped bool, value []byte) {
	if escaped {
		var s string
		if json.Unmarshal(name, &s) != nil {
			return
		}
		name = []byte(`"` + s + `"`) // compared below without its quotes only
	}
	for i, f := range g.fields {
		if len(name) == len(f)+2 && string(name[1:len(name)-1]) == f {
			g.raw[i] = value
			return
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd is the index after the string starting at b[i] == '"', and whether it holds an escape; -1 when it
// does not end.
func stringEnd(b []byte, i int) (int, bool) {
	escaped := false
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return j + 1, escaped
		}
	}
	return -1, escaped
}

// valueEnd is the index after the JSON value starting at b[i], or -1.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		e, _ := stringEnd(b, i)
		return e
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, _ := stringEnd(b, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// scanMembers calls fn with each top-level member of a JSON object (its name still quoted, and its value's JSON
// text); false when obj is not an object it can read.
func scanMembers(obj []byte, fn func(name []byte, escaped bool, value []byte)) bool {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return true
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return false
		}
		ne, esc := stringEnd(obj, i)
		if ne < 0 {
			return false
		}
		name := obj[i:ne]
		i = skipSpace(obj, ne)
		if i >= len(obj) || obj[i] != ':' {
			return false
		}
		i = skipSpace(obj, i+1)
		ve := valueEnd(obj, i)
		if ve < 0 {
			return false
		}
		fn(name, esc, obj[i:ve])
		i = skipSpace(obj, ve)
		if i >= len(obj) {
			return false
		}
		if obj[i] == '}' {
			return true
		}
		if obj[i] != ',' {
			return false
		}
		i = skipSpace(obj, i+1)
	}
	return false
}

// mergeCounted adds groups whose Recent is already counted.
func (g *fieldGrouper) mergeCounted(groups []events.FieldGroup) {
	for _, grp := range groups {
		g.mergeOne(grp, grp.Recent)
	}
}

// merge adds the groups of a whole hour into g, its events all recent or none.
func (g *fieldGrouper) merge(groups []events.FieldGroup, recent bool) {
	for _, grp := range groups {
		r := int64(0)
		if recent {
			r = grp.Count
		}
		g.mergeOne(grp, r)
	}
}

func (g *fieldGrouper) mergeOne(grp events.FieldGroup, recent int64) {
	g.key = g.key[:0]
	for _, v := range grp.Values {
		if v == nil {
			g.key = append(g.key, 'a', 0)
			continue
		}
		g.key = append(g.key, 'v')
		g.key = append(g.key, *v...)
		g.key = append(g.key, 0)
	}
	if i, ok := g.byKey[string(g.key)]; ok {
		g.out[i].Count += grp.Count
		g.out[i].Recent += recent
		return
	}
	g.byKey[string(g.key)] = len(g.out)
	g.out = append(g.out, events.FieldGroup{Values: grp.Values, Count: grp.Count, Recent: recent})
}
