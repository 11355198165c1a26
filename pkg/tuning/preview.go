package tuning

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// Window is what the draft would have done to the rule's stored events over one period.
type Window struct {
	Period  string `json:"period"` // 24h, 7d
	Total   int64  `json:"total"`
	Matched int64  `json:"matched"` // surely silenced
	Unknown int64  `json:"unknown"` // may be silenced: a field or comp the store cannot evaluate
	Left    int64  `json:"left"`    // surely kept
	Exact   bool   `json:"exact"`
}

// Sample is one stored event and what the draft does to it.
type Sample struct {
	ID     string            `json:"id"`
	Time   time.Time         `json:"time"`
	Output string            `json:"output"`
	Values map[string]string `json:"values"`
}

// Preview is what the draft would have silenced.
type Preview struct {
	Windows       []Window `json:"windows"`
	UnknownFields []string `json:"unknownFields"` // fields whose comparison could not be made on some events
	Matched       []Sample `json:"matched"`
	Unmatched     []Sample `json:"unmatched"`
	Warnings      []string `json:"warnings"`
	Condition     string   `json:"condition"` // what Falco appends to the rule's condition
}

const (
	nsField    = "k8s.ns.name"
	imageField = "container.image.repository"
	maxSamples = 5
	// sampleScan bounds the newest events read for samples: a draft matching none of them has no matched sample.
	sampleScan = 500
)

// Previewer answers previews from an event store.
type Previewer struct {
	Groups events.FieldGrouper
	Events events.Reader
	Now    func() time.Time
}

// Preview counts what e would have silenced of its rule's stored events in the last 24 h and 7 d, with samples
// and warnings. e must have no Problems.
func (p *Previewer) Preview(ctx context.Context, e *Exception) (*Preview, error) {
	now := p.Now()
	from, split := now.Add(-7*24*time.Hour), now.Add(-24*time.Hour)
	fields := append([]string(nil), e.Fields...)
	for _, extra := range []string{nsField, imageField} {
		if !slices.Contains(fields, extra) {
			fields = append(fields, extra)
		}
	}
	groups, err := p.Groups.GroupByFields(ctx, from, now, split, events.Filters{Rules: []string{e.Rule}}, fields)
	if err != nil {
		return nil, err
	}
	day, week := Window{Period: "24h"}, Window{Period: "7d"}
	unknownFields := map[string]bool{}
	namespaces, images := map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		vals := make([]Value, len(g.Values))
		for i, raw := range g.Values {
			vals[i] = ValueOf(raw)
		}
		week.Total += g.Count
		day.Total += g.Recent
		switch e.Match(vals[:len(e.Fields)]) {
		case Yes:
			week.Matched += g.Count
			day.Matched += g.Recent
			if v := vals[slices.Index(fields, nsField)]; v.State == Text {
				namespaces[v.Text] = true
			}
			if v := vals[slices.Index(fields, imageField)]; v.State == Text {
				images[v.Text] = true
			}
		case Unknown:
			week.Unknown += g.Count
			day.Unknown += g.Recent
			for i, f := range e.Fields {
				if !SupportedComp(e.Comps[i]) || vals[i].State == Absent || vals[i].State == Other {
					unknownFields[f] = true
				}
			}
		}
	}
	for i, f := range e.Fields {
		if !SupportedComp(e.Comps[i]) {
			unknownFields[f] = true
		}
	}
	out := &Preview{Condition: e.Condition(), UnknownFields: []string{}, Matched: []Sample{}, Unmatched: []Sample{}, Warnings: []string{}}
	for _, w := range []*Window{&day, &week} {
		w.Left = w.Total - w.Matched - w.Unknown
		w.Exact = w.Unknown == 0
		out.Windows = append(out.Windows, *w)
	}
	for f := range unknownFields {
		out.UnknownFields = append(out.UnknownFields, f)
	}
	sort.Strings(out.UnknownFields)
	if week.Total > 0 && week.Matched == week.Total {
		out.Warnings = append(out.Warnings, fmt.Sprintf("This exception silences all %d stored events of the rule in the last 7 days: the rule would never fire for what it fired on.", week.Total))
	}
	if len(namespaces) > 1 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("This exception silences events of %d namespaces (%s).", len(namespaces), listOf(namespaces)))
	}
	if len(images) > 1 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("This exception silences events of %d images (%s).", len(images), listOf(images)))
	}
	if err := p.samples(ctx, e, from, now, out); err != nil {
		return nil, err
	}
	return out, nil
}

func listOf(set map[string]bool) string {
	var names []string
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

// samples takes the newest matched and unmatched events of the rule (an event the draft may match is neither).
func (p *Previewer) samples(ctx context.Context, e *Exception, from, to time.Time, out *Preview) error {
	cursor := ""
	for read := 0; read < sampleScan; {
		page, err := p.Events.List(ctx, events.ListRequest{From: from, To: to, Filters: events.Filters{Rules: []string{e.Rule}}, Limit: 500, Cursor: cursor})
		if err != nil {
			return err
		}
		for _, ev := range page.Events {
			vals, shown := EventValues(ev.OutputFields, e.Fields)
			s := Sample{ID: ev.ID, Time: ev.Time, Output: ev.Output, Values: shown}
			switch e.Match(vals) {
			case Yes:
				if len(out.Matched) < maxSamples {
					out.Matched = append(out.Matched, s)
				}
			case No:
				if len(out.Unmatched) < maxSamples {
					out.Unmatched = append(out.Unmatched, s)
				}
			}
			if len(out.Matched) == maxSamples && len(out.Unmatched) == maxSamples {
				return nil
			}
		}
		read += len(page.Events)
		if page.NextCursor == "" {
			return nil
		}
		cursor = page.NextCursor
	}
	return nil
}

// EventValues reads fields from one event's output_fields, for matching and to show.
func EventValues(outputFields []byte, fields []string) ([]Value, map[string]string) {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(outputFields, &m)
	vals := make([]Value, len(fields))
	shown := map[string]string{}
	for i, f := range fields {
		raw, ok := m[f]
		if !ok {
			vals[i] = Value{State: Absent}
			continue
		}
		s := string(raw)
		vals[i] = ValueOf(&s)
		if vals[i].State == Text {
			shown[f] = vals[i].Text
		}
	}
	return vals, shown
}
