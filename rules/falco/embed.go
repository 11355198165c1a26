// Package falcorules embeds the custom Falco rules the app ships, so the datasource can offer them to the editor.
package falcorules

import (
	"embed"
	"io/fs"
	"sort"

	"github.com/containersec/container-security/pkg/rules"
)

//go:embed *.yaml
var shipped embed.FS

// Files returns the shipped rules files sorted by name, in the order they would be loaded.
func Files() []rules.File {
	names, err := fs.Glob(shipped, "*.yaml")
	if err != nil {
		panic(err) // the pattern is constant; Glob fails only on a malformed pattern
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
