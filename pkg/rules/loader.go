package rules

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// Limits on what one validation accepts; larger input is refused with a diagnostic, never read further.
const (
	MaxFileBytes  = 1 << 20
	MaxTotalBytes = 4 << 20
	MaxFiles      = 64
)

// File is one rules file; files load in the order given, as Falco loads its rules_files.
type File struct {
	Name    string `json:"name"`
	Content string `json:"content"`
}

// DefaultsFile is the file the default rules come from, as the Falco chart mounts it.
const DefaultsFile = "falco_rules.yaml"

// Options say what is loaded before the files.
type Options struct {
	// Defaults is the default ruleset the Falco chart loads first. With its facts, its rules, macros and lists
	// are loaded as Falco loads them, so the files' overrides and appends are checked in context; with names only,
	// they are known by name.
	Defaults *catalog.Defaults
	// EngineVersion is the rules engine version of the target Falco: a file whose required_engine_version is
	// higher is refused, as Falco refuses it. Empty means the engine of the Falco release that ships the default
	// ruleset (catalog.RulesetFacts.FalcoEngineVersion); with no defaults, the requirement is not checked.
	EngineVersion string
	// Plugins are the plugins the target Falco loads (its load_plugins). The Falco chart loads none by default
	// (load_plugins: []), so a rule for a plugin's event source (k8s_audit, aws_cloudtrail, okta, gcp_auditlog,
	// github) is skipped with Falco's "Unknown source" warning unless that source's plugin is named here.
	Plugins []string
}

// RuleInfo is one rule of the effective ruleset. A default rule carries its facts from the default ruleset
// (priority, source, tags) with the files' overrides applied, file falco_rules.yaml and no line.
type RuleInfo struct {
	Name     string   `json:"name"`
	Priority string   `json:"priority"`
	Source   string   `json:"source"`
	Tags     []string `json:"tags"`
	Enabled  bool     `json:"enabled"`
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Mitre    []string `json:"mitre"`
	Default  bool     `json:"default,omitempty"`
}

// Result is everything one validation found.
type Result struct {
	Diagnostics []Diagnostic `json:"diagnostics"`
	Rules       []RuleInfo   `json:"rules"`
	Macros      int          `json:"macros"`
	Lists       int          `json:"lists"`
}

// Errors counts diagnostics of error severity.
func (r *Result) Errors() int {
	n := 0
	for _, d := range r.Diagnostics {
		if d.Severity == SeverityError {
			n++
		}
	}
	return n
}

// source is one loaded file with its lines, for positions and snippets. The default ruleset is a source too;
// a problem found in its text is reported at the user's item that caused it (the loader's blame), or not at all.
type source struct {
	name     string
	lines    []string
	defaults bool
}

// position is a place in a user's file: the item that changed a default rule, macro or list.
type position struct {
	src       *source
	line, col int
}

func posOf(src *source, n *yaml.Node) *position {
	if src == nil || src.defaults {
		return nil
	}
	return &position{src: src, line: n.Line, col: n.Column}
}

// segment is one piece of a condition (appends add pieces), with the map back to its file.
type segment struct {
	text string
	src  *source
	pos  *lazyMap
}

var (
	yamlLineRe = regexp.MustCompile(`line (\d+):`)
	versionRe  = regexp.MustCompile(`^\d+(\.\d+){0,2}$`)
	// rule_loader_reader.cpp read_item: macro names must FullMatch RGX_IDENTIFIER, list names RGX_BARESTR.
	macroNameRe = regexp.MustCompile(`^[a-zA-Z]+[a-zA-Z0-9_]*$`)
	listNameRe  = regexp.MustCompile(`^[^()"'\s=,]+$`)
	priorities  = map[string]string{
		"emergency": "Emergency", "alert": "Alert", "critical": "Critical", "error": "Error", "warning": "Warning",
		"notice": "Notice", "informational": "Informational", "info": "Informational", "debug": "Debug",
	}
	// Keys each item kind may have; anything else is reported and ignored.
	itemKeys = map[string]map[string]bool{
		"rule":  set("rule", "condition", "output", "desc", "priority", "source", "tags", "enabled", "exceptions", "append", "override", "skip-if-unknown-filter", "warn_evttypes", "capture", "capture_duration"),
		"macro": set("macro", "condition", "append", "override"),
		"list":  set("list", "items", "append", "override"),
	}
)

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// loader holds the state of one validation.
type loader struct {
	cat       *catalog.Catalog
	diags     []Diagnostic
	seen      map[string]bool
	lists     map[string]*listDef
	listOrder []string
	macros    map[string]*macroDef
	macroOrd  []string
	rules     map[string]*ruleDef
	ruleOrder []string

	base   *base     // the default ruleset, loaded once, when loaded from its facts
	blame  *position // where a problem found in the default ruleset's text is reported
	engine string    // the target engine version

	itemIndex int // the load position of the last macro defined or appended

	plugins map[string]bool // the plugins the target Falco loads
}

func (l *loader) add(sev Severity, code, msg, itemType, itemName string, src *source, line, col int) {
	if src != nil && src.defaults {
		// Falco's own ruleset is not the user's problem unless the user's change made it one.
		if l.blame == nil {
			return
		}
		src, line, col = l.blame.src, l.blame.line, l.blame.col
	}
	d := Diagnostic{Severity: sev, Code: code, CodeDesc: codeDescs[code], Message: msg, ItemType: itemType, ItemName: itemName, Line: line, Column: col}
	if src != nil {
		d.File = src.name
		d.Snippet = snippet(src.lines, line, col)
	}
	key := fmt.Sprintf("%s|%s|%d|%d|%s", code, d.File, line, col, msg)
	if l.seen[key] {
		return
	}
	l.seen[key] = true
	l.diags = append(l.diags, d)
}

func (l *loader) errAt(code, msg, itemType, itemName string, src *source, n *yaml.Node) {
	l.add(SeverityError, code, msg, itemType, itemName, src, n.Line, n.Column)
}

func (l *loader) warnAt(code, msg, itemType, itemName string, src *source, n *yaml.Node) {
	l.add(SeverityWarning, code, msg, itemType, itemName, src, n.Line, n.Column)
}

// Validate loads the files in order on top of the defaults and checks everything Falco checks at load time.
func Validate(files []File, opts Options) *Result {
	l := newLoader()
	l.engine = opts.EngineVersion
	l.plugins = map[string]bool{}
	for _, p := range opts.Plugins {
		l.plugins[p] = true
	}
	if d := opts.Defaults; d != nil {
		if d.Facts != nil {
			l.cloneBase(baseFor(d.Facts))
			if l.engine == "" {
				l.engine = d.Facts.FalcoEngineVersion()
			}
		} else {
			l.addDefaults(d)
		}
	}
	order := map[string]int{}
	total := 0
	var sources []*source
	for i, f := range files {
		order[f.Name] = i
		src := &source{name: f.Name}
		total += len(f.Content)
		switch {
		case i >= MaxFiles:
			l.add(SeverityError, "LOAD_ERR_FILE_READ", fmt.Sprintf("too many files: at most %d are validated together", MaxFiles), "", "", src, 1, 1)
			continue
		case len(f.Content) > MaxFileBytes:
			l.add(SeverityError, "LOAD_ERR_FILE_READ", fmt.Sprintf("file is %d bytes, larger than the %d bytes a rules file may have here", len(f.Content), MaxFileBytes), "", "", src, 1, 1)
			continue
		case total > MaxTotalBytes:
			l.add(SeverityError, "LOAD_ERR_FILE_READ", fmt.Sprintf("the files add up to more than %d bytes", MaxTotalBytes), "", "", src, 1, 1)
			continue
		}
		src.lines = splitLines(f.Content)
		sources = append(sources, src)
		l.loadFile(src, f.Content)
	}
	l.compile()
	res := &Result{Diagnostics: l.diags}
	sortDiagnostics(res.Diagnostics, order)
	for _, name := range l.ruleOrder {
		res.Rules = append(res.Rules, l.rules[name].info())
	}
	for _, m := range l.macros {
		if !m.isDefault() {
			res.Macros++
		}
	}
	for _, li := range l.lists {
		if !li.isDefault() {
			res.Lists++
		}
	}
	if res.Diagnostics == nil {
		res.Diagnostics = []Diagnostic{}
	}
	if res.Rules == nil {
		res.Rules = []RuleInfo{}
	}
	return res
}

func newLoader() *loader {
	return &loader{
		cat:    catalog.Get(),
		seen:   map[string]bool{},
		lists:  map[string]*listDef{},
		macros: map[string]*macroDef{},
		rules:  map[string]*ruleDef{},
	}
}

// addDefaults knows the default ruleset by its names only (when no facts are given).
func (l *loader) addDefaults(d *catalog.Defaults) {
	for _, n := range d.Lists {
		l.lists[n] = &listDef{name: n, external: true}
		l.listOrder = append(l.listOrder, n)
	}
	for _, n := range d.Macros {
		l.macros[n] = &macroDef{name: n, external: true, index: l.nextIndex()}
		l.macroOrd = append(l.macroOrd, n)
	}
	for _, n := range d.Rules {
		l.rules[n] = &ruleDef{name: n, external: true, enabled: true, source: "syscall"}
		l.ruleOrder = append(l.ruleOrder, n)
	}
}

// loadFile reads every YAML document of the file, as Falco does; a parse error anywhere loads nothing from it.
func (l *loader) loadFile(src *source, content string) {
	var docs []*yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(content))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			l.yamlError(src, err)
			return
		}
		docs = append(docs, &doc)
	}
	for _, doc := range docs {
		if len(doc.Content) == 0 {
			continue // an empty document has no items, as in Falco
		}
		root := doc.Content[0]
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			continue
		}
		if root.Kind != yaml.SequenceNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Rules content is not yaml array of objects", "", "", src, root)
			continue
		}
		resolveAliases(root)
		for _, item := range root.Content {
			l.loadItem(src, item)
		}
	}
}

// resolveAliases replaces every alias (*name) below n by the node it names, as yaml-cpp hands Falco the value
// itself. Each node is visited once: targets are shared, never copied, so aliases cannot multiply the work.
func resolveAliases(n *yaml.Node) {
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode && c.Alias != nil {
			n.Content[i] = c.Alias
			continue
		}
		resolveAliases(c)
	}
}

func (l *loader) yamlError(src *source, err error) {
	line := 1
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if isYAMLParserError(msg) {
			line++
		}
	}
	line = min(max(line, 1), len(src.lines))
	l.add(SeverityError, "LOAD_ERR_YAML_PARSE", strings.TrimPrefix(msg, "yaml: "), "", "", src, line, 1)
}

// yaml.v3 prints 0-based lines for its parser's errors and 1-based lines for its scanner's; these are the parser's.
var yamlParserProblems = []string{"did not find expected <", "did not find expected node content", "did not find expected key",
	"did not find expected '-' indicator", "did not find expected ',' or", "found duplicate %", "found incompatible YAML document", "found undefined tag handle"}

func isYAMLParserError(msg string) bool {
	for _, p := range yamlParserProblems {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// mapping returns a mapping node's values by key, with the key nodes for positions.
func mapping(n *yaml.Node) (map[string]*yaml.Node, map[string]*yaml.Node, []string) {
	vals := map[string]*yaml.Node{}
	keys := map[string]*yaml.Node{}
	var order []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if _, dup := vals[k]; !dup {
			order = append(order, k)
		}
		vals[k], keys[k] = n.Content[i+1], n.Content[i]
	}
	return vals, keys, order
}

func (l *loader) loadItem(src *source, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Unexpected element type. Each element should be a yaml associative array.", "", "", src, n)
		return
	}
	vals, keys, order := mapping(n)
	var kind string
	for _, k := range []string{"rule", "macro", "list", "required_engine_version", "required_plugin_versions"} {
		if _, ok := vals[k]; ok {
			kind = k
			break
		}
	}
	switch kind {
	case "":
		first := "(empty)"
		if len(order) > 0 {
			first = order[0]
		}
		l.warnAt("LOAD_UNKNOWN_ITEM", fmt.Sprintf("Unknown top level item '%s': it is ignored", first), "", "", src, n)
		return
	case "required_engine_version":
		l.loadEngineVersion(src, n, vals[kind])
		return
	case "required_plugin_versions":
		l.loadPluginVersions(src, vals[kind])
		return
	}

	nameNode := vals[kind]
	if nameNode.Kind != yaml.ScalarNode || nameNode.Tag == "!!null" || strings.TrimSpace(nameNode.Value) == "" {
		l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Value for key '%s' must be a non-empty string", kind), kind, "", src, keys[kind])
		return
	}
	name := nameNode.Value
	for _, k := range order {
		if !itemKeys[kind][k] {
			l.warnAt("LOAD_UNKNOWN_KEY", fmt.Sprintf("Unknown key '%s' in %s: it is ignored", k, kind), kind, name, src, keys[k])
		}
	}

	mode, appendAll, ok := l.combineMode(src, n, kind, name, vals, keys, order)
	if !ok {
		return
	}
	combine := appendAll || len(mode) > 0

	switch kind {
	// rule_loader_reader.cpp read_item: a list or macro appends only when told to; a replace override is a new
	// definition (collector.define), which needs no earlier item by that name.
	case "list":
		appendItems := appendAll || mode["items"] == "append"
		l.loadList(src, n, name, vals, appendItems, appendItems)
	case "macro":
		appendCond := appendAll || mode["condition"] == "append"
		l.loadMacro(src, n, name, vals, appendCond, appendCond)
	case "rule":
		l.loadRule(src, n, name, vals, keys, combine, appendAll, mode)
	}
}

func boolValue(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func (l *loader) stringValue(src *source, n *yaml.Node, key, kind, name string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Value for key '%s' must be a string", key), kind, name, src, n)
		return "", false
	}
	return n.Value, true
}

func (l *loader) stringList(src *source, n *yaml.Node, key, kind, name string) ([]string, bool) {
	if n.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Value for key '%s' must be a sequence", key), kind, name, src, n)
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Every entry of '%s' must be a string", key), kind, name, src, c)
			return nil, false
		}
		out = append(out, c.Value)
	}
	return out, true
}

func (l *loader) loadPluginVersions(src *source, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'required_plugin_versions' must be a sequence", "required_plugin_versions", "", src, n)
		return
	}
	for _, p := range n.Content {
		if p.Kind != yaml.MappingNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Each required plugin must be a mapping with 'name' and 'version'", "required_plugin_versions", "", src, p)
			continue
		}
		vals, _, _ := mapping(p)
		for _, k := range []string{"name", "version"} {
			if v, ok := vals[k]; !ok || v.Kind != yaml.ScalarNode || v.Value == "" {
				l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Item has no mapping for key '%s'", k), "required_plugin_versions", "", src, p)
			}
		}
	}
}

// sourceLoaded tells whether the target Falco has the event source: a known source Falco has without plugins, or
// one whose plugin it loads. rule_loader_collector.cpp define(rule_info) warns "Unknown source X, skipping" for
// any other and never compiles the rule.
func (l *loader) sourceLoaded(source string) bool {
	if !l.cat.KnownSource(source) {
		return false
	}
	p := l.cat.SourcePlugin(source)
	return p == "" || l.plugins[p]
}
