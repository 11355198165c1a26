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
}

type listItem struct {
	value string
	src   *source
	line  int
	col   int
}

func (l *loader) loadList(src *source, n *yaml.Node, name string, vals map[string]*yaml.Node, combine, appendItems bool) {
	if !nameRe.MatchString(name) {
		l.warnAt("LOAD_INVALID_LIST_NAME", fmt.Sprintf("List name '%s' is not a valid identifier: conditions cannot refer to it", name), "list", name, src, vals["list"])
	}
	itemsNode, ok := vals["items"]
	if !ok {
		if !combine {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'items'", "list", name, src, n)
		}
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
