package plugin

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
)

// falcoPluginName is what Falco's load_plugins holds: a plugin's name from its plugins entry.
var falcoPluginName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// parseFalcoPlugins reads the datasource's falcoPlugins setting: the plugins the user's Falco loads, so the rules
// checker knows which plugin event sources (k8s_audit, ...) exist. Empty means the chart's default, none.
func parseFalcoPlugins(raw []string) ([]string, []string) {
	var out, problems []string
	for _, p := range raw {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !falcoPluginName.MatchString(p) {
			problems = append(problems, fmt.Sprintf("Falco plugin %q is not a plugin name (as in Falco's load_plugins, for example k8saudit)", p))
			continue
		}
		out = append(out, p)
	}
	return out, problems
}

// rulesOptions are the validation options for this datasource: the default ruleset and the plugins its Falco
// loads; plugins, when the request says, override the setting.
func (d *Datasource) rulesOptions(plugins *[]string) rules.Options {
	opts := rules.Options{Defaults: &catalog.Get().Defaults, Plugins: d.settings.FalcoPlugins}
	if plugins != nil {
		opts.Plugins = *plugins
	}
	return opts
}
