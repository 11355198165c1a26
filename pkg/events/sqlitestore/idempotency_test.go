package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// Idempotent on uuid: an identical resend is a duplicate; the same uuid with other content (another time, another
// output) is a conflict that stores nothing and changes nothing; an event without uuid keeps its derived key.
func TestUUIDIdempotency(t *testing.T) {
	s := openTest(t, Config{})
	a := ev(t, 1, "Critical", "r", "ns", "p")
	ingest(t, s, a)
	if r := ingest(t, s, a); r.Duplicates != 1 || r.Stored != 0 || r.Conflicts != nil {
		t.Fatalf("identical resend: %+v", r)
	}
	later, edited := a, a
	later.Time = a.Time.Add(time.Minute)
	edited.Output = "something else"
	for name, e := range map[string]events.Event{"other time": later, "other output": edited} {
		if r := ingest(t, s, e); r.Stored != 0 || r.Duplicates != 0 || fmt.Sprint(r.Conflicts) != "[id-1]" {
			t.Fatalf("%s: %+v", name, r)
		}
	}
	// Within one batch too: the first copy is stored, the other is the conflict.
	b, b2 := ev(t, 2, "Critical", "r", "ns", "p"), ev(t, 2, "Critical", "r", "ns", "p")
	b2.Output = "changed"
	if r := ingest(t, s, b, b2); r.Stored != 1 || fmt.Sprint(r.Conflicts) != "[id-2]" {
		t.Fatalf("one batch: %+v", r)
	}
	got, err := s.Get(context.Background(), "id-1")
	if err != nil || !got.Time.Equal(a.Time) || got.Output != a.Output {
		t.Fatalf("the stored event changed: %+v %v", got, err)
	}
	// Without uuid (Falco's own http_output): the same alert is a duplicate, as before.
	raw := `{"rule":"r","priority":"Warning","time":"2026-11-29T12:00:00.5Z","hostname":"h","output":"o","output_fields":{"a":1}}`
	evs, _ := events.Parse([]byte(raw), events.Options{})
	ingest(t, s, evs...)
	again, err := events.Parse([]byte(strings.Replace(raw, `"a":1`, `"a":2`, 1)), events.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := ingest(t, s, again...); r.Duplicates != 1 || r.Conflicts != nil {
		t.Fatalf("no uuid: %+v", r)
	}
	if st := status(t, s); st.Events != 3 {
		t.Fatalf("%d events stored, want 3", st.Events)
	}
}

// A version 3 store that holds one uuid twice (it keyed on uuid and time) is migrated: both rows stay, the later
// one under "<id>#<key>" (version 4), and every id is in event_ids under its event's key (version 5).
func TestMigrationToUniqueIDKeepsEveryEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	var logMu sync.Mutex
	var migrations []string
	logf := func(msg string, kv ...any) {
		if strings.Contains(msg, "migration") {
			logMu.Lock()
			migrations = append(migrations, fmt.Sprint(kv...))
			logMu.Unlock()
		}
	}
	s := openTest(t, Config{Path: path, Logf: logf})
	if len(migrations) != 0 {
		t.Fatalf("a new store logged migrations: %v", migrations)
	}
	ingest(t, s, ev(t, 1, "Critical", "r", "ns", "p"), ev(t, 2, "Critical", "r", "ns", "p"))
	// Back to version 3: no event_ids, and id-1 stored again at another time, as version 3 did.
	for _, q := range []string{`DROP TABLE event_ids`, `UPDATE containersec_schema SET version = 3`,
		`INSERT INTO events SELECT key + 3600000000000, ins + 10, id, time + 3600000000000, priority, rule, source, hostname, cluster, namespace, pod, container, image, process, cmdline, user, parent, tags, output, output_fields FROM events WHERE id = 'id-1'`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	_ = s.Close()
	s = openTest(t, Config{Path: path, Logf: logf})
	if fmt.Sprint(migrations) != "[from3to4 from4to5]" {
		t.Fatalf("each migration of a stored version is logged: %v", migrations)
	}
	var n int
	var ids string
	if err := s.r.QueryRow(`SELECT count(*), group_concat(id, ' ') FROM (SELECT id FROM events ORDER BY key)`).Scan(&n, &ids); err != nil || n != 3 {
		t.Fatalf("%d events after the migration (%v)", n, err)
	}
	assertIDsMatchEvents(t, s)
	var indexes int
	if err := s.r.QueryRow(`SELECT count(*) FROM pragma_index_list('events') WHERE name = 'events_id'`).Scan(&indexes); err != nil || indexes != 0 {
		t.Fatalf("version 5 drops the unique index on id: %d (%v)", indexes, err)
	}
	if r := ingest(t, s, ev(t, 1, "Critical", "r", "ns", "p")); r.Duplicates != 1 {
		t.Fatalf("resend after migration: %+v (ids %s)", r, ids)
	}
}

// assertIDsMatchEvents checks that event_ids holds exactly each stored event's key and id.
func assertIDsMatchEvents(t *testing.T, s *Store) {
	t.Helper()
	var events, ids, missing, extra int
	q := `SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM event_ids),
		(SELECT count(*) FROM events WHERE NOT EXISTS (SELECT 1 FROM event_ids WHERE event_ids.key = events.key AND event_ids.id = events.id)),
		(SELECT count(*) FROM event_ids WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.key = event_ids.key))`
	if err := s.r.QueryRow(q).Scan(&events, &ids, &missing, &extra); err != nil {
		t.Fatal(err)
	}
	if events != ids || missing != 0 || extra != 0 {
		t.Fatalf("event_ids out of step with events: %d events, %d ids, %d events without their id, %d ids without their event", events, ids, missing, extra)
	}
}

// The id set is read from event_ids when the store opens and forgets the ids retention deleted: after a reopen a
// resend is still a duplicate and another event under a stored uuid still a conflict; once retention deleted an
// event its uuid may be stored again.
func TestUUIDIdempotencyAcrossReopenAndRetention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	now := t0.Add(time.Hour)
	cfg := Config{Path: path, RetentionDays: 1, Now: func() time.Time { return now }}
	s := openTest(t, cfg)
	a, b := ev(t, 1, "Critical", "r", "ns", "p"), ev(t, 2, "Critical", "r", "ns", "p")
	ingest(t, s, a, b)
	_ = s.Close()
	s = openTest(t, cfg)
	later := a
	later.Time = a.Time.Add(time.Minute)
	if r := ingest(t, s, a, later); r.Duplicates != 1 || r.Stored != 0 || fmt.Sprint(r.Conflicts) != "[id-1]" {
		t.Fatalf("after reopening: %+v", r)
	}
	now = a.Time.Add(24*time.Hour + 500*time.Millisecond) // a is older than a day, b is not
	if n := s.PruneNow(); n != 1 {
		t.Fatalf("retention deleted %d events, want 1", n)
	}
	assertIDsMatchEvents(t, s)
	if r := ingest(t, s, later, b); r.Stored != 1 || r.Duplicates != 1 || r.Conflicts != nil {
		t.Fatalf("after retention deleted id-1: %+v", r)
	}
	assertIDsMatchEvents(t, s)
	if got, err := s.Get(context.Background(), "id-1"); err != nil || !got.Time.Equal(later.Time) {
		t.Fatalf("id-1 after it was stored again: %+v %v", got, err)
	}
	_ = s.Close()
	if n := setLen(s.ins.ids); n != 2 { // the writer has stopped: its set may be read
		t.Fatalf("the id set holds %d ids, the store 2 events", n)
	}
}

// The set may say an id is stored when it is not (two ids share a hash, or a transaction that held it did not
// commit): the writer then reads the store and, finding nothing, stores the event.
func TestAnIDTheSetMayHoldButTheStoreDoesNotIsStored(t *testing.T) {
	s := openTest(t, Config{})
	// Added between two ingests: the writer touches its set only while it writes, and the queue orders us after it.
	s.ins.ids.add("id-5")
	s.ins.ids.add("id-6")
	if r := ingest(t, s, ev(t, 5, "Critical", "r", "ns", "p"), ev(t, 6, "Warning", "r", "ns", "p"), ev(t, 7, "Warning", "r", "ns", "p")); r.Stored != 3 {
		t.Fatalf("%+v", r)
	}
	assertIDsMatchEvents(t, s)
	e := ev(t, 5, "Critical", "r", "ns", "p")
	e.Output = "other"
	if r := ingest(t, s, ev(t, 6, "Warning", "r", "ns", "p"), e); r.Duplicates != 1 || fmt.Sprint(r.Conflicts) != "[id-5]" {
		t.Fatalf("resend: %+v", r)
	}
}

// The set is a multiset of hashes: removing one of two ids that share a hash keeps the other's.
func TestIDSetKeepsIDsThatShareAHash(t *testing.T) {
	set := newIDSet(0)
	set.add("a")
	set.add("a") // stands for another id with the same hash
	set.add("b")
	set.remove("a")
	if !set.mayHold("a") || !set.mayHold("b") || setLen(set) != 2 {
		t.Fatalf("after removing one of two: mayHold(a)=%v len=%d", set.mayHold("a"), setLen(set))
	}
	set.remove("a")
	set.remove("b")
	if set.mayHold("a") || set.mayHold("b") || setLen(set) != 0 {
		t.Fatalf("after removing all: len=%d", setLen(set))
	}
}

// Against a reference multiset, through enough adds and removes to merge several times (retention removes ids while
// ingest adds them): an id held is always found, an id not held is not (a 64-bit collision among 300,000 ids is
// unlikely enough to count as a bug), and the sizes agree.
func TestIDSetAgreesWithAMultiset(t *testing.T) {
	set, ref := newIDSet(0), map[string]int{}
	rng := rand.New(rand.NewPCG(1, 2))
	id := func() string { return fmt.Sprintf("uuid-%d", rng.IntN(300000)) }
	held := 0
	for op := range 400000 {
		if k := id(); rng.IntN(3) > 0 {
			set.add(k)
			ref[k]++
			held++
		} else if ref[k] > 0 {
			set.remove(k)
			ref[k]--
			held--
		}
		if op%50000 == 49999 {
			for range 2000 {
				k := id()
				if set.mayHold(k) != (ref[k] > 0) {
					t.Fatalf("after %d operations: mayHold(%s) = %v, the reference holds it %d times", op+1, k, set.mayHold(k), ref[k])
				}
			}
			if setLen(set) != held {
				t.Fatalf("after %d operations: %d ids in the set, %d held", op+1, setLen(set), held)
			}
		}
	}
	if len(set.sorted) == 0 {
		t.Fatal("the test never merged")
	}
}

// The writer reads a possibly stored id on a connection of its own: with every reader connection held by queries,
// a resend is still answered at once (on the readers it waited for them, and with it every sender).
func TestResendIsAnsweredWhileEveryReaderIsBusy(t *testing.T) {
	s := openTest(t, Config{})
	a := ev(t, 1, "Critical", "r", "ns", "p")
	ingest(t, s, a)
	for range 4 { // r.SetMaxOpenConns(4)
		tx, err := s.r.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := s.Ingest(ctx, []events.Event{a})
	if err != nil || r.Duplicates != 1 {
		t.Fatalf("resend while the readers are busy: %+v %v", r, err)
	}
}

// setLen is how many ids the set holds.
func setLen(s *idSet) int {
	n := len(s.sorted)
	for _, v := range s.added {
		n += int(v)
	}
	for _, v := range s.removed {
		n -= int(v)
	}
	return n
}
