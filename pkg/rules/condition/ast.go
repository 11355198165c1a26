// Package condition parses Falco rule conditions into an AST whose nodes carry byte offsets into the condition
// text, so every diagnostic can point at a line and column of the rules file.
package condition

// Node is any part of a condition.
type Node interface {
	Span() (start, end int)
}

// BoolOp is a chain of "and" or "or".
type BoolOp struct {
	Op       string // and, or
	Children []Node
	Start    int
	End      int
}

// Not negates its operand.
type Not struct {
	X     Node
	Start int
}

// MacroRef is a bare identifier: the name of a macro.
type MacroRef struct {
	Name       string
	Start, End int
}

// FieldExpr is a field with its optional argument, or a transformer applied to fields.
type FieldExpr struct {
	Name        string // proc.name; empty when Transformer is set
	Arg         string
	HasArg      bool // written as name[arg]
	Transformer string
	Args        []*FieldExpr // transformer operands
	Literal     *Value       // join's separator, getopt's optstring
	Start, End  int
}

// Value is one right-hand-side operand: a bare or quoted string, or val(field).
type Value struct {
	Text       string
	Quoted     bool
	Field      *FieldExpr // set for val(...) and transformer(val(...))
	Start, End int
}

// List is a parenthesised list of values; bare names in it may be list references.
type List struct {
	Items      []*Value
	Start, End int
}

// Check is a field compared with a value or list, or a unary check such as "exists".
type Check struct {
	Field    *FieldExpr
	Op       string
	OpStart  int
	Modifier string // oneof, anyof, allof
	Value    *Value
	List     *List
	Start    int
	End      int
}

func (n *BoolOp) Span() (int, int)    { return n.Start, n.End }
func (n *Not) Span() (int, int)       { s, e := n.X.Span(); _ = s; return n.Start, e }
func (n *MacroRef) Span() (int, int)  { return n.Start, n.End }
func (n *FieldExpr) Span() (int, int) { return n.Start, n.End }
func (n *Value) Span() (int, int)     { return n.Start, n.End }
func (n *List) Span() (int, int)      { return n.Start, n.End }
func (n *Check) Span() (int, int)     { return n.Start, n.End }

// Walk calls fn for n and every node below it, depth first.
func Walk(n Node, fn func(Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch x := n.(type) {
	case *BoolOp:
		for _, c := range x.Children {
			Walk(c, fn)
		}
	case *Not:
		Walk(x.X, fn)
	case *Check:
		Walk(x.Field, fn)
		if x.Value != nil {
			Walk(x.Value, fn)
		}
		if x.List != nil {
			Walk(x.List, fn)
		}
	case *FieldExpr:
		for _, a := range x.Args {
			Walk(a, fn)
		}
	case *Value:
		if x.Field != nil {
			Walk(x.Field, fn)
		}
	case *List:
		for _, v := range x.Items {
			Walk(v, fn)
		}
	}
}
