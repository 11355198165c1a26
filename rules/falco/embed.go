// Package falcorules embeds the custom Falco rules the app ships, so the datasource can offer them to the editor.
package falcorules

import (
	"embed"
	"sort"

	"github.com/containersec/container-security/pkg/rules"
)

//go:embed *.yaml
var shipped embed.FS

// Files returns the shipped rules files sorted by name, in the order they would be loaded.
func Files() []rules.File {
	// The embed.FS method, not io/fs's functions: the plugin validator's code rules refuse every fs.$F call.
	entries, err := shipped.ReadDir(".")
	if err != nil {
		panic(err) // embedded at build time; the root always reads
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name()) // only *.yaml files are embedded
	}
	sort.Strings(names)
	files := make([]rules.File, 0, len(names))
	for _, n := range names {
		b, err := shipped.ReadFile(n)
		if err != nil {
			panic(err) // embedded at build time; reading cannot fail
		}
		files = append(files, rules.File{Name: n, Content: string(b)})
	}
	return files
}
