package rules

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Keys an override may name per item kind, and the keys that may be appended rather than replaced.
var (
	overridable = map[string]map[string]bool{
		"rule":  set("condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "source", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter"),
		"macro": set("condition"),
		"list":  set("items"),
	}
	appendable = map[string]bool{"condition": true, "output": true, "desc": true, "tags": true, "exceptions": true, "items": true}
)

// combineMode reads how an item combines with an earlier one of the same name: the legacy 'append: true' for
// every key, or 'override' saying append or replace per key.
func (l *loader) combineMode(src *source, kind, name string, vals, keys map[string]*yaml.Node, order []string) (map[string]string, bool, bool) {
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
		ov, ok2, okeys := mapping(o)
		for _, k := range okeys {
			how := ov[k].Value
			switch {
			case !overridable[kind][k]:
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' cannot be overridden in a %s", k, kind), kind, name, src, ok2[k])
				return nil, false, false
			case how != "append" && how != "replace":
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Override of '%s' must be 'append' or 'replace', got %q", k, how), kind, name, src, ov[k])
				return nil, false, false
			case how == "append" && !appendable[k]:
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' cannot be appended, only replaced", k), kind, name, src, ov[k])
				return nil, false, false
			}
			if _, present := vals[k]; !present {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' is overridden but has no value in this item", k), kind, name, src, ok2[k])
				return nil, false, false
			}
			mode[k] = how
		}
		for _, k := range order {
			if k != kind && k != "override" && itemKeys[kind][k] && mode[k] == "" {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' has no matching 'override' entry: say whether it appends or replaces", k), kind, name, src, keys[k])
				return nil, false, false
			}
		}
	}
	return mode, appendAll, true
}

func (l *loader) combineRule(src *source, r *ruleDef, name string, vals, keys map[string]*yaml.Node, appendAll bool, mode map[string]string) {
	if r.external {
		// A default rule's body is not here: replaced settings show in the effective ruleset, appends cannot.
		replaced := map[string]*yaml.Node{}
		for _, k := range []string{"priority", "enabled", "tags", "source", "desc"} {
			if mode[k] == "replace" {
				replaced[k] = vals[k]
			}
		}
		l.setRuleFields(src, r, replaced, false)
		return
	}
	if appendAll {
		for k := range vals {
			if k != "rule" && k != "append" && k != "condition" && k != "exceptions" && k != "output" && k != "desc" && k != "tags" {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' cannot be appended with 'append: true'", k), "rule", name, src, keys[k])
				return
			}
		}
		l.setRuleFields(src, r, vals, true)
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
