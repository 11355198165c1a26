// Command gen turns the Falco field and operator facts (../shared/corpus/falco-fields) and the names the default
// ruleset defines (falco_rules.yaml) into the project's own compact catalog, catalog.json.
//
//	go run ./pkg/rules/catalog/gen -corpus ../shared/corpus -out pkg/rules/catalog/catalog.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "folder holding falco-fields/ and falco-rules/")
	out := flag.String("out", "pkg/rules/catalog/catalog.json", "where to write the catalog")
	flag.Parse()
	b, err := catalog.Generate(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
