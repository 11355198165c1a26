package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

const corpus = "../../../shared/corpus"

// The committed catalog.json and default ruleset facts must be what the generator makes from the corpus today
// (CI's staleness check).
func TestCatalogIsFresh(t *testing.T) {
	want, err := Generate(corpus)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if got, err := os.ReadFile("../../pkg/rules/catalog/catalog.json"); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("pkg/rules/catalog/catalog.json is stale (%v): run npm run generate:catalog (or go generate ./pkg/rules/catalog)", err)
	}
	version, err := chartFalcoVersion(corpus)
	if err != nil {
		t.Fatal(err)
	}
	want, err = GenerateDefaults(filepath.Join(corpus, "falco-rules", "falco_rules.yaml"), version, "falcosecurity/rules falco_rules.yaml, commit c72713ee2e63 (Apache-2.0)")
	if err != nil {
		t.Fatal(err)
	}
	path := "../../pkg/rules/catalog/defaults/falco-" + version + ".json"
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is stale (%v): run npm run generate:catalog", path, err)
	}
}

// A default ruleset without required_engine_version cannot say which Falco it needs: refuse it.
func TestGenerateDefaultsNeedsEngineVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte("- list: a\n  items: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateDefaults(path, "0.1.0", "test"); err == nil {
		t.Fatal("a ruleset without required_engine_version must be refused")
	}
}

// The transcribed names file is checked as it is read: names outside a section, names with spaces, a missing
// source or an empty section are refused rather than embedded.
func TestParseEventNames(t *testing.T) {
	src, names, err := parseEventNames("# c\nsource x@1\n[event_table]\nopen\nNA\n[ppm_sc]\nopen\n_llseek\n")
	if err != nil || src != "x@1" || len(names) != 3 || names[0] != "NA" || names[2] != "open" {
		t.Fatalf("got %q %v %v", src, names, err)
	}
	for _, bad := range []string{
		"source x\nopen\n[event_table]\nopen\n[ppm_sc]\nopen\n",
		"source x\n[event_table]\nop en\n[ppm_sc]\nopen\n",
		"[event_table]\nopen\n[ppm_sc]\nopen\n",
		"source x\n[event_table]\nopen\n",
	} {
		if _, _, err := parseEventNames(bad); err == nil {
			t.Errorf("%q must be refused", bad)
		}
	}
	if _, names, err := parseEventNames(libsEventNames); err != nil || len(names) < 400 {
		t.Fatalf("the embedded list: %d names, %v", len(names), err)
	}
}
