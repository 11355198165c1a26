package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules"
)

// The tests run the built command, as CI runs it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "containersec-rules")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "containersec-rules")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func cli(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const clean = `- rule: Curl in container
  desc: curl ran in a container
  condition: spawned_process and container and proc.name = curl
  output: curl ran (container=%container.id)
  priority: NOTICE
`

// A default macro replaced with a broken condition: Falco refuses to start (the third case).
const broken = `- macro: spawned_process
  condition: (proc.nmae = x
  override:
    condition: replace
`

// Only a warning: a list nothing uses.
const warning = `- list: never_used
  items: [a]
`

func TestExitCodes(t *testing.T) {
	ok, bad, warn := write(t, "ok.yaml", clean), write(t, "bad.yaml", broken), write(t, "warn.yaml", warning)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"validate", ok}, 0},
		{[]string{"validate", bad}, 1},
		{[]string{"validate", warn}, 0},
		{[]string{"validate", "--strict", warn}, 1},
		{[]string{"validate", warn, "--strict"}, 1}, // flags after files
		{[]string{"validate", "--strict", ok}, 0},
		{[]string{"validate", ok, bad}, 1},
		{[]string{"validate", filepath.Join(t.TempDir(), "missing.yaml")}, 2},     // LOAD_ERR_FILE_READ: I/O, not the rules
		{[]string{"validate", ok, filepath.Join(t.TempDir(), "missing.yaml")}, 2}, // even beside a clean file
		{[]string{"--version"}, 0},
		{[]string{}, 2},
		{[]string{"check", ok}, 2},
		{[]string{"validate"}, 2},
		{[]string{"validate", "--format", "xml", ok}, 2},
		{[]string{"validate", "--falco-version", "0.1", ok}, 2},
		{[]string{"validate", "--engine-version", "latest", ok}, 2},
		{[]string{"validate", "--bogus", ok}, 2},
		{[]string{"validate", t.TempDir()}, 2}, // a directory
		{[]string{"validate", "--falco-version", "0.44", ok}, 0},
		{[]string{"--help"}, 0},
	} {
		stdout, stderr, code := cli(t, tc.args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tc.args, code, tc.code, stdout, stderr)
		}
	}
}

// Every file given is checked, whatever its name: no extension filter, no silent skip.
func TestFilesWithAnyName(t *testing.T) {
	for _, name := range []string{"rules.txt", "custom_rules", "my rules.YAML", ".hidden"} {
		p := write(t, name, broken)
		stdout, _, code := cli(t, "validate", p)
		if code != 1 || !strings.Contains(stdout, p+":2:") {
			t.Errorf("%s: exit %d, output %s", name, code, stdout)
		}
	}
}

func TestTextFormat(t *testing.T) {
	bad := write(t, "bad.yaml", broken)
	stdout, _, code := cli(t, "validate", bad)
	want := bad + ":2:27: error LOAD_ERR_COMPILE_CONDITION: expected a ')' token to close the '(' opened at line 2, column 14 (macro spawned_process)"
	if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "1 file(s) checked after the default ruleset of Falco 0.44.1: 1 error(s), 0 warning(s)") {
		t.Fatalf("text output:\n%s\nwant a line %q", stdout, want)
	}
}

// JSON is the shape of POST rules/validate.
func TestJSONFormat(t *testing.T) {
	bad, warn := write(t, "bad.yaml", broken), write(t, "warn.yaml", warning)
	stdout, _, code := cli(t, "validate", "--format", "json", bad, warn)
	var res rules.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if code != 1 || len(res.Diagnostics) != 2 || res.Diagnostics[0].File != bad || res.Diagnostics[0].Line != 2 || res.Diagnostics[1].Code != "LOAD_UNUSED_LIST" || res.Lists != 1 || len(res.Rules) == 0 {
		t.Fatalf("json: %+v", res)
	}
	for _, key := range []string{`"diagnostics"`, `"codedesc"`, `"item_type"`, `"rules"`, `"macros"`, `"lists"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("json lacks %s", key)
		}
	}
}

// GitHub Actions workflow commands: one annotation per diagnostic, properties and data escaped.
func TestGitHubFormat(t *testing.T) {
	bad := write(t, "bad,name.yaml", broken)
	warn := write(t, "warn.yaml", warning)
	stdout, _, code := cli(t, "validate", "--format", "github", bad, warn)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	escaped := strings.ReplaceAll(strings.ReplaceAll(bad, ":", "%3A"), ",", "%2C")
	if code != 1 || len(lines) != 3 ||
		lines[0] != "::error file="+escaped+",line=2,col=27,title=Falco LOAD_ERR_COMPILE_CONDITION::expected a ')' token to close the '(' opened at line 2, column 14 (macro spawned_process)" ||
		!strings.HasPrefix(lines[1], "::warning file="+warn+",line=1,col=3,title=Falco LOAD_UNUSED_LIST::") {
		t.Fatalf("github output:\n%s", stdout)
	}
}

// --falco-version picks the default ruleset; --engine-version the target engine for required_engine_version.
func TestVersions(t *testing.T) {
	needs := write(t, "needs.yaml", "- required_engine_version: 0.57.0\n"+clean)
	if _, _, code := cli(t, "validate", needs); code != 0 {
		t.Errorf("0.57.0 is what Falco 0.44.1's ruleset needs: exit %d", code)
	}
	stdout, _, code := cli(t, "validate", "--engine-version", "0.50.0", needs)
	if code != 1 || !strings.Contains(stdout, "Rules require engine version 0.57.0, but engine version is 0.50.0") {
		t.Errorf("engine 0.50.0: exit %d\n%s", code, stdout)
	}
}

// A clean run prints an empty list, never null: tools iterate over "diagnostics" without a nil check.
func TestJSONCleanRunHasEmptyDiagnostics(t *testing.T) {
	ok := write(t, "ok.yaml", clean)
	stdout, _, code := cli(t, "validate", "--format", "json", ok)
	if code != 0 || !strings.Contains(stdout, `"diagnostics": []`) {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
}

// "-" reads standard input, named <stdin> in diagnostics.
func TestStdin(t *testing.T) {
	cmd := exec.Command(binary, "validate", "-")
	cmd.Stdin = strings.NewReader(broken)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "<stdin>:2:27: error LOAD_ERR_COMPILE_CONDITION") {
		t.Fatalf("stdin: %v\n%s", err, out)
	}
	cmd = exec.Command(binary, "validate", "-", "-")
	cmd.Stdin = strings.NewReader(clean)
	if err := cmd.Run(); err == nil || err.(*exec.ExitError).ExitCode() != 2 {
		t.Fatalf("stdin twice is a usage error: %v", err)
	}
}

// A missing file is an I/O problem (exit 2), reported as Falco's LOAD_ERR_FILE_READ with the other results.
func TestMissingFileExits2(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	stdout, _, code := cli(t, "validate", "--format", "json", missing)
	var res rules.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 2 || len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "LOAD_ERR_FILE_READ" || res.Diagnostics[0].File != missing {
		t.Fatalf("exit %d: %s", code, stdout)
	}
}

func TestVersionFlag(t *testing.T) {
	stdout, _, code := cli(t, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "containersec-rules ") || !strings.Contains(stdout, "Falco 0.44.1, rules engine 0.62.0") {
		t.Fatalf("exit %d: %s", code, stdout)
	}
}

// The Falco chart loads no plugins: a k8s_audit rule is skipped with Falco's warning until --plugins names k8saudit.
func TestPluginsFlag(t *testing.T) {
	audit := write(t, "audit.yaml", "- rule: Exec into pod\n  desc: d\n  condition: ka.verb = create and ka.target.subresource = exec\n  output: exec (user=%ka.user.name)\n  priority: NOTICE\n  source: k8s_audit\n")
	stdout, _, code := cli(t, "validate", audit)
	if code != 0 || !strings.Contains(stdout, audit+":6:11: warning LOAD_UNKNOWN_SOURCE: Unknown source k8s_audit, skipping") {
		t.Fatalf("stock Falco: exit %d\n%s", code, stdout)
	}
	if stdout, _, code := cli(t, "validate", "--strict", "--plugins", "k8saudit,json", audit); code != 0 || !strings.Contains(stdout, "0 error(s), 0 warning(s)") {
		t.Fatalf("k8saudit loaded: exit %d\n%s", code, stdout)
	}
}

// An item without a name (required_engine_version) is described without a stray space: "(required_engine_version)".
func TestDescribeItemWithoutName(t *testing.T) {
	needs := write(t, "needs.yaml", "- required_engine_version: 0.99.0\n")
	stdout, _, code := cli(t, "validate", needs)
	if code != 1 || !strings.Contains(stdout, "but engine version is 0.62.0 (required_engine_version)\n") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
}
