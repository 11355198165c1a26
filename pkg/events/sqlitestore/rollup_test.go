package sqlitestore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// countsOf renders a Counts as value -> buckets, for comparison.
func countsOf(c events.Counts) map[string]string {
	out := map[string]string{}
	for _, s := range c.Series {
		out[s.Value] = fmt.Sprint(s.Counts)
	}
	return out
}

// The per-minute rollup must give exactly what counting the events gives: at unaligned range edges, with
// priority and cluster filters, for duplicates, and after retention deleted events.
func TestRollupCountsEqualRawCounts(t *testing.T) {
	now := t0.Add(6 * time.Hour)
	s := openTest(t, Config{RetentionDays: 1, Now: func() time.Time { return now }})
	rng := rand.New(rand.NewPCG(7, 7))
	prios := []string{"Critical", "Warning", "Notice", "Debug"}
	var evs []events.Event
	for i := range 3000 {
		e := ev(t, i, prios[rng.IntN(4)], fmt.Sprintf("rule-%d", rng.IntN(5)), fmt.Sprintf("ns-%d", rng.IntN(4)), "pod", fmt.Sprintf("t%d", rng.IntN(3)), "all")
		e.Time = t0.Add(time.Duration(rng.Int64N(int64(5 * time.Hour))))
		if i%7 == 0 {
			e.Cluster = "other"
		}
		evs = append(evs, e)
	}
	ingest(t, s, evs...)
	ingest(t, s, evs[:100]...) // duplicates must not count twice
	critical := events.Critical
	check := func(label string) {
		for _, dim := range rollupDims {
			for _, f := range []events.Filters{{}, {MinPriority: &critical}, {Cluster: "other"}} {
				req := events.CountRequest{From: t0.Add(17*time.Minute + 13*time.Second), To: t0.Add(4*time.Hour + 29*time.Second), GroupBy: dim, Bucket: 5 * time.Minute, Filters: f}
				if !rollupAnswers(req) {
					t.Fatalf("%s must be answered by the rollup", dim)
				}
				fast, err := s.Count(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				raw := &countAcc{out: events.Counts{Start: fast.Start, Bucket: fast.Bucket}, index: map[string]int{}, n: len(fast.Series[0].Counts), dim: dim}
				if err := s.countRaw(context.Background(), req, raw, req.From, req.To); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(countsOf(fast), countsOf(raw.out)) {
					t.Fatalf("%s: %s with %+v: rollup %v\nraw %v", label, dim, f, countsOf(fast), countsOf(raw.out))
				}
			}
		}
	}
	check("after ingest")
	now = t0.Add(24*time.Hour + 2*time.Hour) // events in the first two hours fall out of the 1-day retention
	if n := s.PruneNow(); n == 0 {
		t.Fatal("retention should have deleted events")
	}
	check("after retention")
	var negative int
	_ = s.r.QueryRow(`SELECT count(*) FROM event_counts WHERE n <= 0`).Scan(&negative)
	if negative != 0 {
		t.Fatalf("%d rollup rows at zero or below are left behind", negative)
	}
}

// A store written by schema 1 (no rollup) gets its rollup built from the events it holds when it is opened.
func TestMigrationBuildsTheRollupFromExistingEvents(t *testing.T) {
	path := t.TempDir() + "/events.db"
	s := openTest(t, Config{Path: path})
	ingest(t, s, ev(t, 1, "Critical", "A", "ns", "p", "x"), ev(t, 61, "Warning", "B", "ns", "p", "x", "y"))
	if _, err := s.w.Exec(`DROP TABLE event_counts; UPDATE containersec_schema SET version = 1`); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	s = openTest(t, Config{Path: path})
	c, err := s.Count(context.Background(), events.CountRequest{From: t0, To: t0.Add(3*time.Minute - time.Nanosecond), GroupBy: events.DimTag, Bucket: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := countsOf(c); got["x"] != "[1 1 0]" || got["y"] != "[0 1 0]" {
		t.Fatalf("rollup after migration: %v", got)
	}
}
