package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Keys an override may replace and append per item kind (rule_loader_reader.cpp read_item: overridable_replace,
// overridable_append); a rule's source cannot be overridden.
var (
	replaceable = map[string]map[string]bool{
		"rule":  set("condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "warn_evttypes", "skip-if-unknown-filter"),
		"macro": set("condition"),
		"list":  set("items"),
	}
	appendable = map[string]map[string]bool{
		"rule":  set("condition", "output", "desc", "tags", "exceptions"),
		"macro": set("condition"),
		"list":  set("items"),
	}
)

// combineMode reads how an item combines with an earlier one of the same name: the legacy 'append: true' for
// every key, or 'override' saying append or replace per key.
func (l *loader) combineMode(src *source, n *yaml.Node, kind, name string, vals, keys map[string]*yaml.Node, order []string) (map[string]string, bool, bool) {
	mode := map[string]string{} // key -> append | replace
	appendAll := false
	if a, ok := vals["append"]; ok {
		b, ok := boolValue(a)
		if !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'append' must be a boolean", kind, name, src, a)
			return nil, false, false
		}
		appendAll = b
		if b {
			l.warnAt("LOAD_DEPRECATED_ITEM", "'append: true' is deprecated: use 'override' with 'append' for each key", kind, name, src, keys["append"])
		}
	}
	if o, ok := vals["override"]; ok {
		if appendAll {
			l.errAt("LOAD_ERR_VALIDATE", "Keys 'override' and 'append: true' cannot be used together", kind, name, src, keys["override"])
			return nil, false, false
		}
		if o.Kind != yaml.MappingNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'override' must be a mapping of keys to append or replace", kind, name, src, o)
			return nil, false, false
		}
		// rule_loader_reader.cpp decode_overrides, then read_item's expected keys.
		ov, ok2, okeys := mapping(o)
		for _, k := range okeys {
			how := ov[k].Value
			switch {
			case how == "append" && !appendable[kind][k]:
				l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Key '%s' cannot be appended to, use 'replace' instead", k), kind, name, src, ok2[k])
				return nil, false, false
			case how == "replace" && !replaceable[kind][k]:
				l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Key '%s' cannot be replaced", k), kind, name, src, ok2[k])
				return nil, false, false
			case how != "append" && how != "replace":
				allowed := ""
				if appendable[kind][k] {
					allowed += "append "
				}
				if replaceable[kind][k] {
					allowed += "replace "
				}
				l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Invalid override operation for key '%s': '%s'. Allowed values are: %s", k, how, allowed), kind, name, src, ov[k])
				return nil, false, false
			}
			if _, present := vals[k]; !present {
				l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("An %s override for '%s' was specified but '%s' is not defined", how, k, k), kind, name, src, n)
				return nil, false, false
			}
			mode[k] = how
		}
		for _, k := range order {
			// read_item checks the expected keys of rules only.
			if kind == "rule" && (appendable[kind][k] || replaceable[kind][k]) && mode[k] == "" {
				l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Unexpected key '%s': no corresponding entry under 'override' is defined.", k), kind, name, src, vals[k])
				return nil, false, false
			}
		}
	}
	return mode, appendAll, true
}

func (l *loader) combineRule(src *source, n *yaml.Node, r *ruleDef, name string, vals, keys map[string]*yaml.Node, appendAll bool, mode map[string]string) {
	if r.external {
		// A default rule known by name only: replaced settings show in the effective ruleset, appends cannot.
		replaced := map[string]*yaml.Node{}
		for _, k := range []string{"priority", "enabled", "tags", "desc"} {
			if mode[k] == "replace" {
				replaced[k] = vals[k]
			}
		}
		l.setRuleFields(src, r, replaced, false)
		return
	}
	// Only a change that can alter what compiles makes the rule worth compiling again: not 'enabled' alone.
	if t := posOf(src, n); t != nil && (appendAll || len(mode) > 1 || mode["enabled"] == "") {
		r.touched = t
	}
	if appendAll {
		// rule_loader_reader.cpp read_item: the legacy 'append: true' appends the condition and the exceptions;
		// other keys are not read.
		legacy := map[string]*yaml.Node{}
		for _, k := range []string{"condition", "exceptions"} {
			if v, ok := vals[k]; ok {
				legacy[k] = v
			}
		}
		l.setRuleFields(src, r, legacy, true)
		return
	}
	appendVals, replaceVals := map[string]*yaml.Node{}, map[string]*yaml.Node{}
	for k, how := range mode {
		if how == "append" {
			appendVals[k] = vals[k]
		} else {
			replaceVals[k] = vals[k]
		}
	}
	if l.setRuleFields(src, r, replaceVals, false) {
		l.setRuleFields(src, r, appendVals, true)
	}
}
