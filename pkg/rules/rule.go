package rules

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

type ruleDef struct {
	name         string
	segs         []segment
	outSegs      []segment // the output, with appended pieces joined by a space as Falco joins them
	desc         string
	priority     string
	source       string
	tags         []string
	enabled      bool
	exceptions   []exceptionDef
	skipUnknown  bool
	warnEvttypes bool
	src          *source
	line, col    int
	external     bool
	hasCondition bool
	touched      *position // the user's item that appended to or replaced keys of this default rule
}

// isDefault tells whether the rule is the default ruleset's, as Falco ships it or as changed by the user's files.
func (r *ruleDef) isDefault() bool { return r.external || r.src != nil && r.src.defaults }

func (r *ruleDef) info() RuleInfo {
	info := RuleInfo{Name: r.name, Priority: r.priority, Source: r.source, Tags: r.tags, Enabled: r.enabled, Line: r.line, Mitre: []string{}, Default: r.isDefault()}
	if r.isDefault() {
		info.File, info.Line = DefaultsFile, 0
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
	enabledOnly := vals["condition"] == nil && vals["output"] == nil && vals["desc"] == nil && vals["priority"] == nil
	if enabledOnly && !combine {
		// rule_loader_reader.cpp read_item: a rule item without condition, output, desc and priority must have
		// 'enabled', which switches an earlier rule on or off (a deprecated form: override with enabled: replace).
		e, ok := vals["enabled"]
		if !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'enabled'", "rule", name, src, n)
			return
		}
		b, ok := boolValue(e)
		if !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'enabled' must be a boolean", "rule", name, src, e)
			return
		}
		// read_item warns (WARNING_ENABLED) before collector.enable looks for the rule, so a missing rule gets both.
		l.warnAt("LOAD_DEPRECATED_ITEM", "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry in the 'override' key (i.e. 'override: { enabled: replace }').", "rule", name, src, n)
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Rule '%s' has 'enabled' key but no rule by that name already exists", name), "rule", name, src, n)
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
		l.combineRule(src, n, prev, name, vals, keys, appendAll, mode)
		return
	}

	r := &ruleDef{name: name, src: src, line: n.Line, col: n.Column, enabled: true, source: "syscall", warnEvttypes: true}
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
		seg := segment{text: s, src: src, pos: newLazyMap(o, src.lines)}
		if appending {
			r.outSegs = append(r.outSegs, seg)
		} else {
			r.outSegs = []segment{seg}
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
			// rule_loader_reader.cpp read_item: THROW(!parse_priority(...), "Invalid priority"), a LOAD_ERR_YAML_VALIDATE.
			l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Invalid priority level: %s (use one of emergency, alert, critical, error, warning, notice, informational, debug)", s), "rule", name, src, p)
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
		switch {
		case !l.cat.KnownSource(v):
			l.warnAt("LOAD_UNKNOWN_SOURCE", fmt.Sprintf("Unknown source %s, skipping", v), "rule", name, src, s)
		case !l.sourceLoaded(v):
			l.warnAt("LOAD_UNKNOWN_SOURCE", fmt.Sprintf("Unknown source %s, skipping (the %s plugin is not among the plugins Falco loads)", v, l.cat.SourcePlugin(v)), "rule", name, src, s)
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
	if !l.ruleBool(src, vals, "enabled", name, &r.enabled) || !l.ruleBool(src, vals, "skip-if-unknown-filter", name, &r.skipUnknown) ||
		!l.ruleBool(src, vals, "warn_evttypes", name, &r.warnEvttypes) {
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
