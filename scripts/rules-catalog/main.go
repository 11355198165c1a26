// Command rules-catalog is a dev tool: it turns the Falco field and operator facts (../shared/corpus/falco-fields)
// and the default ruleset (falco_rules.yaml) into the project's own compact catalog, pkg/rules/catalog/catalog.json,
// which the backend embeds. It lives outside pkg/ because it reads and writes files and never ships.
//
//	go generate ./pkg/rules/catalog            (or npm run generate:catalog)
//	go run ./scripts/rules-catalog -check      (fails when the committed catalog is stale)
//
// Adding the default ruleset of another Falco release is one command; the validator then offers that version:
//
//	go run ./scripts/rules-catalog -rules path/to/falco_rules.yaml -falco-version 0.45.0 -rules-ref "falcosecurity/rules@<commit>"
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "folder holding falco-fields/ and falco-rules/")
	out := flag.String("out", "pkg/rules/catalog/catalog.json", "where to write the catalog")
	defaultsDir := flag.String("defaults-dir", "pkg/rules/catalog/defaults", "where the default rulesets' facts go (falco-<version>.json)")
	rules := flag.String("rules", "", "add another default ruleset: the falco_rules.yaml of a Falco release (only its facts are written)")
	falcoVersion := flag.String("falco-version", "", "with -rules: the Falco release that ships it")
	rulesRef := flag.String("rules-ref", "falcosecurity/rules falco_rules.yaml, commit c72713ee2e63 (Apache-2.0)", "where the ruleset comes from")
	check := flag.Bool("check", false, "do not write: fail when a file differs from what would be generated")
	flag.Parse()

	outputs := map[string][]byte{}
	if *rules == "" {
		b, err := Generate(*corpus)
		if err != nil {
			fail(err)
		}
		outputs[*out] = b
		v, err := chartFalcoVersion(*corpus)
		if err != nil {
			fail(err)
		}
		*rules, *falcoVersion = filepath.Join(*corpus, "falco-rules", "falco_rules.yaml"), v
	} else if *falcoVersion == "" {
		fail(fmt.Errorf("-rules needs -falco-version: the Falco release that ships the ruleset"))
	}
	b, err := GenerateDefaults(*rules, *falcoVersion, *rulesRef)
	if err != nil {
		fail(err)
	}
	outputs[filepath.Join(*defaultsDir, "falco-"+*falcoVersion+".json")] = b
	for path, b := range outputs {
		if *check {
			got, err := os.ReadFile(path)
			if err != nil {
				fail(err)
			}
			if !bytes.Equal(got, b) {
				fail(fmt.Errorf("%s is stale: run npm run generate:catalog", path))
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rules-catalog:", err)
	os.Exit(1)
}
