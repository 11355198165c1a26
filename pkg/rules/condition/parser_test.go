package condition

import (
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	for _, c := range []string{
		"spawned_process and container and proc.name in (shell_binaries)",
		"evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0",
		"not (proc.name = bash or proc.pname startswith runc)",
		"proc.aname[2] in (sshd, sudo) and container.mount.dest[/var/run/docker.sock] exists",
		"evt.arg.flags contains O_TRUNC and evt.rawarg.res < 0",
		"tolower(proc.name) = bash and proc.name = val(proc.pname)",
		"proc.name == oneof (cat, nginx) and proc.cmdline contains allof (curl, http)",
		`fd.name glob "/etc/*" or fd.name regex '^/tmp/[a-z]+$' or proc.cmdline icontains "a \"b\" c"`,
		"join(\"->\", (proc.name, evt.arg.path)) = x",
		"getopt(proc.args, \"nt:\")[t] = value",
		"fd.snet in (\"10.0.0.0/8\", 172.16.0.0/12) and fd.sport in ()",
		"proc.name in (a,b)and(proc.pname=c)",
		// parser.cpp: strings compare with <, >, <=, >= when the value is a number; hex and exponents too
		"proc.name > 3 and proc.pid <= 0x1F and evt.rawres >= -1.5e+3 and proc.name=<",
		"a and(b) or(c) and not(d)",
	} {
		if _, err := Parse(c); err != nil {
			t.Errorf("%q: %v", c, err)
		}
	}
}

func TestParseStructure(t *testing.T) {
	n, err := Parse(`a and not b or proc.name in (x, "y z")`)
	if err != nil {
		t.Fatal(err)
	}
	or, ok := n.(*BoolOp)
	if !ok || or.Op != "or" || len(or.Children) != 2 {
		t.Fatalf("top must be or with 2 children: %#v", n)
	}
	and := or.Children[0].(*BoolOp)
	if and.Op != "and" || and.Children[0].(*MacroRef).Name != "a" || and.Children[1].(*Not).X.(*MacroRef).Name != "b" {
		t.Fatalf("left side: %#v", and)
	}
	check := or.Children[1].(*Check)
	if check.Field.Name != "proc.name" || check.Op != "in" || len(check.List.Items) != 2 || check.List.Items[1].Text != "y z" {
		t.Fatalf("check: %#v", check)
	}
	if check.Start != 15 || check.OpStart != 25 {
		t.Fatalf("positions: start %d op %d", check.Start, check.OpStart)
	}
}

type parseError struct {
	pos int
	msg string
}

// parseErrorCases maps broken conditions to the error position and message they must produce.
func parseErrorCases() map[string]parseError {
	return map[string]parseError{
		"":                   {0, "empty condition"},
		"proc.name":          {9, "expected a valid check operator"},
		"proc.name = ":       {12, "expecting a value"},
		"proc.name in bash":  {13, "must be followed by a list"},
		"proc.name in (a, b": {18, "expected a ')' token to close the list"},
		"(proc.name = a":     {14, "expected a ')' token to close the '('"},
		"proc.name = a b":    {14, "unexpected token 'b'"},
		// libsinsp parser.cpp: RGX_BARESTR stops at '=', so the rest of the value is a stray token.
		"proc.cmdline contains --privileged=true": {34, "unexpected token '=true', expecting 'or', 'and'"},
		// parser.cpp s_binary_str_ops: word operators are "contains " and so on, with their space.
		`proc.cmdline contains"nc -e"`: {13, "expected a valid check operator"},
		"proc.name contains\tx":        {10, "expected a valid check operator"},
		// parser.cpp RGX_IDENTIFIER "[a-zA-Z]+[a-zA-Z0-9_]*": a name cannot start with '_'.
		"_my_shells and proc.name = a": {0, "expected a '(' token, a field check, or an identifier"},
		"proc._x = a":                  {4, "unexpected token '._x'"}, // 'proc' lexes as an identifier (a macro); '._x' is no field
		// parser.cpp parse_num_value_or_transformer: <, <=, >, >= take a number (or a transformer), never a word.
		"proc.name < abc": {12, "expected a number value"},
		"proc.pid >= -x":  {12, "expected a number value"},
		// parser.cpp parse_and/parse_or: "and"/"or" need a blank or '(' after them.
		"a andb":                                    {5, "expected blank or '(' after 'and'"},
		"a or-b":                                    {4, "expected blank or '(' after 'or'"},
		"proc.name =! a":                            {13, "unexpected token 'a'"}, // '!' is a bare value (RGX_BARESTR)
		"proc.name ~ a":                             {10, "expected a valid check operator"},
		"proc.name = 'abc":                          {12, "unterminated string"},
		"proc.aname[2 = x":                          {10, "missing ']'"},
		"my_macro[1]":                               {8, "takes no argument"},
		"and proc.name = a":                         {0, "expected a '(' token, a field check, or an identifier"},
		"proc.name = a and":                         {17, "unexpected end of condition"},
		"proc.name == oneof cat":                    {19, "must be followed by a list"},
		"= a":                                       {0, "expected a '(' token, a field check, or an identifier"},
		"proc.name = (a)":                           {12, "needs a list operator"},
		"tolower() = a":                             {8, "expecting a field"},
		strings.Repeat("(", 2000) + "a":             {0, "nests deeper than"},
		strings.Repeat("not ", 2000) + "a":          {0, "nests deeper than"},
		"proc.name in (":                            {14, "unexpected end of condition, expecting a value"},
		"proc.name in (a,":                          {16, "unexpected end of condition, expecting a value"},
		"proc.name = tolower(":                      {20, "expecting val(field) or a transformer"},
		"proc.name = tolower(bash)":                 {20, "expecting val(field) or a transformer such as tolower(...), got 'bash'"},
		"getopt(proc.args, \"t:\")[t = x":           {23, "missing ']' after getopt(...)["},
		"join(\"-\", (proc.name evt.type)) = x":     {21, "expecting ',' or ')' in the field list of join"},
		"tolower(proc.name evt.type) = x":           {18, "expecting ',' or ')' after the operand of tolower("},
		"concat(\"a\", \"b\") = x":                  {0, "concat() needs a field"},
		"proc.name = a x" + strings.Repeat("é", 30): {14, "unexpected token 'x" + strings.Repeat("é", 19) + "…'"},
	}
}

func TestParseErrors(t *testing.T) {
	for cond, want := range parseErrorCases() {
		_, err := Parse(cond)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("%.30q: want a syntax error, got %v", cond, err)
			continue
		}
		if !strings.Contains(se.Msg, want.msg) || (want.pos != 0 && se.Pos != want.pos) {
			t.Errorf("%.30q: got %q at %d, want %q at %d", cond, se.Msg, se.Pos, want.msg, want.pos)
		}
	}
}

// Each form of the language lands in the AST where the checks look for it.
func TestParseForms(t *testing.T) {
	check := func(cond string) *Check {
		t.Helper()
		n, err := Parse(cond)
		if err != nil {
			t.Fatalf("%q: %v", cond, err)
		}
		c, ok := n.(*Check)
		if !ok {
			t.Fatalf("%q: want a check, got %T", cond, n)
		}
		return c
	}
	if c := check("proc.aname[2] = sshd"); c.Field.Name != "proc.aname" || !c.Field.HasArg || c.Field.Arg != "2" || c.Value.Text != "sshd" {
		t.Errorf("index argument: %+v", c.Field)
	}
	if c := check("container.mount.dest[/var/run/docker.sock] exists"); c.Field.Arg != "/var/run/docker.sock" || c.Op != "exists" || c.Value != nil {
		t.Errorf("key argument with a unary operator: %+v", c)
	}
	if c := check("evt.arg.flags contains O_TRUNC"); c.Field.Name != "evt.arg.flags" || c.Field.HasArg {
		t.Errorf("dotted argument stays in the name for the catalog to split: %+v", c.Field)
	}
	if c := check("tolower(proc.name) = bash"); c.Field.Transformer != "tolower" || len(c.Field.Args) != 1 || c.Field.Args[0].Name != "proc.name" {
		t.Errorf("transformer: %+v", c.Field)
	}
	if c := check("proc.name = val(proc.pname)"); c.Value.Field == nil || c.Value.Field.Name != "proc.pname" || c.Value.Quoted {
		t.Errorf("val on the right: %+v", c.Value)
	}
	if c := check("proc.name = tolower(val(proc.pname))"); c.Value.Field == nil || c.Value.Field.Transformer != "tolower" || c.Value.Field.Args[0].Name != "proc.pname" {
		t.Errorf("transformer of val on the right: %+v", c.Value)
	}
	for _, m := range []string{"oneof", "anyof", "allof"} {
		if c := check("proc.args contains " + m + " (a, 'b c')"); c.Modifier != m || len(c.List.Items) != 2 || !c.List.Items[1].Quoted || c.List.Items[1].Text != "b c" {
			t.Errorf("%s: %+v", m, c)
		}
	}
	for _, op := range []string{"=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex", "in", "intersects", "pmatch"} {
		rhs := " x"
		if op == "<" || op == "<=" || op == ">" || op == ">=" {
			rhs = " 1"
		}
		if op == "in" || op == "intersects" || op == "pmatch" {
			rhs = " (x)"
		}
		if c := check("fd.name " + op + rhs); c.Op != op {
			t.Errorf("operator %s parsed as %s", op, c.Op)
		}
	}
	if c := check(`evt.dir = <`); c.Value.Text != "<" {
		t.Errorf("'<' as a bare value: %+v", c.Value)
	}
}
