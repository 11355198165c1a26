package sqlitestore

import (
	"context"
	"database/sql"
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
		for _, dim := range append(rollupDims, events.DimCluster) {
			for _, f := range []events.Filters{{}, {MinPriority: &critical}, {Cluster: "other"}, {Namespaces: []string{"ns-1", "ns-3"}}, {Tags: []string{"t1"}}} {
				for _, bucket := range []time.Duration{5 * time.Minute, 0} {
					from, to := t0.Add(17*time.Minute+13*time.Second), t0.Add(4*time.Hour+29*time.Second)
					fast := &countAcc{out: events.Counts{Start: events.AlignedStart(from, max(bucket, time.Minute)), Bucket: max(bucket, time.Minute)}, index: map[string]int{}, n: 53, dim: dim}
					if bucket == 0 { // one bucket, as eventValues counts
						fast.n, fast.values = 1, map[string]int64{}
					}
					_, usesRollup := rollupPlanFor(f, fast)
					wantRollup := (len(f.Namespaces) == 0 && len(f.Tags) == 0) || dim == events.DimPriority || dim == events.DimCluster ||
						(len(f.Namespaces) > 0 && dim == events.DimNamespace)
					if usesRollup != wantRollup {
						t.Fatalf("%s with %+v: rollup used %v, want %v", dim, f, usesRollup, wantRollup)
					}
					raw := &countAcc{out: fast.out, index: map[string]int{}, n: fast.n, dim: dim}
					if fast.values != nil {
						raw.values = map[string]int64{}
					}
					s.waitIndexed(context.Background())
					if err := s.readTx(context.Background(), func(tx *sql.Tx) error {
						if err := countInto(context.Background(), tx, from, to, f, fast); err != nil {
							return err
						}
						return countRaw(context.Background(), tx, from, to, f, raw)
					}); err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(countsOf(fast.out), countsOf(raw.out)) || !reflect.DeepEqual(fast.values, raw.values) {
						t.Fatalf("%s: %s with %+v: rollup %v %v\nraw %v %v", label, dim, f, countsOf(fast.out), fast.values, countsOf(raw.out), raw.values)
					}
				}
			}
		}
	}
	check("after ingest, counts in memory") // the first batch is written with the rollup, the duplicates' batch is not
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, Config{Path: s.Path(), RetentionDays: 1, Now: func() time.Time { return now }})
	check("after reopening")
	now = t0.Add(24*time.Hour + 2*time.Hour) // events in the first two hours fall out of the 1-day retention
	if n := s.PruneNow(); n == 0 {
		t.Fatal("retention should have deleted events")
	}
	check("after retention")
	var zero int
	_ = s.r.QueryRow(`SELECT count(*) FROM event_counts WHERE counts = zeroblob(?)`, countsBlobSize).Scan(&zero)
	if zero != 0 {
		t.Fatalf("%d rollup rows of zero counts are left behind", zero)
	}
}

// A store written by schema 2 (one index per filter, per-minute counts) is moved to the current layout when it is
// opened: every event, its FTS5 entry and its counts.
func TestMigrationFromSchema2(t *testing.T) {
	path := t.TempDir() + "/events.db"
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA auto_vacuum = INCREMENTAL; CREATE TABLE containersec_schema (version INTEGER NOT NULL); INSERT INTO containersec_schema VALUES (0)`); err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Begin()
	for _, m := range migrations[:2] {
		if err := m(tx); err != nil {
			t.Fatal(err)
		}
	}
	// Two events in the same nanosecond, one with two tags, as version 2 stored them.
	for i, row := range [][]any{
		{"a", t0.UnixNano(), 2, "A", "ns", "p", "x", "event a"},
		{"b", t0.UnixNano(), 4, "B", "ns", "q", "x,y", "event b with words"},
		{"c", t0.Add(61 * time.Second).UnixNano(), 4, "B", "other", "q", "", "event c"},
	} {
		if _, err := tx.Exec(`INSERT INTO events (seq, id, time, priority, rule, source, hostname, cluster, namespace, pod, container, image, process, cmdline, user, parent, tags, output, output_fields)
			VALUES (?, ?, ?, ?, ?, 'syscall', 'node', 'prod', ?, ?, '', 'img:1', '', '', '', '', ?, ?, '{}')`, append([]any{i + 1}, row...)...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec(`UPDATE containersec_schema SET version = 2`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openTest(t, Config{Path: path})
	c, err := s.Count(context.Background(), events.CountRequest{From: t0, To: t0.Add(3*time.Minute - time.Nanosecond), GroupBy: events.DimTag, Bucket: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := countsOf(c); got["x"] != "[2 0 0]" || got["y"] != "[1 0 0]" || len(got) != 2 {
		t.Fatalf("counts after migration: %v", got)
	}
	from, to := allRange()
	p, err := s.List(context.Background(), events.ListRequest{From: from, To: to, Filters: events.Filters{Text: "words", Namespaces: []string{"ns"}}})
	if err != nil || ids(p) != "b" {
		t.Fatalf("FTS5 after migration: %q %v", ids(p), err)
	}
	p, err = s.List(context.Background(), events.ListRequest{From: from, To: to})
	if err != nil || ids(p) != "c,b,a" {
		t.Fatalf("events after migration, newest first (two in one nanosecond): %q %v", ids(p), err)
	}
	if e, err := s.Get(context.Background(), "a"); err != nil || e.Priority != events.Critical || e.Tags[0] != "x" {
		t.Fatalf("get after migration: %+v %v", e, err)
	}
	var old int
	_ = s.r.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name IN ('events_v2', 'event_tags', 'events_time')`).Scan(&old)
	if old != 0 {
		t.Fatalf("%d tables or indexes of version 2 are left", old)
	}
}
