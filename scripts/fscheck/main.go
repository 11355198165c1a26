// Command fscheck fails when backend code linked into the plugin binary touches the file system outside the one
// place allowed: the SQLite event store's file handling (pkg/events/sqlitestore/file.go). Grafana's plugin
// validator refuses such calls (code-rules, "It is not permitted to access the file system"); this check runs in
// scripts/test.sh so a new one fails here first.
//
//	go run . [-root DIR] [-main ./pkg] [-allow pkg/events/sqlitestore/file.go]
//
// It loads the plugin's main package with its dependencies, keeps the packages of this repository's module (pkg/
// and anything else the binary links from the repository), and checks every non-test Go file of them: the files
// of the linux/amd64 build with type information (an aliased import or a function value is still caught), and
// files other platforms build (build constraints) by their imports, as it does any other non-test file under pkg/
// (the validator scans that tree whether the binary links a file or not). Exit status: 0 clean, 1 findings, 2 the code
// could not be loaded.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

func main() {
	root := flag.String("root", ".", "the repository (where go.mod is)")
	mainPkg := flag.String("main", "./pkg", "the plugin binary's main package")
	allow := flag.String("allow", "pkg/events/sqlitestore/file.go", "the one file (relative to root) that may use the file system")
	tags := flag.String("tags", "arrow_json_stdlib", "build tags of the plugin build (grafana-plugin-sdk-go build)")
	flag.Parse()
	findings, err := check(*root, *mainPkg, *allow, *tags)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fscheck: %v\n", err)
		os.Exit(2)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if len(findings) > 0 {
		fmt.Printf("fscheck: %d file-system access(es) outside %s: the plugin validator refuses them (move the code, or keep files in memory)\n", len(findings), *allow)
		os.Exit(1)
	}
	fmt.Printf("fscheck: no file-system access in the plugin's code outside %s\n", *allow)
}

// check returns one line per forbidden reference, sorted: "file:line:col: os.Open is file-system access".
func check(root, mainPkg, allow, tags string) ([]string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	allowed := filepath.Join(root, filepath.FromSlash(allow))
	env := append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0")
	// First the import graph of the binary, to find this module's packages in it (pkg/ and anything else linked).
	graph, err := packages.Load(&packages.Config{Dir: root, Env: env, BuildFlags: []string{"-tags", tags},
		Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps | packages.NeedModule}, mainPkg)
	if err != nil {
		return nil, err
	}
	var own []string
	packages.Visit(graph, nil, func(p *packages.Package) {
		if p.Module != nil && p.Module.Main {
			own = append(own, p.PkgPath)
		}
	})
	if len(own) == 0 {
		return nil, fmt.Errorf("%s links no package of the module in %s", mainPkg, root)
	}
	// Then those packages with types; their dependencies come from export data, not parsed again.
	roots, err := packages.Load(&packages.Config{Dir: root, Env: env, BuildFlags: []string{"-tags", tags},
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedModule | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo}, own...)
	if err != nil {
		return nil, err
	}
	var out []string
	var loadErrs []string
	seen := map[string]bool{}
	for _, p := range roots {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
		for _, f := range p.Syntax {
			if f == nil {
				continue
			}
			name := p.Fset.File(f.Pos()).Name()
			if name == allowed {
				seen[name] = true
				continue
			}
			seen[name] = true
			out = append(out, typedFindings(p.Fset, f, p.TypesInfo)...)
		}
		// Files other platforms build are checked by their imports.
		for _, name := range p.IgnoredFiles {
			if seen[name] || name == allowed || strings.HasSuffix(name, "_test.go") || !strings.HasSuffix(name, ".go") {
				continue
			}
			seen[name] = true
			fs, err := syntaxFindings(name)
			if err != nil {
				loadErrs = append(loadErrs, err.Error())
			}
			out = append(out, fs...)
		}
	}
	// Grafana's validator reads the source tree, not the binary: every other non-test file under pkg/ counts too
	// (a test helper there is flagged even though the plugin never links it).
	_ = filepath.WalkDir(filepath.Join(root, "pkg"), func(name string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || seen[name] || name == allowed || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return err
		}
		seen[name] = true
		fs, perr := syntaxFindings(name)
		if perr != nil {
			loadErrs = append(loadErrs, perr.Error())
		}
		out = append(out, fs...)
		return nil
	})
	if len(loadErrs) > 0 {
		return nil, fmt.Errorf("the plugin's packages do not load:\n  %s", strings.Join(loadErrs, "\n  "))
	}
	for i, line := range out {
		if rel, err := filepath.Rel(root, line[:strings.Index(line, ":")]); err == nil {
			out[i] = filepath.ToSlash(rel) + line[strings.Index(line, ":"):]
		}
	}
	sort.Strings(out)
	return out, nil
}

// typedFindings reports every identifier that refers to a forbidden function, whatever the import's name.
func typedFindings(fset *token.FileSet, f *ast.File, info *types.Info) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		fn, ok := info.Uses[id].(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Type().(*types.Signature).Recv() != nil || !isForbidden(fn.Pkg().Path(), fn.Name()) {
			return true
		}
		out = append(out, finding(fset.Position(id.Pos()), fn.Pkg().Path(), fn.Name()))
		return true
	})
	return out
}

// syntaxFindings checks a file without type information: a selector on an import's name.
func syntaxFindings(name string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	imports := map[string]string{} // local name -> import path
	var out []string
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		local := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			local = spec.Name.Name
		}
		if _, fsPkg := forbidden[path]; local == "." && fsPkg {
			out = append(out, finding(fset.Position(spec.Pos()), path, "(dot import)"))
		}
		imports[local] = path
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && isForbidden(imports[x.Name], sel.Sel.Name) {
			out = append(out, finding(fset.Position(sel.Sel.Pos()), imports[x.Name], sel.Sel.Name))
		}
		return true
	})
	return out, nil
}

func finding(p token.Position, pkgPath, name string) string {
	short := pkgPath[strings.LastIndex(pkgPath, "/")+1:]
	return fmt.Sprintf("%s:%d:%d: %s.%s is file-system access", p.Filename, p.Line, p.Column, short, name)
}
