// Package tuning drafts Falco exceptions from stored events: which fields to use, what a draft would match, and the
// text Falco makes of it. It knows nothing of Grafana.
package tuning

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// Limits on one draft: a draft is written by hand or from a few selected rows, never thousands.
const (
	MaxFields     = 8
	MaxRows       = 100
	MaxValueBytes = 1024
	MaxNameBytes  = 200
)

// Exception is a draft exception in the list form of a rule's exceptions (rule_loader_reader.cpp
// read_rule_exceptions): one comparison per field, each row of values one tuple. Values are what the events hold;
// FalcoValue is what the rules file must say for Falco to read the same value back.
type Exception struct {
	Rule   string     `json:"rule"`
	Name   string     `json:"name"`
	Fields []string   `json:"fields"`
	Comps  []string   `json:"comps"`
	Values [][]string `json:"values"`
}

// Comps the matcher evaluates on stored values, with libsinsp's string semantics (sinsp_filter_check
// flt_compare_string: = and != exact, contains/startswith/endswith on bytes, in as equality with any list item).
// Falco accepts more comps (rule_loader_collector.cpp validate_exception_info, pkg/rules/exceptions.go); for those
// the count is unknown.
var supportedComps = map[string]bool{"=": true, "==": true, "!=": true, "in": true, "startswith": true, "endswith": true, "contains": true}

// SupportedComp tells whether the matcher evaluates comp.
func SupportedComp(comp string) bool { return supportedComps[comp] }

// Problems lists what makes a draft unusable, each naming the part; nil when it can be matched and written.
func (e *Exception) Problems(cat *catalog.Catalog) []string {
	var out []string
	if strings.TrimSpace(e.Rule) == "" {
		out = append(out, "rule is empty")
	}
	if e.Name == "" || len(e.Name) > MaxNameBytes || !utf8.ValidString(e.Name) {
		out = append(out, fmt.Sprintf("name must be 1 to %d bytes of UTF-8", MaxNameBytes))
	}
	if len(e.Fields) == 0 || len(e.Fields) > MaxFields {
		out = append(out, fmt.Sprintf("fields must hold 1 to %d fields", MaxFields))
	}
	if len(e.Comps) != len(e.Fields) {
		out = append(out, fmt.Sprintf("comps must hold one comp per field: %d fields, %d comps", len(e.Fields), len(e.Comps)))
	}
	seen := map[string]bool{}
	for _, f := range e.Fields {
		if _, _, ok := cat.LookupField(f); !ok {
			out = append(out, fmt.Sprintf("field %q is not a Falco field", f))
		}
		if seen[f] {
			out = append(out, fmt.Sprintf("field %q is listed twice", f))
		}
		seen[f] = true
	}
	for _, c := range e.Comps {
		if o, ok := cat.Operator(c); !ok || o.Kind == "unary" {
			out = append(out, fmt.Sprintf("comp %q is not a comparison operator Falco accepts in an exception", c))
		}
	}
	if len(e.Values) == 0 || len(e.Values) > MaxRows {
		out = append(out, fmt.Sprintf("values must hold 1 to %d rows", MaxRows))
	}
	for i, row := range e.Values {
		if len(row) != len(e.Fields) {
			out = append(out, fmt.Sprintf("values row %d has %d values for %d fields", i+1, len(row), len(e.Fields)))
			continue
		}
		for _, v := range row {
			if p := ValueProblem(v); p != "" {
				out = append(out, fmt.Sprintf("values row %d: %s", i+1, p))
			}
		}
	}
	return out
}

// ValueProblem says why v cannot be an exception value Falco reads back unchanged, or "".
func ValueProblem(v string) string {
	switch {
	case len(v) > MaxValueBytes:
		return fmt.Sprintf("a value is longer than %d bytes", MaxValueBytes)
	case !utf8.ValidString(v):
		return "a value is not valid UTF-8"
	case strings.ContainsRune(v, 0):
		return "a value holds a NUL byte, which ends Falco's condition text"
	case strings.HasSuffix(v, `\`):
		// libsinsp parser.cpp lex_quoted_str ends a quoted string at a quote not preceded by a backslash, so a
		// quoted value ending in an escaped backslash never closes.
		return fmt.Sprintf("%q ends with a backslash, which Falco's condition parser cannot read in a quoted value", v)
	}
	return ""
}

// barestr is libsinsp's RGX_BARESTR "[^()\"'[:space:]=,]+" (filter/parser.cpp): what stands unquoted as one value.
func isBare(v string) bool {
	return v != "" && !strings.ContainsAny(v, "()\"'=, \t\n\r\f\v")
}

// FalcoValue is how v is written in the rules file so the condition Falco builds reads v back: Falco pastes
// exception values into the condition as text, quoting only those with a space that do not start with a quote
// (rule_loader_compiler.cpp quote_item), so any other value the bare-string rule would cut is written already
// quoted, with \ and " escaped as libsinsp's filter/escaping.cpp unescape_str reads them.
func FalcoValue(v string) string {
	if isBare(v) && v[0] != '"' && v[0] != '\'' {
		return v
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}
