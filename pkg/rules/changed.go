package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"

	"gopkg.in/yaml.v3"
)

// ChangedRules names the rules whose items differ between two sets of rules files: a rule item (a definition, an
// append or an override) added, removed or edited under that rule's name. Comments and formatting do not count.
// A change to a macro or list is not attributed to the rules that use it. Files are read in name order, as Falco
// reads rules.d (the Falco chart mounts customRules there).
func ChangedRules(before, after []File) ([]string, error) {
	a, err := ruleItems(before)
	if err != nil {
		return nil, err
	}
	b, err := ruleItems(after)
	if err != nil {
		return nil, err
	}
	changed := []string{}
	for name, items := range b {
		if !equalItems(a[name], items) {
			changed = append(changed, name)
		}
	}
	for name := range a {
		if _, ok := b[name]; !ok {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed, nil
}

func equalItems(x, y []string) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// ruleItems maps each rule name to its items, in load order, each re-encoded without comments or layout.
func ruleItems(files []File) (map[string][]string, error) {
	sorted := append([]File(nil), files...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	out := map[string][]string{}
	for _, f := range sorted {
		dec := yaml.NewDecoder(bytes.NewReader([]byte(f.Content)))
		for {
			var doc []map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
			for _, item := range doc {
				name, ok := item["rule"].(string)
				if !ok {
					continue
				}
				// yaml.v3 writes map keys sorted: equal items encode equally whatever their key order.
				enc, err := yaml.Marshal(item)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", f.Name, err)
				}
				out[name] = append(out[name], string(enc))
			}
		}
	}
	return out, nil
}
