package deploy

import (
	"strings"
	"testing"
)

func TestRulesFilesOrderAndWhatIsNeverLoaded(t *testing.T) {
	files := []File{{Name: "b.yaml"}, {Name: "a.yaml"}, {Name: "c.yaml"}}
	for name, tc := range map[string]struct {
		rulesFiles        []string
		defaults          bool
		loaded, notLoaded string
	}{
		// The chart's values.yaml default.
		"chart default": {[]string{"/etc/falco/falco_rules.yaml", "/etc/falco/falco_rules.local.yaml", "/etc/falco/rules.d"}, true, "a.yaml,b.yaml,c.yaml", ""},
		"only rules.d":  {[]string{"/etc/falco/rules.d/"}, false, "a.yaml,b.yaml,c.yaml", ""},
		"no rules.d":    {[]string{"/etc/falco/falco_rules.yaml"}, true, "", "a.yaml,b.yaml,c.yaml"},
		// Named files load in the list's order, before the directory's alphabetical rest.
		"named files": {[]string{"/etc/falco/rules.d/c.yaml", "/etc/falco/falco_rules.yaml", "/etc/falco/rules.d/a.yaml"}, true, "c.yaml,a.yaml", "b.yaml"},
	} {
		c, ordered := checkRulesFiles(tc.rulesFiles, files)
		var names []string
		for _, f := range ordered {
			names = append(names, f.Name)
		}
		if c.LoadsDefaults != tc.defaults || strings.Join(c.Loaded, ",") != tc.loaded || strings.Join(names, ",") != tc.loaded || strings.Join(c.NotLoaded, ",") != tc.notLoaded {
			t.Errorf("%s: %+v, validated %v", name, c, names)
		}
	}
}
