package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

type exceptionDef struct {
	name   string
	fields []string
	comps  []string
	values [][]string
	src    *source
	node   *yaml.Node
}

// loadExceptions reads a rule's exceptions: name, fields (one or a list), comps (matching fields) and values.
func (l *loader) loadExceptions(src *source, n *yaml.Node, r *ruleDef, appending bool) ([]exceptionDef, bool) {
	if n.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'exceptions' must be a sequence", "rule", r.name, src, n)
		return nil, false
	}
	var out []exceptionDef
	names := map[string]bool{}
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Each exception must be a mapping with 'name', 'fields', 'comps' and 'values'", "rule", r.name, src, e)
			return nil, false
		}
		vals, keys, order := mapping(e)
		for _, k := range order {
			if k != "name" && k != "fields" && k != "comps" && k != "values" {
				l.warnAt("LOAD_UNKNOWN_ITEM", fmt.Sprintf("Unknown key '%s' in exception: it is ignored", k), "exception", "", src, keys[k])
			}
		}
		nameNode, ok := vals["name"]
		if !ok || nameNode.Kind != yaml.ScalarNode || nameNode.Value == "" {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'name'", "exception", "", src, e)
			return nil, false
		}
		ex := exceptionDef{name: nameNode.Value, src: src, node: e}
		if names[ex.name] {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Multiple definitions of exception '%s' in the same rule", ex.name), "exception", ex.name, src, nameNode)
			return nil, false
		}
		names[ex.name] = true

		single := false
		if f, ok := vals["fields"]; ok {
			switch f.Kind {
			case yaml.ScalarNode:
				ex.fields, single = []string{f.Value}, true
			case yaml.SequenceNode:
				if ex.fields, ok = l.stringList(src, f, "fields", "exception", ex.name); !ok {
					return nil, false
				}
			default:
				l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'fields' must be a field or a sequence of fields", "exception", ex.name, src, f)
				return nil, false
			}
			for i, field := range ex.fields {
				if _, _, ok := l.cat.LookupField(field); !ok {
					at := f
					if f.Kind == yaml.SequenceNode {
						at = f.Content[i]
					}
					l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("'%s' is not a supported filter field", field), "exception", ex.name, src, at)
					return nil, false
				}
			}
		} else if !appending {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'fields'", "exception", ex.name, src, e)
			return nil, false
		}
		if c, ok := vals["comps"]; ok {
			switch c.Kind {
			case yaml.ScalarNode:
				ex.comps = []string{c.Value}
			case yaml.SequenceNode:
				if ex.comps, ok = l.stringList(src, c, "comps", "exception", ex.name); !ok {
					return nil, false
				}
			default:
				l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'comps' must be an operator or a sequence of operators", "exception", ex.name, src, c)
				return nil, false
			}
			for _, op := range ex.comps {
				if _, ok := l.cat.Operator(op); !ok {
					l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("'%s' is not a supported comparison operator", op), "exception", ex.name, src, c)
					return nil, false
				}
			}
			if len(ex.fields) > 0 && len(ex.comps) != len(ex.fields) {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Exception '%s' has %d fields but %d comps: they must match", ex.name, len(ex.fields), len(ex.comps)), "exception", ex.name, src, c)
				return nil, false
			}
		}
		if v, ok := vals["values"]; ok {
			if v.Kind != yaml.SequenceNode {
				l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'values' must be a sequence", "exception", ex.name, src, v)
				return nil, false
			}
			for _, tuple := range v.Content {
				switch {
				case single && tuple.Kind == yaml.ScalarNode:
					ex.values = append(ex.values, []string{tuple.Value})
				case single && tuple.Kind == yaml.SequenceNode:
					// a single field compared with "in" takes a list of values
					vals, ok := l.stringList(src, tuple, "values", "exception", ex.name)
					if !ok {
						return nil, false
					}
					ex.values = append(ex.values, vals)
				case tuple.Kind == yaml.SequenceNode:
					if len(ex.fields) > 0 && len(tuple.Content) != len(ex.fields) {
						l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Exception '%s' has %d fields but this value has %d entries", ex.name, len(ex.fields), len(tuple.Content)), "exception", ex.name, src, tuple)
						return nil, false
					}
					row := make([]string, 0, len(tuple.Content))
					for _, c := range tuple.Content {
						row = append(row, c.Value)
					}
					ex.values = append(ex.values, row)
				default:
					l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Each value of exception '%s' must be a sequence with one entry per field", ex.name), "exception", ex.name, src, tuple)
					return nil, false
				}
			}
			if appending && len(v.Content) == 0 {
				l.warnAt("LOAD_APPEND_NO_VALUES", fmt.Sprintf("Exception '%s' is appended with no values", ex.name), "exception", ex.name, src, v)
			}
		}
		out = append(out, ex)
	}
	return out, true
}

func mergeExceptions(old, add []exceptionDef) []exceptionDef {
	for _, a := range add {
		merged := false
		for i := range old {
			if old[i].name == a.name {
				old[i].values = append(old[i].values, a.values...)
				merged = true
			}
		}
		if !merged {
			old = append(old, a)
		}
	}
	return old
}
