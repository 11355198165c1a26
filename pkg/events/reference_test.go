package events

// The parser as it was before it was made cheaper (commit eecde32), kept verbatim but for the ref prefix: the
// differential tests hold the fast Parse to exactly its events and its error texts.

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

// refWireEvent is the JSON both falcosidekick's webhook (types.FalcoPayload, with uuid) and Falco's json_output /
// http_output (no uuid, time with nanoseconds) send.
type refWireEvent struct {
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

// refParse reads one event object or a JSON array of them. Any invalid event rejects the whole body, with every
// problem named by its position, so a sender never loses half a batch silently.
func refParse(body []byte, opts Options) ([]Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &InputError{Problems: []string{"request body is empty; send a Falco event as a JSON object or an array of them"}}
	}
	var raws []json.RawMessage
	array := trimmed[0] == '['
	if array {
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return nil, &InputError{Problems: []string{"request body is not a valid JSON array of events: " + refJsonProblem(err)}}
		}
		if len(raws) == 0 {
			return nil, &InputError{Problems: []string{"request body is an empty array; send at least one event"}}
		}
	} else {
		if !json.Valid(trimmed) {
			var v any
			return nil, &InputError{Problems: []string{"request body is not valid JSON: " + refJsonProblem(json.Unmarshal(trimmed, &v))}}
		}
		raws = []json.RawMessage{trimmed}
	}
	out := make([]Event, 0, len(raws))
	var problems []string
	for i, raw := range raws {
		ev, errs := refParseOne(raw, opts)
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

func refJsonProblem(err error) string {
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

func refParseOne(raw json.RawMessage, opts Options) (Event, []string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Event{}, []string{"an event must be a JSON object"}
	}
	var w refWireEvent
	if err := json.Unmarshal(raw, &w); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return Event{}, []string{fmt.Sprintf("field %q must be %s, got JSON %s", typ.Field, typ.Type, typ.Value)}
		}
		return Event{}, []string{"not a valid event object: " + refJsonProblem(err)}
	}
	var problems []string
	ev := Event{Output: w.Output, Source: w.Source, Hostname: w.Hostname, Tags: refCleanTags(w.Tags)}
	if w.Rule == nil || strings.TrimSpace(*w.Rule) == "" {
		problems = append(problems, `missing "rule"`)
	} else {
		ev.Rule = *w.Rule
	}
	if w.Priority == nil || strings.TrimSpace(*w.Priority) == "" {
		problems = append(problems, `missing "priority"`)
	} else if p, err := refParsePriority(*w.Priority); err != nil {
		problems = append(problems, err.Error())
	} else {
		ev.Priority = p
	}
	if w.Time == nil || strings.TrimSpace(*w.Time) == "" {
		problems = append(problems, `missing "time" (RFC 3339, as Falco writes it)`)
	} else if t, err := time.Parse(time.RFC3339Nano, *w.Time); err != nil {
		problems = append(problems, fmt.Sprintf("time %q is not RFC 3339 (for example 2026-11-29T15:04:05.123456789Z)", refTruncate(*w.Time, 64)))
	} else if t.Before(minTime) || t.After(maxTime) {
		problems = append(problems, fmt.Sprintf("time %q is outside 1970..2262 (events are stored in nanoseconds since 1970)", refTruncate(*w.Time, 64)))
	} else {
		ev.Time = t.UTC()
	}
	fields, fieldProblem := refParseOutputFields(w.OutputFields)
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
		ev.ID = refDerivedID(ev.Time, ev.Rule, ev.Hostname, ev.Output)
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
	refExtractWorkload(&ev, fields, opts)
	return ev, nil
}

// refDerivedID is the idempotency key of an event without a uuid (Falco's own http_output): the same alert sent twice
// gets the same key, two alerts differ at least in their nanosecond time or output.
func refDerivedID(t time.Time, rule, hostname, output string) string {
	h := sha256.New()
	for _, part := range []string{t.UTC().Format(time.RFC3339Nano), rule, hostname, output} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "falco-" + hex.EncodeToString(h.Sum(nil)[:16])
}

func refParseOutputFields(raw json.RawMessage) (map[string]json.RawMessage, string) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return nil, ""
	}
	if t[0] != '{' {
		return nil, `"output_fields" must be a JSON object`
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(t, &m); err != nil {
		return nil, `"output_fields" must be a JSON object: ` + refJsonProblem(err)
	}
	return m, ""
}

func refCleanTags(tags []string) []string {
	out := tags[:0:0]
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func refTruncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func refExtractWorkload(ev *Event, fields map[string]json.RawMessage, opts Options) {
	get := func(keys []string) string {
		for _, k := range keys {
			if v := refStringField(fields, k); v != "" {
				return v
			}
		}
		return ""
	}
	ev.Namespace = get(namespaceKeys)
	ev.Pod = get(podKeys)
	ev.Container = get(containerKeys)
	ev.Process = get(processKeys)
	ev.Cmdline = get(cmdlineKeys)
	ev.User = get(userKeys)
	ev.Parent = get(parentKeys)
	ev.Image = refImageOf(fields)
	ev.Cluster = opts.DefaultCluster
	if opts.ClusterField != "" {
		if c := refStringField(fields, opts.ClusterField); c != "" {
			ev.Cluster = c
		}
	}
}

// refImageOf is repository:tag; container.image (the full reference) when the repository is not in the output.
func refImageOf(fields map[string]json.RawMessage) string {
	if repo := refStringField(fields, "container.image.repository"); repo != "" {
		if tag := refStringField(fields, "container.image.tag"); tag != "" {
			return repo + ":" + tag
		}
		return repo
	}
	return refStringField(fields, "container.image")
}

// refStringField reads a string value; Falco writes null, and older versions "<NA>", for a field it could not resolve.
func refStringField(fields map[string]json.RawMessage, key string) string {
	raw, ok := fields[key]
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "<NA>" {
		return ""
	}
	return s
}

// refParsePriority reads a priority name case-insensitively; "info" is accepted because Falco's rule files use INFO.
func refParsePriority(s string) (Priority, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "info" {
		return Informational, nil
	}
	for i, n := range priorityNames {
		if strings.ToLower(n) == t {
			return Priority(i), nil
		}
	}
	return 0, fmt.Errorf("unknown priority %q: use one of emergency, alert, critical, error, warning, notice, informational, debug", s)
}
