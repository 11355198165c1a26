package condition

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxDepth bounds nesting the way Falco's parser does (set_max_depth(1000)), so hostile input cannot exhaust the stack.
const MaxDepth = 1000

// SyntaxError says what is wrong and at which byte of the condition. Open, when not -1, is the byte of the '('
// a missing ')' belongs to, for callers to name as a line and column of the file.
type SyntaxError struct {
	Pos  int
	Msg  string
	Open int
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s at position %d", e.Msg, e.Pos) }

// Grammar sets, as in libsinsp's filter parser.
var (
	unaryOps     = map[string]bool{"exists": true}
	listOps      = map[string]bool{"in": true, "intersects": true, "pmatch": true}
	wordOps      = map[string]bool{"contains": true, "icontains": true, "bcontains": true, "startswith": true, "bstartswith": true, "endswith": true, "glob": true, "iglob": true, "regex": true}
	modifiers    = map[string]bool{"oneof": true, "anyof": true, "allof": true}
	transformers = map[string]bool{"tolower": true, "toupper": true, "b64": true, "basename": true, "len": true, "join": true, "concat": true, "getopt": true}
	numericOps   = map[string]bool{"<": true, "<=": true, ">": true, ">=": true}
)

type parser struct {
	s     string
	pos   int
	depth int
}

// Parse turns a condition into its AST, or returns a *SyntaxError.
func Parse(s string) (Node, error) {
	// No length limit: Falco's parser has none (only the depth limit), and the parser here is linear; the size of
	// a rules file is bounded where files are read.
	p := &parser{s: s}
	p.ws()
	if p.eof() {
		return nil, errAt(0, "empty condition")
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.ws()
	if !p.eof() {
		return nil, p.errf("unexpected token '%s', expecting 'or', 'and'", p.peekWord())
	}
	return n, nil
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

func (p *parser) errf(format string, a ...any) error {
	return &SyntaxError{Pos: p.pos, Msg: fmt.Sprintf(format, a...), Open: -1}
}

func errAt(pos int, format string, a ...any) error {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, a...), Open: -1}
}

// isBlank is what libsinsp's lex_blank skips.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n' }

func (p *parser) ws() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r', '\b':
			p.pos++
		default:
			return
		}
	}
}

// Names follow libsinsp's parser.cpp: RGX_IDENTIFIER "[a-zA-Z]+[a-zA-Z0-9_]*" for macros, RGX_FIELDNAME (identifiers
// joined by '.') for fields. A name starting with '_' or a digit is neither.
func isIdentStart(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || c == '_' || (c >= '0' && c <= '9') }

// peekWord returns the identifier-like word at the cursor (or the next character), for messages.
func (p *parser) peekWord() string {
	if p.eof() {
		return "end of condition"
	}
	end := p.pos
	for end < len(p.s) && !strings.ContainsRune(" \t\n\r()", rune(p.s[end])) {
		end++
	}
	if end == p.pos {
		end++
	}
	w := p.s[p.pos:end]
	if len(w) > 40 {
		cut := 40
		for cut > 0 && !utf8.RuneStart(w[cut]) { // never split a character: the message goes out as JSON
			cut--
		}
		w = w[:cut] + "…"
	}
	return w
}

// keyword consumes kw when it stands as a whole word at the cursor.
func (p *parser) keyword(kw string) bool {
	if !strings.HasPrefix(p.s[p.pos:], kw) {
		return false
	}
	end := p.pos + len(kw)
	if end < len(p.s) && (isIdentChar(p.s[end]) || p.s[end] == '.') {
		return false
	}
	p.pos = end
	return true
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errf("condition nests deeper than %d levels", MaxDepth)
	}
	return nil
}

func (p *parser) or() (Node, error)  { return p.chain("or", p.and) }
func (p *parser) and() (Node, error) { return p.chain("and", p.not) }

func (p *parser) chain(op string, next func() (Node, error)) (Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	start := p.pos
	first, err := next()
	if err != nil {
		return nil, err
	}
	children := []Node{first}
	for {
		save := p.pos
		p.ws()
		if !strings.HasPrefix(p.s[p.pos:], op) {
			p.pos = save
			break
		}
		// parser.cpp parse_or/parse_and: "or"/"and" match as a prefix, then a blank or '(' must follow.
		p.pos += len(op)
		if !p.eof() && !isBlank(p.s[p.pos]) && p.s[p.pos] != '(' {
			return nil, p.errf("expected blank or '(' after '%s'", op)
		}
		p.ws()
		n, err := next()
		if err != nil {
			return nil, err
		}
		children = append(children, n)
	}
	if len(children) == 1 {
		return first, nil
	}
	_, end := children[len(children)-1].Span()
	return &BoolOp{Op: op, Children: children, Start: start, End: end}, nil
}

func (p *parser) not() (Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	start := p.pos
	if p.keyword("not") {
		p.ws()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &Not{X: x, Start: start}, nil
	}
	return p.check()
}

func (p *parser) check() (Node, error) {
	p.ws()
	start := p.pos
	if p.eof() {
		return nil, p.errf("unexpected end of condition, expecting a field, a macro or '('")
	}
	if p.s[p.pos] == '(' {
		p.pos++
		p.ws()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		p.ws()
		if p.eof() || p.s[p.pos] != ')' {
			return nil, &SyntaxError{Pos: p.pos, Msg: "expected a ')' token to close the '('", Open: start}
		}
		p.pos++
		return n, nil
	}
	if !isIdentStart(p.s[p.pos]) {
		return nil, p.errf("expected a '(' token, a field check, or an identifier, got '%s'", p.peekWord())
	}
	name := p.ident()
	if name == "and" || name == "or" {
		return nil, errAt(start, "expected a '(' token, a field check, or an identifier, got '%s'", name)
	}
	if !strings.Contains(name, ".") && !(transformers[name] && p.peek('(')) {
		if p.peek('[') {
			return nil, p.errf("'%s' is a macro name and takes no argument", name)
		}
		return &MacroRef{Name: name, Start: start, End: p.pos}, nil
	}
	p.pos = start
	field, err := p.fieldExpr()
	if err != nil {
		return nil, err
	}
	return p.comparison(field, start)
}

// ident reads a field or macro name: identifiers (each starting with a letter) joined by '.'.
func (p *parser) ident() string {
	start := p.pos
	for p.pos < len(p.s) && (isIdentChar(p.s[p.pos]) || (p.s[p.pos] == '.' && p.pos+1 < len(p.s) && isIdentStart(p.s[p.pos+1]))) {
		p.pos++
	}
	return p.s[start:p.pos]
}

// peek tells whether byte c is at the cursor (or skip bytes after it).
func (p *parser) peek(c byte, skip ...int) bool {
	i := p.pos
	if len(skip) > 0 {
		i += skip[0]
	}
	return i < len(p.s) && p.s[i] == c
}

func (p *parser) fieldExpr() (*FieldExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	start := p.pos
	if p.eof() || !isIdentStart(p.s[p.pos]) {
		return nil, p.errf("expecting a field, got '%s'", p.peekWord())
	}
	name := p.ident()
	if transformers[name] && p.peek('(') {
		return p.transformer(name, start)
	}
	f := &FieldExpr{Name: name, Start: start}
	if !strings.Contains(name, ".") {
		return nil, errAt(start, "'%s' is not a field name", name)
	}
	if p.peek('[') {
		if err := p.bracketArg(f, fmt.Sprintf("missing ']' after the argument of '%s'", name)); err != nil {
			return nil, err
		}
	}
	f.End = p.pos
	return f, nil
}

// bracketArg reads the [argument] at the cursor into f, as in proc.aname[2] or getopt(...)[-o].
func (p *parser) bracketArg(f *FieldExpr, missing string) error {
	open := p.pos
	end := strings.IndexByte(p.s[open+1:], ']')
	if end < 0 {
		return errAt(open, "%s", missing)
	}
	f.Arg, f.HasArg = p.s[open+1:open+1+end], true
	p.pos = open + end + 2
	return nil
}

// commaList reads items up to the closing ')' (the '(' already consumed), calling item for each one.
func (p *parser) commaList(item func() error, expecting string) error {
	for {
		p.ws()
		if err := item(); err != nil {
			return err
		}
		p.ws()
		if p.peek(',') {
			p.pos++
			continue
		}
		if !p.peek(')') {
			return p.errf("%s", expecting)
		}
		p.pos++
		return nil
	}
}

func (p *parser) transformer(name string, start int) (*FieldExpr, error) {
	p.pos++ // (
	f := &FieldExpr{Transformer: name, Start: start}
	field := func() error {
		arg, err := p.fieldExpr()
		if err == nil {
			f.Args = append(f.Args, arg)
		}
		return err
	}
	operand := func() error {
		switch {
		case p.peek('"') || p.peek('\''):
			v, err := p.quoted()
			f.Literal = v
			return err
		case p.peek('(') && name == "join": // join's operand is a parenthesised list of fields
			p.pos++
			return p.commaList(field, "expecting ',' or ')' in the field list of join")
		default:
			return field()
		}
	}
	if err := p.commaList(operand, fmt.Sprintf("expecting ',' or ')' after the operand of %s(", name)); err != nil {
		return nil, err
	}
	if len(f.Args) == 0 {
		return nil, errAt(start, "%s() needs a field", name)
	}
	if name == "getopt" && p.peek('[') {
		if err := p.bracketArg(f, "missing ']' after getopt(...)["); err != nil {
			return nil, err
		}
	}
	f.End = p.pos
	return f, nil
}

// operator lexes an operator the way parser.cpp parse_condition does, in its order: "exists", the numeric
// operators, the string operators (the word ones only with a space after them: s_binary_str_ops holds
// "contains " and so on, so contains"x" is no operator), then the list operators, each matched as a prefix.
func (p *parser) operator() (string, bool) {
	rest := p.s[p.pos:]
	for _, op := range operatorOrder {
		word := wordOps[op]
		if strings.HasPrefix(rest, op) && (!word || len(rest) > len(op) && rest[len(op)] == ' ') {
			p.pos += len(op)
			return op, true
		}
	}
	return "", false
}

var operatorOrder = []string{"exists", "<=", "<", ">=", ">", "==", "=", "!=", "glob", "iglob", "contains", "icontains",
	"bcontains", "startswith", "bstartswith", "endswith", "regex", "intersects", "in", "pmatch"}

func (p *parser) comparison(field *FieldExpr, start int) (Node, error) {
	p.ws()
	opStart := p.pos
	op, ok := p.operator()
	if !ok {
		return nil, p.errf("expected a valid check operator after '%s', got '%s': one of %s (a word operator needs a space after it)", p.s[start:field.End], p.peekWord(), strings.Join(operatorOrder, ", "))
	}
	c := &Check{Field: field, Op: op, OpStart: opStart, Start: start}
	if unaryOps[op] {
		c.End = p.pos
		return c, nil
	}
	p.ws()
	save := p.pos
	for m := range modifiers {
		if p.keyword(m) {
			c.Modifier = m
			break
		}
	}
	if c.Modifier != "" || listOps[op] {
		p.ws()
		if !p.peek('(') {
			if c.Modifier != "" {
				return nil, p.errf("'%s' must be followed by a list in parentheses", c.Modifier)
			}
			return nil, p.errf("'%s' must be followed by a list in parentheses", op)
		}
		l, err := p.list()
		if err != nil {
			return nil, err
		}
		c.List, c.End = l, l.End
		return c, nil
	}
	p.pos = save
	var v *Value
	var err error
	if numericOps[op] {
		v, err = p.number()
	} else {
		v, err = p.value()
	}
	if err != nil {
		return nil, err
	}
	c.Value, c.End = v, v.End
	return c, nil
}

// number reads the value of <, <=, > or >=: parser.cpp parse_num_value_or_transformer accepts a field transformer,
// RGX_HEXNUM "0[xX][0-9a-fA-F]+" or RGX_NUMBER "[+-]?[0-9]+[.]?[0-9]*([eE][+-][0-9]+)?", matched as a prefix.
func (p *parser) number() (*Value, error) {
	p.ws()
	start := p.pos
	if !p.eof() && isIdentStart(p.s[p.pos]) {
		name := p.ident()
		p.pos = start
		if (name == "val" || transformers[name]) && p.peek('(', len(name)) {
			return p.rhsFunction()
		}
	}
	end := numberEnd(p.s, p.pos)
	if end == p.pos {
		return nil, p.errf("expected a number value or a field with a valid transformer, got '%s'", p.peekWord())
	}
	p.pos = end
	return &Value{Text: p.s[start:end], Start: start, End: end}, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

// numberEnd returns where the hex number or number starting at i ends (i when there is none).
func numberEnd(s string, i int) int {
	if i+2 < len(s) && s[i] == '0' && (s[i+1]|0x20) == 'x' && isHexDigit(s[i+2]) {
		j := i + 2
		for j < len(s) && isHexDigit(s[j]) {
			j++
		}
		return j
	}
	j := i
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	if j >= len(s) || !isDigit(s[j]) {
		return i
	}
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '.' {
		j++
	}
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j+2 < len(s) && (s[j]|0x20) == 'e' && (s[j+1] == '+' || s[j+1] == '-') && isDigit(s[j+2]) {
		j += 2
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	return j
}

func (p *parser) value() (*Value, error) {
	p.ws()
	if p.eof() {
		return nil, p.errf("unexpected end of condition, expecting a value")
	}
	if p.peek('"') || p.peek('\'') {
		return p.quoted()
	}
	start := p.pos
	if isIdentStart(p.s[p.pos]) {
		name := p.ident()
		if p.peek('(') && (name == "val" || transformers[name]) {
			p.pos = start
			return p.rhsFunction()
		}
		p.pos = start
	}
	if p.peek('(') {
		return nil, p.errf("a list in parentheses needs a list operator such as 'in'")
	}
	return p.bare()
}

// rhsFunction parses val(field) or transformer(val(field)) on the right-hand side.
func (p *parser) rhsFunction() (*Value, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	start := p.pos
	name := p.ident()
	if name != "val" && !transformers[name] || !p.peek('(') {
		p.pos = start
		return nil, p.errf("expecting val(field) or a transformer such as tolower(...), got '%s'", p.peekWord())
	}
	p.pos++ // (
	p.ws()
	var inner *FieldExpr
	var err error
	if name == "val" {
		inner, err = p.fieldExpr()
	} else {
		var v *Value
		v, err = p.rhsFunction()
		if err == nil {
			inner = &FieldExpr{Transformer: name, Args: []*FieldExpr{v.Field}, Start: start}
		}
	}
	if err != nil {
		return nil, err
	}
	p.ws()
	if !p.peek(')') {
		return nil, p.errf("missing ')' after %s(", name)
	}
	p.pos++
	if inner.Transformer != "" {
		inner.End = p.pos
	}
	return &Value{Text: p.s[start:p.pos], Field: inner, Start: start, End: p.pos}, nil
}

// bare reads an unquoted value as libsinsp's RGX_BARESTR "[^()\"'[:space:]=,]+" does: it ends at white space, a
// parenthesis, a comma, a quote or '=', so --privileged=true is the value --privileged followed by a stray "=true".
func (p *parser) bare() (*Value, error) {
	start := p.pos
	if p.eof() {
		return nil, p.errf("unexpected end of condition, expecting a value")
	}
	for p.pos < len(p.s) && !strings.ContainsRune(" \t\n\r\f\v(),=\"'", rune(p.s[p.pos])) {
		p.pos++
	}
	if p.pos == start {
		return nil, p.errf("expecting a value, got '%s'", p.peekWord())
	}
	return &Value{Text: p.s[start:p.pos], Start: start, End: p.pos}, nil
}

func (p *parser) quoted() (*Value, error) {
	start := p.pos
	q := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '\\' && p.pos+1 < len(p.s):
			b.WriteByte(p.s[p.pos+1])
			p.pos += 2
		case c == q:
			p.pos++
			return &Value{Text: b.String(), Quoted: true, Start: start, End: p.pos}, nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return nil, errAt(start, "unterminated string starting with %c", q)
}

func (p *parser) list() (*List, error) {
	l := &List{Start: p.pos}
	p.pos++ // (
	p.ws()
	if p.peek(')') {
		p.pos++
		l.End = p.pos
		return l, nil
	}
	for {
		p.ws()
		var v *Value
		var err error
		if p.peek('"') || p.peek('\'') {
			v, err = p.quoted()
		} else {
			v, err = p.bare()
		}
		if err != nil {
			return nil, err
		}
		l.Items = append(l.Items, v)
		p.ws()
		if p.peek(',') {
			p.pos++
			continue
		}
		if p.peek(')') {
			p.pos++
			l.End = p.pos
			return l, nil
		}
		if p.eof() {
			return nil, &SyntaxError{Pos: p.pos, Msg: "expected a ')' token to close the list", Open: l.Start}
		}
		return nil, p.errf("expecting ',' or ')' in the list, got '%s'", p.peekWord())
	}
}
