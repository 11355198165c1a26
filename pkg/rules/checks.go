package rules

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules/condition"
)

var numericTypes = map[string]bool{"UINT64": true, "INT64": true, "UINT32": true, "INT32": true, "INT16": true, "UINT16": true, "UINT8": true, "INT8": true, "RELTIME": true, "ABSTIME": true, "DOUBLE": true, "PORT": true}

// Operators each type of field compares with: libsinsp filter_compare.cpp, flt_is_comparable (exists always).
var (
	numericOps = set("=", "!=", "<", "<=", ">", ">=", "in", "intersects")
	boolOps    = set("=", "!=", "in", "intersects")
	ipOps      = set("=", "!=", "in", "intersects")
	stringOps  = set("=", "!=", "<", "<=", ">", ">=", "contains", "in", "icontains", "startswith", "glob", "pmatch", "endswith", "intersects", "iglob", "regex")
	bufferOps  = set("=", "!=", "contains", "in", "startswith", "endswith", "intersects", "bcontains", "bstartswith")
	listOps    = set("in", "intersects")
)

// opProblem says why a field of this type cannot be compared with op, in flt_is_comparable's words, or "".
func opProblem(op, fieldType string) string {
	if op == "exists" {
		return ""
	}
	if op == "==" {
		op = "="
	}
	var ok bool
	var kind string
	switch {
	case strings.HasPrefix(fieldType, "LIST("):
		ok, kind = listOps[op], "list filters"
	case numericTypes[fieldType]:
		ok, kind = numericOps[op], "numeric filters"
	case fieldType == "BOOL":
		ok, kind = boolOps[op], "numeric filters" // sic: flt_is_comparable_bool says numeric
	case fieldType == "IPADDR" || fieldType == "IPNET":
		ok, kind = ipOps[op], "ip address and network filters"
	case fieldType == "CHARBUF":
		ok, kind = stringOps[op], "string filters"
	case fieldType == "BYTEBUF":
		ok, kind = bufferOps[op], "buffer filters"
	default:
		return "" // DYNAMIC: the type is known only when the event is
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("'%s' operator not supported for %s", op, kind)
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil
}

// valueProblem says why v does not parse as a value of the field's type, or "".
func valueProblem(fieldType, v string) string {
	v = strings.TrimSpace(v)
	switch {
	case fieldType == "BOOL":
		if v != "true" && v != "false" {
			return fmt.Sprintf("'%s' is not a boolean (true or false)", v)
		}
	case fieldType == "IPADDR":
		if net.ParseIP(v) == nil {
			return fmt.Sprintf("unrecognized IP address %s (use an fd.*net field to match a network)", v)
		}
	case fieldType == "IPNET":
		if _, _, err := net.ParseCIDR(v); err != nil && net.ParseIP(v) == nil {
			return fmt.Sprintf("unrecognized IP network %s", v)
		}
	case fieldType == "DOUBLE":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Sprintf("'%s' is not a number", v)
		}
	case fieldType == "PORT" || strings.HasPrefix(fieldType, "UINT") || strings.HasPrefix(fieldType, "INT") || fieldType == "RELTIME" || fieldType == "ABSTIME":
		if _, err := strconv.ParseInt(v, 0, 64); err != nil {
			if _, err := strconv.ParseUint(v, 0, 64); err != nil {
				return fmt.Sprintf("'%s' is not a number", v)
			}
		}
	}
	return ""
}

var outputToken = regexp.MustCompile(`%([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)(\[[^\]]*\])?`)

// checkOutput resolves every %field token of the output against the catalog, as Falco's formatter does when
// rule_loader_compiler.cpp compile_rule_infos checks is_format_valid.
func (c *compiler) checkOutput(r *ruleDef) {
	if len(r.outSegs) == 0 {
		return
	}
	text, offs := joinSegments(r.outSegs)
	comp := &compiled{segs: r.outSegs, offs: offs}
	for _, m := range outputToken.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[2]:m[3]]
		if name == "container.info" {
			src, line, col := comp.posOf(m[0])
			// compile_rule_infos: a deprecation warning at the rule; the token is dropped.
			c.add(SeverityWarning, "LOAD_DEPRECATED_ITEM", "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.", "rule", r.name, src, line, col)
			continue
		}
		field, dotArg, ok := c.cat.LookupField(name)
		if ok && sourceFits(field, r.source) && (field.Arg != "required" || m[4] >= 0 || dotArg != "") {
			continue
		}
		src, line, col := comp.posOf(m[0])
		if !ok {
			if r.skipUnknown {
				c.add(SeverityWarning, "LOAD_UNKNOWN_FILTER", fmt.Sprintf("invalid formatting token %s: nonexistent field", name), "rule", r.name, src, line, col)
				continue
			}
			c.add(SeverityError, "LOAD_ERR_COMPILE_OUTPUT", fmt.Sprintf("invalid formatting token %s: nonexistent field %s", text[m[0]:m[1]], name), "rule", r.name, src, line, col)
			continue
		}
		if !sourceFits(field, r.source) {
			c.add(SeverityError, "LOAD_ERR_COMPILE_OUTPUT", fmt.Sprintf("field %s in the output is not available for source %s", name, r.source), "rule", r.name, src, line, col)
			continue
		}
		if field.Arg == "required" && m[4] < 0 && dotArg == "" {
			c.add(SeverityError, "LOAD_ERR_COMPILE_OUTPUT", fmt.Sprintf("field %s in the output requires an argument", name), "rule", r.name, src, line, col)
		}
	}
}

// checkExceptions checks each exception the way Falco compiles it into the rule's condition
// (rule_loader_compiler.cpp build_rule_exception_infos, then the filter compiler): the fields exist for the rule's
// source, the comps suit the fields' types (filter_compare.cpp flt_is_comparable), and the values parse as the
// fields' types; values are pasted in as text, so one that is not a bare string breaks the condition.
func (c *compiler) checkExceptions(r *ruleDef) {
	for _, ex := range r.exceptions {
		for i, name := range ex.fields {
			field, _, ok := c.cat.LookupField(name)
			if !ok || i >= len(ex.comps) {
				continue // reported when the exception was read
			}
			at := ex.fieldNodes[i]
			if !sourceFits(field, r.source) {
				c.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("'%s' is not a supported filter field for source %s", name, r.source), "exception", ex.name, ex.src, at)
				continue
			}
			op := ex.comps[i]
			base, _, modified := c.splitModifier(op)
			if !modified {
				base = op
			}
			if problem := opProblem(base, field.Type); problem != "" {
				if ex.compsNode != nil {
					at = ex.compsNode
					if ex.compsNode.Kind == yaml.SequenceNode && i < len(ex.compsNode.Content) {
						at = ex.compsNode.Content[i]
					}
				}
				c.errAt("LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("%s (field %s)", problem, name), "exception", ex.name, ex.src, at)
				continue
			}
			listOp := op == "in" || op == "pmatch" || op == "intersects" || modified // a modifier compares with a list
			var values []checkValue
			for _, row := range ex.rows {
				if i >= len(row) {
					continue
				}
				cell := row[i]
				for _, v := range cell.values {
					cv := checkValue{text: v.Value, src: cell.src, line: v.Line, col: v.Column, fromList: !listOp || cell.list || !ex.single}
					if li, ok := c.lists[v.Value]; ok && listOp {
						// paren_item turns "name" into "(name)": a list name expands as in a condition.
						li.used = true
						for _, lv := range c.expandList(li) {
							values = append(values, checkValue{text: lv.text, src: cv.src, line: cv.line, col: cv.col, fromList: true})
						}
						continue
					}
					cv.fromList = true
					values = append(values, cv)
				}
			}
			if !c.checkValues(values, field, "exception", ex.name) && field.Name == "evt.type" {
				c.checkEventNames(values, r, "exception", ex.name) // the exception joins the condition Falco compiles
			}
		}
	}
}

type evtMemo struct {
	set     evtSet
	unknown bool
}

// evtSet is a set of event type names, or (neg) every event type but those names.
type evtSet struct {
	neg   bool
	names map[string]bool
}

func (a evtSet) and(b evtSet) evtSet {
	switch {
	case !a.neg && !b.neg:
		return evtSet{names: filter(a.names, func(n string) bool { return b.names[n] })}
	case a.neg && b.neg:
		return evtSet{neg: true, names: union(a.names, b.names)}
	case a.neg:
		return evtSet{names: filter(b.names, func(n string) bool { return !a.names[n] })}
	default:
		return evtSet{names: filter(a.names, func(n string) bool { return !b.names[n] })}
	}
}

func (a evtSet) or(b evtSet) evtSet {
	switch {
	case !a.neg && !b.neg:
		return evtSet{names: union(a.names, b.names)}
	case a.neg && b.neg:
		return evtSet{neg: true, names: filter(a.names, func(n string) bool { return b.names[n] })}
	case a.neg:
		return evtSet{neg: true, names: filter(a.names, func(n string) bool { return !b.names[n] })}
	default:
		return evtSet{neg: true, names: filter(b.names, func(n string) bool { return !a.names[n] })}
	}
}

func filter(m map[string]bool, keep func(string) bool) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		if keep(k) {
			out[k] = true
		}
	}
	return out
}

func union(a, b map[string]bool) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// evttypes computes the event types a condition can match, as libsinsp's ppm_event_codes does for Falco's
// LOAD_NO_EVTTYPE warning: evt.type = / in / != restrict, and/or/not combine, every other check matches all.
func (c *compiler) evttypes(n condition.Node, visiting map[string]bool) evtSet {
	all := evtSet{neg: true, names: map[string]bool{}}
	switch x := n.(type) {
	case *condition.BoolOp:
		s := c.evttypes(x.Children[0], visiting)
		for _, ch := range x.Children[1:] {
			if x.Op == "and" {
				s = s.and(c.evttypes(ch, visiting))
			} else {
				s = s.or(c.evttypes(ch, visiting))
			}
		}
		return s
	case *condition.Not:
		s := c.evttypes(x.X, visiting)
		if s.neg && len(s.names) == 0 {
			return s // the set of all event types is not inverted (filter_evttype_resolver: inversion)
		}
		return evtSet{neg: !s.neg, names: s.names}
	case *condition.MacroRef:
		comp := c.macroASTs[x.Name]
		if comp == nil {
			c.evtUnknown = true // the macro does not compile: Falco stops there, with no warning to add
			return all
		}
		if visiting[x.Name] {
			return all
		}
		if m, ok := c.evtMemo[x.Name]; ok {
			c.evtUnknown = c.evtUnknown || m.unknown
			return m.set // a macro's set does not depend on where it is used: each is computed once
		}
		visiting[x.Name] = true
		outer := c.evtUnknown
		c.evtUnknown = false
		s := c.evttypes(comp.ast, visiting)
		delete(visiting, x.Name)
		c.evtMemo[x.Name] = evtMemo{set: s, unknown: c.evtUnknown}
		c.evtUnknown = c.evtUnknown || outer
		return s
	case *condition.Check:
		if x.Field.Name != "evt.type" || x.Field.Transformer != "" {
			return all
		}
		names := map[string]bool{}
		if x.Value != nil && x.Value.Field == nil {
			names[x.Value.Text] = true
		}
		if x.List != nil {
			for _, it := range x.List.Items {
				if li, ok := c.lists[it.Text]; ok && !it.Quoted {
					for _, v := range c.expandList(li) {
						names[unquote(v.text)] = true
					}
					continue
				}
				names[it.Text] = true
			}
		}
		for n := range names {
			if !c.cat.KnownEventName(unquote(n)) {
				// libsinsp refuses the condition ("unknown event type", see checkEventNames): Falco never gets to
				// count its event types, so no LOAD_NO_EVTTYPE either.
				c.evtUnknown = true
				return all
			}
		}
		switch x.Op {
		case "=", "==", "in", "intersects":
			return evtSet{names: names}
		case "!=":
			return evtSet{neg: true, names: names}
		}
	}
	return all
}

// checkEvttypes warns, as rule_loader_compiler.cpp compile_rule_infos does, when a syscall rule matches no event
// type or more than 100 event codes. libsinsp counts codes, about two per name (enter and exit events): a
// condition that does not restrict evt.type, or only excludes some, always counts more than 100.
func (c *compiler) checkEvttypes(r *ruleDef, comp *compiled) {
	if r.source != "syscall" || !r.warnEvttypes {
		return
	}
	c.evtUnknown = false
	s := c.evttypes(comp.ast, map[string]bool{})
	if c.evtUnknown {
		return
	}
	if s.neg || len(s.names) == 0 || 2*len(s.names) > 100 {
		c.add(SeverityWarning, "LOAD_NO_EVTTYPE", "Rule matches too many evt.type values. This has a significant performance penalty.", "rule", r.name, r.src, r.line, r.col)
	}
}
