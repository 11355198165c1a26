package rules

import (
	"fmt"

	"github.com/containersec/container-security/pkg/rules/condition"
)

func undefinedMacro(name string) string {
	return fmt.Sprintf("Undefined macro '%s' used in filter.", name)
}

// checkMacroVisibility resolves every macro's names as rule_loader_compiler.cpp compile_macros_infos does: each
// macro, used or not, against the macros whose index is below its visibility (resolve_macros), so a macro naming
// one defined after it is refused with "Undefined macro"; rules see every macro (MAX_VISIBILITY). The error is
// LOAD_ERR_VALIDATE, the code of that file's THROW.
func (c *compiler) checkMacroVisibility() {
	for _, name := range c.macroOrd {
		m := c.macros[name]
		comp := c.macroASTs[name]
		if m.external || comp == nil || comp.ast == nil || m.isDefault() && m.touched == nil {
			continue // Falco's own macros, as shipped, resolve
		}
		c.blame = m.touched
		condition.Walk(comp.ast, func(node condition.Node) {
			x, ok := node.(*condition.MacroRef)
			if !ok {
				return
			}
			used, known := c.macros[x.Name]
			if known && used.index < m.visibility {
				return
			}
			if known {
				c.hidden[name+"\x00"+x.Name] = true
			}
			src, line, col := comp.posOf(x.Start)
			c.add(SeverityError, "LOAD_ERR_VALIDATE", undefinedMacro(x.Name), "macro", name, src, line, col)
		})
		c.blame = nil
	}
}
