package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

type corpusField struct {
	Name        string  `json:"name"`
	Type        string  `json:"type"`
	Arg         string  `json:"arg"`
	ArgKind     *string `json:"arg_kind"`
	ArgSyntax   *string `json:"arg_syntax"`
	EventSource string  `json:"event_source"`
	Plugin      *string `json:"plugin"`
	Deprecated  bool    `json:"deprecated"`
}

type corpusOperators struct {
	Comparison []struct {
		Operator string `json:"operator"`
		Kind     string `json:"kind"`
	} `json:"comparison_operators"`
	Modifiers []struct {
		Operator string `json:"operator"`
	} `json:"operator_modifiers"`
	Transformers []struct {
		Name string `json:"name"`
	} `json:"field_transformers"`
	RHS []struct {
		Name string `json:"name"`
	} `json:"rhs_transformers"`
}

// Generate builds catalog.json from the corpus facts; the output is deterministic so a stale file shows in a diff.
func Generate(corpus string) ([]byte, error) {
	var fieldsDoc struct {
		Fields []corpusField `json:"fields"`
	}
	if err := readJSON(filepath.Join(corpus, "falco-fields", "fields.json"), &fieldsDoc); err != nil {
		return nil, err
	}
	var ops corpusOperators
	if err := readJSON(filepath.Join(corpus, "falco-fields", "operators.json"), &ops); err != nil {
		return nil, err
	}

	c := catalog.Catalog{}
	sources := map[string]bool{}
	for _, f := range fieldsDoc.Fields {
		out := catalog.Field{Name: f.Name, Type: f.Type, Arg: f.Arg, Source: f.EventSource, Deprecated: f.Deprecated}
		if f.ArgKind != nil {
			out.ArgKind = *f.ArgKind
		}
		// "evt.arg.<name>" in the argument syntax means the argument may follow a dot.
		if f.ArgSyntax != nil && strings.Contains(*f.ArgSyntax, f.Name+".<") {
			out.DotArg = true
		}
		if f.Plugin != nil {
			out.Plugin = *f.Plugin
		}
		if f.EventSource != "*" {
			sources[f.EventSource] = true
		}
		c.Fields = append(c.Fields, out)
	}
	sort.Slice(c.Fields, func(i, j int) bool { return c.Fields[i].Name < c.Fields[j].Name })
	for s := range sources {
		c.Sources = append(c.Sources, s)
	}
	sort.Strings(c.Sources)
	for _, o := range ops.Comparison {
		c.Operators = append(c.Operators, catalog.Operator{Op: o.Operator, Kind: o.Kind})
	}
	// "==" is an alias of "=" in the parser.
	c.Operators = append(c.Operators, catalog.Operator{Op: "==", Kind: "string/equality"})
	for _, m := range ops.Modifiers {
		c.Modifiers = append(c.Modifiers, m.Operator)
	}
	for _, t := range ops.Transformers {
		c.Transformers = append(c.Transformers, t.Name)
	}
	for _, t := range ops.RHS {
		c.RHSTransformers = append(c.RHSTransformers, t.Name)
	}

	defaults, err := defaultNames(filepath.Join(corpus, "falco-rules", "falco_rules.yaml"))
	if err != nil {
		return nil, err
	}
	c.Defaults = defaults

	c.EventNamesFrom, c.EventNames, err = parseEventNames(libsEventNames)
	if err != nil {
		return nil, err
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func defaultNames(path string) (catalog.Defaults, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return catalog.Defaults{}, err
	}
	var items []map[string]any
	if err := yaml.Unmarshal(b, &items); err != nil {
		return catalog.Defaults{}, fmt.Errorf("%s: %w", path, err)
	}
	seen := map[string]map[string]bool{"rule": {}, "macro": {}, "list": {}}
	var d catalog.Defaults
	for _, it := range items {
		for kind, dst := range map[string]*[]string{"rule": &d.Rules, "macro": &d.Macros, "list": &d.Lists} {
			if name, ok := it[kind].(string); ok && !seen[kind][name] {
				seen[kind][name] = true
				*dst = append(*dst, name)
			}
		}
	}
	sort.Strings(d.Rules)
	sort.Strings(d.Macros)
	sort.Strings(d.Lists)
	return d, nil
}

// GenerateDefaults turns a Falco default ruleset (falco_rules.yaml) into the facts the validator loads before the
// user's files: every list, macro and rule item as Falco reads it (condition, output, priority, source, tags,
// exceptions), in file order, with the Falco version it ships with and the engine version it requires. The items
// are kept as data, not as a copy of the file: comments and layout are dropped, keys are sorted.
func GenerateDefaults(rulesPath, falcoVersion, rulesRef string) ([]byte, error) {
	b, err := os.ReadFile(rulesPath)
	if err != nil {
		return nil, err
	}
	var items []map[string]any
	if err := yaml.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("%s: %w", rulesPath, err)
	}
	facts := catalog.RulesetFacts{FalcoVersion: falcoVersion, Rules: rulesRef}
	var kept []map[string]any
	for _, it := range items {
		switch {
		case it["required_engine_version"] != nil:
			facts.EngineVersion = fmt.Sprint(it["required_engine_version"])
		case it["required_plugin_versions"] != nil:
			continue
		case it["rule"] != nil || it["macro"] != nil || it["list"] != nil:
			kept = append(kept, it)
		}
	}
	if facts.EngineVersion == "" {
		return nil, fmt.Errorf("%s has no required_engine_version", rulesPath)
	}
	raw, err := json.Marshal(kept)
	if err != nil {
		return nil, err
	}
	facts.Items = raw
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	if err := enc.Encode(facts); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// chartFalcoVersion reads the Falco version (appVersion) of the corpus's Falco chart, which ships the ruleset.
func chartFalcoVersion(corpus string) (string, error) {
	b, err := os.ReadFile(filepath.Join(corpus, "charts", "falco", "Chart.yaml"))
	if err != nil {
		return "", err
	}
	var chart struct {
		AppVersion string `yaml:"appVersion"`
	}
	if err := yaml.Unmarshal(b, &chart); err != nil || chart.AppVersion == "" {
		return "", fmt.Errorf("the Falco chart has no appVersion: %v", err)
	}
	return chart.AppVersion, nil
}

// libsEventNames is the list of event and syscall names transcribed from the falcosecurity/libs sources (see the
// file's header for the files and commit).
//
//go:embed libs-event-names.txt
var libsEventNames string

// parseEventNames reads libs-event-names.txt: '#' comments, one "source ..." line, then an [event_table] and a
// [ppm_sc] section with one name a line. It returns the source and the names, sorted and distinct.
func parseEventNames(text string) (string, []string, error) {
	source, section := "", ""
	counts := map[string]int{}
	seen := map[string]bool{}
	var names []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "source "):
			source = strings.TrimPrefix(line, "source ")
		case line == "[event_table]" || line == "[ppm_sc]":
			section = line
		case section == "" || strings.ContainsAny(line, " \t[]"):
			return "", nil, fmt.Errorf("libs-event-names.txt:%d: %q is not a name in a section", n, line)
		default:
			counts[section]++
			if !seen[line] {
				seen[line] = true
				names = append(names, line)
			}
		}
	}
	if source == "" || counts["[event_table]"] == 0 || counts["[ppm_sc]"] == 0 {
		return "", nil, fmt.Errorf("libs-event-names.txt needs a source line and names in [event_table] and [ppm_sc]")
	}
	sort.Strings(names)
	return source, names, nil
}
