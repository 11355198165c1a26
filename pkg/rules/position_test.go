package rules

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The byte of the value at an offset must map to the file position where that byte is written.
func TestScalarPositions(t *testing.T) {
	for name, src := range map[string]string{
		"folded, more indented": "- rule: x\n  condition: >\n    (a and\n      b) and\n     c\n",
		"literal":               "- rule: x\n  condition: |\n    a and\n    b\n",
		"plain multi-line":      "- rule: x\n  condition: a and\n    b and c\n",
		"plain one line":        "- rule: x\n  condition: a and b\n",
		"double quoted":         "- rule: x\n  condition: \"a and b\"\n",
		"single quoted":         "- rule: x\n  condition: 'a and b'\n",
	} {
		t.Run(name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
				t.Fatal(err)
			}
			n := doc.Content[0].Content[0].Content[3]
			lines := strings.Split(src, "\n")
			m := newScalarMap(n, lines)
			if !m.exact {
				t.Fatalf("no exact map for %q", n.Value)
			}
			for off := 0; off < len(n.Value); off++ {
				b := n.Value[off]
				if b == ' ' || b == '\n' {
					continue
				}
				line, col := m.at(off)
				if got := lines[line-1][col-1]; got != b {
					t.Fatalf("offset %d (%q) maps to %d:%d holding %q", off, b, line, col, got)
				}
			}
		})
	}
}
