package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/containersec/container-security/pkg/events"
	"github.com/containersec/container-security/pkg/events/sqlitestore"
	"github.com/containersec/container-security/pkg/rules"
	"github.com/containersec/container-security/pkg/rules/catalog"
	"github.com/containersec/container-security/pkg/tuning"
)

// The tuning endpoints only read events, so every signed-in role may call them; nothing here changes a rule.

const (
	maxRuleName     = 512
	maxSourceRows   = 100
	maxSourcesRange = 31 * 24 * time.Hour
	lokiCannotGroup = "The Loki event store cannot count events by their output fields here: counts, sources and samples are computed on the SQLite store only. The draft and the Rules editor still work."
)

// tuningNow is the clock of the preview's windows (tests move it).
var tuningNow = time.Now

// defaultRuleSources maps each rule of Falco's default ruleset to its event source.
var defaultRuleSources = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	for _, r := range rules.Validate(nil, rules.Options{Defaults: &catalog.Get().Defaults}).Rules {
		out[r.Name] = r.Source
	}
	return out
})

func ruleParam(r *http.Request) (string, string) {
	rule := r.URL.Query().Get("rule")
	switch {
	case strings.TrimSpace(rule) == "":
		return "", `query parameter "rule" is required: the name of the rule to tune`
	case len(rule) > maxRuleName || !utf8.ValidString(rule):
		return "", fmt.Sprintf(`query parameter "rule" must be at most %d bytes of UTF-8`, maxRuleName)
	}
	return rule, ""
}

// recentEvents are the rule's newest stored events, or none when the store cannot list them.
func (d *Datasource) recentEvents(ctx context.Context, rule string, n int) []events.Event {
	r, err := d.storeReady()
	if err != nil {
		return nil
	}
	now := tuningNow()
	page, err := r.List(ctx, events.ListRequest{From: now.Add(-7 * 24 * time.Hour), To: now, Filters: events.Filters{Rules: []string{rule}}, Limit: n})
	if err != nil {
		return nil
	}
	return page.Events
}

// ruleSource is the rule's event source: the default ruleset's, else its stored events'.
func (d *Datasource) ruleSource(rule string, recent []events.Event) string {
	if s, ok := defaultRuleSources()[rule]; ok {
		return s
	}
	if len(recent) > 0 {
		return recent[0].Source
	}
	return ""
}

type tuningFieldsView struct {
	Rule       string             `json:"rule"`
	Source     string             `json:"source"`
	Fields     []tuning.Candidate `json:"fields"`
	Comps      []string           `json:"comps"`
	EventsRead int                `json:"eventsRead"`
}

func (d *Datasource) handleTuningFields(w http.ResponseWriter, r *http.Request) {
	rule, problem := ruleParam(r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	recent := d.recentEvents(r.Context(), rule, 20)
	source := d.ruleSource(rule, recent)
	if source == "" {
		writeError(w, http.StatusNotFound, fmt.Sprintf("rule %q is not in Falco's default ruleset and no stored event of it was found in the last 7 days, so its source and fields are unknown", rule))
		return
	}
	seen := map[string]bool{}
	var keys []string
	for _, e := range recent {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(e.OutputFields, &m)
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	writeJSON(w, http.StatusOK, tuningFieldsView{Rule: rule, Source: source, Fields: tuning.Fields(catalog.Get(), source, keys), Comps: tuning.Comps(), EventsRead: len(recent)})
}

// fieldsParam reads a comma-separated list of Falco fields valid for the rule's source.
func fieldsParam(raw, source string) ([]string, string) {
	if raw == "" {
		return nil, `query parameter "fields" is required: output fields separated by commas, such as container.image.repository,proc.name`
	}
	fields := strings.Split(raw, ",")
	if len(fields) > tuning.MaxFields {
		return nil, fmt.Sprintf(`query parameter "fields" names %d fields; at most %d`, len(fields), tuning.MaxFields)
	}
	for _, f := range fields {
		if p := fieldProblem(f, source); p != "" {
			return nil, p
		}
	}
	return fields, ""
}

func fieldProblem(f, source string) string {
	cf, _, ok := catalog.Get().LookupField(f)
	if !ok {
		return fmt.Sprintf("%q is not a Falco field", f)
	}
	if source != "" && cf.Source != "*" && cf.Source != source {
		return fmt.Sprintf("field %q belongs to source %s, not to the rule's source %s", f, cf.Source, source)
	}
	return ""
}

func msParam(r *http.Request, name string, def time.Time) (time.Time, string) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, ""
	}
	ms, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || ms < 0 || ms > 1<<53 {
		return time.Time{}, fmt.Sprintf("query parameter %q must be a time in milliseconds since the epoch, got %q", name, raw)
	}
	return time.UnixMilli(ms).UTC(), ""
}

type sourceCell struct {
	Text  string `json:"text"`
	State string `json:"state"` // text, absent, unresolved, other
}

type sourceRow struct {
	Values []sourceCell `json:"values"`
	Count  int64        `json:"count"`
	Share  float64      `json:"share"`
}

type tuningSourcesView struct {
	Rule        string      `json:"rule"`
	Fields      []string    `json:"fields"`
	From        time.Time   `json:"from"`
	To          time.Time   `json:"to"`
	Total       int64       `json:"total"`
	Rows        []sourceRow `json:"rows"`
	Of          int         `json:"of"` // distinct sources; more than len(Rows) when the table shows the top ones
	Unavailable string      `json:"unavailable,omitempty"`
}

var stateNames = map[tuning.State]string{tuning.Absent: "absent", tuning.Unresolved: "unresolved", tuning.Text: "text", tuning.Other: "other"}

func (d *Datasource) handleTuningSources(w http.ResponseWriter, r *http.Request) {
	rule, problem := ruleParam(r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	fields, problem := fieldsParam(r.URL.Query().Get("fields"), defaultRuleSources()[rule])
	if problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	now := tuningNow()
	from, p1 := msParam(r, "from", now.Add(-24*time.Hour))
	to, p2 := msParam(r, "to", now)
	limit, p3 := 20, ""
	if raw := r.URL.Query().Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxSourceRows {
			p3 = fmt.Sprintf(`query parameter "limit" must be 1 to %d, got %q`, maxSourceRows, raw)
		}
		limit = n
	}
	switch {
	case p1 != "" || p2 != "" || p3 != "":
		writeError(w, http.StatusBadRequest, strings.Trim(strings.Join([]string{p1, p2, p3}, "; "), "; "))
		return
	case to.Before(from):
		writeError(w, http.StatusBadRequest, `"to" is before "from"`)
		return
	case to.Sub(from) > maxSourcesRange:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the range is longer than %d days; choose a shorter one", int(maxSourcesRange.Hours()/24)))
		return
	}
	view := tuningSourcesView{Rule: rule, Fields: fields, From: from, To: to, Rows: []sourceRow{}}
	reader, err := d.storeReady()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "the event store is unavailable: "+storeErrorFor(r.Context(), err))
		return
	}
	grouper, ok := reader.(events.FieldGrouper)
	if !ok {
		view.Unavailable = lokiCannotGroup
		writeJSON(w, http.StatusOK, view)
		return
	}
	groups, err := grouper.GroupByFields(r.Context(), from, to, to, events.Filters{Rules: []string{rule}}, fields)
	if err != nil {
		writeStoreReadError(w, err)
		return
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].Count > groups[j].Count })
	for _, g := range groups {
		view.Total += g.Count
	}
	view.Of = len(groups)
	for _, g := range groups[:min(limit, len(groups))] {
		row := sourceRow{Count: g.Count, Share: float64(g.Count) / float64(max(view.Total, 1))}
		for _, raw := range g.Values {
			v := tuning.ValueOf(raw)
			cell := sourceCell{Text: v.Text, State: stateNames[v.State]}
			if v.State == tuning.Other && raw != nil {
				cell.Text = *raw
			}
			row.Values = append(row.Values, cell)
		}
		view.Rows = append(view.Rows, row)
	}
	writeJSON(w, http.StatusOK, view)
}

type previewRequest struct {
	Exception *tuning.Exception `json:"exception"`
}

type previewView struct {
	*tuning.Preview
	Rule        string `json:"rule"`
	Unavailable string `json:"unavailable,omitempty"`
}

func (d *Datasource) handleTuningPreview(w http.ResponseWriter, r *http.Request) {
	var req previewRequest
	if !decodeJSONBody(w, r, &req) {
		return
	}
	if req.Exception == nil {
		writeError(w, http.StatusBadRequest, `request body has no "exception": send {"exception": {"rule": ..., "name": ..., "fields": [...], "comps": [...], "values": [[...]]}}`)
		return
	}
	e := req.Exception
	problems := e.Problems(catalog.Get())
	if len(e.Rule) > maxRuleName {
		problems = append(problems, fmt.Sprintf("rule must be at most %d bytes", maxRuleName))
	}
	if source, ok := defaultRuleSources()[e.Rule]; ok {
		for _, f := range e.Fields {
			if p := fieldProblem(f, source); p != "" && !strings.HasSuffix(p, "is not a Falco field") {
				problems = append(problems, p)
			}
		}
	}
	if len(problems) > 0 {
		details := make([]any, len(problems))
		for i, p := range problems {
			details[i] = p
		}
		writeError(w, http.StatusBadRequest, "the exception cannot be previewed: "+problems[0], details...)
		return
	}
	reader, err := d.storeReady()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, "the event store is unavailable: "+storeErrorFor(r.Context(), err))
		return
	}
	grouper, ok := reader.(events.FieldGrouper)
	if !ok {
		writeJSON(w, http.StatusOK, previewView{Rule: e.Rule, Unavailable: lokiCannotGroup, Preview: &tuning.Preview{Condition: e.Condition()}})
		return
	}
	p := &tuning.Previewer{Groups: grouper, Events: reader, Now: tuningNow}
	out, err := p.Preview(r.Context(), e)
	if err != nil {
		writeStoreReadError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, previewView{Preview: out, Rule: e.Rule})
}

// writeStoreReadError answers a tuning read the event store could not finish: a request that ended first (the
// browser left, Grafana's timeout) is 504 and says nothing was changed, a busy store 503 with Retry-After, any other
// fault 500. Tuning routes only read, so none of them leaves anything behind.
func writeStoreReadError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "the request ended before the event store answered; nothing was changed, ask again")
	case errors.Is(err, sqlitestore.ErrBusy):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "the event store is busy; ask again in a second")
	default:
		writeError(w, http.StatusInternalServerError, "the event store failed: "+err.Error())
	}
}
