package sqlitestore

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// The crash child: this test binary run again with CRASH_STORE set ingests from 16 senders without end and
// prints the id of every event whose Ingest call returned (the moment the HTTP handler would answer 200).
func TestMain(m *testing.M) {
	if path := os.Getenv("CRASH_STORE"); path != "" {
		crashChild(path)
		return
	}
	os.Exit(m.Run())
}

func crashChild(path string) {
	s, err := Open(Config{Path: path, PruneEvery: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id := fmt.Sprintf("%s-w%d-%d", os.Getenv("CRASH_ROUND"), w, i)
				body := fmt.Sprintf(`{"uuid":%q,"rule":"Crash","priority":"Warning","time":%q,"output":"crash test %s","tags":["a","b"],"output_fields":{"k8s.ns.name":"ns"}}`,
					id, time.Now().UTC().Format(time.RFC3339Nano), id)
				evs, err := events.Parse([]byte(body), events.Options{})
				if err != nil {
					panic(err)
				}
				if _, err := s.Ingest(context.Background(), evs); err != nil {
					continue
				}
				mu.Lock()
				fmt.Fprintln(out, id)
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// Kill -9 during ingest: every acknowledged event is in the file afterwards and the file passes integrity_check.
func TestCrashKeepsAcknowledgedEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CRASH_STORE="+path, fmt.Sprintf("CRASH_ROUND=r%d", round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := map[string]bool{}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			acked[sc.Text()] = true
			if len(acked) == 3000 {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		for sc.Scan() { // lines already written before the kill are acknowledgements too
			acked[sc.Text()] = true
		}
		_ = cmd.Wait()
		if len(acked) < 3000 {
			t.Fatalf("round %d: the child acknowledged only %d events", round, len(acked))
		}
		s, err := Open(Config{Path: path, PruneEvery: -1})
		if err != nil {
			t.Fatalf("round %d: reopening after kill -9: %v", round, err)
		}
		for name, db := range map[string]*sql.DB{"events": s.w, "index": s.fw} {
			var check string
			if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
				t.Fatalf("round %d: integrity_check of the %s file: %q %v", round, name, check, err)
			}
		}
		if err := ftsIntegrityCheck(s); err != nil {
			t.Fatalf("round %d: FTS5 integrity-check: %v", round, err)
		}
		assertIDsMatchEvents(t, s) // written in the events' transaction, so a kill leaves no id without its event
		// The counts are whole too: the rollup written before the kill plus the events after it (counted from the
		// events until the writer writes them, on close at the latest).
		for reopen := range 2 {
			st, _ := s.Status(context.Background())
			now := time.Now()
			c, err := s.Count(context.Background(), events.CountRequest{From: now.Add(-time.Hour), To: now, GroupBy: events.DimTag, Bucket: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			var total int64
			for _, sr := range c.Series {
				if sr.Value == "a" {
					for _, n := range sr.Counts {
						total += n
					}
				}
			}
			if total != st.Events || st.Events < int64(len(acked)) {
				t.Fatalf("round %d (reopened %d): counts say %d events with tag a, the store holds %d (%d acknowledged)", round, reopen, total, st.Events, len(acked))
			}
			if reopen == 0 {
				_ = s.Close()
				if s, err = Open(Config{Path: path, PruneEvery: -1}); err != nil {
					t.Fatal(err)
				}
			}
		}
		missing := 0
		for id := range acked {
			if _, err := s.Get(context.Background(), id); err != nil {
				missing++
			}
		}
		_ = s.Close()
		if missing > 0 {
			t.Fatalf("round %d: %d of %d acknowledged events are missing after kill -9", round, missing, len(acked))
		}
		t.Logf("round %d: %d acknowledged events all present", round, len(acked))
	}
}
