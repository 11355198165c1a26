package rules

import (
	"strings"
	"testing"
)

// Falco 0.44.0 and later accept exception comps that are a string operator with a list modifier
// (falcosecurity/falco userspace/engine/rule_loader_cmpop.h is_str_operator_with_modifier, called from
// rule_loader_collector.cpp validate_exception_info), in the list form and the single-field form; combinations
// cmpop_supports_modifier refuses ("in oneof", "> oneof") stay unsupported operators.
func TestExceptionCompsWithModifier_RuleLoaderCmpopIsStrOperatorWithModifier(t *testing.T) {
	for name, tc := range map[string]struct {
		exception string
		code      string // "" means no diagnostics
		message   string
	}{
		"list form startswith oneof": {
			"    - name: e\n      fields: [proc.name, proc.exepath]\n      comps: [=, startswith oneof]\n      values: [[bash, [/usr/local/, /opt/]]]\n", "", ""},
		"list form scalar value names a list": {
			"    - name: e\n      fields: [proc.name, proc.pname]\n      comps: [=, endswith anyof]\n      values: [[bash, shell_binaries]]\n", "", ""},
		"single-field form contains allof": {
			"    - name: e\n      fields: proc.cmdline\n      comps: contains allof\n      values: [--debug, --trace]\n", "", ""},
		"modifier on an operator that takes none": {
			"    - name: e\n      fields: [proc.name]\n      comps: [in oneof]\n      values: [[bash]]\n", "LOAD_ERR_VALIDATE", "'in oneof' is not a supported comparison operator"},
		"unknown modifier": {
			"    - name: e\n      fields: [proc.name]\n      comps: [startswith someof]\n      values: [[bash]]\n", "LOAD_ERR_VALIDATE", "'startswith someof' is not a supported comparison operator"},
		"single-field form with a plain string operator is still refused": {
			"    - name: e\n      fields: proc.name\n      comps: startswith\n      values: [bash]\n", "LOAD_ERR_VALIDATE", "When fields is a single value"},
		"the operator still has to fit the field type": {
			"    - name: e\n      fields: [proc.pid]\n      comps: [startswith oneof]\n      values: [[\"1\"]]\n", "LOAD_ERR_COMPILE_CONDITION", "'startswith' operator not supported for numeric filters"},
	} {
		t.Run(name, func(t *testing.T) {
			content := okRule + "  exceptions:\n" + tc.exception
			res := Validate([]File{{Name: "custom.yaml", Content: content}}, Options{Defaults: defaultsForTest()})
			if tc.code == "" {
				if len(res.Diagnostics) != 0 {
					t.Fatalf("want no diagnostics: %s", describe(res.Diagnostics))
				}
				return
			}
			for _, d := range res.Diagnostics {
				if d.Code == tc.code && strings.Contains(d.Message, tc.message) {
					return
				}
			}
			t.Fatalf("want %s containing %q; got %s", tc.code, tc.message, describe(res.Diagnostics))
		})
	}
}
