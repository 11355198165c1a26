// Command rules-catalog is a dev tool: it turns the Falco field and operator facts (../shared/corpus/falco-fields)
// and the default ruleset (falco_rules.yaml) into the project's own compact catalog, pkg/rules/catalog/catalog.json,
// which the backend embeds. It lives outside pkg/ because it reads and writes files and never ships.
//
//	go generate ./pkg/rules/catalog            (or npm run generate:catalog)
//	go run ./scripts/rules-catalog -check      (fails when the committed catalog is stale)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "folder holding falco-fields/ and falco-rules/")
	out := flag.String("out", "pkg/rules/catalog/catalog.json", "where to write the catalog")
	check := flag.Bool("check", false, "do not write: fail when the file differs from what would be generated")
	flag.Parse()
	b, err := Generate(*corpus)
	if err != nil {
		fail(err)
	}
	if *check {
		got, err := os.ReadFile(*out)
		if err != nil {
			fail(err)
		}
		if !bytes.Equal(got, b) {
			fail(fmt.Errorf("%s is stale: run npm run generate:catalog", *out))
		}
		return
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "rules-catalog:", err)
	os.Exit(1)
}
