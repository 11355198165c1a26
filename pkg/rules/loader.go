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
	// Defaults are rules, macros and lists assumed defined (the default ruleset the Falco chart loads first).
	Defaults *catalog.Defaults
}

// RuleInfo is one rule of the effective ruleset. A default rule is known by name only: its priority and tags are
// empty unless a loaded file replaced them, and it has no line.
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

// source is one loaded file with its lines, for positions and snippets.
type source struct {
	name  string
	lines []string
}

// segment is one piece of a condition (appends add pieces), with the map back to its file.
type segment struct {
	text string
	src  *source
	pos  scalarMap
}

type listDef struct {
	name     string
	items    []listItem
	src      *source
	line     int
	col      int
	used     bool
	external bool
}

type listItem struct {
	value string
	src   *source
	line  int
	col   int
}

type macroDef struct {
	name     string
	segs     []segment
	src      *source
	line     int
	col      int
	used     bool
	external bool
}

type exceptionDef struct {
	name   string
	fields []string
	comps  []string
	values [][]string
	src    *source
	node   *yaml.Node
}

type ruleDef struct {
	name         string
	segs         []segment
	output       string
	outputMap    scalarMap
	outputSrc    *source
	desc         string
	priority     string
	source       string
	tags         []string
	enabled      bool
	exceptions   []exceptionDef
	skipUnknown  bool
	src          *source
	line, col    int
	external     bool
	hasCondition bool
}

var (
	yamlLineRe = regexp.MustCompile(`line (\d+):`)
	versionRe  = regexp.MustCompile(`^\d+(\.\d+){0,2}$`)
	nameRe     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	priorities = map[string]string{
		"emergency": "Emergency", "alert": "Alert", "critical": "Critical", "error": "Error", "warning": "Warning",
		"notice": "Notice", "informational": "Informational", "info": "Informational", "debug": "Debug",
	}
	// Keys each item kind may have; anything else is reported and ignored.
	itemKeys = map[string]map[string]bool{
		"rule":  set("rule", "condition", "output", "desc", "priority", "source", "tags", "enabled", "exceptions", "append", "override", "skip-if-unknown-filter", "warn_evttypes", "capture", "capture_duration"),
		"macro": set("macro", "condition", "append", "override"),
		"list":  set("list", "items", "append", "override"),
	}
	overridable = map[string]map[string]bool{
		"rule":  set("condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "source", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter"),
		"macro": set("condition"),
		"list":  set("items"),
	}
	appendable = map[string]bool{"condition": true, "output": true, "desc": true, "tags": true, "exceptions": true, "items": true}
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
}

func (l *loader) add(sev Severity, code, msg, itemType, itemName string, src *source, line, col int) {
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
	l := &loader{
		cat:    catalog.Get(),
		seen:   map[string]bool{},
		lists:  map[string]*listDef{},
		macros: map[string]*macroDef{},
		rules:  map[string]*ruleDef{},
	}
	if opts.Defaults != nil {
		l.addDefaults(opts.Defaults)
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
		if !m.external {
			res.Macros++
		}
	}
	for _, li := range l.lists {
		if !li.external {
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

func (r *ruleDef) info() RuleInfo {
	info := RuleInfo{Name: r.name, Priority: r.priority, Source: r.source, Tags: r.tags, Enabled: r.enabled, Line: r.line, Mitre: []string{}, Default: r.external}
	if r.external {
		info.File = DefaultsFile
	} else {
		info.File = r.src.name
	}
	if info.Tags == nil {
		info.Tags = []string{}
	}
	for _, t := range r.tags {
		if strings.HasPrefix(t, "mitre_") {
			info.Mitre = append(info.Mitre, strings.ReplaceAll(strings.TrimPrefix(t, "mitre_"), "_", " "))
		}
	}
	return info
}

func (l *loader) addDefaults(d *catalog.Defaults) {
	for _, n := range d.Lists {
		l.lists[n] = &listDef{name: n, external: true}
		l.listOrder = append(l.listOrder, n)
	}
	for _, n := range d.Macros {
		l.macros[n] = &macroDef{name: n, external: true}
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
		v := vals[kind]
		if v.Kind != yaml.ScalarNode || !versionRe.MatchString(v.Value) {
			l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("required_engine_version must be a version such as 0.57.0, got %q", v.Value), "required_engine_version", "", src, v)
		}
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
			l.warnAt("LOAD_UNKNOWN_ITEM", fmt.Sprintf("Unknown key '%s' in %s: it is ignored", k, kind), kind, name, src, keys[k])
		}
	}

	// How this item combines with an earlier one of the same name.
	mode := map[string]string{} // key -> append | replace
	appendAll := false
	if a, ok := vals["append"]; ok {
		b, ok := boolValue(a)
		if !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'append' must be a boolean", kind, name, src, a)
			return
		}
		appendAll = b
		if b {
			l.warnAt("LOAD_DEPRECATED_ITEM", "'append: true' is deprecated: use 'override' with 'append' for each key", kind, name, src, keys["append"])
		}
	}
	if o, ok := vals["override"]; ok {
		if appendAll {
			l.errAt("LOAD_ERR_VALIDATE", "Keys 'override' and 'append: true' cannot be used together", kind, name, src, keys["override"])
			return
		}
		if o.Kind != yaml.MappingNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'override' must be a mapping of keys to append or replace", kind, name, src, o)
			return
		}
		ov, ok2, okeys := mapping(o)
		for _, k := range okeys {
			how := ov[k].Value
			switch {
			case !overridable[kind][k]:
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' cannot be overridden in a %s", k, kind), kind, name, src, ok2[k])
				return
			case how != "append" && how != "replace":
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Override of '%s' must be 'append' or 'replace', got %q", k, how), kind, name, src, ov[k])
				return
			case how == "append" && !appendable[k]:
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' cannot be appended, only replaced", k), kind, name, src, ov[k])
				return
			}
			if _, present := vals[k]; !present {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' is overridden but has no value in this item", k), kind, name, src, ok2[k])
				return
			}
			mode[k] = how
		}
		for _, k := range order {
			if k != kind && k != "override" && itemKeys[kind][k] && mode[k] == "" {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' has no matching 'override' entry: say whether it appends or replaces", k), kind, name, src, keys[k])
				return
			}
		}
	}
	combine := appendAll || len(mode) > 0

	switch kind {
	case "list":
		l.loadList(src, n, name, vals, combine, appendAll || mode["items"] == "append")
	case "macro":
		l.loadMacro(src, n, name, vals, combine, appendAll || mode["condition"] == "append")
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

func (l *loader) loadList(src *source, n *yaml.Node, name string, vals map[string]*yaml.Node, combine, appendItems bool) {
	if !nameRe.MatchString(name) {
		l.warnAt("LOAD_INVALID_LIST_NAME", fmt.Sprintf("List name '%s' is not a valid identifier: conditions cannot refer to it", name), "list", name, src, vals["list"])
	}
	itemsNode, ok := vals["items"]
	if !ok {
		if !combine {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'items'", "list", name, src, n)
		}
		return
	}
	if itemsNode.Kind != yaml.SequenceNode {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'items' must be a sequence", "list", name, src, itemsNode)
		return
	}
	var items []listItem
	for _, c := range itemsNode.Content {
		if c.Kind != yaml.ScalarNode {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Every list item must be a string or a number", "list", name, src, c)
			return
		}
		items = append(items, listItem{value: c.Value, src: src, line: c.Line, col: c.Column})
	}
	prev, exists := l.lists[name]
	if combine {
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("List '%s' has 'append' or 'override' but no list by that name was defined before", name), "list", name, src, n)
			return
		}
		if len(items) == 0 {
			l.warnAt("LOAD_APPEND_NO_VALUES", fmt.Sprintf("List '%s' is appended or overridden with no items", name), "list", name, src, itemsNode)
		}
		if appendItems {
			prev.items = append(prev.items, items...)
		} else {
			prev.items = items
		}
		return
	}
	if !exists {
		l.listOrder = append(l.listOrder, name)
	}
	l.lists[name] = &listDef{name: name, items: items, src: src, line: n.Line, col: n.Column}
}

func (l *loader) conditionSegment(src *source, n *yaml.Node, kind, name string) (segment, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'condition' must be a string", kind, name, src, n)
		return segment{}, false
	}
	return segment{text: n.Value, src: src, pos: newScalarMap(n, src.lines)}, true
}

func (l *loader) loadMacro(src *source, n *yaml.Node, name string, vals map[string]*yaml.Node, combine, appendCond bool) {
	if !nameRe.MatchString(name) {
		l.warnAt("LOAD_INVALID_MACRO_NAME", fmt.Sprintf("Macro name '%s' is not a valid identifier: conditions cannot refer to it", name), "macro", name, src, vals["macro"])
	}
	condNode, ok := vals["condition"]
	if !ok {
		if !combine {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'condition'", "macro", name, src, n)
		}
		return
	}
	seg, ok := l.conditionSegment(src, condNode, "macro", name)
	if !ok {
		return
	}
	prev, exists := l.macros[name]
	if combine {
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Macro '%s' has 'append' or 'override' but no macro by that name was defined before", name), "macro", name, src, n)
			return
		}
		if prev.external {
			return // appending to a default macro: its body is not here to combine with
		}
		if appendCond {
			prev.segs = append(prev.segs, seg)
		} else {
			prev.segs = []segment{seg}
		}
		return
	}
	if !exists {
		l.macroOrd = append(l.macroOrd, name)
	}
	l.macros[name] = &macroDef{name: name, segs: []segment{seg}, src: src, line: n.Line, col: n.Column}
}

func (l *loader) loadRule(src *source, n *yaml.Node, name string, vals, keys map[string]*yaml.Node, combine, appendAll bool, mode map[string]string) {
	prev, exists := l.rules[name]
	enabledOnly := len(vals) == 2 && vals["enabled"] != nil
	if enabledOnly && !combine {
		// {rule: X, enabled: false} switches an existing rule on or off.
		b, ok := boolValue(vals["enabled"])
		if !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'enabled' must be a boolean", "rule", name, src, vals["enabled"])
			return
		}
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Rule '%s' only sets 'enabled' but no rule by that name was defined before", name), "rule", name, src, n)
			return
		}
		prev.enabled = b
		return
	}
	if combine {
		if !exists {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Rule '%s' has 'append' or 'override' but no rule by that name was defined before", name), "rule", name, src, n)
			return
		}
		l.combineRule(src, prev, name, vals, keys, appendAll, mode)
		return
	}

	r := &ruleDef{name: name, src: src, line: n.Line, col: n.Column, enabled: true, source: "syscall"}
	for _, k := range []string{"condition", "output", "desc", "priority"} {
		if _, ok := vals[k]; !ok {
			l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Item has no mapping for key '%s'", k), "rule", name, src, n)
			return
		}
	}
	if !l.setRuleFields(src, r, vals, false) {
		return
	}
	if !exists {
		l.ruleOrder = append(l.ruleOrder, name)
	}
	l.rules[name] = r
}

// setRuleFields reads the rule keys present in vals into r; with appending, text and lists are added to.
func (l *loader) setRuleFields(src *source, r *ruleDef, vals map[string]*yaml.Node, appending bool) bool {
	name := r.name
	if c, ok := vals["condition"]; ok {
		seg, ok := l.conditionSegment(src, c, "rule", name)
		if !ok {
			return false
		}
		if appending {
			r.segs = append(r.segs, seg)
		} else {
			r.segs = []segment{seg}
		}
		r.hasCondition = true
	}
	if o, ok := vals["output"]; ok {
		s, ok := l.stringValue(src, o, "output", "rule", name)
		if !ok {
			return false
		}
		if appending {
			r.output += " " + s
		} else {
			r.output, r.outputMap, r.outputSrc = s, newScalarMap(o, src.lines), src
		}
	}
	if d, ok := vals["desc"]; ok {
		s, ok := l.stringValue(src, d, "desc", "rule", name)
		if !ok {
			return false
		}
		r.desc = s
	}
	if p, ok := vals["priority"]; ok {
		s, ok := l.stringValue(src, p, "priority", "rule", name)
		if !ok {
			return false
		}
		canonical, known := priorities[strings.ToLower(strings.TrimSpace(s))]
		if !known {
			l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Invalid priority level: %s (use one of emergency, alert, critical, error, warning, notice, informational, debug)", s), "rule", name, src, p)
			return false
		}
		r.priority = canonical
	}
	if s, ok := vals["source"]; ok {
		v, ok := l.stringValue(src, s, "source", "rule", name)
		if !ok {
			return false
		}
		r.source = v
		if !l.cat.KnownSource(v) {
			l.warnAt("LOAD_UNKNOWN_SOURCE", fmt.Sprintf("Unknown source %s, skipping", v), "rule", name, src, s)
		}
	}
	if t, ok := vals["tags"]; ok {
		tags, ok := l.stringList(src, t, "tags", "rule", name)
		if !ok {
			return false
		}
		if appending {
			r.tags = append(r.tags, tags...)
		} else {
			r.tags = tags
		}
	}
	if !l.ruleBool(src, vals, "enabled", name, &r.enabled) || !l.ruleBool(src, vals, "skip-if-unknown-filter", name, &r.skipUnknown) {
		return false
	}
	if e, ok := vals["exceptions"]; ok {
		exs, ok := l.loadExceptions(src, e, r, appending)
		if !ok {
			return false
		}
		if appending {
			r.exceptions = mergeExceptions(r.exceptions, exs)
		} else {
			r.exceptions = exs
		}
	}
	return true
}

// ruleBool reads the rule's boolean key into dst when the key is there; false (after an error) when it is not a boolean.
func (l *loader) ruleBool(src *source, vals map[string]*yaml.Node, key, name string, dst *bool) bool {
	v, ok := vals[key]
	if !ok {
		return true
	}
	b, ok := boolValue(v)
	if !ok {
		l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Value for key '%s' must be a boolean", key), "rule", name, src, v)
		return false
	}
	*dst = b
	return true
}

func (l *loader) combineRule(src *source, r *ruleDef, name string, vals, keys map[string]*yaml.Node, appendAll bool, mode map[string]string) {
	if r.external {
		// A default rule's body is not here: replaced settings show in the effective ruleset, appends cannot.
		replaced := map[string]*yaml.Node{}
		for _, k := range []string{"priority", "enabled", "tags", "source", "desc"} {
			if mode[k] == "replace" {
				replaced[k] = vals[k]
			}
		}
		l.setRuleFields(src, r, replaced, false)
		return
	}
	if appendAll {
		for k := range vals {
			if k != "rule" && k != "append" && k != "condition" && k != "exceptions" && k != "output" && k != "desc" && k != "tags" {
				l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Key '%s' cannot be appended with 'append: true'", k), "rule", name, src, keys[k])
				return
			}
		}
		l.setRuleFields(src, r, vals, true)
		return
	}
	appendVals, replaceVals := map[string]*yaml.Node{}, map[string]*yaml.Node{}
	for k, how := range mode {
		if how == "append" {
			appendVals[k] = vals[k]
		} else {
			replaceVals[k] = vals[k]
		}
	}
	if l.setRuleFields(src, r, replaceVals, false) {
		l.setRuleFields(src, r, appendVals, true)
	}
}

func mergeExceptions(old, add []exceptionDef) []exceptionDef {
	for _, a := range add {
		merged := false
		for i := range old {
			if old[i].name == a.name {
				old[i].values = append(old[i].values, a.values...)
				merged = true
			}
		}
		if !merged {
			old = append(old, a)
		}
	}
	return old
}
