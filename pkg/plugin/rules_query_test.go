package plugin

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/containersec/container-security/pkg/rules/catalog"
)

const customForQuery = `- rule: Curl in container
  desc: curl ran in a container
  condition: spawned_process and container and proc.name = curl
  output: curl (container=%container.id)
  priority: ERROR
  tags: [container, network, mitre_command_and_control]
- rule: Audit login
  desc: a k8s audit event
  condition: ka.verb = create
  output: login %ka.user.name
  priority: notice
  source: k8s_audit
  tags: [k8s]
- rule: Terminal shell in container
  priority: critical
  override:
    priority: replace
`

func rulesQueryJSON(t *testing.T, opts map[string]any) []byte {
	t.Helper()
	opts["queryType"] = QueryTypeRules
	b, err := json.Marshal(opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// column returns a frame's string column by name, with nullable and bool values printed.
func column(t *testing.T, f *data.Frame, name string) []string {
	t.Helper()
	field, _ := f.FieldByName(name)
	if field == nil {
		t.Fatalf("frame has no %q field", name)
	}
	out := make([]string, field.Len())
	for i := range out {
		switch v := field.At(i).(type) {
		case string:
			out[i] = v
		case bool:
			out[i] = strconv.FormatBool(v)
		case *int64:
			if v != nil {
				out[i] = strconv.FormatInt(*v, 10)
			}
		}
	}
	return out
}

func TestRulesQueryReturnsTheEffectiveRuleset(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeRules, JSON: rulesQueryJSON(t, map[string]any{"customRules": customForQuery})})
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	f := res.Frames[0]
	names := column(t, f, "name")
	defaults := len(catalog.Get().Defaults.Rules)
	if len(names) != defaults+2 || names[defaults] != "Curl in container" || names[defaults+1] != "Audit login" {
		t.Fatalf("want the %d defaults then the two custom rules, got %d: %v", defaults, len(names), names[defaults:])
	}
	i := defaults
	if p, s, tags, file, line, mitre := column(t, f, "priority")[i], column(t, f, "source")[i], column(t, f, "tags")[i], column(t, f, "file")[i], column(t, f, "line")[i], column(t, f, "mitreTactic")[i]; p != "Error" || s != "syscall" || tags != "container, network, mitre_command_and_control" || file != "custom_rules.yaml" || line != "1" || mitre != "command and control" {
		t.Fatalf("row: %s %s %q %s %s %q", p, s, tags, file, line, mitre)
	}
	if f.Meta == nil || f.Meta.PreferredVisualization != data.VisTypeTable {
		t.Fatal("the frame should ask for a table")
	}
}

func TestRulesQueryFilters(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	for name, tc := range map[string]struct {
		opts map[string]any
		want []string
	}{
		// The default rules filter by their own facts (falco_rules.yaml: three CRITICAL rules), with overrides applied.
		"min priority keeps more severe": {map[string]any{"minPriority": "ERROR"}, []string{"Terminal shell in container", "Detect release_agent File Container Escapes", "Drop and execute new binary in container", "Fileless execution via memfd_create", "Curl in container"}},
		"source":                         {map[string]any{"source": "k8s_audit"}, []string{"Audit login"}},
		"tag, any case":                  {map[string]any{"tag": "NETWORK"}, []string{"Contact K8S API Server From Container", "Netcat Remote Code Execution in Container", "Packet socket created in container", "Redirect STDOUT/STDIN to Network Connection in Container", "Disallowed SSH Connection Non Standard Port", "Curl in container"}},
		"search in names":                {map[string]any{"search": "curl"}, []string{"Curl in container"}},
		"filters combine":                {map[string]any{"minPriority": "notice", "tag": "k8s"}, []string{"Contact K8S API Server From Container", "Audit login"}},
	} {
		t.Run(name, func(t *testing.T) {
			tc.opts["customRules"] = customForQuery
			res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeRules, JSON: rulesQueryJSON(t, tc.opts)})
			if res.Error != nil {
				t.Fatal(res.Error)
			}
			if got := column(t, res.Frames[0], "name"); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %v want %v", got, tc.want)
			}
		})
	}
}

func TestRulesQueryDefaultsOnly(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeRules, JSON: rulesQueryJSON(t, map[string]any{})})
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	names, lines := column(t, res.Frames[0], "name"), column(t, res.Frames[0], "line")
	if len(names) != len(catalog.Get().Defaults.Rules) || lines[0] != "" || column(t, res.Frames[0], "file")[0] != "falco_rules.yaml" {
		t.Fatalf("defaults only: %d rules, first line %q", len(names), lines[0])
	}
}

func TestRulesQueryRejectsBadOptions(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	for name, tc := range map[string]struct {
		json string
		want string
	}{
		"unknown priority":  {`{"minPriority":"urgent"}`, `minPriority "urgent" is not a Falco priority`},
		"unknown source":    {`{"source":"nginx"}`, `source "nginx" is not an event source`},
		"wrong type":        {`{"minPriority":3}`, "rules query options are invalid"},
		"broken custom":     {`{"customRules":"- rule: x\n  desc: d\n  condition: proc.nmae = a\n  output: o\n  priority: info\n"}`, "1 error(s); first at line 3, column 14: filter_check called with nonexistent field proc.nmae"},
		"yaml error":        {`{"customRules":"- rule: [x\n"}`, "custom rules have 1 error(s); first at line"},
		"oversized":         {`{"customRules":"` + strings.Repeat("#", 1<<20+1) + `"}`, "customRules is 1048577 bytes"},
		"not a JSON object": {`["rules"]`, "rules query options are invalid"},
	} {
		t.Run(name, func(t *testing.T) {
			res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeRules, JSON: []byte(tc.json)})
			if res.Status != backend.StatusBadRequest || res.Error == nil || !strings.Contains(res.Error.Error(), tc.want) {
				t.Fatalf("got %v %v, want 400 containing %q", res.Status, res.Error, tc.want)
			}
		})
	}
}

func TestRulesQueryWarningsBecomeNotices(t *testing.T) {
	d := newTestDatasource(t, sqliteSettings(t))
	res := runQuery(t, d, backend.DataQuery{QueryType: QueryTypeRules, JSON: rulesQueryJSON(t, map[string]any{"customRules": "- list: unused_things\n  items: [a]\n"})})
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	notices := res.Frames[0].Meta.Notices
	if len(notices) != 1 || !strings.Contains(notices[0].Text, "LOAD_UNUSED_LIST line 1, column 3") {
		t.Fatalf("notices: %+v", notices)
	}
}
