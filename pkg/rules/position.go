package rules

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// scalarMap maps byte offsets of a scalar's value back to line and column in the file. It reconstructs the value
// from the source the way YAML folds it; where that reconstruction does not match (rare escapes), every offset
// maps to the scalar's start, which is still the right item.
type scalarMap struct {
	line, col int   // the scalar's start
	lines     []int // per value byte: line
	cols      []int // per value byte: column
	exact     bool
}

func newScalarMap(n *yaml.Node, src []string) scalarMap {
	m := scalarMap{line: n.Line, col: n.Column}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		m.block(n, src)
	case 0:
		m.plain(n, src)
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		// A one-line quoted value without escapes sits one column after its opening quote.
		if n.Line >= 1 && n.Line <= len(src) && !strings.ContainsAny(n.Value, "\\\n'\"") {
			line := src[n.Line-1]
			start := n.Column // 1-based column of the quote; value starts after it
			if start+len(n.Value) <= len(line) && line[start:start+len(n.Value)] == n.Value {
				m.fill(n.Line, start+1, len(n.Value))
			}
		}
	}
	return m
}

func (m *scalarMap) fill(line, col, n int) {
	for i := 0; i < n; i++ {
		m.lines = append(m.lines, line)
		m.cols = append(m.cols, col+i)
	}
	m.exact = true
}

// plain handles plain scalars, which fold their lines with single spaces.
func (m *scalarMap) plain(n *yaml.Node, src []string) {
	var b strings.Builder
	var lines, cols []int
	for ln := n.Line; ln <= len(src); ln++ {
		text := strings.TrimRight(src[ln-1], " \t\r")
		startCol := 1
		if ln == n.Line {
			startCol = n.Column
			if startCol-1 > len(text) {
				return
			}
			text = text[startCol-1:]
		} else {
			trimmed := strings.TrimLeft(text, " \t")
			startCol += len(text) - len(trimmed)
			text = trimmed
			if text == "" {
				return
			}
			b.WriteByte(' ')
			lines = append(lines, ln-1)
			cols = append(cols, len(src[ln-2])+1)
		}
		for i := 0; i < len(text); i++ {
			b.WriteByte(text[i])
			lines = append(lines, ln)
			cols = append(cols, startCol+i)
		}
		if b.Len() >= len(n.Value) {
			break
		}
	}
	if b.String() == n.Value {
		m.lines, m.cols, m.exact = lines, cols, true
	}
}

// block handles '|' and '>' scalars: content starts on the line after the indicator, at the block's indentation.
func (m *scalarMap) block(n *yaml.Node, src []string) {
	var lines, cols []int
	var b strings.Builder
	indent := -1
	prevEmpty := true
	for ln := n.Line + 1; ln <= len(src); ln++ {
		raw := strings.TrimRight(src[ln-1], "\r")
		trimmed := strings.TrimLeft(raw, " ")
		if trimmed == "" {
			if indent >= 0 {
				b.WriteByte('\n')
				lines = append(lines, ln)
				cols = append(cols, 1)
				prevEmpty = true
			}
			continue
		}
		lead := len(raw) - len(trimmed)
		if indent < 0 {
			indent = lead
		}
		if lead < indent {
			break
		}
		if b.Len() > 0 && !(n.Style == yaml.FoldedStyle && prevEmpty) {
			if n.Style == yaml.FoldedStyle {
				b.WriteByte(' ')
			} else {
				b.WriteByte('\n')
			}
			lines = append(lines, ln-1)
			cols = append(cols, len(src[ln-2])+1)
		}
		content := raw[indent:]
		for i := 0; i < len(content); i++ {
			b.WriteByte(content[i])
			lines = append(lines, ln)
			cols = append(cols, indent+1+i)
		}
		prevEmpty = false
	}
	got := b.String()
	want := strings.TrimRight(n.Value, "\n")
	if strings.TrimRight(got, "\n") == want {
		m.lines, m.cols, m.exact = lines, cols, true
	}
}

// at returns the file position of a byte offset in the value.
func (m scalarMap) at(off int) (int, int) {
	if !m.exact || len(m.lines) == 0 {
		return m.line, m.col
	}
	if off < 0 {
		off = 0
	}
	if off >= len(m.lines) {
		off = len(m.lines) - 1
	}
	return m.lines[off], m.cols[off]
}
