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
	UUID         *string      `json:"uuid"`
	Output       string       `json:"output"`
	Priority     *string      `json:"priority"`
	Rule         *string      `json:"rule"`
	Time         *string      `json:"time"`
	OutputFields outputFields `json:"output_fields"`
	Source       string       `json:"source"`
	Tags         []string     `json:"tags"`
	Hostname     string       `json:"hostname"`
}

// outputFields is the output_fields value as sent. It is taken during the event's own decoding: an object is kept
// compacted (what Event.OutputFields holds), anything else only by its kind, which is all its error needs.
type outputFields struct {
	raw []byte // the compacted object; nil when absent, null or not an object
	set bool   // present and not null
}

func (o *outputFields) UnmarshalJSON(b []byte) error {
	// The decoder hands over one whole value that json.Unmarshal has already checked, so compacting cannot fail.
	b = bytes.TrimSpace(b)
	*o = outputFields{set: len(b) > 0 && string(b) != "null"}
	if o.set && b[0] == '{' {
		o.raw = compactObject(b)
	}
	return nil
}

// compactObject is a copy of a valid JSON object with the whitespace between tokens removed, as json.Compact
// writes it. falcosidekick and Falco send compact JSON, so the copy is the common case and json.Compact only runs
// when there is whitespace outside the strings to remove.
func compactObject(b []byte) []byte {
	if !hasSpaceOutsideStrings(b) {
		return append([]byte(nil), b...)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return append([]byte(nil), b...)
	}
	return buf.Bytes()
}

// hasSpaceOutsideStrings reports whether valid JSON has whitespace between its tokens: the only bytes
// json.Compact removes. Strings are skipped whole: inside one, a quote preceded by an odd number of backslashes is
// escaped, any other ends it.
func hasSpaceOutsideStrings(b []byte) bool {
	for {
		q := bytes.IndexByte(b, '"')
		if q < 0 {
			q = len(b)
		}
		for _, c := range b[:q] {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				return true
			}
		}
		if q == len(b) {
			return false
		}
		b = b[q+1:]
		for { // to the end of the string
			e := bytes.IndexByte(b, '"')
			if e < 0 {
				return false // not valid JSON; not the case here
			}
			backslashes := 0
			for backslashes < e && b[e-1-backslashes] == '\\' {
				backslashes++
			}
			b = b[e+1:]
			if backslashes%2 == 0 {
				break
			}
		}
	}
}

// Parse reads one event object or a JSON array of them. Any invalid event rejects the whole body, with every
// problem named by its position, so a sender never loses half a batch silently.
//
// Parse runs once per ingest request, so an ordinary event is read in one pass (decodeFast): the event's members,
// the few output_fields values the workload fields are read from, and output_fields' own bytes. What that pass
// leaves is decoded by encoding/json, whose results and error texts are the specification (reference_test.go
// keeps the parser built on it alone). Nothing of body is kept: every Event owns its strings and bytes.
func Parse(body []byte, opts Options) ([]Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &InputError{Problems: []string{"request body is empty; send a Falco event as a JSON object or an array of them"}}
	}
	switch trimmed[0] {
	case '[':
		return parseArray(trimmed, opts)
	case '{':
		// json.Unmarshal checks the whole body before it decodes anything, so a syntax error here is the body's.
		ev, problems, syntaxErr := parseOne(trimmed, opts)
		if syntaxErr != nil {
			return nil, notJSON(syntaxErr)
		}
		if len(problems) > 0 {
			return nil, &InputError{Problems: problems}
		}
		return []Event{ev}, nil
	}
	if !json.Valid(trimmed) {
		var v any
		return nil, notJSON(json.Unmarshal(trimmed, &v))
	}
	return nil, &InputError{Problems: []string{"an event must be a JSON object"}}
}

func notJSON(err error) error {
	return &InputError{Problems: []string{"request body is not valid JSON: " + jsonProblem(err)}}
}

func parseArray(body []byte, opts Options) ([]Event, error) {
	raws, ok := splitArrayFast(body)
	if !ok {
		raws = nil
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, &InputError{Problems: []string{"request body is not a valid JSON array of events: " + jsonProblem(err)}}
		}
	}
	if len(raws) == 0 {
		return nil, &InputError{Problems: []string{"request body is an empty array; send at least one event"}}
	}
	out := make([]Event, 0, len(raws))
	var problems []string
	for i, raw := range raws {
		ev, errs, syntaxErr := parseOne(raw, opts)
		if syntaxErr != nil { // not after the array's own check; said as a bad event all the same
			errs = []string{"not a valid event object: " + jsonProblem(syntaxErr)}
		}
		for _, e := range errs {
			problems = append(problems, fmt.Sprintf("event %d: %s", i, e))
		}
		if len(errs) == 0 && syntaxErr == nil {
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

// parseOne reads one event: its problems, or syntaxErr when raw is not JSON at all.
func parseOne(raw []byte, opts Options) (ev Event, problems []string, syntaxErr error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Event{}, []string{"an event must be a JSON object"}, nil
	}
	var w wireEvent
	fields := fieldValues{clusterKey: opts.ClusterField}
	fast := decodeFast(raw, &w, &fields)
	if !fast {
		w, fields = wireEvent{}, fieldValues{clusterKey: opts.ClusterField}
		if err := json.Unmarshal(raw, &w); err != nil {
			var syn *json.SyntaxError
			var typ *json.UnmarshalTypeError
			switch {
			case errors.As(err, &syn):
				return Event{}, nil, err
			case errors.As(err, &typ):
				return Event{}, []string{fmt.Sprintf("field %q must be %s, got JSON %s", typ.Field, typ.Type, typ.Value)}, nil
			}
			return Event{}, []string{"not a valid event object: " + jsonProblem(err)}, nil
		}
	}
	ev = Event{Output: w.Output, Source: w.Source, Hostname: w.Hostname, Tags: cleanTags(w.Tags)}
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
	if w.OutputFields.set && w.OutputFields.raw == nil {
		problems = append(problems, `"output_fields" must be a JSON object`)
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
		return Event{}, problems, nil
	}
	if ev.ID == "" {
		ev.ID = DerivedID(ev.Time, ev.Rule, ev.Hostname, ev.Output)
	}
	if w.OutputFields.raw == nil {
		ev.OutputFields = json.RawMessage("{}")
	} else {
		ev.OutputFields = w.OutputFields.raw
		if !fast {
			fields.fromMap(ev.OutputFields)
		}
	}
	extractWorkload(&ev, &fields, opts)
	return ev, nil, nil
}

// DerivedID is the idempotency key of an event without a uuid (Falco's own http_output): the same alert sent twice
// gets the same key, two alerts differ at least in their nanosecond time or output.
func DerivedID(t time.Time, rule, hostname, output string) string {
	// SHA-256 of time, rule, hostname and output, each followed by a 0 byte.
	buf := make([]byte, 0, len(time.RFC3339Nano)+len(rule)+len(hostname)+len(output)+4)
	buf = append(t.UTC().AppendFormat(buf, time.RFC3339Nano), 0)
	buf = append(append(buf, rule...), 0)
	buf = append(append(buf, hostname...), 0)
	buf = append(append(buf, output...), 0)
	sum := sha256.Sum256(buf)
	const prefix = "falco-"
	var id [len(prefix) + 32]byte
	copy(id[:], prefix)
	hex.Encode(id[len(prefix):], sum[:16])
	return string(id[:])
}

// cleanTags trims the tags and drops empty ones, in place: the slice is the decoder's own.
func cleanTags(tags []string) []string {
	out := tags[:0]
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
