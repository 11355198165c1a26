package rules

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// base is a default ruleset loaded from its facts once per process: its lists, macros and rules as Falco loads
// them, with their conditions parsed. Every validation starts from a copy of it, so loading and parsing the
// defaults is paid once, and the user's appends and overrides apply to the real items.
type base struct {
	src       *source
	l         *loader
	macroASTs map[string]*compiled // nil entry: the macro does not parse (never the case for Falco's own rules)
	ruleASTs  map[string]*compiled
}

var bases sync.Map // *catalog.RulesetFacts -> *base

func baseFor(f *catalog.RulesetFacts) *base {
	if b, ok := bases.Load(f); ok {
		return b.(*base)
	}
	b, _ := bases.LoadOrStore(f, buildBase(f))
	return b.(*base)
}

func buildBase(f *catalog.RulesetFacts) *base {
	src := &source{name: DefaultsFile, defaults: true, lines: splitLines(string(f.Items))}
	l := newLoader()
	var root yaml.Node
	if err := yaml.Unmarshal(f.Items, &root); err != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.SequenceNode {
		panic(fmt.Sprintf("the embedded default ruleset of Falco %s is not a list of items: %v", f.FalcoVersion, err))
	}
	for _, item := range root.Content[0].Content {
		l.loadItem(src, item)
	}
	b := &base{src: src, l: l, macroASTs: map[string]*compiled{}, ruleASTs: map[string]*compiled{}}
	for name, m := range l.macros {
		b.macroASTs[name], _ = parseSegments(m.segs)
	}
	for name, r := range l.rules {
		b.ruleASTs[name], _ = parseSegments(r.segs)
	}
	return b
}

// cloneBase makes the loader start from the default ruleset: copies of its items, whose slices are clipped so
// that appends never write into the shared base.
func (l *loader) cloneBase(b *base) {
	l.base = b
	for name, li := range b.l.lists {
		c := *li
		c.items = clip(li.items)
		l.lists[name] = &c
	}
	for name, m := range b.l.macros {
		c := *m
		c.segs = clip(m.segs)
		l.macros[name] = &c
	}
	for name, r := range b.l.rules {
		c := *r
		c.segs, c.outSegs, c.tags = clip(r.segs), clip(r.outSegs), clip(r.tags)
		c.exceptions = append([]exceptionDef(nil), r.exceptions...)
		for i := range c.exceptions {
			c.exceptions[i].rows = clip(c.exceptions[i].rows)
		}
		l.rules[name] = &c
	}
	l.listOrder = clip(b.l.listOrder)
	l.macroOrd = clip(b.l.macroOrd)
	l.itemIndex = b.l.itemIndex
	l.ruleOrder = clip(b.l.ruleOrder)
}

func clip[T any](s []T) []T { return s[:len(s):len(s)] }

// loadEngineVersion reads required_engine_version as rule_loader_reader.cpp read_item does (a number is the
// legacy form: minor version N means 0.N.0, get_implicit_engine_version) and refuses a version above the
// target engine's, as rule_loader_collector.cpp define(engine_version_info) does.
func (l *loader) loadEngineVersion(src *source, item, v *yaml.Node) {
	if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
		l.errAt("LOAD_ERR_YAML_VALIDATE", "Value for key 'required_engine_version' must be a version such as 0.57.0", "required_engine_version", "", src, v)
		return
	}
	want := v.Value
	if n, err := strconv.ParseUint(want, 10, 32); err == nil {
		want = fmt.Sprintf("0.%d.0", n)
	} else if !versionRe.MatchString(want) {
		l.errAt("LOAD_ERR_YAML_VALIDATE", fmt.Sprintf("Unable to parse engine version '%s' as a semver string. Expected \"x.y.z\" semver format.", v.Value), "required_engine_version", "", src, v)
		return
	}
	if l.engine != "" && catalog.CompareVersions(want, l.engine) > 0 {
		l.errAt("LOAD_ERR_VALIDATE", fmt.Sprintf("Rules require engine version %s, but engine version is %s", want, l.engine), "required_engine_version", "", src, item)
	}
}
