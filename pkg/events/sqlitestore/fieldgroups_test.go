package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// scanMembers finds what encoding/json finds: each member's value, the last of duplicate names, names with escapes.
func TestScanMembersAgreesWithEncodingJSON(t *testing.T) {
	objs := []string{
		`{}`, ` { "a" : "b" , "c" : null } `, `{"proc.name":"x\"y","proc.name":"last"}`,
		`{"p\u0072oc.name":"escaped name","n":[1,{"proc.name":"nested"}],"o":{"a":"}]"}}`,
		`{"k":"a\\","proc.name":"é ✓ ( ) , ' =","num":-1.5e+3,"t":true}`,
	}
	r := rand.New(rand.NewSource(1))
	alphabet := []string{`a`, `"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, ` `, `é`, "\n", `proc.name`}
	for range 300 {
		m := map[string]any{}
		for range r.Intn(6) {
			var k, v strings.Builder
			for range r.Intn(5) {
				k.WriteString(alphabet[r.Intn(len(alphabet))])
			}
			for range r.Intn(8) {
				v.WriteString(alphabet[r.Intn(len(alphabet))])
			}
			switch r.Intn(4) {
			case 0:
				m[k.String()] = nil
			case 1:
				m[k.String()] = []any{v.String(), map[string]any{"proc.name": v.String()}}
			default:
				m[k.String()] = v.String()
			}
		}
		m["proc.name"] = fmt.Sprint(r.Intn(3))
		b, _ := json.Marshal(m)
		objs = append(objs, string(b))
	}
	for _, obj := range objs {
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(obj), &want); err != nil {
			t.Fatalf("%s: %v", obj, err)
		}
		got := map[string]string{}
		ok := scanMembers([]byte(obj), func(name []byte, escaped bool, value []byte) {
			var s string
			if err := json.Unmarshal(name, &s); err != nil {
				t.Fatalf("name %s: %v", name, err)
			}
			got[s] = string(value)
		})
		if !ok || len(got) != len(want) {
			t.Fatalf("%s: read %v (ok %v), want %d members", obj, got, ok, len(want))
		}
		for k, v := range want {
			var a, b any
			_ = json.Unmarshal(v, &a)
			if err := json.Unmarshal([]byte(got[k]), &b); err != nil || fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("%s: member %q is %s, encoding/json reads %s", obj, k, got[k], v)
			}
		}
	}
	for _, bad := range []string{``, `[]`, `{"a"}`, `{"a":}`, `{"a":"b"`, `{"a":"b",}`, `"x"`} {
		if scanMembers([]byte(bad), func([]byte, bool, []byte) {}) {
			t.Errorf("%q read as an object", bad)
		}
	}
}

// GroupByFields counts a rule's events by their output fields, absent and null kept apart, the same through the
// index (a quiet rule) as by scanning (a noisy one), with the recent events counted on their own.
func TestGroupByFieldsCountsARulesEvents(t *testing.T) {
	s := openTest(t, Config{RetentionDays: 3650})
	var evs []events.Event
	add := func(i int, rule, fields string) {
		body := fmt.Sprintf(`{"uuid":"g-%d","rule":%q,"priority":"Notice","time":%q,"source":"syscall","output":"o","output_fields":%s}`,
			i, rule, t0.Add(time.Duration(i)*time.Minute).Format(time.RFC3339Nano), fields)
		e, err := events.Parse([]byte(body), events.Options{})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e...)
	}
	for i := range 40 {
		add(i, "Noisy", fmt.Sprintf(`{"proc.name":"p%d","container.image.repository":"repo"}`, i%2))
	}
	add(40, "Noisy", `{"proc.name":null}`)
	add(41, "Quiet", `{"proc.name":"q","container.image.repository":"repo"}`)
	add(42, "Quiet", `{"proc.name":"q","container.image.repository":"repo"}`)
	for i := 43; i < 400; i++ {
		add(i, "Other", `{"proc.name":"o"}`)
	}
	ingest(t, s, evs...)
	s.WaitIndexed(context.Background())
	split := t0.Add(20 * time.Minute)
	for _, tc := range []struct {
		rule string
		want map[string][2]int64
	}{
		{"Noisy", map[string][2]int64{`"p0" "repo"`: {20, 10}, `"p1" "repo"`: {20, 10}, `null -`: {1, 1}}},
		{"Quiet", map[string][2]int64{`"q" "repo"`: {2, 2}}},
		{"Other", map[string][2]int64{`"o" -`: {357, 357}}}, // most of the range: scanned
	} {
		groups, err := s.GroupByFields(context.Background(), t0, t0.Add(1000*time.Minute), split, events.Filters{Rules: []string{tc.rule}},
			[]string{"proc.name", "container.image.repository"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]int64{}
		for _, g := range groups {
			var parts []string
			for _, v := range g.Values {
				if v == nil {
					parts = append(parts, "-")
				} else {
					parts = append(parts, *v)
				}
			}
			got[strings.Join(parts, " ")] = [2]int64{g.Count, g.Recent}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: groups %v, want %v", tc.rule, got, tc.want)
		}
	}
	if _, err := s.GroupByFields(context.Background(), t0, t0, t0, events.Filters{}, nil); err == nil {
		t.Error("grouping by no field was accepted")
	}
}

// Whole past hours are kept between calls and read again once an event arrives late in them.
func TestGroupByFieldsKeepsPastHoursUntilTheyChange(t *testing.T) {
	now := t0.Add(5 * 24 * time.Hour)
	s := openTest(t, Config{RetentionDays: 3650, Now: func() time.Time { return now }})
	n := 0
	add := func(at time.Time, proc string) {
		n++
		body := fmt.Sprintf(`{"uuid":"d-%d","rule":"Noisy","priority":"Notice","time":%q,"source":"syscall","output":"o","output_fields":{"proc.name":%q}}`,
			n, at.Format(time.RFC3339Nano), proc)
		e, err := events.Parse([]byte(body), events.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ingest(t, s, e...)
	}
	for h := 0; h < 5*24; h += 5 {
		add(t0.Add(time.Duration(h)*time.Hour), "sh")
	}
	s.WaitIndexed(context.Background())
	count := func() string {
		g, err := s.GroupByFields(context.Background(), now.Add(-7*24*time.Hour), now, now.Add(-24*time.Hour), events.Filters{Rules: []string{"Noisy"}}, []string{"proc.name"})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range g {
			out = append(out, fmt.Sprintf("%s=%d/%d", *x.Values[0], x.Count, x.Recent))
		}
		return strings.Join(out, " ")
	}
	first := count()
	if first != `"sh"=24/4` || count() != first || len(s.hourGroups.entries) == 0 {
		t.Fatalf("cold %s, warm %s, %d hours kept", first, count(), len(s.hourGroups.entries))
	}
	add(t0.Add(30*time.Hour), "bash") // late, in a kept day
	s.WaitIndexed(context.Background())
	if got := count(); got != `"sh"=24/4 "bash"=1/0` {
		t.Errorf("after a late event: %s", got)
	}
}

// The grouper reads what encoding/json reads: the last of duplicate names, escaped names, never a nested member.
func TestFieldGrouperReadsWhatEncodingJSONReads(t *testing.T) {
	fields := []string{"proc.name", "k8s.ns.name", "x"}
	r := rand.New(rand.NewSource(7))
	keys := []string{"proc.name", "k8s.ns.name", "x", "proc.name2", "a.proc.name", "y"}
	vals := []string{`"sh"`, `"a,b"`, `null`, `42`, `true`, `["proc.name","x"]`, `"proc.name"`, `{"proc.name":"nested"}`, `"q\"x"`, `""`, `"é ✓"`}
	blanks := []string{"", " ", "\n"}
	for range 3000 {
		var b strings.Builder
		b.WriteString("{")
		n := r.Intn(6)
		for i := range n {
			if i > 0 {
				b.WriteString(blanks[r.Intn(3)] + ",")
			}
			k := keys[r.Intn(len(keys))]
			if r.Intn(10) == 0 {
				k = strings.Replace(k, "p", `\u0070`, 1)
			}
			b.WriteString(blanks[r.Intn(3)] + `"` + k + `"` + blanks[r.Intn(3)] + ":" + blanks[r.Intn(3)] + vals[r.Intn(len(vals))])
		}
		b.WriteString(blanks[r.Intn(3)] + "}")
		obj := b.String()
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(obj), &want); err != nil {
			t.Fatalf("%s: %v", obj, err)
		}
		g := newFieldGrouper(fields, 0)
		g.add([]byte(obj), 0)
		grp := g.out[0]
		for i, f := range fields {
			w, ok := want[f]
			got := grp.Values[i]
			if !ok {
				if got != nil {
					t.Fatalf("%s: %s read as %s, absent for encoding/json", obj, f, *got)
				}
				continue
			}
			var a, c any
			_ = json.Unmarshal(w, &a)
			if got == nil || json.Unmarshal([]byte(*got), &c) != nil || fmt.Sprint(a) != fmt.Sprint(c) {
				t.Fatalf("%s: %s read as %v, encoding/json reads %s", obj, f, got, w)
			}
		}
	}
}
