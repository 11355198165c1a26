// Command containersec-rules validates Falco rules files the way Falco loads them, after Falco's default ruleset,
// with the same Go package (pkg/rules) as the plugin's editor and its POST rules/validate endpoint. For CI:
//
//	containersec-rules validate [--falco-version V] [--engine-version V] [--plugins P,...] [--format text|json|github] [--strict] FILE...
//
// Exit status: 0 when the files load cleanly (warnings allowed), 1 when they have errors (or warnings, with
// --strict), 2 on a usage error or a file that cannot be read.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// version is set at build time (Magefile.go: -X main.version=<package.json version>).
var version = "dev"

// stdinName names standard input (FILE "-") in diagnostics.
const stdinName = "<stdin>"

const usage = `Usage: containersec-rules validate [flags] FILE...
       containersec-rules --version

Validates Falco rules files as Falco loads them: in the order given, after Falco's default ruleset
(falco_rules.yaml), with Falco's diagnostic codes and the line and column of every problem. Every file given is
checked, whatever its name; "-" reads standard input.

Flags (before or after the files):
  --falco-version V    the Falco release whose default ruleset the files are loaded after (default %s;
                       known: %s)
  --engine-version V   the rules engine version of the target Falco, for required_engine_version
                       (default: the engine of that Falco release, from its falco_engine_version.h)
  --plugins P,...      the plugins the target Falco loads (its load_plugins), for example k8saudit,json.
                       The Falco chart loads none, so rules for a plugin's source (k8s_audit, aws_cloudtrail,
                       okta, gcp_auditlog, github) are skipped with Falco's "Unknown source" warning unless
                       its plugin is named here
  --format F           text (default), json (the shape of the plugin's POST rules/validate answer) or github
                       (GitHub Actions workflow annotations)
  --strict             warnings fail too (exit 1)

Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage error or a file that cannot be read.
`

func printUsage(w io.Writer) {
	var known []string
	for _, f := range catalog.DefaultRulesets() {
		known = append(known, f.FalcoVersion)
	}
	fmt.Fprintf(w, usage, catalog.Get().Defaults.Facts.FalcoVersion, strings.Join(known, ", "))
}

// run is the command; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version") {
		d := catalog.Get().Defaults.Facts
		fmt.Fprintf(stdout, "containersec-rules %s (default ruleset of Falco %s, rules engine %s)\n", version, d.FalcoVersion, d.FalcoEngineVersion())
		return 0
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] != "validate" {
		fmt.Fprintf(stderr, "containersec-rules: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return 2
	}
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	falcoVersion := fs.String("falco-version", "", "")
	engineVersion := fs.String("engine-version", "", "")
	format := fs.String("format", "text", "")
	strict := fs.Bool("strict", false, "")
	var plugins []string
	fs.Func("plugins", "", func(v string) error {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				plugins = append(plugins, p)
			}
		}
		return nil
	})
	var paths []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(stdout)
				return 0
			}
			fmt.Fprintf(stderr, "containersec-rules: %v\n\n", err)
			printUsage(stderr)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		// Flags may follow files; after "--", everything is a file.
		if len(rest) > fs.NArg() && rest[len(rest)-fs.NArg()-1] == "--" {
			paths = append(paths, fs.Args()...)
			break
		}
		paths = append(paths, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "containersec-rules: no rules files given\n\n")
		printUsage(stderr)
		return 2
	}
	if *format != "text" && *format != "json" && *format != "github" {
		fmt.Fprintf(stderr, "containersec-rules: --format must be text, json or github, not %q\n", *format)
		return 2
	}
	defaults := catalog.Get().Defaults
	if *falcoVersion != "" {
		facts, ok := catalog.DefaultRuleset(*falcoVersion)
		if !ok {
			fmt.Fprintf(stderr, "containersec-rules: no default ruleset known for Falco %s\n\n", *falcoVersion)
			printUsage(stderr)
			return 2
		}
		defaults.Facts = facts
	}
	if *engineVersion != "" && !validVersion(*engineVersion) {
		fmt.Fprintf(stderr, "containersec-rules: --engine-version must be a version such as 0.57.0, not %q\n", *engineVersion)
		return 2
	}

	files := make([]rules.File, 0, len(paths))
	unreadable := []rules.Diagnostic{}
	stdinRead := false
	for _, p := range paths {
		var b []byte
		var err error
		name := p
		if p == "-" {
			if stdinRead {
				fmt.Fprintf(stderr, "containersec-rules: standard input (-) can be given once\n")
				return 2
			}
			stdinRead, name = true, stdinName
			b, err = io.ReadAll(io.LimitReader(stdin, rules.MaxTotalBytes+1))
		} else {
			info, serr := os.Stat(p)
			if serr == nil && info.IsDir() {
				fmt.Fprintf(stderr, "containersec-rules: %s is a directory: give its files (for example %s/*.yaml)\n", p, strings.TrimSuffix(p, "/"))
				return 2
			}
			b, err = os.ReadFile(p) // #nosec G304 -- the user names the rules files to check on the command line
		}
		if err != nil {
			// Falco's LOAD_ERR_FILE_READ: the file is named, and the run fails as an I/O error (exit 2).
			unreadable = append(unreadable, rules.Diagnostic{Severity: rules.SeverityError, Code: "LOAD_ERR_FILE_READ", CodeDesc: "File read error", Message: err.Error(), File: name, Line: 1, Column: 1})
			continue
		}
		files = append(files, rules.File{Name: name, Content: string(b)})
	}
	res := rules.Validate(files, rules.Options{Defaults: &defaults, EngineVersion: *engineVersion, Plugins: plugins})
	res.Diagnostics = append(unreadable, res.Diagnostics...) // never nil: a clean run prints "diagnostics": []

	errs, warns := 0, 0
	for _, d := range res.Diagnostics {
		if d.Severity == rules.SeverityError {
			errs++
		} else {
			warns++
		}
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	case "github":
		for _, d := range res.Diagnostics {
			kind := "error"
			if d.Severity == rules.SeverityWarning {
				kind = "warning"
			}
			fmt.Fprintf(stdout, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", kind, ghProperty(d.File), d.Line, d.Column, ghProperty("Falco "+d.Code), ghData(describe(d)))
		}
		fmt.Fprintf(stdout, "%s\n", summary(len(files), errs, warns, defaults.Facts.FalcoVersion))
	default:
		for _, d := range res.Diagnostics {
			fmt.Fprintf(stdout, "%s:%d:%d: %s %s: %s\n", d.File, d.Line, d.Column, d.Severity, d.Code, describe(d))
			if d.Snippet != "" {
				fmt.Fprintf(stdout, "    %s\n", strings.ReplaceAll(d.Snippet, "\n", "\n    "))
			}
		}
		fmt.Fprintf(stdout, "%s\n", summary(len(files), errs, warns, defaults.Facts.FalcoVersion))
	}
	switch {
	case len(unreadable) > 0:
		return 2
	case errs > 0 || *strict && warns > 0:
		return 1
	}
	return 0
}

func describe(d rules.Diagnostic) string {
	item := strings.TrimSpace(d.ItemType + " " + strings.TrimSpace(d.ItemName))
	if item == "" {
		return d.Message
	}
	return fmt.Sprintf("%s (%s)", d.Message, item)
}

func summary(files, errs, warns int, falco string) string {
	return fmt.Sprintf("%d file(s) checked after the default ruleset of Falco %s: %d error(s), %d warning(s)", files, falco, errs, warns)
}

func validVersion(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// GitHub workflow commands: data escapes %, CR and LF; properties also ':' and ','.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
