package rules

import (
	"fmt"
	"strings"

	"github.com/containersec/container-security/pkg/rules/catalog"
	"github.com/containersec/container-security/pkg/rules/condition"
)

// compiled is a parsed condition with the segments it came from, to map offsets to file positions.
type compiled struct {
	ast  condition.Node
	segs []segment
	offs []int // start offset of each segment in the joined text
}

func joinSegments(segs []segment) (string, []int) {
	var b strings.Builder
	offs := make([]int, len(segs))
	for i, s := range segs {
		if i > 0 {
			b.WriteByte(' ')
		}
		offs[i] = b.Len()
		b.WriteString(s.text)
	}
	return b.String(), offs
}

// parseSegments parses a condition assembled from its segments (appends join with a space, as Falco joins them).
func parseSegments(segs []segment) (*compiled, *condition.SyntaxError) {
	text, offs := joinSegments(segs)
	comp := &compiled{segs: segs, offs: offs}
	ast, err := condition.Parse(text)
	if err != nil {
		return comp, err.(*condition.SyntaxError)
	}
	comp.ast = ast
	return comp, nil
}

// posOf maps an offset of the joined condition to its file, line and column.
func (c *compiled) posOf(off int) (*source, int, int) {
	i := len(c.offs) - 1
	for i > 0 && c.offs[i] > off {
		i--
	}
	line, col := c.segs[i].pos.at(off - c.offs[i])
	return c.segs[i].src, line, col
}

// compiler checks conditions in the context of a rule's event source.
type compiler struct {
	*loader
	macroASTs  map[string]*compiled
	checked    map[string]bool // macro|source already checked
	listValues map[*listDef][]listValue
	changed    map[string]*position // "m:name"/"l:name" -> where the user changed it or what it uses; nil: unchanged
	evtMemo    map[string]evtMemo   // macro -> the event types it matches
	evtUnknown bool                 // the last evttypes walk met a macro that does not compile
	hidden     map[string]bool      // "macro\x00used": the used macro is defined after the macro that names it
}

// listValue is one value a list stands for, with where it is written.
type listValue struct {
	text      string
	src       *source
	line, col int
}

func (l *loader) compile() {
	c := &compiler{loader: l, macroASTs: map[string]*compiled{}, checked: map[string]bool{}, listValues: map[*listDef][]listValue{}, changed: map[string]*position{}, evtMemo: map[string]evtMemo{}, hidden: map[string]bool{}}
	// Lists may name other lists; a name used as an item marks that list used.
	for _, name := range l.listOrder {
		for _, it := range l.lists[name].items {
			if other, ok := l.lists[it.value]; ok && other != l.lists[name] {
				other.used = true
			}
		}
	}
	for _, name := range l.macroOrd {
		m := l.macros[name]
		if m.external {
			continue
		}
		if m.isDefault() && m.touched == nil && l.base != nil {
			if comp := l.base.macroASTs[name]; comp != nil && comp.ast != nil {
				c.macroASTs[name] = comp
			}
			continue
		}
		l.blame = m.touched
		comp, se := parseSegments(m.segs)
		if se != nil {
			c.syntaxError(comp, se, "macro", name)
		} else {
			c.macroASTs[name] = comp
		}
		l.blame = nil
	}
	c.checkMacroVisibility()
	// rule_loader_compiler.cpp marks a macro or list used when any macro or rule condition names it
	// (resolve_macros, parse_condition), whether or not a rule uses that macro in turn.
	for _, comp := range c.macroASTs {
		c.markUsed(comp.ast)
	}
	for _, name := range l.ruleOrder {
		r := l.rules[name]
		switch {
		case r.external:
		case !r.isDefault():
			c.compileRule(r, nil)
		default:
			// A default rule is Falco's business unless the user changed it or something it uses.
			blame := r.touched
			if comp := l.base.ruleASTs[name]; comp != nil && comp.ast != nil {
				c.markUsed(comp.ast)
				if blame == nil {
					blame = c.astChange(comp.ast)
				}
			}
			if blame != nil {
				c.compileRule(r, blame)
			}
		}
	}
	for _, name := range l.macroOrd {
		if m := l.macros[name]; !m.isDefault() && !m.used {
			l.add(SeverityWarning, "LOAD_UNUSED_MACRO", fmt.Sprintf("Macro not referred to by any other rule/macro: %s", name), "macro", name, m.src, m.line, m.col)
		}
	}
	for _, name := range l.listOrder {
		if li := l.lists[name]; !li.isDefault() && !li.used {
			l.add(SeverityWarning, "LOAD_UNUSED_LIST", fmt.Sprintf("List not referred to by any other rule/macro: %s", name), "list", name, li.src, li.line, li.col)
		}
	}
}

// syntaxError reports a parse error where it is in the file; a '(' left open is named by line and column.
func (c *compiler) syntaxError(comp *compiled, se *condition.SyntaxError, itemType, name string) {
	src, line, col := comp.posOf(se.Pos)
	msg := se.Msg
	if se.Open >= 0 {
		if osrc, oline, ocol := comp.posOf(se.Open); osrc == src && !osrc.defaults {
			msg += fmt.Sprintf(" opened at line %d, column %d", oline, ocol)
		}
	}
	c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", msg, itemType, name, src, line, col)
}

// markUsed marks the macros and lists a condition names as used.
func (c *compiler) markUsed(n condition.Node) {
	condition.Walk(n, func(node condition.Node) {
		switch x := node.(type) {
		case *condition.MacroRef:
			if m, ok := c.macros[x.Name]; ok {
				m.used = true
			}
		case *condition.List:
			for _, it := range x.Items {
				if li, ok := c.lists[it.Text]; ok && !it.Quoted {
					li.used = true
				}
			}
		}
	})
}

// astChange returns where the user changed a macro or list the condition uses (directly or further down), or nil.
func (c *compiler) astChange(n condition.Node) *position {
	var p *position
	condition.Walk(n, func(node condition.Node) {
		if p != nil {
			return
		}
		switch x := node.(type) {
		case *condition.MacroRef:
			p = c.macroChange(x.Name)
		case *condition.List:
			for _, it := range x.Items {
				if q := c.listChange(it.Text); q != nil && !it.Quoted && p == nil {
					p = q
				}
			}
		}
	})
	return p
}

func (c *compiler) macroChange(name string) *position {
	key := "m:" + name
	if p, ok := c.changed[key]; ok {
		return p
	}
	c.changed[key] = nil // a cycle adds nothing
	var p *position
	if m, ok := c.macros[name]; ok && !m.external {
		switch {
		case !m.isDefault():
			p = &position{src: m.src, line: m.line, col: m.col}
		case m.touched != nil:
			p = m.touched
		default:
			if comp := c.macroASTs[name]; comp != nil {
				p = c.astChange(comp.ast)
			}
		}
	}
	c.changed[key] = p
	return p
}

func (c *compiler) listChange(name string) *position {
	key := "l:" + name
	if p, ok := c.changed[key]; ok {
		return p
	}
	c.changed[key] = nil
	var p *position
	if li, ok := c.lists[name]; ok && !li.external {
		switch {
		case !li.isDefault():
			p = &position{src: li.src, line: li.line, col: li.col}
		case li.touched != nil:
			p = li.touched
		default:
			for _, it := range li.items {
				if other, ok := c.lists[it.value]; ok && other != li && p == nil {
					p = c.listChange(it.value)
				}
			}
		}
	}
	c.changed[key] = p
	return p
}

func allDefaults(segs []segment) bool {
	for _, s := range segs {
		if !s.src.defaults {
			return false
		}
	}
	return len(segs) > 0
}

// compileRule checks a rule's condition, output and exceptions for its source; blame is where problems found in
// the default ruleset's text are reported (the user's change that caused them).
func (c *compiler) compileRule(r *ruleDef, blame *position) {
	c.blame = blame
	defer func() { c.blame = nil }()
	var comp *compiled
	if allDefaults(r.segs) && c.base != nil {
		comp = c.base.ruleASTs[r.name]
	}
	if comp == nil || comp.ast == nil {
		var se *condition.SyntaxError
		if comp, se = parseSegments(r.segs); se != nil {
			c.syntaxError(comp, se, "rule", r.name)
			return
		}
		c.markUsed(comp.ast)
	}
	known := c.sourceLoaded(r.source)
	c.checkNode(comp, comp.ast, r, "rule", r.name, known, nil)
	if !known {
		return
	}
	c.checkOutput(r)
	c.checkExceptions(r)
	c.checkEvttypes(r, comp)
}

func sourceFits(f *catalog.Field, src string) bool { return f.Source == "*" || f.Source == src }

// checkNode walks a condition: macros resolve (and are checked for this source once), fields and operators fit.
func (c *compiler) checkNode(comp *compiled, n condition.Node, r *ruleDef, itemType, itemName string, checkFields bool, stack []string) {
	condition.Walk(n, func(node condition.Node) {
		switch x := node.(type) {
		case *condition.MacroRef:
			m, ok := c.macros[x.Name]
			if !ok {
				src, line, col := comp.posOf(x.Start)
				c.add(SeverityError, "LOAD_ERR_VALIDATE", undefinedMacro(x.Name), itemType, itemName, src, line, col)
				return
			}
			if itemType == "macro" && c.hidden[itemName+"\x00"+x.Name] {
				return // defined after the macro that uses it: reported by checkMacroVisibility
			}
			mc := c.macroASTs[x.Name]
			if m.external || mc == nil {
				return
			}
			for _, name := range stack {
				if name == x.Name {
					// filter_macro_resolver.cpp visit(value_expr): a macro already on the resolution path.
					src, line, col := comp.posOf(x.Start)
					c.add(SeverityError, "LOAD_ERR_VALIDATE", fmt.Sprintf("reference loop in macro '%s'", x.Name), itemType, itemName, src, line, col)
					return
				}
			}
			key := x.Name + "|" + r.source
			if c.checked[key] {
				return
			}
			c.checked[key] = true
			saved := c.blame
			if m.touched != nil {
				c.blame = m.touched
			}
			c.checkNode(mc, mc.ast, r, "macro", x.Name, checkFields, append(stack, x.Name))
			c.blame = saved
		case *condition.Check:
			c.checkCheck(comp, x, r, itemType, itemName, checkFields)
		}
	})
}

func (c *compiler) checkField(comp *compiled, f *condition.FieldExpr, r *ruleDef, itemType, itemName string) *catalog.Field {
	if f.Transformer != "" {
		for _, a := range f.Args {
			c.checkField(comp, a, r, itemType, itemName)
		}
		return nil
	}
	field, dotArg, ok := c.cat.LookupField(f.Name)
	report := func(sev Severity, code, msg string) {
		src, line, col := comp.posOf(f.Start)
		c.add(sev, code, msg, itemType, itemName, src, line, col)
	}
	if !ok {
		msg := fmt.Sprintf("filter_check called with nonexistent field %s", f.Name)
		if r.skipUnknown {
			report(SeverityWarning, "LOAD_UNKNOWN_FILTER", msg)
		} else {
			report(SeverityError, "LOAD_ERR_COMPILE_CONDITION", msg)
		}
		return nil
	}
	if !sourceFits(field, r.source) {
		report(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s is not available for source %s (it belongs to %s)", f.Name, r.source, field.Source))
		return nil
	}
	if field.Deprecated {
		report(SeverityWarning, "LOAD_DEPRECATED_ITEM", fmt.Sprintf("field %s is deprecated", field.Name))
	}
	hasArg := f.HasArg || dotArg != ""
	switch {
	case field.Arg == "none" && hasArg:
		report(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s does not take an argument", field.Name))
	case field.Arg == "required" && !hasArg:
		report(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s requires an argument", field.Name))
	case f.HasArg && field.ArgKind == "index" && !isIndex(f.Arg):
		report(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s takes a numeric index, got '%s'", field.Name, f.Arg))
	}
	return field
}

// checkValue is one literal a check compares with, and where to report a problem with it.
type checkValue struct {
	text      string
	comp      *compiled // with off: the value is in this condition (positions are computed only for a problem)
	off       int
	src       *source // otherwise: where the value is written
	line, col int
	fromList  bool // substituted from a list item, as text: Falco quotes it only when it has a space
}

func (v checkValue) position() (*source, int, int) {
	if v.comp != nil {
		return v.comp.posOf(v.off)
	}
	return v.src, v.line, v.col
}

func (c *compiler) checkCheck(comp *compiled, x *condition.Check, r *ruleDef, itemType, itemName string, checkFields bool) {
	if !checkFields {
		return
	}
	field := c.checkField(comp, x.Field, r, itemType, itemName)
	if x.Value != nil && x.Value.Field != nil {
		c.checkField(comp, x.Value.Field, r, itemType, itemName)
	}
	if field == nil || x.Field.Transformer != "" {
		return
	}
	if problem := opProblem(x.Op, field.Type); problem != "" {
		src, line, col := comp.posOf(x.OpStart)
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", problem, itemType, itemName, src, line, col)
		return
	}
	// Literal values must parse as the field's type, as Falco parses them when it compiles the rule.
	var values []checkValue
	if x.Value != nil && x.Value.Field == nil {
		values = append(values, checkValue{text: x.Value.Text, comp: comp, off: x.Value.Start})
	}
	if x.List != nil {
		for _, it := range x.List.Items {
			if li, ok := c.lists[it.Text]; ok && !it.Quoted {
				for _, v := range c.expandList(li) {
					cv := checkValue{text: v.text, comp: comp, off: it.Start, fromList: true}
					if v.src != nil && !v.src.defaults {
						cv.comp, cv.src, cv.line, cv.col = nil, v.src, v.line, v.col // the user's list item is the problem
					}
					values = append(values, cv)
				}
				continue
			}
			values = append(values, checkValue{text: it.Text, comp: comp, off: it.Start})
		}
	}
	if !c.checkValues(values, field, itemType, itemName) && field.Name == "evt.type" {
		c.checkEventNames(values, r, itemType, itemName)
	}
}

// checkEventNames reports an evt.type value libsinsp does not know. Falco compiles every rule's condition (its
// macros substituted) into a sinsp filter (rule_loader_compiler.cpp compile_condition); each value compared with
// evt.type, whatever the operator (=, !=, in, intersects, ...), passes sinsp_filter_check_event::parse_filter_value
// -> validate_filter_value (libs userspace/libsinsp/sinsp_filtercheck_event.cpp), which accepts an event table or
// ppm_sc name and otherwise throws "unknown event type <name>". compile_condition makes that a
// LOAD_ERR_COMPILE_CONDITION error, or, for a rule with skip-if-unknown-filter: true, a LOAD_UNKNOWN_FILTER warning
// (err_is_unknown_type_or_field matches "unknown event type") and skips the rule. Falco points at the check; the
// diagnostic here points at the unknown name itself (in the list item when it comes from the user's list).
// Macros no rule uses are never compiled, so their names are not checked, as in Falco.
func (c *compiler) checkEventNames(values []checkValue, r *ruleDef, itemType, itemName string) {
	for _, v := range values {
		name := unquote(v.text)
		if c.cat.KnownEventName(name) {
			continue
		}
		src, line, col := v.position()
		if r.skipUnknown {
			c.add(SeverityWarning, "LOAD_UNKNOWN_FILTER", "unknown event type "+name, itemType, itemName, src, line, col)
		} else {
			c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", "unknown event type "+name, itemType, itemName, src, line, col)
		}
		return // libsinsp throws at the first unknown value
	}
}

// checkValues reports the first literal that cannot be the field's value, and tells whether it reported one.
func (c *compiler) checkValues(values []checkValue, field *catalog.Field, itemType, itemName string) bool {
	for _, v := range values {
		problem := ""
		if v.fromList {
			problem = bareProblem(v.text)
		}
		if problem == "" {
			if p := valueProblem(field.Type, unquote(v.text)); p != "" {
				problem = fmt.Sprintf("%s for field %s", p, field.Name)
			}
		}
		if problem != "" {
			src, line, col := v.position()
			c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", problem, itemType, itemName, src, line, col)
			return true
		}
	}
	return false
}

// bareProblem: Falco pastes list items and exception values into the condition as text, quoted only when they
// hold a space (rule_loader_compiler.cpp quote_item), so an item the parser cannot read as one bare string
// (RGX_BARESTR: no parentheses, quotes, '=' or ',') breaks the condition.
func bareProblem(v string) string {
	if strings.Contains(v, " ") || v == "" {
		return ""
	}
	if (v[0] == '"' || v[0] == '\'') && len(v) >= 2 && v[len(v)-1] == v[0] {
		return ""
	}
	if strings.ContainsAny(v, "()\"'=,") {
		return fmt.Sprintf("'%s' cannot stand unquoted in a condition (Falco pastes it in as text and reads up to the first of ( ) = , or a quote): write it quoted, as '\"%s\"'", v, v)
	}
	return ""
}

// expandList returns the distinct values a list stands for, with nested lists expanded. Results are memoized and
// distinct, so lists that name each other many times over (or in a cycle) cost no more than their items.
func (c *compiler) expandList(li *listDef) []listValue {
	if vals, ok := c.listValues[li]; ok {
		return vals
	}
	c.listValues[li] = nil // a cycle back to this list adds nothing
	seen := map[string]bool{}
	var out []listValue
	add := func(v listValue) {
		if !seen[v.text] {
			seen[v.text] = true
			out = append(out, v)
		}
	}
	for _, it := range li.items {
		if other, ok := c.lists[it.value]; ok && other != li {
			for _, v := range c.expandList(other) {
				add(v)
			}
			continue
		}
		add(listValue{text: it.value, src: it.src, line: it.line, col: it.col})
	}
	c.listValues[li] = out
	return out
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}
