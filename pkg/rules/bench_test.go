package rules

import (
	"os"
	"testing"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

// BenchmarkValidateCorpus loads and fully validates the four official rulesets: the editor's worst case.
// go test -run '^$' -bench ValidateCorpus -benchmem -count 5 ./pkg/rules/
func BenchmarkValidateCorpus(b *testing.B) {
	files := loadCorpus(b)
	b.ReportAllocs()
	for b.Loop() {
		if res := Validate(files, Options{}); res.Errors() != 0 {
			b.Fatal("the corpus must validate without errors")
		}
	}
}

// BenchmarkValidateCustomFile validates one small custom file after the embedded defaults: the editor's common case.
func BenchmarkValidateCustomFile(b *testing.B) {
	content, err := os.ReadFile(shippedRules)
	if err != nil {
		b.Fatal(err)
	}
	files := []File{{Name: "containersec_rules.yaml", Content: string(content)}}
	opts := Options{Defaults: &catalog.Get().Defaults}
	b.ReportAllocs()
	for b.Loop() {
		if res := Validate(files, opts); len(res.Diagnostics) != 0 {
			b.Fatal("the shipped rules must validate cleanly")
		}
	}
}
