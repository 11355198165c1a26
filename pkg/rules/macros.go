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
	touched  *position // the user's item that appended to or replaced this default macro
	// rule_loader_collector.cpp define_info/append_info: index is the load position of the first definition,
	// visibility that of the last definition or append; a macro sees only macros whose index is below its visibility.
	index, visibility int
}

// isDefault tells whether the macro is the default ruleset's, as Falco ships it or as changed by the user's files.
func (m *macroDef) isDefault() bool { return m.external || m.src != nil && m.src.defaults }

func (l *loader) conditionSegment(src *source, n *yaml.Node, kind, name string) (segment, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'condition' must be a string", kind, name, src, n)
		return segment{}, false
	}
	return segment{text: n.Value, src: src, pos: newLazyMap(n, src.lines)}, true
}

func (l *loader) loadMacro(src *source, n *yaml.Node, name string, vals map[string]*yaml.Node, combine, appendCond bool) {
	if !macroNameRe.MatchString(name) {
		// rule_loader_reader.cpp read_item: a warning at the item; conditions cannot name such a macro.
		l.warnAt("LOAD_INVALID_MACRO_NAME", "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)", "macro", name, src, n)
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
			return // a default macro known by name only: its body is not here to combine with
		}
		if t := posOf(src, n); t != nil {
			prev.touched = t
		}
		prev.visibility = l.nextIndex()
		if appendCond {
			prev.segs = append(prev.segs, seg)
		} else {
			prev.segs = []segment{seg}
		}
		return
	}
	id := l.nextIndex()
	index := id
	if exists {
		index = prev.index // define_info: a redefinition keeps the first definition's index
	} else {
		l.macroOrd = append(l.macroOrd, name)
	}
	l.macros[name] = &macroDef{name: name, segs: []segment{seg}, src: src, line: n.Line, col: n.Column, index: index, visibility: id}
}

// nextIndex is rule_loader_collector.cpp's m_cur_index++: every definition or append gets the next load position.
func (l *loader) nextIndex() int {
	l.itemIndex++
	return l.itemIndex
}
