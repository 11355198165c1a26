// Package rules is the Falco rules language service: it loads rules files in order, resolves macros and lists
// with Falco's override and append semantics, and checks every item the way Falco does when it loads them,
// reporting each problem with Falco's code, the item, and its line and column.
package rules

import (
	"sort"
	"strings"
)

// Severity of a diagnostic: Falco refuses to start on an error and starts with a warning.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Falco's load_result codes (userspace/engine/falco_load_result.cpp) with their short descriptions.
var codeDescs = map[string]string{
	"LOAD_ERR_FILE_READ":             "File read error",
	"LOAD_ERR_YAML_PARSE":            "YAML parse error",
	"LOAD_ERR_YAML_VALIDATE":         "Error validating internal structure of YAML file",
	"LOAD_ERR_COMPILE_CONDITION":     "Error compiling condition",
	"LOAD_ERR_COMPILE_OUTPUT":        "Error compiling output",
	"LOAD_ERR_VALIDATE":              "Error validating rule/macro/list/exception objects",
	"LOAD_ERR_EXTENSION":             "Error in extension item",
	"LOAD_UNKNOWN_SOURCE":            "Unknown event source",
	"LOAD_UNSAFE_NA_CHECK":           "Unsafe <NA> comparison in condition",
	"LOAD_NO_EVTTYPE":                "Condition has no event-type restriction",
	"LOAD_UNKNOWN_FILTER":            "Unknown field or event-type in condition or output",
	"LOAD_UNUSED_MACRO":              "Unused macro",
	"LOAD_UNUSED_LIST":               "Unused list",
	"LOAD_UNKNOWN_ITEM":              "Unknown rules file item",
	"LOAD_DEPRECATED_ITEM":           "Used deprecated item",
	"LOAD_WARNING_EXTENSION":         "Warning in extension item",
	"LOAD_APPEND_NO_VALUES":          "Overriding/appending with no values",
	"LOAD_INVALID_MACRO_NAME":        "Invalid macro name",
	"LOAD_INVALID_LIST_NAME":         "Invalid list name",
	"LOAD_EXCEPTION_NAME_NOT_UNIQUE": "Multiple exceptions defined with the same name",
	"LOAD_COMPILE_CONDITION":         "Warning in rule condition",
	"LOAD_UNKNOWN_KEY":               "Unknown key in item definition",
}

// Diagnostic is one problem, shaped like an entry of `falco -V --json` results, flattened for editors.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	CodeDesc string   `json:"codedesc"`
	Message  string   `json:"message"`
	ItemType string   `json:"item_type,omitempty"`
	ItemName string   `json:"item_name,omitempty"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Snippet  string   `json:"snippet,omitempty"`
}

func sortDiagnostics(ds []Diagnostic, fileOrder map[string]int) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if fileOrder[a.File] != fileOrder[b.File] {
			return fileOrder[a.File] < fileOrder[b.File]
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// snippet is the source line with a caret under the column.
func snippet(lines []string, line, col int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	text := strings.TrimRight(lines[line-1], "\r")
	if len(text) > 200 {
		text = strings.ToValidUTF8(text[:200], "") // never cut a character in half
	}
	if col < 1 {
		col = 1
	}
	pad := col - 1
	if pad > len(text) {
		pad = len(text)
	}
	return text + "\n" + strings.Repeat(" ", pad) + "^"
}
