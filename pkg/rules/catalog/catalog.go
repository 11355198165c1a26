// Package catalog is the embedded knowledge of Falco's condition language: fields with their types, argument
// forms and event sources, operators and transformers, and the names the default ruleset defines.
package catalog

import (
	"embed"
	"encoding/json"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ../../../scripts/rules-catalog -corpus ../../../../shared/corpus -out catalog.json -defaults-dir defaults

//go:embed catalog.json
var catalogJSON []byte

// Field is one filter field.
type Field struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Arg        string `json:"arg"`               // none, required, optional
	ArgKind    string `json:"argKind,omitempty"` // index, key, index_or_key
	DotArg     bool   `json:"dotArg,omitempty"`  // the argument may follow a dot: evt.arg.flags
	Source     string `json:"source"`            // syscall, k8s_audit, ..., or * for every source
	Plugin     string `json:"plugin,omitempty"`  // the plugin providing it, empty for libsinsp
	Deprecated bool   `json:"deprecated,omitempty"`
}

// Operator is a comparison operator and the kind of value it compares.
type Operator struct {
	Op   string `json:"op"`
	Kind string `json:"kind"` // unary, string/equality, numeric, string, string/bytes, list
}

// Defaults names what the default ruleset (falco_rules.yaml) defines, so custom rules that use its macros and
// lists resolve without shipping the ruleset itself.
type Defaults struct {
	Rules  []string `json:"rules"`
	Macros []string `json:"macros"`
	Lists  []string `json:"lists"`

	// Facts are the default ruleset's items themselves, so overrides of them are validated in context.
	Facts *RulesetFacts `json:"-"`
}

// RulesetFacts is one version of Falco's default ruleset (falco_rules.yaml), generated from the corpus by
// scripts/rules-catalog into defaults/falco-<version>.json: its list, macro and rule items in load order.
type RulesetFacts struct {
	FalcoVersion  string          `json:"falcoVersion"`  // the Falco release that ships this ruleset
	EngineVersion string          `json:"engineVersion"` // the ruleset's required_engine_version
	Rules         string          `json:"rules"`         // where the ruleset comes from (repository, commit, license)
	Items         json.RawMessage `json:"items"`
}

//go:embed defaults/*.json
var defaultsFS embed.FS

var rulesets = sync.OnceValue(func() []*RulesetFacts {
	entries, err := defaultsFS.ReadDir("defaults")
	if err != nil {
		panic("embedded default rulesets are missing: " + err.Error())
	}
	var out []*RulesetFacts
	for _, e := range entries {
		b, err := defaultsFS.ReadFile(path.Join("defaults", e.Name()))
		if err != nil {
			panic(err)
		}
		var f RulesetFacts
		if err := json.Unmarshal(b, &f); err != nil {
			panic("embedded default ruleset " + e.Name() + " is invalid: " + err.Error())
		}
		out = append(out, &f)
	}
	sort.Slice(out, func(i, j int) bool { return CompareVersions(out[i].FalcoVersion, out[j].FalcoVersion) < 0 })
	return out
})

// DefaultRulesets lists the default rulesets the catalog knows, oldest Falco first.
func DefaultRulesets() []*RulesetFacts { return rulesets() }

// DefaultRuleset finds the default ruleset of a Falco version: "0.44.1", or "0.44" for the newest 0.44.x known.
func DefaultRuleset(falcoVersion string) (*RulesetFacts, bool) {
	var found *RulesetFacts
	for _, f := range rulesets() {
		if f.FalcoVersion == falcoVersion || strings.HasPrefix(f.FalcoVersion, falcoVersion+".") {
			found = f
		}
	}
	return found, found != nil
}

// falcoEngineVersions are the rules engine versions of the Falco releases whose default rulesets are embedded:
// falcosecurity/falco userspace/engine/falco_engine_version.h at the release tag (FALCO_ENGINE_VERSION_MAJOR,
// _MINOR, _PATCH). falco_rules.yaml requires less (0.57.0) than the engine that ships with it.
var falcoEngineVersions = map[string]string{"0.44.1": "0.62.0"}

// FalcoEngineVersion is the rules engine version of the Falco release that ships this ruleset, the version
// rule_loader_collector.cpp define(engine_version_info) compares required_engine_version with. For a release
// not in the table it is the ruleset's own requirement, the highest version known to work.
func (f *RulesetFacts) FalcoEngineVersion() string {
	if v, ok := falcoEngineVersions[f.FalcoVersion]; ok {
		return v
	}
	return f.EngineVersion
}

// CompareVersions compares dotted versions numerically (0.9.0 < 0.10.0); missing parts count as 0.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Catalog is everything the validator and the editor's autocomplete know.
type Catalog struct {
	Fields          []Field    `json:"fields"`
	Operators       []Operator `json:"operators"`
	Modifiers       []string   `json:"modifiers"`
	Transformers    []string   `json:"transformers"`
	RHSTransformers []string   `json:"rhsTransformers"`
	Sources         []string   `json:"sources"`
	Defaults        Defaults   `json:"defaults"`

	// EventNames are the values libsinsp accepts for evt.type: every name of the driver's event table and every
	// ppm_sc (syscall) name. sinsp_filter_check_event::validate_filter_value (sinsp_filtercheck_event.cpp) throws
	// "unknown event type <name>" for any other value (or one no loaded plugin declares as an async event).
	// EventNamesFrom says which libs sources they were transcribed from.
	EventNames     []string `json:"eventNames"`
	EventNamesFrom string   `json:"eventNamesFrom"`

	byName       map[string]*Field
	ops          map[string]Operator
	eventNames   map[string]bool
	sourcePlugin map[string]string
}

var (
	loadOnce sync.Once
	loaded   *Catalog
)

// Get returns the embedded catalog.
func Get() *Catalog {
	loadOnce.Do(func() {
		var c Catalog
		if err := json.Unmarshal(catalogJSON, &c); err != nil {
			panic("embedded catalog.json is invalid: " + err.Error())
		}
		c.index()
		all := rulesets()
		c.Defaults.Facts = all[len(all)-1]
		loaded = &c
	})
	return loaded
}

func (c *Catalog) index() {
	c.byName = make(map[string]*Field, len(c.Fields))
	for i := range c.Fields {
		c.byName[c.Fields[i].Name] = &c.Fields[i]
	}
	c.ops = make(map[string]Operator, len(c.Operators))
	for _, o := range c.Operators {
		c.ops[o.Op] = o
	}
	// A source whose fields all come from one plugin is that plugin's event source (k8s_audit: k8saudit).
	c.sourcePlugin = map[string]string{}
	for _, f := range c.Fields {
		if f.Source != "syscall" && f.Source != "*" && f.Plugin != "" {
			c.sourcePlugin[f.Source] = f.Plugin
		}
	}
	c.eventNames = make(map[string]bool, len(c.EventNames))
	for _, n := range c.EventNames {
		c.eventNames[n] = true
	}
}

// KnownEventName tells whether libsinsp accepts name as an evt.type value. Names are case-sensitive, as in
// libsinsp's comparison. The empty name is accepted: libscap's ppm_sc name table holds "" for the unused code 382.
func (c *Catalog) KnownEventName(name string) bool {
	return name == "" || c.eventNames[name]
}

// Operator returns the operator and whether it exists.
func (c *Catalog) Operator(op string) (Operator, bool) {
	o, ok := c.ops[op]
	return o, ok
}

// LookupField finds the field a name in a condition refers to. A name like evt.arg.flags is the field evt.arg
// with the argument "flags"; the returned dotArg is that argument.
func (c *Catalog) LookupField(name string) (f *Field, dotArg string, ok bool) {
	if f, ok := c.byName[name]; ok {
		return f, "", true
	}
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		if f, ok := c.byName[name[:i]]; ok && f.DotArg {
			return f, name[i+1:], true
		}
	}
	return nil, "", false
}

// FieldNames lists every field name, sorted.
func (c *Catalog) FieldNames() []string {
	names := make([]string, 0, len(c.Fields))
	for _, f := range c.Fields {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// KnownSource tells whether an event source has fields in the catalog.
func (c *Catalog) KnownSource(s string) bool {
	for _, k := range c.Sources {
		if k == s {
			return true
		}
	}
	return false
}

// SourcePlugin names the plugin that provides an event source (k8s_audit: k8saudit), or "" for a source Falco
// has without plugins (syscall) or one the catalog does not know.
func (c *Catalog) SourcePlugin(source string) string { return c.sourcePlugin[source] }
