package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
)

// QueryTypeRules returns the effective ruleset (the default ruleset plus the query's custom rules) as a table.
const QueryTypeRules = "rules"

// customRulesFile is the name the query's custom rules get in diagnostics.
const customRulesFile = "custom_rules.yaml"

// rulesQuery is the JSON of a rules query; every filter is optional.
type rulesQuery struct {
	CustomRules string `json:"customRules"`
	MinPriority string `json:"minPriority"`
	Source      string `json:"source"`
	Tag         string `json:"tag"`
	Search      string `json:"search"`
}

// Falco's priorities, most severe first (Falco's own numbering: Emergency is 0).
var priorityRank = map[string]int{
	"emergency": 0, "alert": 1, "critical": 2, "error": 3, "warning": 4, "notice": 5, "informational": 6, "info": 6, "debug": 7,
}

func parseRulesQuery(raw json.RawMessage) (rulesQuery, error) {
	var q rulesQuery
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &q); err != nil {
			return q, fmt.Errorf("rules query options are invalid: %v", err)
		}
	}
	if q.MinPriority != "" {
		if _, ok := priorityRank[strings.ToLower(q.MinPriority)]; !ok {
			return q, fmt.Errorf("minPriority %q is not a Falco priority; use one of emergency, alert, critical, error, warning, notice, informational, debug", q.MinPriority)
		}
	}
	if q.Source != "" && !catalog.Get().KnownSource(q.Source) {
		return q, fmt.Errorf("source %q is not an event source Falco knows; use one of %s", q.Source, strings.Join(catalog.Get().Sources, ", "))
	}
	if len(q.CustomRules) > rules.MaxFileBytes {
		return q, fmt.Errorf("customRules is %d bytes; a rules file may have at most %d", len(q.CustomRules), rules.MaxFileBytes)
	}
	return q, nil
}

// keep tells whether a rule passes the query's filters; default rules filter by their own priority, source and
// tags (from the default ruleset's facts), with the custom file's overrides applied.
func (q rulesQuery) keep(r rules.RuleInfo) bool {
	if q.MinPriority != "" {
		rank, ok := priorityRank[strings.ToLower(r.Priority)]
		if !ok || rank > priorityRank[strings.ToLower(q.MinPriority)] {
			return false
		}
	}
	if q.Source != "" && r.Source != q.Source {
		return false
	}
	if q.Tag != "" && !containsFold(r.Tags, q.Tag) {
		return false
	}
	if q.Search != "" {
		text := strings.ToLower(r.Name + " " + strings.Join(r.Tags, " "))
		if !strings.Contains(text, strings.ToLower(q.Search)) {
			return false
		}
	}
	return true
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func (d *Datasource) queryRules(_ context.Context, dq backend.DataQuery) backend.DataResponse {
	q, err := parseRulesQuery(dq.JSON)
	if err != nil {
		return backend.ErrDataResponse(backend.StatusBadRequest, err.Error())
	}
	var files []rules.File
	if strings.TrimSpace(q.CustomRules) != "" {
		files = []rules.File{{Name: customRulesFile, Content: q.CustomRules}}
	}
	res := rules.Validate(files, d.rulesOptions(nil))
	if n := res.Errors(); n > 0 {
		e := firstErrorOf(res)
		return backend.ErrDataResponse(backend.StatusBadRequest, fmt.Sprintf("custom rules have %d error(s); first at line %d, column %d: %s", n, e.Line, e.Column, e.Message))
	}
	frame := rulesFrame(res.Rules, q)
	for _, w := range res.Diagnostics {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf("%s line %d, column %d: %s", w.Code, w.Line, w.Column, w.Message)})
	}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

func firstErrorOf(res *rules.Result) rules.Diagnostic {
	for _, d := range res.Diagnostics {
		if d.Severity == rules.SeverityError {
			return d
		}
	}
	return rules.Diagnostic{}
}

// rulesFrame is one row per rule that passes the filters; a default rule's line is null (it is not in a loaded file).
func rulesFrame(all []rules.RuleInfo, q rulesQuery) *data.Frame {
	var names, priorities, sources, tags, files, mitre []string
	var enabled []bool
	var lines []*int64
	for _, r := range all {
		if !q.keep(r) {
			continue
		}
		names = append(names, r.Name)
		priorities = append(priorities, r.Priority)
		sources = append(sources, r.Source)
		tags = append(tags, strings.Join(r.Tags, ", "))
		enabled = append(enabled, r.Enabled)
		files = append(files, r.File)
		var line *int64
		if r.Line > 0 {
			l := int64(r.Line)
			line = &l
		}
		lines = append(lines, line)
		mitre = append(mitre, strings.Join(r.Mitre, ", "))
	}
	frame := data.NewFrame("rules",
		data.NewField("name", nil, orEmpty(names)),
		data.NewField("priority", nil, orEmpty(priorities)),
		data.NewField("source", nil, orEmpty(sources)),
		data.NewField("tags", nil, orEmpty(tags)),
		data.NewField("enabled", nil, append([]bool{}, enabled...)),
		data.NewField("file", nil, orEmpty(files)),
		data.NewField("line", nil, append([]*int64{}, lines...)),
		data.NewField("mitreTactic", nil, orEmpty(mitre)),
	)
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	return frame
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
