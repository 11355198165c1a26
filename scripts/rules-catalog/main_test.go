package main

import (
	"bytes"
	"os"
	"testing"
)

// The committed catalog.json must be what the generator makes from the corpus today (CI's staleness check).
func TestCatalogIsFresh(t *testing.T) {
	want, err := Generate("../../../shared/corpus")
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	got, err := os.ReadFile("../../pkg/rules/catalog/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("pkg/rules/catalog/catalog.json is stale: run npm run generate:catalog (or go generate ./pkg/rules/catalog)")
	}
}
