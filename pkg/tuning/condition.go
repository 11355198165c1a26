package tuning

import "strings"

// listComps are libsinsp's list operators (filter/parser.cpp s_binary_list_ops), the ones Falco's
// is_operator_for_list accepts: a scalar value of such a comp is put in parentheses (paren_item).
var listComps = map[string]bool{"in": true, "intersects": true, "pmatch": true}

// quoteItem is rule_loader_compiler.cpp quote_item: a value with a space not already starting with a quote is
// put in double quotes, nothing escaped.
func quoteItem(v string) string {
	if strings.Contains(v, " ") && v != "" && v[0] != '"' && v[0] != '\'' {
		return `"` + v + `"`
	}
	return v
}

// parenItem is rule_loader_compiler.cpp paren_item.
func parenItem(v string) string {
	if v == "" || v[0] != '(' {
		return "(" + v + ")"
	}
	return v
}

// Condition is the text Falco appends to the rule's condition for this exception, the way
// rule_loader_compiler.cpp build_rule_exception_infos builds it for the list form (fields a sequence, each value
// a scalar): " and not ((f1 c1 v1 and f2 c2 v2) or (...))", values as the rules file holds them (FalcoValue).
func (e *Exception) Condition() string {
	written := make([][]string, len(e.Values))
	for i, row := range e.Values {
		for _, v := range row {
			written[i] = append(written[i], FalcoValue(v))
		}
	}
	return writtenCondition(e.Fields, e.Comps, written)
}

// writtenCondition builds the condition from values as a rules file holds them.
func writtenCondition(fields, comps []string, rows [][]string) string {
	icond := "("
	for _, row := range rows {
		if icond != "(" {
			icond += " or "
		}
		icond += "("
		for k, field := range fields {
			if k > 0 {
				icond += " and "
			}
			istr := row[k]
			if listComps[comps[k]] {
				istr = parenItem(istr)
			} else {
				istr = quoteItem(istr)
			}
			icond += " " + field + " " + comps[k] + " " + istr
		}
		icond += ")"
	}
	icond += ")"
	if icond == "()" {
		return ""
	}
	return " and not " + icond
}
