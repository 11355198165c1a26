package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

type macroDef struct {
	name     string
	segs     []segment
	src      *source
	line     int
	col      int
	used     bool
	external bool
}

func (l *loader) conditionSegment(src *source, n *yaml.Node, kind, name string) (segment, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'condition' must be a string", kind, name, src, n)
		return segment{}, false
	}
	return segment{text: n.Value, src: src, pos: newScalarMap(n, src.lines)}, true
}

func (l *loader) loadMacro(src *source, n *yaml.Node, name string, vals map[string]*yaml.Node, combine, appendCond bool) {
	if !nameRe.MatchString(name) {
		l.warnAt("LOAD_INVALID_MACRO_NAME", fmt.Sprintf("Macro name '%s' is not a valid identifier: conditions cannot refer to it", name), "macro", name, src, vals["macro"])
	}
	condNode, ok := vals["condition"]
	if !ok {
		if !combine {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'condition'", "macro", name, src, n)
		}
		return
	}
	seg, ok := l.conditionSegment(src, condNode, "macro", name)
	if !ok {
		return
	}
	prev, exists := l.macros[name]
	if combine {
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Macro '%s' has 'append' or 'override' but no macro by that name was defined before", name), "macro", name, src, n)
			return
		}
		if prev.external {
			return // appending to a default macro: its body is not here to combine with
		}
		if appendCond {
			prev.segs = append(prev.segs, seg)
		} else {
			prev.segs = []segment{seg}
		}
		return
	}
	if !exists {
		l.macroOrd = append(l.macroOrd, name)
	}
	l.macros[name] = &macroDef{name: name, segs: []segment{seg}, src: src, line: n.Line, col: n.Column}
}
