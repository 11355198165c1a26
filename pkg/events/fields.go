package events

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Output field keys are Falco's field names as they appear in output_fields. Container and Kubernetes fields come
// from the container plugin (Falco >= 0.41; suggested outputs appended through append_output), k8saudit fields
// from the k8saudit plugin; the first non-empty key of each list wins.
var (
	namespaceKeys = []string{"k8s.ns.name", "ka.target.namespace"}
	podKeys       = []string{"k8s.pod.name"}
	containerKeys = []string{"container.name"}
	processKeys   = []string{"proc.name"}
	cmdlineKeys   = []string{"proc.cmdline"}
	userKeys      = []string{"user.name", "ka.user.name"}
	parentKeys    = []string{"proc.pname"}
)

const (
	imageRepositoryKey = "container.image.repository"
	imageTagKey        = "container.image.tag"
	imageKey           = "container.image" // the full reference, when the repository is not in the output
)

// workloadKeys are all the keys above, each once: the output_fields an event is decoded for.
var workloadKeys = func() []string {
	var keys []string
	for _, list := range [][]string{namespaceKeys, podKeys, containerKeys, processKeys, cmdlineKeys, userKeys, parentKeys, {imageRepositoryKey, imageTagKey, imageKey}} {
		for _, k := range list {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(keys)+1 > maxFieldKeys {
		panic("events: more output_fields keys than fieldValues holds")
	}
	return keys
}()

// maxFieldKeys is what fieldValues holds: workloadKeys and the cluster key.
const maxFieldKeys = 16

// fieldValues are the values of the output_fields keys the workload fields are read from: per key, the string it
// was last given (a later duplicate key wins, as in a map), "" when its last value is not a string or it is absent.
type fieldValues struct {
	keys []string
	vals [maxFieldKeys]string
}

// get reads a string value; Falco writes null, and older versions "<NA>", for a field it could not resolve.
func (f *fieldValues) get(key string) string {
	for i, k := range f.keys {
		if k == key {
			s := strings.TrimSpace(f.vals[i])
			if s == "<NA>" {
				return ""
			}
			return s
		}
	}
	return ""
}

func extractWorkload(ev *Event, fields *fieldValues, opts Options) {
	get := func(keys []string) string {
		for _, k := range keys {
			if v := fields.get(k); v != "" {
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
	ev.Image = imageOf(fields)
	ev.Cluster = opts.DefaultCluster
	if opts.ClusterField != "" {
		if c := fields.get(opts.ClusterField); c != "" {
			ev.Cluster = c
		}
	}
}

// imageOf is repository:tag; container.image (the full reference) when the repository is not in the output.
func imageOf(fields *fieldValues) string {
	if repo := fields.get(imageRepositoryKey); repo != "" {
		if tag := fields.get(imageTagKey); tag != "" {
			return repo + ":" + tag
		}
		return repo
	}
	return fields.get(imageKey)
}

// A fieldDecoder reads the values of a fixed set of output_fields keys.
//
// Decoding the object into a map[string]string would be the plain way, but it allocates every key and value of
// output_fields, a few dozen per event, and that was most of what parsing cost. A struct with one field per key
// wanted lets encoding/json skip the others without allocating. But encoding/json also matches a struct field to
// a key that equals its name only case-insensitively (a map does not: "USER.NAME" is not "user.name"). So ahead of
// each key's field the struct has a sink field named as another case of the key: encoding/json prefers the exact
// name, and takes a name that only folds to a field's to the first such field (encode.go: "first folded match
// takes precedence"), the sink. Each key's field gets exactly what the map would hold for the key.
type fieldDecoder struct {
	clusterField string
	keys         []string     // workloadKeys, then the cluster key when it is not one of them
	typ          reflect.Type // the sinks, then per key a fieldString; nil: through a map
	sinks        int
}

// otherCaseKey is a sink: it takes the values of keys that only fold to a wanted key, and drops them.
type otherCaseKey struct{}

func (*otherCaseKey) UnmarshalJSON([]byte) error { return nil }

// fieldString is one wanted value: the string as encoding/json decodes it, "" for a value of another kind.
type fieldString struct{ s string }

func (f *fieldString) UnmarshalJSON(b []byte) error {
	f.s = ""
	if len(b) < 2 || b[0] != '"' {
		return nil // number, bool, null, object or array
	}
	// Without escapes and with valid UTF-8, encoding/json's string is the bytes between the quotes.
	if in := b[1 : len(b)-1]; bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
		f.s = string(in)
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		f.s = s
	}
	return nil
}

// decode reads obj, a valid JSON object, into out.
func (d *fieldDecoder) decode(obj []byte, out *fieldValues) {
	out.keys = d.keys
	if d.typ != nil {
		p := reflect.New(d.typ)
		if json.Unmarshal(obj, p.Interface()) == nil { // fieldString and the sinks take any value
			v := p.Elem()
			for i := range d.keys {
				out.vals[i] = v.Field(d.sinks + i).Field(0).String()
			}
			return
		}
	}
	// The values that are not strings fail to decode into a string and stay "", as intended; the object itself
	// is valid (the event's decoding checked it), so those are the only errors.
	var m map[string]string
	_ = json.Unmarshal(obj, &m)
	for i, k := range d.keys {
		out.vals[i] = m[k]
	}
}

// fieldDecoders are the decoders by cluster key, built once each: a datasource has one cluster key, so there are
// few. lastFieldDecoder is the one asked for last, found without hashing the key.
var (
	fieldDecoders    sync.Map // string → *fieldDecoder
	fieldDecodersMu  sync.Mutex
	fieldDecodersN   int
	lastFieldDecoder atomic.Pointer[fieldDecoder]
)

// maxFieldDecoders bounds the cache (a struct type is never freed); beyond it, keys are read through a map.
const maxFieldDecoders = 64

func fieldDecoderFor(clusterField string) *fieldDecoder {
	if d := lastFieldDecoder.Load(); d != nil && d.clusterField == clusterField {
		return d
	}
	if d, ok := fieldDecoders.Load(clusterField); ok {
		lastFieldDecoder.Store(d.(*fieldDecoder))
		return d.(*fieldDecoder)
	}
	fieldDecodersMu.Lock()
	defer fieldDecodersMu.Unlock()
	if d, ok := fieldDecoders.Load(clusterField); ok {
		return d.(*fieldDecoder)
	}
	d := &fieldDecoder{clusterField: clusterField, keys: workloadKeys}
	if clusterField != "" && !slices.Contains(d.keys, clusterField) {
		d.keys = append(slices.Clip(d.keys), clusterField)
	}
	if fieldDecodersN >= maxFieldDecoders {
		return d
	}
	d.typ, d.sinks = fieldStruct(d.keys)
	fieldDecoders.Store(clusterField, d)
	fieldDecodersN++
	return d
}

// fieldStruct builds the struct type a fieldDecoder decodes keys with, nil when encoding/json would not match
// them exactly through it.
func fieldStruct(keys []string) (typ reflect.Type, sinks int) {
	var sinkFields, valueFields []reflect.StructField
	var names []string
	for i, k := range keys {
		other, ok := otherCase(k)
		if !usableFieldName(k) || !ok || slices.ContainsFunc(keys[:i], func(o string) bool { return strings.EqualFold(o, k) }) {
			return nil, 0
		}
		if other != "" {
			sinkFields = append(sinkFields, reflect.StructField{
				Name: "S" + strconv.Itoa(i), Type: reflect.TypeFor[otherCaseKey](), Tag: jsonTag(other),
			})
			names = append(names, other)
		}
		valueFields = append(valueFields, reflect.StructField{
			Name: "F" + strconv.Itoa(i), Type: reflect.TypeFor[fieldString](), Tag: jsonTag(k),
		})
	}
	typ = reflect.StructOf(append(sinkFields, valueFields...))
	// encoding/json must know every field by the name meant for it: check with what it writes for the struct
	// (encoding names fields as decoding matches them).
	encoded, err := json.Marshal(reflect.New(typ).Interface())
	var got map[string]json.RawMessage
	if err != nil || json.Unmarshal(encoded, &got) != nil || len(got) != len(names)+len(keys) {
		return nil, 0
	}
	for _, n := range append(names, keys...) {
		if _, ok := got[n]; !ok {
			return nil, 0
		}
	}
	return typ, len(sinkFields)
}

func jsonTag(name string) reflect.StructTag {
	return reflect.StructTag(`json:` + strconv.Quote(name))
}

// otherCase is key with its ASCII letters in another case, "" for a key without letters (nothing folds to it but
// itself); not ok for a key beyond ASCII, whose case folding is Unicode's.
func otherCase(key string) (other string, ok bool) {
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			return "", false
		}
	}
	if u := strings.ToUpper(key); u != key {
		return u, true
	}
	if l := strings.ToLower(key); l != key {
		return l, true
	}
	return "", true
}

// usableFieldName reports whether encoding/json takes name from a struct tag as it is: ASCII letters, digits and
// the punctuation it allows (isValidTag), no comma (which starts the options), and not "-" (which means skip).
func usableFieldName(name string) bool {
	if name == "" || name == "-" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) >= 0) {
			return false
		}
	}
	return true
}
