package rules

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// exceptionDef is one of a rule's exceptions. Falco turns it into "and not (...)" after the rule's condition
// (rule_loader_compiler.cpp, build_rule_exception_infos): with one field (single), "field comp (v1, v2, ...)";
// with a list of fields, one "(f1 c1 v1 and f2 c2 v2 ...)" per row of values, or'ed together.
type exceptionDef struct {
	name       string
	single     bool
	fields     []string
	fieldNodes []*yaml.Node
	comps      []string
	compsNode  *yaml.Node // nil when the comps are Falco's defaults
	rows       [][]exCell
	src        *source
	node       *yaml.Node
}

// exCell is one value of a row: a scalar, or a list of values written as a YAML sequence.
type exCell struct {
	values []*yaml.Node
	list   bool
	src    *source // the file the value is written in (appends bring values from other files)
}

// loadExceptions reads a rule's exceptions the way rule_loader_reader.cpp read_rule_exceptions does, and checks
// them as rule_loader_collector.cpp validate_exception_info does: names, fields, comps (defaults: "in" for a
// single field, "=" for each of a list) and the shape of the values.
func (l *loader) loadExceptions(src *source, n *yaml.Node, r *ruleDef, appending bool) ([]exceptionDef, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, true // an empty exceptions key is allowed
	}
	if n.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Rule exceptions must be a sequence", "rule", r.name, src, n)
		return nil, false
	}
	var out []exceptionDef
	names := map[string]bool{}
	for _, prev := range r.exceptions {
		if !appending {
			break
		}
		names[prev.name] = true
	}
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Rule exception must be a mapping", "rule", r.name, src, e)
			return nil, false
		}
		vals, keys, order := mapping(e)
		for _, k := range order {
			if k != "name" && k != "fields" && k != "comps" && k != "values" {
				l.warnAt("LOAD_UNKNOWN_KEY", fmt.Sprintf("Unknown key '%s' in exception: it is ignored", k), "exception", "", src, keys[k])
			}
		}
		nameNode, ok := vals["name"]
		if !ok || nameNode.Kind != yaml.ScalarNode || nameNode.Value == "" {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'name'", "exception", "", src, e)
			return nil, false
		}
		ex := exceptionDef{name: nameNode.Value, src: src, node: e}
		if names[ex.name] && !appending {
			// read_rule_exceptions: a warning, and both exceptions apply.
			l.warnAt("LOAD_EXCEPTION_NAME_NOT_UNIQUE", fmt.Sprintf("Multiple definitions of exception '%s' in the same rule", ex.name), "exception", ex.name, src, e)
		}
		names[ex.name] = true

		var prior *exceptionDef
		for i := range r.exceptions {
			if appending && r.exceptions[i].name == ex.name {
				prior = &r.exceptions[i]
			}
		}
		if prior != nil {
			// rule_loader_collector.cpp append: an existing exception takes more values, never new fields or comps.
			for _, k := range []string{"fields", "comps"} {
				if _, ok := vals[k]; ok {
					l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Can not append exception %s to existing exception, only values", k), "exception", ex.name, src, keys[k])
					return nil, false
				}
			}
			ex.single, ex.fields, ex.fieldNodes, ex.comps, ex.compsNode = prior.single, prior.fields, prior.fieldNodes, prior.comps, prior.compsNode
			if v, ok := vals["values"]; ok && !l.exceptionValues(src, v, &ex) {
				return nil, false
			}
			out = append(out, ex)
			continue
		}
		if f, ok := vals["fields"]; ok {
			switch f.Kind {
			case yaml.ScalarNode:
				ex.fields, ex.fieldNodes, ex.single = []string{f.Value}, []*yaml.Node{f}, true
			case yaml.SequenceNode:
				if ex.fields, ok = l.stringList(src, f, "fields", "exception", ex.name); !ok {
					return nil, false
				}
				ex.fieldNodes = f.Content
			default:
				l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'fields' must be a field or a sequence of fields", "exception", ex.name, src, f)
				return nil, false
			}
			for i, field := range ex.fields {
				if _, _, ok := l.cat.LookupField(field); !ok {
					l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("'%s' is not a supported filter field", field), "exception", ex.name, src, ex.fieldNodes[i])
					return nil, false
				}
			}
		} else {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'fields'", "exception", ex.name, src, e)
			return nil, false
		}
		if c, ok := vals["comps"]; ok {
			ex.compsNode = c
			switch c.Kind {
			case yaml.ScalarNode:
				ex.comps = []string{c.Value}
				if len(ex.fields) > 0 && !ex.single {
					l.errAt("LOAD_ERR_VALIDATE", "Fields and comps must both be lists or both be strings", "exception", ex.name, src, c)
					return nil, false
				}
			case yaml.SequenceNode:
				if ex.comps, ok = l.stringList(src, c, "comps", "exception", ex.name); !ok {
					return nil, false
				}
				if ex.single {
					l.errAt("LOAD_ERR_VALIDATE", "Fields and comps must both be strings", "exception", ex.name, src, c)
					return nil, false
				}
			default:
				l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'comps' must be an operator or a sequence of operators", "exception", ex.name, src, c)
				return nil, false
			}
			for _, op := range ex.comps {
				if _, ok := l.cat.Operator(op); (!ok || op == "exists") && !l.isStrOperatorWithModifier(op) {
					l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("'%s' is not a supported comparison operator", op), "exception", ex.name, src, c)
					return nil, false
				}
			}
			if len(ex.fields) > 0 && len(ex.comps) != len(ex.fields) {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Exception '%s' has %d fields but %d comps: they must match", ex.name, len(ex.fields), len(ex.comps)), "exception", ex.name, src, c)
				return nil, false
			}
		} else if ex.single {
			ex.comps = []string{"in"}
		} else {
			for range ex.fields {
				ex.comps = append(ex.comps, "=")
			}
		}
		if ex.single && ex.comps[0] != "in" && ex.comps[0] != "pmatch" && ex.comps[0] != "intersects" && !l.isStrOperatorWithModifier(ex.comps[0]) {
			l.errAt("LOAD_ERR_VALIDATE", "When fields is a single value, comps must be one of (in, pmatch, intersects) or a string operator with a modifier (such as startswith oneof)", "exception", ex.name, src, ex.compsNode)
			return nil, false
		}
		if v, ok := vals["values"]; ok {
			if !l.exceptionValues(src, v, &ex) {
				return nil, false
			}
			if appending && len(v.Content) == 0 {
				l.warnAt("LOAD_APPEND_NO_VALUES", "Overriding/appending exception with no values", "exception", ex.name, src, v)
			}
		} else if appending {
			l.warnAt("LOAD_APPEND_NO_VALUES", "Overriding/appending exception with no values", "exception", ex.name, src, e)
		}
		out = append(out, ex)
	}
	return out, true
}

// exceptionValues reads the values of an exception; the shapes Falco refuses are errors here too.
func (l *loader) exceptionValues(src *source, v *yaml.Node, ex *exceptionDef) bool {
	if v.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Rule exception values must be a sequence", "exception", ex.name, src, v)
		return false
	}
	for _, tuple := range v.Content {
		switch {
		case ex.single && tuple.Kind == yaml.ScalarNode:
			ex.rows = append(ex.rows, []exCell{{values: []*yaml.Node{tuple}, src: src}})
		case ex.single:
			// build_rule_exception_infos: a single field takes a plain list of values.
			l.errAt("LOAD_ERR_VALIDATE", "Expected values array to contain a list of strings", "exception", ex.name, src, tuple)
			return false
		case tuple.Kind == yaml.SequenceNode:
			if len(ex.fields) > 0 && len(tuple.Content) != len(ex.fields) {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Fields and values lists must have equal length: exception '%s' has %d fields but this value has %d entries", ex.name, len(ex.fields), len(tuple.Content)), "exception", ex.name, src, tuple)
				return false
			}
			row := make([]exCell, 0, len(tuple.Content))
			for _, c := range tuple.Content {
				switch c.Kind {
				case yaml.ScalarNode:
					row = append(row, exCell{values: []*yaml.Node{c}, src: src})
				case yaml.SequenceNode:
					for _, item := range c.Content {
						if item.Kind != yaml.ScalarNode {
							l.errAt("LOAD_ERR_YAML_VALIDATE", "Each exception value must be a string or a list of strings", "exception", ex.name, src, item)
							return false
						}
					}
					row = append(row, exCell{values: c.Content, list: true, src: src})
				default:
					l.errAt("LOAD_ERR_YAML_VALIDATE", "Each exception value must be a string or a list of strings", "exception", ex.name, src, c)
					return false
				}
			}
			ex.rows = append(ex.rows, row)
		default:
			l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Each value of exception '%s' must be a sequence with one entry per field", ex.name), "exception", ex.name, src, tuple)
			return false
		}
	}
	return true
}

// mergeExceptions appends exceptions as rule_loader_collector.cpp append does: values of an exception by the same
// name join its values; others are added. The result never shares storage with old.
func mergeExceptions(old, add []exceptionDef) []exceptionDef {
	out := append([]exceptionDef(nil), old...)
	for _, a := range add {
		merged := false
		for i := range out {
			if out[i].name == a.name {
				out[i].rows = append(out[i].rows[:len(out[i].rows):len(out[i].rows)], a.rows...)
				merged = true
			}
		}
		if !merged {
			out = append(out, a)
		}
	}
	return out
}

// modifierOps are the operators rule_loader_cmpop.h cmpop_supports_modifier accepts with oneof/anyof/allof (the
// string operators of libs' filter/parser.cpp s_binary_str_ops).
var modifierOps = set("=", "==", "!=", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex")

// splitModifier splits an exception comp such as "startswith oneof" into its operator and modifier, as
// rule_loader_cmpop.h is_str_operator_with_modifier does (Falco 0.44.0 and later accept such comps in exceptions).
func (l *loader) splitModifier(op string) (base, modifier string, ok bool) {
	parts := strings.Fields(op)
	if len(parts) != 2 || !modifierOps[parts[0]] {
		return "", "", false
	}
	for _, m := range l.cat.Modifiers {
		if parts[1] == m {
			return parts[0], m, true
		}
	}
	return "", "", false
}

func (l *loader) isStrOperatorWithModifier(op string) bool {
	_, _, ok := l.splitModifier(op)
	return ok
}
