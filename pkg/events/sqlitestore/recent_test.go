package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// The tail matched in memory is the tail read from the events table: for random filters (every filter kind, tags
// with commas and empty ones, free text with a prefix, time bounds inside the tail) the same keys, and the same
// pages from List.
func TestTailFromMemoryEqualsTheEventsTable(t *testing.T) {
	s := openTest(t, Config{})
	ingest(t, s, ev(t, 0, "Critical", "r0", "ns0", "p0"))
	s.waitIndexed(context.Background())
	unlock := lockIndex(t, s)
	defer unlock()
	rng := rand.New(rand.NewPCG(7, 9))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	rules := []string{"Terminal shell in container", "Read sensitive file", "r,with comma"}
	namespaces := []string{"shop", "kube-system", "NS", ""}
	tagSets := [][]string{nil, {"shell"}, {"a,b"}, {"", "x"}, {"shell", "mitre_execution"}}
	var sent []events.Event
	for i := 1; i <= 300; i++ {
		tags, _ := jsonList(tagSets[rng.IntN(len(tagSets))])
		body := fmt.Sprintf(`{"uuid":"u-%d","rule":%q,"priority":%q,"time":%q,"hostname":%q,"source":%q,"tags":%s,"output":%q,
			"output_fields":{"k8s.ns.name":%q,"k8s.pod.name":%q,"container.image.repository":%q}}`,
			i, pick(rules...), pick("Critical", "Warning", "Notice", "Emergency"), t0.Add(time.Duration(i%50)*time.Second).Format(time.RFC3339Nano),
			pick("node-1", "node-2"), pick("syscall", "k8s_audit"), tags, pick("a shell ran /bin/sh", "read /etc/shadow", "Shellshock?"),
			pick(namespaces...), pick("web-1", "web-2"), pick("nginx", "redis"))
		evs, err := events.Parse([]byte(body), events.Options{DefaultCluster: pick("prod", "dev")})
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, evs...)
		if len(sent) == 10 || i == 300 {
			ingest(t, s, sent...)
			sent = nil
		}
	}
	if s.committedIns.Load()-s.indexedIns.Load() < 300 {
		t.Fatal("the test needs a tail the index does not hold")
	}
	crit := events.Critical
	for n := range 400 {
		f := events.Filters{}
		if rng.IntN(3) == 0 {
			f.Rules = []string{pick(rules...)}
		}
		if rng.IntN(3) == 0 {
			f.Namespaces = []string{pick(namespaces...), pick(namespaces...)}
		}
		if rng.IntN(4) == 0 {
			f.Tags = []string{pick("shell", "a", "a,b", "", "b")}
		}
		if rng.IntN(4) == 0 {
			f.MinPriority = &crit
		}
		if rng.IntN(5) == 0 {
			f.Cluster = pick("prod", "dev")
		}
		if rng.IntN(5) == 0 {
			f.Sources, f.Hostnames, f.Pods, f.Images = []string{"syscall"}, []string{"node-2"}, []string{"web-1"}, []string{"nginx"}
		}
		if rng.IntN(3) == 0 {
			f.Text = pick("shell", "etc/sha", "SHELLSHOCK", "a shell ran")
		}
		// An end 1 ns before a second holds events whose keys are still within the keys the range reads.
		from, to := t0.Add(time.Duration(rng.IntN(20))*time.Second), t0.Add(time.Duration(20+rng.IntN(40))*time.Second-time.Duration(rng.IntN(2)))
		sel := selectEvents(from, to, f)
		err := s.readTx(context.Background(), func(tx *sql.Tx) error {
			ftsIns, err := indexState(context.Background(), tx)
			if err != nil {
				return err
			}
			fromMemory, ok, err := tailOf(context.Background(), tx, sel, ftsIns, s.recent)
			if err != nil || !ok {
				return fmt.Errorf("the tail was not read from memory (%v)", err)
			}
			fromTable, err := tailKeys(context.Background(), tx, sel, ftsIns)
			if err != nil {
				return err
			}
			slices.Sort(fromMemory)
			slices.Sort(fromTable)
			if !slices.Equal(fromMemory, fromTable) {
				return fmt.Errorf("memory %d keys, table %d keys", len(fromMemory), len(fromTable))
			}
			a, _, err := listViaIndex(context.Background(), tx, sel, 20, s.recent)
			if err != nil {
				return err
			}
			b, _, err := listViaIndex(context.Background(), tx, sel, 20, nil)
			if err != nil {
				return err
			}
			if idsOf(a) != idsOf(b) {
				return fmt.Errorf("List from memory %s, from the table %s", idsOf(a), idsOf(b))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("filters %d %+v: %v", n, f, err)
		}
	}
}

// Memory that no longer holds a query's whole tail (its snapshot of the index is older than what memory kept, or
// retention deleted an event) is not used: the query reads the events table.
func TestTailFromMemoryOnlyWhenItHoldsTheWholeTail(t *testing.T) {
	r := newRecentEvents(10)
	e := &events.Event{Time: t0, Rule: "r"}
	k := t0.UnixNano()
	r.add([]ftsEntry{{key: k + 1, ins: 12, ev: e}, {key: k, ins: 11, ev: e}}, 10)
	sel := selectEvents(t0.Add(-time.Hour), t0.Add(time.Hour), events.Filters{})
	if keys, ok := r.keys(10, 12, sel); !ok || fmt.Sprint(keys) != fmt.Sprint([]int64{k, k + 1}) {
		t.Fatalf("whole tail: %v %v", keys, ok)
	}
	if _, ok := r.keys(9, 12, sel); ok {
		t.Fatal("an index snapshot older than memory's first event must read the table")
	}
	if _, ok := r.keys(10, 13, sel); ok {
		t.Fatal("a commit memory has not seen yet must read the table")
	}
	r.add(nil, 12+recentKeep+1) // the index took both long ago
	if _, ok := r.keys(10, 12, sel); ok {
		t.Fatal("events memory let go of must be read from the table")
	}
	if keys, ok := r.keys(12, 12, sel); !ok || len(keys) != 0 {
		t.Fatalf("an empty tail: %v %v", keys, ok)
	}
}

func jsonList(vals []string) (string, error) {
	if vals == nil {
		return "[]", nil
	}
	quoted := make([]string, len(vals))
	for i, v := range vals {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ",") + "]", nil
}

func idsOf(evs []events.Event) string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return strings.Join(out, ",")
}

// A free-text list answered by reading the newest events (listByScan) is the list the index answers: on words of
// every frequency (a common word fills the page from the scan, a rare one goes to the index), phrases, prefixes, time
// ranges that end inside the data, and pages after a cursor.
func TestFreeTextListByScanEqualsTheIndex(t *testing.T) {
	s := openTest(t, Config{})
	rng := rand.New(rand.NewPCG(11, 13))
	words := []string{"shell", "shadow", "curl", "wget", "passwd", "rare1", "rare2", "Shellshock", "sh"}
	var evs []events.Event
	for i := range 6000 {
		var out []string
		for range 6 {
			w := words[rng.IntN(4)] // common words
			if rng.IntN(200) == 0 {
				w = words[4+rng.IntN(len(words)-4)] // rare ones
			}
			out = append(out, w)
		}
		body := fmt.Sprintf(`{"uuid":"s-%d","rule":"r","priority":"Warning","time":%q,"hostname":"h","output":%q}`,
			i, t0.Add(time.Duration(i)*10*time.Millisecond).Format(time.RFC3339Nano), strings.Join(out, " "))
		e, err := events.Parse([]byte(body), events.Options{})
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e...)
	}
	for len(evs) > 0 {
		n := min(len(evs), 1000)
		ingest(t, s, evs[:n]...)
		evs = evs[n:]
	}
	s.WaitIndexed(context.Background())
	var scanned, indexed int
	for _, q := range []string{"shell", "shadow curl", "sha", "passwd", "rare1", "RARE2 shell", "shellshock", "wget wget", "nothing"} {
		for _, need := range []int{1, 101} {
			from := t0.Add(time.Duration(rng.IntN(30)) * time.Second)
			to := from.Add(time.Duration(1+rng.IntN(40)) * time.Second)
			sel := selectEvents(from, to, events.Filters{Text: q})
			if rng.IntN(2) == 0 {
				sel.keyHi = to.UnixNano() - int64(rng.IntN(5))*int64(time.Second) // a cursor
			}
			err := s.readTx(context.Background(), func(tx *sql.Tx) error {
				a, _, ok, err := listByScan(context.Background(), tx, sel, need)
				if err != nil || !ok {
					indexed++
					return err
				}
				scanned++
				b, _, err := listViaIndex(context.Background(), tx, sel, need, nil)
				if err != nil {
					return err
				}
				if idsOf(a) != idsOf(b) {
					return fmt.Errorf("scan %d events, index %d: %.80s vs %.80s", len(a), len(b), idsOf(a), idsOf(b))
				}
				return nil
			})
			if err != nil {
				t.Fatalf("%q need %d: %v", q, need, err)
			}
		}
	}
	if scanned == 0 || indexed == 0 {
		t.Fatalf("both ways must be tried: %d lists by scan, %d left to the index", scanned, indexed)
	}
}
