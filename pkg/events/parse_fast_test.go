package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sameAsReference fails t when Parse and the parser it replaced (reference_test.go) differ in anything a caller
// sees: the events field by field (OutputFields byte for byte, nil and empty tags apart) or the error text.
func sameAsReference(t *testing.T, body []byte, opts Options) {
	t.Helper()
	got, gotErr := Parse(body, opts)
	want, wantErr := refParse(body, opts)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("body %q, options %+v:\nerror   %v\nwant    %v", body, opts, gotErr, wantErr)
	}
	if gotErr != nil {
		var ie *InputError
		if !errorsAs(gotErr, &ie) || got != nil {
			t.Fatalf("body %q: errors must be InputErrors without events: %#v %v", body, gotErr, got)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q, options %+v:\ngot  %#v\nwant %#v", body, opts, got, want)
	}
}

func errorsAs(err error, ie **InputError) bool {
	e, ok := err.(*InputError)
	*ie = e
	return ok
}

// event is a valid event object around the given output_fields JSON (the text after the key, as sent).
func event(outputFields string) string {
	return `{"uuid":"u-1","output":"o","priority":"Notice","rule":"r","time":"2026-11-29T15:04:05.1Z","source":"syscall","tags":["a"],"hostname":"h","output_fields":` + outputFields + `}`
}

// referenceBodies are payloads whose every detail Parse must treat as the reference parser did: what the one-pass
// decoding takes (values without escapes and with them, output_fields with and without whitespace, the workload
// keys) and what it leaves to encoding/json (keys in another case, duplicates, invalid UTF-8, values of another
// kind, bodies that are not JSON).
var referenceBodies = []string{
	benchEvent, falcosidekickEvent, falcoJSONOutput,
	"[" + benchEvent + "," + falcoJSONOutput + "]",
	"  \n" + benchEvent + "\n\t ",
	// Values with escapes and beyond ASCII.
	event(`{"user.name":"ren\u00e9","proc.cmdline":"sh -c \"echo hi\"\n","k8s.pod.name":"a\\b","container.name":"caf` + "\u00e9" + `"}`),
	event(`{"proc.cmdline":"a \u0026\u0026 b \u003c c","k8s.ns.name":"\ud83d\ude00","proc.name":"\ud800"}`),
	event(`{"proc.cmdline":"tab\there","container.image.repository":"r\/x","container.image.tag":"\u0031.0"}`),
	event("{\"user.name\":\"bad\xffutf8\",\"proc.name\":\"\xc3\",\"k8s.ns.name\":\"ok\"}"),
	// Whitespace in output_fields: compacted; spaces inside strings stay.
	event(`{ "k8s.ns.name" : "shop" ,` + "\n\t" + `"proc.cmdline": "bash  -il" , "n": [ 1 , { "a" : null } ] }`),
	event("{\r\n}"), event(`{}`), event(`{ }`),
	event(`{"a":"  spaced  ","b":"quote\" inside \\\" { [ ] } , :"}`),
	event(`{"a":"\\","k8s.ns.name":" x "}`),
	// Values that are not strings, "<NA>", padding.
	event(`{"k8s.ns.name":null,"k8s.pod.name":1,"container.name":true,"proc.name":{"x":"y"},"proc.cmdline":["a"],"user.name":"<NA>","proc.pname":"  <NA>  ","ka.user.name":"  admin  ","ka.target.namespace":" kube-system "}`),
	event(`{"evt.time":1795964645123456789,"n":-1.5e+300,"f":0.1,"z":-0,"big":123456789012345678901234567890}`),
	event(`{"container.image":"quay.io/x/y:2","container.image.tag":"3"}`),
	event(`{"container.image.repository":"","container.image.tag":"3","container.image":"i"}`),
	event(`{"container.image.repository":"repo","container.image.tag":"<NA>"}`),
	// Keys: duplicates (the last wins), other cases, escapes, folding beyond ASCII.
	event(`{"user.name":"root","user.name":5}`),
	event(`{"user.name":5,"user.name":"root"}`),
	event(`{"user.name":"root","user.name":null}`),
	event(`{"user.name":"root","user.name":"admin"}`),
	event(`{"K8S.NS.NAME":"upper","k8s.ns.name":"exact"}`),
	event(`{"k8s.ns.name":"exact","K8S.NS.NAME":"upper"}`),
	event(`{"User.Name":"mixed"}`),
	event(`{"USER.NAME":"upper"}`),
	event(`{"user.nAme":"x","proc.name":"p"}`),
	event(`{"k8s.ns.nam\u0065":"escaped exact"}`),
	event(`{"\u004b8s.ns.name":"escaped upper"}`),
	event(`{"\u212a8s.ns.name":"kelvin","user.name":"root"}`),
	event(`{"k8` + "\u017f" + `.ns.name":"long s"}`),
	event(`{"pr\u0131oc.name":"dotless"}`),
	event(`{"cluster":"c1","Cluster":"c2","CLUSTER":"c3"}`),
	event(`{"cluster":"c1","my cluster":"c2","clüster":"c3","a,b":"c4","-":"c5","k8s.ns.name":"ns"}`),
	event(`{"cluster":" <NA> "}`), event(`{"cluster":{"name":"c"}}`),
	event("{\"us\xffer.name\":\"x\"}"),
	// output_fields absent, null or not an object; given twice.
	`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z"}`,
	event(`null`), event(`[1]`), event(`"x"`), event(`5`), event(`true`), event(`[]`),
	event(`{"a":1},"output_fields":{"b":2}`),
	event(`{"a":1},"output_fields":[1]`),
	event(`[1],"output_fields":null`),
	event(`{"a":1},"OUTPUT_FIELDS":{"k8s.ns.name":"x"}`),
	// The event's own fields: types, cases, duplicates, nulls.
	`{"RULE":"r","Priority":"ERROR","TIME":"2026-11-29T15:04:05Z","UUID":" id "}`,
	`{"rule":"r","rule":null,"priority":"Warning","time":"2026-11-29T15:04:05Z"}`,
	`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","uuid":"x","uuid":null}`,
	`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","uuid":"   "}`,
	`{"rule":"r","priority":"info","time":"2026-11-29T15:04:05+02:00","tags":null}`,
	`{"rule":"r","priority":"INFO","time":"2026-11-29T15:04:05Z","tags":[]}`,
	`{"rule":"r","priority":" debug ","time":"2026-11-29T15:04:05Z","tags":["  ",""]}`,
	`{"rule":"r","priority":"Emergency","time":"2026-11-29T15:04:05Z","tags":[" a ","","b","  c"]}`,
	`{"rule":"r","priority":"İnformational","time":"2026-11-29T15:04:05Z"}`,
	`{"rule":"r","priority":"ınfo","time":"2026-11-29T15:04:05Z"}`,
	`{"rule":"r","priority":"notice\u0000","time":"2026-11-29T15:04:05Z"}`,
	`{"rule":"r","priority":"Severe","time":"2026-11-29T15:04:05Z","output_fields":[1],"uuid":"` + strings.Repeat("a", 200) + `"}`,
	`{"rule":"r","priority":4,"time":"2026-11-29T15:04:05Z"}`,
	`{"output":5,"priority":4}`,
	`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","tags":"x"}`,
	`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","tags":[1]}`,
	`{"rule":["r"],"priority":"Warning","time":"2026-11-29T15:04:05Z","output_fields":{"a":1}}`,
	`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","hostname":{}}`,
	`{"rule":"r","priority":"Warning","time":"yesterday"}`,
	`{"rule":"r","priority":"Warning","time":"` + strings.Repeat("9", 100) + `"}`,
	`{"rule":"r","priority":"Warning","time":"0001-01-01T00:00:00Z"}`,
	`{"rule":"r","priority":"Warning","time":"2300-01-01T00:00:00Z"}`,
	`{"rule":"r","priority":"Warning","time":"1970-01-01T00:00:00Z"}`,
	`{"rule":" ","priority":" ","time":" "}`,
	`{"output":"x"}`, `{}`,
	// Not JSON, not an object, arrays.
	"", "  ", "{rule:", `{"rule":"r"`, `{"rule":"r"}}`, `{"rule":"r"} x`, "{\"rule\":\"\xff\"}", `{"a":1,}`,
	`"hello"`, `5`, `null`, `true`, `hello`, `"unterminated`, "\xff",
	`[]`, `[1,2`, `[{},1]`, `[null]`, `[ ` + falcoJSONOutput + ` , {"rule":"r"} ]`, `[[]]`, `[{"rule":"r","priority":4}]`,
	`[{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","output_fields":{ "k8s.ns.name" : "a" }}]`,
}

var referenceOptions = []Options{
	{},
	{DefaultCluster: "default", ClusterField: "cluster"},
	{ClusterField: "Cluster"},
	{ClusterField: "CLUSTER"},
	{ClusterField: "k8s.ns.name"},
	{ClusterField: "K8S.NS.NAME"},
	{ClusterField: "my cluster"},
	{ClusterField: "clüster"},
	{ClusterField: "a,b"},
	{ClusterField: "-"},
	{ClusterField: "123"},
}

func TestParseMatchesReference(t *testing.T) {
	for i, body := range referenceBodies {
		for _, opts := range referenceOptions {
			t.Run(fmt.Sprintf("%d/%s", i, opts.ClusterField), func(t *testing.T) {
				sameAsReference(t, []byte(body), opts)
			})
		}
	}
}

// FuzzParseMatchesReference: for any body and cluster key, Parse is the reference parser, only cheaper.
func FuzzParseMatchesReference(f *testing.F) {
	for _, b := range referenceBodies {
		f.Add([]byte(b), "cluster")
	}
	f.Add([]byte(event(`{"K8S.NS.NAME":"x"}`)), "K8S.NS.NAME")
	f.Fuzz(func(t *testing.T, body []byte, clusterField string) {
		sameAsReference(t, body, Options{DefaultCluster: "d", ClusterField: clusterField})
		sameAsReference(t, body, Options{DefaultCluster: "d", ClusterField: "cluster"})
	})
}

// TestParseOutputFields spells out what the reference comparison implies for the fast paths.
func TestParseOutputFields(t *testing.T) {
	workload := func(e Event) string {
		return strings.Join([]string{e.Namespace, e.Pod, e.Container, e.Process, e.Cmdline, e.User, e.Parent, e.Image, e.Cluster}, "|")
	}
	for name, tc := range map[string]struct {
		fields, wantBytes, wantWorkload string
	}{
		"compact as sent": {
			fields:       `{"container.name":"nginx","evt.time":1795964645123456789,"n":null}`,
			wantBytes:    `{"container.name":"nginx","evt.time":1795964645123456789,"n":null}`,
			wantWorkload: "||nginx||||||d",
		},
		"whitespace removed, not inside strings": {
			fields:       "{ \"proc.cmdline\" :\t\"bash  -il\" ,\n \"a\" : [ 1 , { } ] }",
			wantBytes:    `{"proc.cmdline":"bash  -il","a":[1,{}]}`,
			wantWorkload: "||||bash  -il||||d",
		},
		"escapes kept in the bytes, decoded in the fields": {
			fields:       `{"user.name":"ren\u00e9","proc.cmdline":"sh -c \"x\"\n","container.image.repository":"r\/x","cluster":"\u0063"}`,
			wantBytes:    `{"user.name":"ren\u00e9","proc.cmdline":"sh -c \"x\"\n","container.image.repository":"r\/x","cluster":"\u0063"}`,
			wantWorkload: "||||sh -c \"x\"|rené||r/x|c",
		},
		"null is empty": {fields: `null`, wantBytes: `{}`, wantWorkload: "||||||||d"},
		"not a string is empty, <NA> too, padding trimmed": {
			fields:       `{"k8s.ns.name":{"a":"b"},"k8s.pod.name":7,"container.name":null,"proc.name":"<NA>","user.name":" root ","cluster":["c"]}`,
			wantBytes:    `{"k8s.ns.name":{"a":"b"},"k8s.pod.name":7,"container.name":null,"proc.name":"<NA>","user.name":" root ","cluster":["c"]}`,
			wantWorkload: "|||||root|||d",
		},
		"keys match exactly, not in another case": {
			fields:       `{"K8S.NS.NAME":"a","User.Name":"b","\u212a8s.pod.name":"c","k8s.ns.nam\u0065":"d","CLUSTER":"e"}`,
			wantBytes:    `{"K8S.NS.NAME":"a","User.Name":"b","\u212a8s.pod.name":"c","k8s.ns.nam\u0065":"d","CLUSTER":"e"}`,
			wantWorkload: "d||||||||d",
		},
		"the last duplicate wins": {
			fields:       `{"user.name":"a","user.name":"b","proc.name":"p","proc.name":1,"proc.pname":"q","proc.pname":null}`,
			wantBytes:    `{"user.name":"a","user.name":"b","proc.name":"p","proc.name":1,"proc.pname":"q","proc.pname":null}`,
			wantWorkload: "|||||b|||d",
		},
	} {
		t.Run(name, func(t *testing.T) {
			opts := Options{DefaultCluster: "d", ClusterField: "cluster"}
			sameAsReference(t, []byte(event(tc.fields)), opts)
			evs, err := Parse([]byte(event(tc.fields)), opts)
			if err != nil {
				t.Fatal(err)
			}
			if string(evs[0].OutputFields) != tc.wantBytes {
				t.Errorf("output_fields %s, want %s", evs[0].OutputFields, tc.wantBytes)
			}
			if got := workload(evs[0]); got != tc.wantWorkload {
				t.Errorf("workload %q, want %q", got, tc.wantWorkload)
			}
		})
	}
}

func TestParseEventDoesNotShareTheBody(t *testing.T) {
	body := []byte(benchEvent)
	evs, err := Parse(body, Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := fmt.Sprintf("%+v", evs[0])
	for i := range body {
		body[i] = 'x'
	}
	if after := fmt.Sprintf("%+v", evs[0]); after != before {
		t.Fatalf("the event changed with the request body:\n%s\n%s", before, after)
	}
}

// TestDecodeFastTakesOrdinaryEvents: the one-pass decoder reads what falcosidekick and Falco send, and leaves to
// encoding/json exactly the bodies it would decode differently (TestParseMatchesReference checks the results).
func TestDecodeFastTakesOrdinaryEvents(t *testing.T) {
	for body, want := range map[string]bool{
		benchEvent: true, falcosidekickEvent: true, falcoJSONOutput: true,
		"  \n" + benchEvent + "\n\t ": true,
		event(`{ "k8s.ns.name" : "shop" ,` + "\n\t" + `"n": [ 1 , { "a" : null } ] }`): true,
		event(`{"user.name":"ren\u00e9","k8s.ns.name":"\ud83d\ude00"}`):                true,
		event(`{"K8S.NS.NAME":"upper","user.name":5,"proc.name":null}`):                true, // keys match exactly here
		event(`null`): true,
		`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","tags":[],"uuid":null,"output":null}`: true,
		`{"rule":"r","priority":"Warning","time":"x","tags":null,"extra":{"a":[1,{"b":"c"}]}}`:                true,
		// encoding/json decodes these differently from jsontext, or names their problem.
		`{"RULE":"r","priority":"Warning","time":"2026-11-29T15:04:05Z"}`:                       false, // folds to "rule"
		`{"rule":"r","rule":"s","priority":"Warning","time":"2026-11-29T15:04:05Z"}`:            false, // duplicate
		event(`{"user.name":"a","user.name":"b"}`):                                              false, // duplicate inside
		"{\"rule\":\"bad\xffutf8\",\"priority\":\"Warning\",\"time\":\"2026-11-29T15:04:05Z\"}": false, // U+FFFD
		event(`{"proc.name":"\ud800"}`):                                                         false, // unpaired surrogate
		`{"rule":"r","priority":4,"time":"2026-11-29T15:04:05Z"}`:                               false,
		`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","tags":[1]}`:            false,
		`{"rule":"r","priority":"Warning","time":"2026-11-29T15:04:05Z","tags":"x"}`:            false,
		event(`[1]`): false, event(`5`): false,
		`{"rule":"r"} x`: false, `{"rule":"r",}`: false, `{"rule":"r"`: false, `[{}]`: false,
	} {
		var w wireEvent
		fields := fieldValues{clusterKey: "cluster"}
		if got := decodeFast(bytes.TrimSpace([]byte(body)), &w, &fields); got != want {
			t.Errorf("decodeFast(%q) = %v, want %v", body, got, want)
		}
	}
}

func TestSplitArrayFast(t *testing.T) {
	for body, want := range map[string][]string{
		`[]`: {}, `[ 1 , {"a" : [2]} ,"x" ]`: {`1`, `{"a" : [2]}`, `"x"`}, "[\n" + falcoJSONOutput + "\n]": {falcoJSONOutput},
		`[1,]`: nil, `[1`: nil, `[1] 2`: nil, "[\"\xff\"]": nil, `[{"a":1,"a":2}]`: nil, `{}`: nil,
	} {
		raws, ok := splitArrayFast([]byte(body))
		if ok != (want != nil) {
			t.Errorf("%q: ok %v", body, ok)
			continue
		}
		if ok {
			var v1 []json.RawMessage
			if err := json.Unmarshal([]byte(body), &v1); err != nil || !reflect.DeepEqual(raws, v1) || len(raws) != len(want) {
				t.Errorf("%q: %q, encoding/json %q (%v), want %q", body, raws, v1, err, want)
			}
			for i := range want {
				if string(raws[i]) != want[i] {
					t.Errorf("%q: element %d is %q, want %q", body, i, raws[i], want[i])
				}
			}
		}
	}
}

func TestCompactObjectIsJSONCompact(t *testing.T) {
	for _, obj := range []string{
		`{}`, `{ }`, "{\n}", `{"a":"b c"}`, `{"a" :1}`, `{"a":"\\"," b":[ ]}`, `{"a":"\" ","b":"\\\\"}`,
		`{"a":"x\\\" y"}`, "{\"a\":\"\\u0020\",\r\"b\":2}", `{"a":{"b":[1, 2,{"c":" "}]}}`, `{"é":" é "}`,
	} {
		var want bytes.Buffer
		if err := json.Compact(&want, []byte(obj)); err != nil {
			t.Fatal(obj, err)
		}
		if got := compactObject([]byte(obj)); string(got) != want.String() {
			t.Errorf("%s: got %s want %s", obj, got, want.String())
		}
	}
}

func FuzzCompactObject(f *testing.F) {
	f.Add([]byte(`{"a":"b c", "d" : [1, "\\\" "]}`))
	f.Fuzz(func(t *testing.T, obj []byte) {
		obj = bytes.TrimSpace(obj)
		if len(obj) == 0 || obj[0] != '{' || !json.Valid(obj) {
			return
		}
		var want bytes.Buffer
		if err := json.Compact(&want, obj); err != nil {
			t.Fatal(err)
		}
		if got := compactObject(obj); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%q: got %q want %q", obj, got, want.Bytes())
		}
	})
}

func TestDerivedIDIsTheReferences(t *testing.T) {
	for _, tc := range []struct {
		t                      time.Time
		rule, hostname, output string
	}{
		{time.Date(2026, 11, 29, 16, 0, 0, 1, time.UTC), "r", "h", "o"},
		{time.Date(2026, 11, 29, 16, 0, 0, 0, time.FixedZone("x", 3600)), "", "", ""},
		{maxTime, "rule\x00", "host", strings.Repeat("output ", 100)},
		{minTime, "é", "\xff", "\n"},
	} {
		if got, want := DerivedID(tc.t, tc.rule, tc.hostname, tc.output), refDerivedID(tc.t, tc.rule, tc.hostname, tc.output); got != want {
			t.Errorf("%v: %s, want %s", tc.t, got, want)
		}
	}
}

func FuzzParsePriority(f *testing.F) {
	for _, s := range []string{"Notice", " INFO ", "informational", "İnformational", "ınfo", "debug\u0085", "ALERT", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotErr := ParsePriority(s)
		want, wantErr := refParsePriority(s)
		if got != want || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("%q: %v %v, want %v %v", s, got, gotErr, want, wantErr)
		}
	})
}
