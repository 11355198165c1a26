package deploy

import (
	"fmt"
	"path"
	"sort"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
)

// Where the Falco chart puts rules: customRules is mounted at rulesDir (templates/pod-template.tpl, volume
// rules-volume), and the default ruleset is installed as defaultRulesFile (falcoctl's rulesfiles artifact).
const (
	rulesDir         = "/etc/falco/rules.d"
	defaultRulesFile = "/etc/falco/falco_rules.yaml"
)

// WarnRulesFileNotLoaded: a custom rules file lands in rules.d, which the release's falco.rules_files never reads.
const WarnRulesFileNotLoaded = "rules_file_not_loaded"

// RulesFilesCheck is how the release loads rules and what that means for the custom files.
type RulesFilesCheck struct {
	// RulesFiles is the release's falco.rules_files (its values over the chart's defaults), in load order.
	RulesFiles []string `json:"rulesFiles"`
	// LoadsDefaults says whether Falco's default ruleset is among them, so custom rules may use its macros and lists.
	LoadsDefaults bool `json:"loadsDefaults"`
	// Loaded are the custom files Falco loads, in its order; NotLoaded are those it never reads.
	Loaded    []string `json:"loaded"`
	NotLoaded []string `json:"notLoaded"`
}

// rulesFilesOf reads falco.rules_files as Helm computes it: a user value replaces the chart's list whole
// (chartutil.CoalesceValues merges maps, not lists), else the chart's values.yaml default applies.
func rulesFilesOf(rel *release.Release) []string {
	if l, ok := listAt(rel.Config, "falco", "rules_files"); ok {
		return l
	}
	if rel.Chart != nil {
		if l, ok := listAt(rel.Chart.Values, "falco", "rules_files"); ok {
			return l
		}
	}
	// The chart's own default (values.yaml, falco.rules_files) when the stored chart carries no values.
	return []string{defaultRulesFile, "/etc/falco/falco_rules.local.yaml", rulesDir}
}

func listAt(m map[string]any, keys ...string) ([]string, bool) {
	cur := m
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	raw, ok := cur[keys[len(keys)-1]].([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out, true
}

// checkRulesFiles orders the custom files as Falco loads them under rules_files (entries in order; a directory's
// files in alphabetical order, falco's configuration rules_files semantics) and says which it never loads.
func checkRulesFiles(rulesFiles []string, files []File) (*RulesFilesCheck, []File) {
	c := &RulesFilesCheck{RulesFiles: rulesFiles, Loaded: []string{}, NotLoaded: []string{}}
	byName := map[string]File{}
	names := make([]string, 0, len(files))
	for _, f := range files {
		byName[f.Name] = f
		names = append(names, f.Name)
	}
	sort.Strings(names)
	var ordered []File
	taken := map[string]bool{}
	take := func(name string) {
		if f, ok := byName[name]; ok && !taken[name] {
			taken[name] = true
			ordered = append(ordered, f)
			c.Loaded = append(c.Loaded, name)
		}
	}
	for _, entry := range rulesFiles {
		p := path.Clean(strings.TrimSpace(entry))
		switch {
		case p == defaultRulesFile || p == path.Dir(defaultRulesFile):
			c.LoadsDefaults = true
		case p == rulesDir:
			for _, n := range names {
				take(n)
			}
		case path.Dir(p) == rulesDir:
			take(path.Base(p))
		}
	}
	for _, n := range names {
		if !taken[n] {
			c.NotLoaded = append(c.NotLoaded, n)
		}
	}
	return c, ordered
}

// validateAsLoaded validates the files the release loads, in its order, on top of the default ruleset only when the
// release loads it: Falco refuses a rule whose macro (spawned_process, container) no loaded file defines.
func validateAsLoaded(rel *release.Release, files []File) (*RulesFilesCheck, *rules.Result, []Warning) {
	check, ordered := checkRulesFiles(rulesFilesOf(rel), files)
	opts := rules.Options{}
	if check.LoadsDefaults {
		opts.Defaults = &catalog.Get().Defaults
	}
	res := rules.Validate(ordered, opts)
	var warns []Warning
	for _, n := range check.NotLoaded {
		warns = append(warns, Warning{Code: WarnRulesFileNotLoaded, Message: fmt.Sprintf(
			"%s goes to %s/%s, but the release's falco.rules_files (%s) never loads it: Falco will not run its rules; add %s to falco.rules_files or confirm",
			n, rulesDir, n, strings.Join(check.RulesFiles, ", "), rulesDir)})
	}
	return check, res, warns
}

// loadedNote tells a rules error apart when the release does not load the default ruleset.
func loadedNote(c *RulesFilesCheck) string {
	if c == nil || c.LoadsDefaults {
		return ""
	}
	return fmt.Sprintf(" (this release's falco.rules_files is %s: it does not load Falco's default ruleset, so its macros and lists are not defined)", strings.Join(c.RulesFiles, ", "))
}
