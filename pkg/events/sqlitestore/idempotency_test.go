package sqlitestore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
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
// one under "<id>#<key>", and the id becomes unique.
func TestMigrationToUniqueIDKeepsEveryEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	s := openTest(t, Config{Path: path})
	ingest(t, s, ev(t, 1, "Critical", "r", "ns", "p"), ev(t, 2, "Critical", "r", "ns", "p"))
	// Back to version 3: drop the unique index and store id-1 again at another time, as version 3 did.
	for _, q := range []string{`DROP INDEX events_id`, `UPDATE containersec_schema SET version = 3`,
		`INSERT INTO events SELECT key + 3600000000000, ins + 10, id, time + 3600000000000, priority, rule, source, hostname, cluster, namespace, pod, container, image, process, cmdline, user, parent, tags, output, output_fields FROM events WHERE id = 'id-1'`} {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	_ = s.Close()
	s = openTest(t, Config{Path: path})
	var n int
	var ids string
	if err := s.r.QueryRow(`SELECT count(*), group_concat(id, ' ') FROM (SELECT id FROM events ORDER BY key)`).Scan(&n, &ids); err != nil || n != 3 {
		t.Fatalf("%d events after the migration (%v)", n, err)
	}
	var unique int
	if err := s.r.QueryRow(`SELECT "unique" FROM pragma_index_list('events') WHERE name = 'events_id'`).Scan(&unique); err != nil || unique != 1 {
		t.Fatalf("events_id must be a unique index: %v", err)
	}
	if r := ingest(t, s, ev(t, 1, "Critical", "r", "ns", "p")); r.Duplicates != 1 {
		t.Fatalf("resend after migration: %+v (ids %s)", r, ids)
	}
}
