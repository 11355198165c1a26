package rules

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
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
	listValues map[*listDef][]string
}

func (l *loader) compile() {
	c := &compiler{loader: l, macroASTs: map[string]*compiled{}, checked: map[string]bool{}, listValues: map[*listDef][]string{}}
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
		text, offs := joinSegments(m.segs)
		comp := &compiled{segs: m.segs, offs: offs}
		ast, err := condition.Parse(text)
		if err != nil {
			se := err.(*condition.SyntaxError)
			src, line, col := comp.posOf(se.Pos)
			l.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", se.Msg, "macro", name, src, line, col)
			continue
		}
		comp.ast = ast
		c.macroASTs[name] = comp
	}
	for _, name := range l.ruleOrder {
		r := l.rules[name]
		if r.external {
			continue
		}
		c.compileRule(r)
	}
	for _, name := range l.macroOrd {
		if m := l.macros[name]; !m.external && !m.used {
			l.add(SeverityWarning, "LOAD_UNUSED_MACRO", fmt.Sprintf("Macro not referenced by any other macro/rule: %s", name), "macro", name, m.src, m.line, m.col)
		}
	}
	for _, name := range l.listOrder {
		if li := l.lists[name]; !li.external && !li.used {
			l.add(SeverityWarning, "LOAD_UNUSED_LIST", fmt.Sprintf("List not referenced by any other list/macro/rule: %s", name), "list", name, li.src, li.line, li.col)
		}
	}
}

func (c *compiler) compileRule(r *ruleDef) {
	text, offs := joinSegments(r.segs)
	comp := &compiled{segs: r.segs, offs: offs}
	ast, err := condition.Parse(text)
	if err != nil {
		se := err.(*condition.SyntaxError)
		src, line, col := comp.posOf(se.Pos)
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", se.Msg, "rule", r.name, src, line, col)
		return
	}
	comp.ast = ast
	known := c.cat.KnownSource(r.source)
	c.checkNode(comp, ast, r, "rule", r.name, known, map[string]bool{})
	if known {
		c.checkOutput(r)
		for _, ex := range r.exceptions {
			for _, f := range ex.fields {
				if field, _, ok := c.cat.LookupField(f); ok && !sourceFits(field, r.source) {
					c.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Exception field '%s' is not available for source %s", f, r.source), "exception", ex.name, ex.src, ex.node)
				}
			}
		}
	}
}

func sourceFits(f *catalog.Field, src string) bool { return f.Source == "*" || f.Source == src }

// checkNode walks a condition: macros resolve (and are checked for this source once), fields and operators fit.
func (c *compiler) checkNode(comp *compiled, n condition.Node, r *ruleDef, itemType, itemName string, checkFields bool, stack map[string]bool) {
	condition.Walk(n, func(node condition.Node) {
		switch x := node.(type) {
		case *condition.MacroRef:
			m, ok := c.macros[x.Name]
			if !ok {
				src, line, col := comp.posOf(x.Start)
				c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("Undefined macro '%s' used in filter.", x.Name), itemType, itemName, src, line, col)
				return
			}
			m.used = true
			mc := c.macroASTs[x.Name]
			if m.external || mc == nil {
				return
			}
			if stack[x.Name] {
				src, line, col := comp.posOf(x.Start)
				c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("Macro '%s' refers to itself through other macros (a cycle)", x.Name), itemType, itemName, src, line, col)
				return
			}
			key := x.Name + "|" + r.source
			if c.checked[key] {
				return
			}
			c.checked[key] = true
			stack[x.Name] = true
			c.checkNode(mc, mc.ast, r, "macro", x.Name, checkFields, stack)
			delete(stack, x.Name)
		case *condition.Check:
			c.checkCheck(comp, x, r, itemType, itemName, checkFields)
		case *condition.List:
			for _, it := range x.Items {
				if li, ok := c.lists[it.Text]; ok && !it.Quoted {
					li.used = true
				}
			}
		}
	})
}

var numericTypes = map[string]bool{"UINT64": true, "INT64": true, "UINT32": true, "INT32": true, "INT16": true, "UINT16": true, "UINT8": true, "INT8": true, "RELTIME": true, "ABSTIME": true, "DOUBLE": true, "PORT": true}

func (c *compiler) checkField(comp *compiled, f *condition.FieldExpr, r *ruleDef, itemType, itemName string) *catalog.Field {
	if f.Transformer != "" {
		for _, a := range f.Args {
			c.checkField(comp, a, r, itemType, itemName)
		}
		return nil
	}
	field, dotArg, ok := c.cat.LookupField(f.Name)
	src, line, col := comp.posOf(f.Start)
	if !ok {
		msg := fmt.Sprintf("filter_check called with nonexistent field %s", f.Name)
		if r.skipUnknown {
			c.add(SeverityWarning, "LOAD_UNKNOWN_FILTER", msg, itemType, itemName, src, line, col)
		} else {
			c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", msg, itemType, itemName, src, line, col)
		}
		return nil
	}
	if !sourceFits(field, r.source) {
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s is not available for source %s (it belongs to %s)", f.Name, r.source, field.Source), itemType, itemName, src, line, col)
		return nil
	}
	if field.Deprecated {
		c.add(SeverityWarning, "LOAD_DEPRECATED_ITEM", fmt.Sprintf("field %s is deprecated", field.Name), itemType, itemName, src, line, col)
	}
	hasArg := f.HasArg || dotArg != ""
	switch {
	case field.Arg == "none" && hasArg:
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s does not take an argument", field.Name), itemType, itemName, src, line, col)
	case field.Arg == "required" && !hasArg:
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s requires an argument", field.Name), itemType, itemName, src, line, col)
	case f.HasArg && field.ArgKind == "index" && !isIndex(f.Arg):
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("field %s takes a numeric index, got '%s'", field.Name, f.Arg), itemType, itemName, src, line, col)
	}
	return field
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil
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
	src, line, col := comp.posOf(x.OpStart)
	op, _ := c.cat.Operator(x.Op)
	t := field.Type
	switch {
	case op.Kind == "numeric" && !numericTypes[t] && t != "DYNAMIC":
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("'%s' operator not supported for field %s of type %s", x.Op, field.Name, t), itemType, itemName, src, line, col)
		return
	case (op.Kind == "string" || op.Kind == "string/bytes") && (numericTypes[t] || t == "BOOL" || t == "IPADDR" || t == "IPNET"):
		c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("'%s' operator not supported for field %s of type %s", x.Op, field.Name, t), itemType, itemName, src, line, col)
		return
	}
	// Literal values must parse as the field's type, as Falco parses them when it compiles the rule.
	var values []struct {
		text   string
		quoted bool
		start  int
	}
	if x.Value != nil && x.Value.Field == nil {
		values = append(values, struct {
			text   string
			quoted bool
			start  int
		}{x.Value.Text, x.Value.Quoted, x.Value.Start})
	}
	if x.List != nil {
		for _, it := range x.List.Items {
			if li, ok := c.lists[it.Text]; ok && !it.Quoted {
				for _, v := range c.expandList(li) {
					values = append(values, struct {
						text   string
						quoted bool
						start  int
					}{v, false, it.Start})
				}
				continue
			}
			values = append(values, struct {
				text   string
				quoted bool
				start  int
			}{it.Text, it.Quoted, it.Start})
		}
	}
	for _, v := range values {
		if problem := valueProblem(t, v.text); problem != "" {
			src, line, col := comp.posOf(v.start)
			c.add(SeverityError, "LOAD_ERR_COMPILE_CONDITION", fmt.Sprintf("%s for field %s", problem, field.Name), itemType, itemName, src, line, col)
			return
		}
	}
}

// expandList returns the distinct values a list stands for, with nested lists expanded. Results are memoized and
// distinct, so lists that name each other many times over (or in a cycle) cost no more than their items.
func (c *compiler) expandList(li *listDef) []string {
	if vals, ok := c.listValues[li]; ok {
		return vals
	}
	c.listValues[li] = nil // a cycle back to this list adds nothing
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
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
		// Falco substitutes list items into the condition as text, so '"10.0.0.0/8"' arrives quoted.
		add(unquote(it.value))
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
	case fieldType == "PORT" || strings.HasPrefix(fieldType, "UINT") || strings.HasPrefix(fieldType, "INT"):
		if _, err := strconv.ParseInt(v, 0, 64); err != nil {
			if _, err := strconv.ParseUint(v, 0, 64); err != nil {
				return fmt.Sprintf("'%s' is not a number", v)
			}
		}
	}
	return ""
}

var outputToken = regexp.MustCompile(`%([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)(\[[^\]]*\])?`)

// checkOutput resolves every %field token of the output against the catalog.
func (c *compiler) checkOutput(r *ruleDef) {
	if r.outputSrc == nil {
		return
	}
	for _, m := range outputToken.FindAllStringSubmatchIndex(r.output, -1) {
		name := r.output[m[2]:m[3]]
		if name == "container.info" {
			continue // Falco replaces %container.info with the container fields before compiling
		}
		field, dotArg, ok := c.cat.LookupField(name)
		line, col := r.outputMap.at(m[0])
		if !ok {
			if r.skipUnknown {
				c.add(SeverityWarning, "LOAD_UNKNOWN_FILTER", fmt.Sprintf("invalid formatting token %s: nonexistent field", name), "rule", r.name, r.outputSrc, line, col)
				continue
			}
			c.add(SeverityError, "LOAD_ERR_COMPILE_OUTPUT", fmt.Sprintf("invalid formatting token %s: nonexistent field %s", r.output[m[0]:m[1]], name), "rule", r.name, r.outputSrc, line, col)
			continue
		}
		if !sourceFits(field, r.source) {
			c.add(SeverityError, "LOAD_ERR_COMPILE_OUTPUT", fmt.Sprintf("field %s in the output is not available for source %s", name, r.source), "rule", r.name, r.outputSrc, line, col)
			continue
		}
		if field.Arg == "required" && m[4] < 0 && dotArg == "" {
			c.add(SeverityError, "LOAD_ERR_COMPILE_OUTPUT", fmt.Sprintf("field %s in the output requires an argument", name), "rule", r.name, r.outputSrc, line, col)
		}
	}
}
