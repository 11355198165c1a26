package rules

import (
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Columns in diagnostics count characters from 1, as yaml.v3 reports node columns and editors place carets; maps
// work in bytes and convert once per diagnostic.

// scalarMap maps byte offsets of a scalar's value back to line and column in the file. It reconstructs the value
// from the source the way YAML folds it; where that reconstruction does not match (rare escapes), every offset
// maps to the scalar's start, which is still the right item.
type scalarMap struct {
	line, col int      // the scalar's start, in characters
	lines     []int    // per value byte: line
	cols      []int    // per value byte: byte column
	src       []string // the file's lines, to turn byte columns into character columns
	exact     bool
}

// lazyMap builds a scalar's map the first time a position inside it is needed: most conditions never have a
// problem, and building maps for all of them was a tenth of a corpus validation. Safe for concurrent use (the
// default ruleset's segments are shared by every validation).
type lazyMap struct {
	n     *yaml.Node
	lines []string
	once  sync.Once
	m     scalarMap
}

func newLazyMap(n *yaml.Node, lines []string) *lazyMap { return &lazyMap{n: n, lines: lines} }

func (z *lazyMap) at(off int) (int, int) {
	z.once.Do(func() { z.m = newScalarMap(z.n, z.lines) })
	return z.m.at(off)
}

func newScalarMap(n *yaml.Node, src []string) scalarMap {
	m := scalarMap{line: n.Line, col: n.Column, src: src}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		m.align(n, src, n.Line+1, 1)
	case 0:
		m.align(n, src, n.Line, byteColumn(src, n.Line, n.Column))
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		// A one-line quoted value without escapes sits one column after its opening quote.
		if n.Line >= 1 && n.Line <= len(src) && !strings.ContainsAny(n.Value, "\\\n'\"") {
			line := src[n.Line-1]
			start := byteColumn(src, n.Line, n.Column) // 1-based byte column of the quote; value starts after it
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

// align walks the value and the source together: every non-blank byte of the value is the next non-blank byte of
// the source, which holds for every way YAML folds plain and block scalars; blanks take the position after the
// byte before them. Any mismatch (an escape sequence) leaves the map inexact.
func (m *scalarMap) align(n *yaml.Node, src []string, line, col int) {
	lines := make([]int, 0, len(n.Value))
	cols := make([]int, 0, len(n.Value))
	ln, c := line, col // cursor in the source, 1-based
	lastLine, lastCol := line, col
	next := func() (byte, bool) {
		for ln <= len(src) {
			text := src[ln-1]
			if c-1 < len(text) {
				return text[c-1], true
			}
			ln, c = ln+1, 1
		}
		return 0, false
	}
	for i := 0; i < len(n.Value); i++ {
		b := n.Value[i]
		if b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			lines, cols = append(lines, lastLine), append(cols, lastCol+1)
			continue
		}
		for {
			sb, ok := next()
			if !ok {
				return
			}
			if sb == ' ' || sb == '\t' || sb == '\r' {
				c++
				continue
			}
			if sb != b {
				return
			}
			break
		}
		lines, cols = append(lines, ln), append(cols, c)
		lastLine, lastCol = ln, c
		c++
	}
	m.lines, m.cols, m.exact = lines, cols, true
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
	return m.lines[off], charColumn(m.src, m.lines[off], m.cols[off])
}

// charColumn turns a 1-based byte column of a line into a 1-based character column.
func charColumn(src []string, line, byteCol int) int {
	if line < 1 || line > len(src) || byteCol < 1 {
		return byteCol
	}
	text := src[line-1]
	if byteCol-1 > len(text) {
		return byteCol - len(text) + utf8.RuneCountInString(text)
	}
	return utf8.RuneCountInString(text[:byteCol-1]) + 1
}

// byteColumn turns a 1-based character column of a line into a 1-based byte column.
func byteColumn(src []string, line, charCol int) int {
	if line < 1 || line > len(src) {
		return charCol
	}
	text := src[line-1]
	n := 1
	for i := range text {
		if n == charCol {
			return i + 1
		}
		n++
	}
	return len(text) + charCol - n + 1
}

// yamlLineBreaks are the line breaks YAML counts (\r\n first so it counts once), so line numbers match the parser's.
var yamlLineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

// splitLines splits file content into lines the way the YAML parser numbers them.
func splitLines(content string) []string {
	// Byte searches: ContainsAny with multi-byte runes decodes every rune and was a seventh of a corpus validation.
	if strings.IndexByte(content, '\r') >= 0 || strings.Contains(content, "\u0085") || strings.Contains(content, "\u2028") || strings.Contains(content, "\u2029") {
		content = yamlLineBreaks.Replace(content)
	}
	return strings.Split(content, "\n")
}
