package rules

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

type ruleDef struct {
	name         string
	segs         []segment
	output       string
	outputMap    scalarMap
	outputSrc    *source
	desc         string
	priority     string
	source       string
	tags         []string
	enabled      bool
	exceptions   []exceptionDef
	skipUnknown  bool
	src          *source
	line, col    int
	external     bool
	hasCondition bool
}

func (r *ruleDef) info() RuleInfo {
	info := RuleInfo{Name: r.name, Priority: r.priority, Source: r.source, Tags: r.tags, Enabled: r.enabled, Line: r.line, Mitre: []string{}, Default: r.external}
	if r.external {
		info.File = DefaultsFile
	} else {
		info.File = r.src.name
	}
	if info.Tags == nil {
		info.Tags = []string{}
	}
	for _, t := range r.tags {
		if strings.HasPrefix(t, "mitre_") {
			info.Mitre = append(info.Mitre, strings.ReplaceAll(strings.TrimPrefix(t, "mitre_"), "_", " "))
		}
	}
	return info
}

func (l *loader) loadRule(src *source, n *yaml.Node, name string, vals, keys map[string]*yaml.Node, combine, appendAll bool, mode map[string]string) {
	prev, exists := l.rules[name]
	enabledOnly := len(vals) == 2 && vals["enabled"] != nil
	if enabledOnly && !combine {
		// {rule: X, enabled: false} switches an existing rule on or off.
		b, ok := boolValue(vals["enabled"])
		if !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'enabled' must be a boolean", "rule", name, src, vals["enabled"])
			return
		}
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Rule '%s' only sets 'enabled' but no rule by that name was defined before", name), "rule", name, src, n)
			return
		}
		prev.enabled = b
		return
	}
	if combine {
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Rule '%s' has 'append' or 'override' but no rule by that name was defined before", name), "rule", name, src, n)
			return
		}
		l.combineRule(src, prev, name, vals, keys, appendAll, mode)
		return
	}

	r := &ruleDef{name: name, src: src, line: n.Line, col: n.Column, enabled: true, source: "syscall"}
	for _, k := range []string{"condition", "output", "desc", "priority"} {
		if _, ok := vals[k]; !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Item has no mapping for key '%s'", k), "rule", name, src, n)
			return
		}
	}
	if !l.setRuleFields(src, r, vals, false) {
		return
	}
	if !exists {
		l.ruleOrder = append(l.ruleOrder, name)
	}
	l.rules[name] = r
}

// setRuleFields reads the rule keys present in vals into r; with appending, text and lists are added to.
func (l *loader) setRuleFields(src *source, r *ruleDef, vals map[string]*yaml.Node, appending bool) bool {
	name := r.name
	if c, ok := vals["condition"]; ok {
		seg, ok := l.conditionSegment(src, c, "rule", name)
		if !ok {
			return false
		}
		if appending {
			r.segs = append(r.segs, seg)
		} else {
			r.segs = []segment{seg}
		}
		r.hasCondition = true
	}
	if o, ok := vals["output"]; ok {
		s, ok := l.stringValue(src, o, "output", "rule", name)
		if !ok {
			return false
		}
		if appending {
			r.output += " " + s
		} else {
			r.output, r.outputMap, r.outputSrc = s, newScalarMap(o, src.lines), src
		}
	}
	if d, ok := vals["desc"]; ok {
		s, ok := l.stringValue(src, d, "desc", "rule", name)
		if !ok {
			return false
		}
		r.desc = s
	}
	if p, ok := vals["priority"]; ok {
		s, ok := l.stringValue(src, p, "priority", "rule", name)
		if !ok {
			return false
		}
		canonical, known := priorities[strings.ToLower(strings.TrimSpace(s))]
		if !known {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Invalid priority level: %s (use one of emergency, alert, critical, error, warning, notice, informational, debug)", s), "rule", name, src, p)
			return false
		}
		r.priority = canonical
	}
	if s, ok := vals["source"]; ok {
		v, ok := l.stringValue(src, s, "source", "rule", name)
		if !ok {
			return false
		}
		r.source = v
		if !l.cat.KnownSource(v) {
			l.warnAt("LOAD_UNKNOWN_SOURCE", fmt.Sprintf("Unknown source %s, skipping", v), "rule", name, src, s)
		}
	}
	if t, ok := vals["tags"]; ok {
		tags, ok := l.stringList(src, t, "tags", "rule", name)
		if !ok {
			return false
		}
		if appending {
			r.tags = append(r.tags, tags...)
		} else {
			r.tags = tags
		}
	}
	if !l.ruleBool(src, vals, "enabled", name, &r.enabled) || !l.ruleBool(src, vals, "skip-if-unknown-filter", name, &r.skipUnknown) {
		return false
	}
	if e, ok := vals["exceptions"]; ok {
		exs, ok := l.loadExceptions(src, e, r, appending)
		if !ok {
			return false
		}
		if appending {
			r.exceptions = mergeExceptions(r.exceptions, exs)
		} else {
			r.exceptions = exs
		}
	}
	return true
}

// ruleBool reads the rule's boolean key into dst when the key is there; false (after an error) when it is not a boolean.
func (l *loader) ruleBool(src *source, vals map[string]*yaml.Node, key, name string, dst *bool) bool {
	v, ok := vals[key]
	if !ok {
		return true
	}
	b, ok := boolValue(v)
	if !ok {
		l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Value for key '%s' must be a boolean", key), "rule", name, src, v)
		return false
	}
	*dst = b
	return true
}
