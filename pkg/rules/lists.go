package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

type listDef struct {
	name     string
	items    []listItem
	src      *source
	line     int
	col      int
	used     bool
	external bool
	touched  *position // the user's item that appended to or replaced this default list
}

// isDefault tells whether the list is the default ruleset's, as Falco ships it or as changed by the user's files.
func (li *listDef) isDefault() bool { return li.external || li.src != nil && li.src.defaults }

type listItem struct {
	value string
	src   *source
	line  int
	col   int
}

func (l *loader) loadList(src *source, n *yaml.Node, name string, vals map[string]*yaml.Node, combine, appendItems bool) {
	if !listNameRe.MatchString(name) {
		// rule_loader_reader.cpp read_item: a warning at the item.
		l.warnAt("LOAD_INVALID_LIST_NAME", "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)", "list", name, src, n)
	}
	itemsNode, ok := vals["items"]
	if !ok {
		// rule_loader_reader.cpp decode_items: 'items' is required, with append or override too.
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'items'", "list", name, src, n)
		return
	}
	if itemsNode.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'items' must be a sequence", "list", name, src, itemsNode)
		return
	}
	var items []listItem
	for _, c := range itemsNode.Content {
		if c.Kind != yaml.ScalarNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Every list item must be a string or a number", "list", name, src, c)
			return
		}
		items = append(items, listItem{value: c.Value, src: src, line: c.Line, col: c.Column})
	}
	prev, exists := l.lists[name]
	if combine {
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("List '%s' has 'append' or 'override' but no list by that name was defined before", name), "list", name, src, n)
			return
		}
		if t := posOf(src, n); t != nil {
			prev.touched = t
		}
		if len(items) == 0 {
			l.warnAt("LOAD_APPEND_NO_VALUES", fmt.Sprintf("List '%s' is appended or overridden with no items", name), "list", name, src, itemsNode)
		}
		if appendItems {
			prev.items = append(prev.items, items...)
		} else {
			prev.items = items
		}
		return
	}
	if !exists {
		l.listOrder = append(l.listOrder, name)
	}
	l.lists[name] = &listDef{name: name, items: items, src: src, line: n.Line, col: n.Column}
}
