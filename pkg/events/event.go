package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event is one Falco alert as stored and returned: the payload's own fields plus the workload fields read from
// output_fields, so filters never have to parse JSON.
type Event struct {
	ID           string
	Time         time.Time
	Priority     Priority
	Rule         string
	Source       string
	Hostname     string
	Cluster      string
	Namespace    string
	Pod          string
	Container    string
	Image        string
	Process      string
	Cmdline      string
	User         string
	Parent       string
	Tags         []string
	Output       string
	OutputFields json.RawMessage // the JSON object as sent ("{}" when absent)
}

// Options are the per-datasource settings that shape parsing.
type Options struct {
	// DefaultCluster names the cluster of events whose output_fields do not carry one.
	DefaultCluster string
	// ClusterField is the output_fields key holding the cluster (falcosidekick customfields, Falco static fields).
	ClusterField string
}

// InputError says why a request body cannot be stored; nothing of such a body is stored.
type InputError struct {
	Problems []string
}

func (e *InputError) Error() string {
	return strings.Join(e.Problems, "; ")
}

// Times a signed 64-bit count of nanoseconds since 1970 can hold.
var (
	minTime = time.Unix(0, 0)
	maxTime = time.Unix(0, 1<<63-1)
)

// maxIDLength bounds a client-chosen uuid, which becomes a unique key in the store.
const maxIDLength = 128

// wireEvent is the JSON both falcosidekick's webhook (types.FalcoPayload, with uuid) and Falco's json_output /
// http_output (no uuid, time with nanoseconds) send.
type wireEvent struct {
	UUID         *string         `json:"uuid"`
	Output       string          `json:"output"`
	Priority     *string         `json:"priority"`
	Rule         *string         `json:"rule"`
	Time         *string         `json:"time"`
	OutputFields json.RawMessage `json:"output_fields"`
	Source       string          `json:"source"`
	Tags         []string        `json:"tags"`
	Hostname     string          `json:"hostname"`
}

// Parse reads one event object or a JSON array of them. Any invalid event rejects the whole body, with every
// problem named by its position, so a sender never loses half a batch silently.
func Parse(body []byte, opts Options) ([]Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &InputError{Problems: []string{"request body is empty; send a Falco event as a JSON object or an array of them"}}
	}
	var raws []json.RawMessage
	array := trimmed[0] == '['
	if array {
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return nil, &InputError{Problems: []string{"request body is not a valid JSON array of events: " + jsonProblem(err)}}
		}
		if len(raws) == 0 {
			return nil, &InputError{Problems: []string{"request body is an empty array; send at least one event"}}
		}
	} else {
		if !json.Valid(trimmed) {
			var v any
			return nil, &InputError{Problems: []string{"request body is not valid JSON: " + jsonProblem(json.Unmarshal(trimmed, &v))}}
		}
		raws = []json.RawMessage{trimmed}
	}
	out := make([]Event, 0, len(raws))
	var problems []string
	for i, raw := range raws {
		ev, errs := parseOne(raw, opts)
		for _, e := range errs {
			if array {
				e = fmt.Sprintf("event %d: %s", i, e)
			}
			problems = append(problems, e)
		}
		if len(errs) == 0 {
			out = append(out, ev)
		}
	}
	if len(problems) > 0 {
		return nil, &InputError{Problems: problems}
	}
	return out, nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("%v (at byte %d)", err, syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("expected %s, got JSON %s", typ.Type, typ.Value)
	case err == nil:
		return "invalid"
	}
	return err.Error()
}

func parseOne(raw json.RawMessage, opts Options) (Event, []string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Event{}, []string{"an event must be a JSON object"}
	}
	var w wireEvent
	if err := json.Unmarshal(raw, &w); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return Event{}, []string{fmt.Sprintf("field %q must be %s, got JSON %s", typ.Field, typ.Type, typ.Value)}
		}
		return Event{}, []string{"not a valid event object: " + jsonProblem(err)}
	}
	var problems []string
	ev := Event{Output: w.Output, Source: w.Source, Hostname: w.Hostname, Tags: cleanTags(w.Tags)}
	if w.Rule == nil || strings.TrimSpace(*w.Rule) == "" {
		problems = append(problems, `missing "rule"`)
	} else {
		ev.Rule = *w.Rule
	}
	if w.Priority == nil || strings.TrimSpace(*w.Priority) == "" {
		problems = append(problems, `missing "priority"`)
	} else if p, err := ParsePriority(*w.Priority); err != nil {
		problems = append(problems, err.Error())
	} else {
		ev.Priority = p
	}
	if w.Time == nil || strings.TrimSpace(*w.Time) == "" {
		problems = append(problems, `missing "time" (RFC 3339, as Falco writes it)`)
	} else if t, err := time.Parse(time.RFC3339Nano, *w.Time); err != nil {
		problems = append(problems, fmt.Sprintf("time %q is not RFC 3339 (for example 2026-11-29T15:04:05.123456789Z)", truncate(*w.Time, 64)))
	} else if t.Before(minTime) || t.After(maxTime) {
		problems = append(problems, fmt.Sprintf("time %q is outside 1970..2262 (events are stored in nanoseconds since 1970)", truncate(*w.Time, 64)))
	} else {
		ev.Time = t.UTC()
	}
	fields, fieldProblem := parseOutputFields(w.OutputFields)
	if fieldProblem != "" {
		problems = append(problems, fieldProblem)
	}
	if w.UUID != nil {
		id := strings.TrimSpace(*w.UUID)
		switch {
		case id == "":
		case len(id) > maxIDLength:
			problems = append(problems, fmt.Sprintf(`"uuid" is longer than %d characters`, maxIDLength))
		default:
			ev.ID = id
		}
	}
	if len(problems) > 0 {
		return Event{}, problems
	}
	if ev.ID == "" {
		ev.ID = DerivedID(ev.Time, ev.Rule, ev.Hostname, ev.Output)
	}
	if len(w.OutputFields) == 0 || string(bytes.TrimSpace(w.OutputFields)) == "null" {
		ev.OutputFields = json.RawMessage("{}")
	} else {
		var buf bytes.Buffer
		if err := json.Compact(&buf, w.OutputFields); err == nil {
			ev.OutputFields = buf.Bytes()
		} else {
			ev.OutputFields = append(json.RawMessage(nil), w.OutputFields...)
		}
	}
	extractWorkload(&ev, fields, opts)
	return ev, nil
}

// DerivedID is the idempotency key of an event without a uuid (Falco's own http_output): the same alert sent twice
// gets the same key, two alerts differ at least in their nanosecond time or output.
func DerivedID(t time.Time, rule, hostname, output string) string {
	h := sha256.New()
	for _, part := range []string{t.UTC().Format(time.RFC3339Nano), rule, hostname, output} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "falco-" + hex.EncodeToString(h.Sum(nil)[:16])
}

func parseOutputFields(raw json.RawMessage) (map[string]json.RawMessage, string) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil, ""
	}
	if t[0] != '{' {
		return nil, `"output_fields" must be a JSON object`
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(t, &m); err != nil {
		return nil, `"output_fields" must be a JSON object: ` + jsonProblem(err)
	}
	return m, ""
}

func cleanTags(tags []string) []string {
	out := tags[:0:0]
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
