package events

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse: any body either yields valid events or an InputError; never a panic, never half a body.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{falcosidekickEvent, falcoJSONOutput, "[" + falcoJSONOutput + "]", `{"rule":"r"}`, `[{},1]`, `{"output_fields":{"a":{"b":[1]}}}`, "\xff"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := Parse(body, Options{ClusterField: "cluster"})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 || evs != nil {
				t.Fatalf("errors must be InputErrors without events: %v %v", err, evs)
			}
			return
		}
		if len(evs) == 0 {
			t.Fatal("no error and no events")
		}
		for _, e := range evs {
			if e.Rule == "" || e.ID == "" || e.Time.Before(minTime) || e.Time.After(maxTime) || e.Priority < Emergency || e.Priority > Debug || !json.Valid(e.OutputFields) {
				t.Fatalf("invalid event accepted: %+v", e)
			}
		}
	})
}
