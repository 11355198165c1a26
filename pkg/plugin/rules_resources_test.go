package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/containersec/container-security/pkg/rules"
)

const brokenRule = `- rule: Shell in container
  desc: a shell ran
  condition: spawned_process and container and proc.nmae = bash
  output: shell (container=%container.id)
  priority: WARNING
`

func filesBody(t *testing.T, files ...rules.File) []byte {
	t.Helper()
	if files == nil {
		files = []rules.File{}
	}
	b, err := json.Marshal(map[string]any{"files": files})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidateRulesReportsDiagnosticsWith200(t *testing.T) {
	mux := newMux(newTestDatasource(t, sqliteSettings(t)).routes())
	rec, _ := serve(t, mux, http.MethodPost, "/rules/validate", "application/json", filesBody(t, rules.File{Name: "custom_rules.yaml", Content: brokenRule}))
	if rec.Code != http.StatusOK {
		t.Fatalf("broken rules are a 200 with diagnostics, got %d %s", rec.Code, rec.Body.String())
	}
	var res rules.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 1 {
		t.Fatalf("want one diagnostic, got %+v", res.Diagnostics)
	}
	d := res.Diagnostics[0]
	if d.Code != "LOAD_ERR_COMPILE_CONDITION" || d.File != "custom_rules.yaml" || d.Line != 3 || d.Column != 48 || d.ItemName != "Shell in container" || !strings.Contains(d.Message, "proc.nmae") {
		t.Fatalf("diagnostic: %+v", d)
	}
	// The custom rule follows the default ruleset, which loads first.
	last := res.Rules[len(res.Rules)-1]
	if len(res.Rules) < 2 || !res.Rules[0].Default || last.Name != "Shell in container" || last.Default {
		t.Fatalf("effective rules: %+v", res.Rules)
	}
}

func TestValidateRulesLoadsFilesInOrderAfterDefaults(t *testing.T) {
	mux := newMux(newTestDatasource(t, sqliteSettings(t)).routes())
	first := rules.File{Name: "a.yaml", Content: "- list: my_shells\n  items: [bash, zsh]\n"}
	second := rules.File{Name: "b.yml", Content: "- rule: My shells\n  desc: d\n  condition: spawned_process and proc.name in (my_shells)\n  output: o %proc.name\n  priority: info\n"}
	rec, _ := serve(t, mux, http.MethodPost, "/rules/validate", "application/json", filesBody(t, first, second))
	var res rules.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if len(res.Diagnostics) != 0 || res.Lists != 1 || res.Macros != 0 {
		t.Fatalf("the list of the first file serves the rule of the second: %+v", res)
	}
	// Appending needs the target loaded before: in the other order the append has nothing to extend.
	extend := rules.File{Name: "c.yaml", Content: "- list: my_shells\n  items: [fish]\n  override:\n    items: append\n"}
	rec, _ = serve(t, mux, http.MethodPost, "/rules/validate", "application/json", filesBody(t, extend, first, second))
	res = rules.Result{}
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "LOAD_ERR_VALIDATE" || res.Diagnostics[0].File != "c.yaml" || res.Diagnostics[0].Line != 1 {
		t.Fatalf("append before its target: %+v", res.Diagnostics)
	}
}

func TestValidateRulesRejectsBadRequests(t *testing.T) {
	mux := newMux(newTestDatasource(t, sqliteSettings(t)).routes())
	ok := rules.File{Name: "ok.yaml", Content: "[]"}
	many := make([]rules.File, rules.MaxFiles+1)
	for i := range many {
		many[i] = rules.File{Name: fmt.Sprintf("f%d.yaml", i), Content: "[]"}
	}
	big := strings.Repeat("#", rules.MaxFileBytes+1)
	for name, tc := range map[string]struct {
		body   []byte
		status int
		want   string
	}{
		"not JSON":            {[]byte(`files: [a.yaml]`), 400, "not valid JSON"},
		"no files key":        {[]byte(`{"rules": "- rule: x"}`), 400, `no "files"`},
		"files null":          {[]byte(`{"files": null}`), 400, `no "files"`},
		"files is a map":      {[]byte(`{"files": {"a.yaml": "[]"}}`), 400, `field "files" must be`},
		"content not string":  {[]byte(`{"files": [{"name": "a.yaml", "content": 5}]}`), 400, `"files.content" must be string`},
		"empty list":          {filesBody(t), 400, `"files" is empty`},
		"null entry":          {[]byte(`{"files": [null]}`), 400, "file 1 has no name"},
		"empty name":          {filesBody(t, ok, rules.File{Content: "[]"}), 400, "file 2 has no name"},
		"path separator":      {filesBody(t, rules.File{Name: "../etc/passwd.yaml"}), 400, "no path"},
		"backslash":           {filesBody(t, rules.File{Name: `rules\x.yaml`}), 400, "no path"},
		"absolute path":       {filesBody(t, rules.File{Name: "/etc/falco/x.yaml"}), 400, "no path"},
		"wrong extension":     {filesBody(t, rules.File{Name: "rules.json"}), 400, "ending in .yaml or .yml"},
		"hidden file":         {filesBody(t, rules.File{Name: ".yaml"}), 400, "plain file name"},
		"control character":   {filesBody(t, rules.File{Name: "a\nb.yaml"}), 400, "plain file name"},
		"name too long":       {filesBody(t, rules.File{Name: strings.Repeat("a", 300) + ".yaml"}), 400, "longer than 253"},
		"duplicate names":     {filesBody(t, ok, ok), 400, `"ok.yaml" is used twice`},
		"too many files":      {filesBody(t, many...), 413, "at most 64"},
		"file too large":      {filesBody(t, rules.File{Name: "big.yaml", Content: big}), 413, `"big.yaml" is 1048577 bytes`},
		"body over the limit": {filesBody(t, rules.File{Name: "a.yaml", Content: strings.Repeat("x", maxRequestBody)}), 413, "request body is larger"},
	} {
		t.Run(name, func(t *testing.T) {
			rec, eb := serve(t, mux, http.MethodPost, "/rules/validate", "application/json", tc.body)
			if rec.Code != tc.status || !strings.Contains(eb.Error, tc.want) {
				t.Fatalf("got %d %q, want %d containing %q", rec.Code, eb.Error, tc.status, tc.want)
			}
		})
	}
	rec, _ := serve(t, mux, http.MethodGet, "/rules/validate", "", nil)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET on validate: %d", rec.Code)
	}
}

func TestValidateRulesSurvivesHostileContent(t *testing.T) {
	mux := newMux(newTestDatasource(t, sqliteSettings(t)).routes())
	for name, content := range map[string]string{
		"alias bomb":       "- &a [x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a, *a, *a]\n- &c [*b, *b, *b, *b, *b, *b, *b, *b]\n- &d [*c, *c, *c, *c, *c, *c, *c, *c]\n- [*d, *d, *d, *d, *d, *d, *d, *d]\n",
		"deep nesting":     strings.Repeat("[", 50000),
		"deep condition":   "- macro: m\n  condition: " + strings.Repeat("(", 3000) + "\n",
		"binary":           "\x00\xff\xfe- rule: \x00",
		"unicode in names": "- rule: Schäl ☠\n  desc: d\n  condition: proc.name = \"ü\"\n  output: o\n  priority: info\n",
	} {
		t.Run(name, func(t *testing.T) {
			rec, _ := serve(t, mux, http.MethodPost, "/rules/validate", "application/json", filesBody(t, rules.File{Name: "hostile.yaml", Content: content}))
			var res rules.Result
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil {
				t.Fatalf("got %d %s", rec.Code, rec.Body.String())
			}
			if name != "unicode in names" && res.Errors() == 0 {
				t.Fatalf("hostile content must be reported, got %+v", res.Diagnostics)
			}
		})
	}
}

func TestRulesCatalog(t *testing.T) {
	mux := newMux(newTestDatasource(t, sqliteSettings(t)).routes())
	rec, _ := serve(t, mux, http.MethodGet, "/rules/catalog", "", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	etag := rec.Header().Get("ETag")
	if etag == "" || !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=") {
		t.Fatalf("the catalog must be cacheable: %v", rec.Header())
	}
	var c catalogView
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, f := range c.Fields {
		fields[f.Name] = true
		if f.Type == "" || f.Arg == "" || f.Source == "" {
			t.Fatalf("field without type, argument form or source: %+v", f)
		}
	}
	if !fields["proc.aname"] || !fields["container.id"] || !fields["ka.verb"] {
		t.Fatal("fields of the syscall, container plugin and k8s_audit sources must be listed")
	}
	if d := c.DefaultRuleset; d.FalcoVersion != "0.44.1" || d.EngineVersion != "0.57.0" || !strings.Contains(d.Rules, "c72713ee2e63") {
		t.Fatalf("the catalog must say which default ruleset validation loads: %+v", d)
	}
	has := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	if !has(c.Macros, "spawned_process") || !has(c.Lists, "shell_binaries") || !has(c.Modifiers, "oneof") || !has(c.Transformers, "tolower") || !has(c.Sources, "k8s_audit") {
		t.Fatalf("macros, lists, modifiers, transformers and sources must be listed: %d %d %v %v %v", len(c.Macros), len(c.Lists), c.Modifiers, c.Transformers, c.Sources)
	}
	ops := map[string]string{}
	for _, o := range c.Operators {
		ops[o.Op] = o.Kind
	}
	if ops["in"] == "" || ops["startswith"] == "" || ops[">="] == "" {
		t.Fatalf("operators: %v", ops)
	}

	req := httptest.NewRequest(http.MethodGet, "/rules/catalog", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("a matching ETag must get 304 with no body, got %d (%d bytes)", rec.Code, rec.Body.Len())
	}
}

func TestLabRulesServesTheShippedFilesAndTheyValidate(t *testing.T) {
	mux := newMux(newTestDatasource(t, sqliteSettings(t)).routes())
	rec, _ := serve(t, mux, http.MethodGet, "/rules/lab", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /rules/lab: %d %s", rec.Code, rec.Body.String())
	}
	var body struct {
		Files []rules.File `json:"files"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile("../../rules/falco/containersec_rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(body.Files) != 1 || body.Files[0].Name != "containersec_rules.yaml" || body.Files[0].Content != string(onDisk) {
		t.Fatalf("want exactly rules/falco/containersec_rules.yaml as shipped, got %d files", len(body.Files))
	}
	// What the editor loads must pass the editor's own check: POST it back to /rules/validate.
	rec, _ = serve(t, mux, http.MethodPost, "/rules/validate", "application/json", filesBody(t, body.Files...))
	var res rules.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("validate the lab rules: %d %v", rec.Code, err)
	}
	if res.Errors() != 0 {
		t.Fatalf("the shipped lab rules must validate cleanly: %+v", res.Diagnostics)
	}
	rec, _ = serve(t, mux, http.MethodPost, "/rules/lab", "application/json", nil)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST /rules/lab must be 405, got %d", rec.Code)
	}
}
