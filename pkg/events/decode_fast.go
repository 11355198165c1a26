package events

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// decodeFast reads an event object in one pass with jsontext (the token layer of encoding/json/v2, which this
// module mirrors until Go 1.27 ships it): the event's members into w and the workload keys of output_fields into
// fields, with output_fields kept as its compacted bytes.
//
// It only answers what encoding/json would decode the same way, and says false for everything else, for which
// Parse decodes with encoding/json as before (so a problem is named exactly as it was):
//   - jsontext checks the whole value and, with its defaults (AllowInvalidUTF8 and AllowDuplicateNames false,
//     jsontext/options.go), rejects what encoding/json would accept and change: invalid UTF-8 and unpaired
//     surrogate escapes, which encoding/json replaces with U+FFFD (unquoteBytes in decode.go), and duplicate names
//     in any object, where "later duplicates will replace or be merged into" earlier ones (Unmarshal's doc);
//   - a member name that matches one of the event's only case-insensitively: encoding/json looks a key up in
//     fields.byExactName, then in fields.byFoldedName (decode.go), folded so that it matches exactly when
//     bytes.EqualFold does (foldName in fold.go), so it takes "RULE" as "rule";
//   - a member value of a kind the event's field does not take (encoding/json names the field and the type).
//
// Everything decodeFast accepts, encoding/json accepts too: both follow RFC 8259, and jsontext is the stricter.
func decodeFast(raw []byte, w *wireEvent, fields *fieldValues) bool {
	fd := borrowDecoder(raw)
	defer fd.release()
	d := &fd.dec
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '{' {
		return false
	}
	for d.PeekKind() == '"' {
		name, err := d.ReadValue()
		if err != nil {
			return false
		}
		m, ok := fd.member(name)
		if !ok {
			return false
		}
		switch m {
		case memberUUID:
			ok = fd.optString(&w.UUID)
		case memberPriority:
			ok = fd.optString(&w.Priority)
		case memberRule:
			ok = fd.optString(&w.Rule)
		case memberTime:
			ok = fd.optString(&w.Time)
		case memberOutput:
			ok = fd.plainString(&w.Output)
		case memberSource:
			ok = fd.plainString(&w.Source)
		case memberHostname:
			ok = fd.plainString(&w.Hostname)
		case memberTags:
			ok = fd.tags(&w.Tags)
		case memberOutputFields:
			ok = fd.outputFields(raw, &w.OutputFields, fields)
		default:
			ok = d.SkipValue() == nil
		}
		if !ok {
			return false
		}
	}
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '}' {
		return false
	}
	_, err := d.ReadToken()
	return err == io.EOF // nothing after the object
}

// splitArrayFast is what encoding/json decodes a JSON array into as []json.RawMessage: each element's bytes
// without the whitespace around them (slices of body). Not ok for anything jsontext refuses (see decodeFast), and
// encoding/json decodes it instead.
func splitArrayFast(body []byte) (raws []json.RawMessage, ok bool) {
	fd := borrowDecoder(body)
	defer fd.release()
	d := &fd.dec
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '[' {
		return nil, false
	}
	raws = []json.RawMessage{}
	for k := d.PeekKind(); k != ']'; k = d.PeekKind() {
		v, err := d.ReadValue()
		if err != nil {
			return nil, false
		}
		raws = append(raws, json.RawMessage(v)) // the buffer is body itself: v stays valid
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, false
	}
	if _, err := d.ReadToken(); err != io.EOF {
		return nil, false
	}
	return raws, true
}

// fastDecoder is a reusable jsontext decoder and the scratch space names and strings are unquoted into.
type fastDecoder struct {
	in  bytes.Buffer
	dec jsontext.Decoder
	unq []byte
}

var fastDecoders = sync.Pool{New: func() any { return new(fastDecoder) }}

// borrowDecoder is a decoder from the pool reading b, which it reads in place (a bytes.Buffer is not copied).
func borrowDecoder(b []byte) *fastDecoder {
	fd := fastDecoders.Get().(*fastDecoder)
	fd.in = *bytes.NewBuffer(b)
	fd.dec.Reset(&fd.in)
	return fd
}

func (fd *fastDecoder) release() {
	fd.in = bytes.Buffer{}
	fd.dec.Reset(&fd.in) // keeps no reference to the body
	fastDecoders.Put(fd)
}

type member int

const (
	memberOther member = iota
	memberUUID
	memberOutput
	memberPriority
	memberRule
	memberTime
	memberOutputFields
	memberSource
	memberTags
	memberHostname
)

// memberNames are wireEvent's JSON names.
var memberNames = [...]string{
	memberUUID: "uuid", memberOutput: "output", memberPriority: "priority", memberRule: "rule", memberTime: "time",
	memberOutputFields: "output_fields", memberSource: "source", memberTags: "tags", memberHostname: "hostname",
}

// member is the event field a member name (a raw JSON string) is decoded into; not ok when the name equals one
// only case-insensitively or cannot be unquoted.
func (fd *fastDecoder) member(raw jsontext.Value) (member, bool) {
	name, ok := fd.unquote(raw)
	if !ok {
		return 0, false
	}
	for m, n := range memberNames {
		if string(name) == n && n != "" {
			return member(m), true
		}
	}
	for _, n := range memberNames {
		if n != "" && bytes.EqualFold(name, []byte(n)) {
			return 0, false
		}
	}
	return memberOther, true
}

// unquote is the text of a raw JSON string, valid until the next call. The decoder has checked the string, so
// without a backslash its text is the bytes between the quotes.
func (fd *fastDecoder) unquote(raw jsontext.Value) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, false
	}
	in := raw[1 : len(raw)-1]
	if bytes.IndexByte(in, '\\') < 0 {
		return in, true
	}
	var err error
	fd.unq, err = jsontext.AppendUnquote(fd.unq[:0], raw)
	return fd.unq, err == nil
}

// optString decodes a string or null into a *string as encoding/json does: null sets nil.
func (fd *fastDecoder) optString(p **string) bool {
	v, err := fd.dec.ReadValue()
	if err != nil {
		return false
	}
	if v.Kind() == 'n' {
		*p = nil
		return true
	}
	s, ok := fd.unquote(v)
	if ok {
		str := string(s)
		*p = &str
	}
	return ok
}

// plainString decodes a string or null into a string as encoding/json does: null leaves it as it is.
func (fd *fastDecoder) plainString(p *string) bool {
	v, err := fd.dec.ReadValue()
	if err != nil {
		return false
	}
	if v.Kind() == 'n' {
		return true
	}
	s, ok := fd.unquote(v)
	if ok {
		*p = string(s)
	}
	return ok
}

// tags decodes an array of strings or null as encoding/json does into a nil slice: null is nil, [] is empty and
// not nil, a null element is "".
func (fd *fastDecoder) tags(p *[]string) bool {
	d := &fd.dec
	switch d.PeekKind() {
	case 'n':
		*p = nil
		return d.SkipValue() == nil
	case '[':
	default:
		return false
	}
	if _, err := d.ReadToken(); err != nil {
		return false
	}
	tags := []string{}
	for k := d.PeekKind(); k != ']'; k = d.PeekKind() {
		v, err := d.ReadValue()
		if err != nil {
			return false
		}
		switch v.Kind() {
		case 'n':
			tags = append(tags, "")
		case '"':
			s, ok := fd.unquote(v)
			if !ok {
				return false
			}
			tags = append(tags, string(s))
		default:
			return false
		}
	}
	if _, err := d.ReadToken(); err != nil {
		return false
	}
	*p = tags
	return true
}

// outputFields decodes output_fields: null as outputFields.UnmarshalJSON takes it, an object member by member
// for the workload keys and then kept compacted; any other kind is left to encoding/json, which names it.
func (fd *fastDecoder) outputFields(raw []byte, o *outputFields, fields *fieldValues) bool {
	d := &fd.dec
	switch d.PeekKind() {
	case 'n':
		*o = outputFields{}
		return d.SkipValue() == nil
	case '{':
	default:
		return false
	}
	start := d.InputOffset() // just after the name: the colon and any whitespace come first
	if _, err := d.ReadToken(); err != nil {
		return false
	}
	for d.PeekKind() == '"' {
		name, err := d.ReadValue()
		if err != nil {
			return false
		}
		key, ok := fd.unquote(name)
		if !ok {
			return false
		}
		slot := slotOf(fields, key)
		if slot < 0 {
			if d.SkipValue() != nil {
				return false
			}
			continue
		}
		fields.vals[slot] = ""
		if d.PeekKind() != '"' { // not a string: "" (a map[string]string gets no value for it either)
			if d.SkipValue() != nil {
				return false
			}
			continue
		}
		v, err := d.ReadValue()
		if err != nil {
			return false
		}
		s, ok := fd.unquote(v)
		if !ok {
			return false
		}
		fields.vals[slot] = string(s)
	}
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '}' {
		return false
	}
	obj := bytes.TrimLeft(raw[start:d.InputOffset()], " \t\r\n:")
	*o = outputFields{raw: compactObject(obj), set: true}
	return true
}
