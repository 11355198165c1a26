package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A small module laid out like the plugin: what is linked, what sits under pkg/, what is a test, what is allowed.
func TestFindsFileSystemAccessWhereTheValidatorLooks(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"go.mod": "module example.com/plug\n\ngo 1.26\n",
		"pkg/main.go": `package main

import (
	"example.com/plug/lib"
	"example.com/plug/pkg/clean"
	"example.com/plug/pkg/events/sqlitestore"
)

func main() { lib.Use(); clean.Use(nil); sqlitestore.Use() }
`,
		// The one allowed file.
		"pkg/events/sqlitestore/file.go": "package sqlitestore\n\nimport \"os\"\n\nfunc Use() { _ = os.MkdirAll(\"d\", 0o750); _, _ = os.Stat(\"d\") }\n",
		// Linked from outside pkg/, under another import name, as a function value: still caught.
		"lib/lib.go": "package lib\n\nimport xos \"os\"\n\nvar open = xos.Open\n\nfunc Use() { _, _ = open(\"x\") }\n",
		// Methods of *os.File and path arithmetic are not file-system calls; filepath.Glob is.
		"pkg/clean/clean.go": "package clean\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n)\n\nfunc Use(f *os.File) { _ = f.Close(); _ = filepath.Join(\"a\", \"b\"); _, _ = filepath.Glob(\"*\") }\n",
		// Another platform's file: checked by its imports.
		"pkg/clean/clean_windows.go": "package clean\n\nimport \"syscall\"\n\nvar pageSize = syscall.Getpagesize()\n",
		// A helper under pkg/ the binary never links: the validator scans it anyway.
		"pkg/helper/helper.go": "package helper\n\nimport \"os\"\n\nfunc Dir() string { d, _ := os.Getwd(); return d }\n",
		// Tests and code outside pkg/ that the binary does not link are not the plugin's.
		"pkg/clean/clean_test.go": "package clean\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestX(t *testing.T) { _, _ = os.Open(\"x\") }\n",
		"scripts/tool/tool.go":    "package main\n\nimport \"os\"\n\nfunc main() { _, _ = os.Open(\"x\") }\n",
	})
	got, err := check(root, "./pkg", "pkg/events/sqlitestore/file.go", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"lib/lib.go:5:16: os.Open is file-system access",
		"pkg/clean/clean.go:8:84: filepath.Glob is file-system access",
		"pkg/clean/clean_windows.go:5:24: syscall.Getpagesize is file-system access",
		"pkg/helper/helper.go:5:32: os.Getwd is file-system access",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The real plugin: a copy of the repository's Go code with an os.Open planted in pkg/ fails with exactly that line
// added to what the copy reports without it.
func TestCatchesAnOsOpenPlantedInACopyOfThePlugin(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	copyDir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", "pkg", "rules"} {
		if out, err := exec.Command("cp", "-a", filepath.Join(repo, name), copyDir).CombinedOutput(); err != nil {
			t.Fatalf("copy %s: %v %s", name, err, out)
		}
	}
	before, err := check(copyDir, "./pkg", "pkg/events/sqlitestore/file.go", "arrow_json_stdlib")
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, copyDir, map[string]string{
		"pkg/rules/planted.go": "package rules\n\nimport \"os\"\n\nfunc planted() { f, _ := os.Open(\"/etc/passwd\"); _ = f.Close() }\n",
	})
	after, err := check(copyDir, "./pkg", "pkg/events/sqlitestore/file.go", "arrow_json_stdlib")
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{}, before...)
	want = append(want, "pkg/rules/planted.go:5:29: os.Open is file-system access")
	if len(after) != len(before)+1 || !strings.Contains(strings.Join(after, "\n"), want[len(want)-1]) {
		t.Fatalf("before:\n%s\nafter planting:\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
	for _, f := range after {
		if strings.HasPrefix(f, "pkg/events/sqlitestore/file.go:") {
			t.Fatalf("the event store's file.go is allowed: %s", f)
		}
	}
}
