package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/containersec/container-security/pkg/events"
)

// A full disk (SQLite's max_page_count reached: SQLITE_FULL, as a full file system gives) fails every write with
// ErrDiskFull, logs one line for the condition with its count, shows in Status, and ingest resumes by itself once
// there is room again.
func TestDiskFullIsOneLogLineAndResumes(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	s := openTest(t, Config{Logf: func(msg string, kv ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, msg)
	}})
	ingest(t, s, ev(t, 1, "Critical", "r", "ns", "p"))
	var pages int64
	if err := s.w.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	big := func(i int) events.Event {
		e := ev(t, i, "Warning", "r", "ns", "p")
		e.Output = strings.Repeat("x", 64<<10) // needs new pages whatever the free list holds
		return e
	}
	full := 0
	for i := 2; i < 52; i++ {
		if _, err := s.Ingest(context.Background(), []events.Event{big(i)}); errors.Is(err, ErrDiskFull) {
			full++
		} else if err != nil {
			t.Fatalf("want ErrDiskFull, got %v", err)
		}
	}
	if full < 45 {
		t.Fatalf("only %d of 50 writes failed with a full disk", full)
	}
	if p, since := s.Problem(); p != "disk full" || since.IsZero() {
		t.Fatalf("Problem() = %q %v, want disk full", p, since)
	}
	if st := status(t, s); st.Problem != "disk full" {
		t.Fatalf("Status().Problem = %q", st.Problem)
	}
	mu.Lock()
	logged := strings.Count(strings.Join(lines, "\n"), "cannot write: disk full")
	mu.Unlock()
	if logged != 1 {
		t.Fatalf("%d failures logged %d lines, want 1: %q", full, logged, lines)
	}
	if _, err := s.w.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if res := ingest(t, s, big(100)); res.Stored != 1 {
		t.Fatalf("after space returned: %+v", res)
	}
	if p, _ := s.Problem(); p != "" {
		t.Fatalf("the condition must end with the first write that succeeds, still %q", p)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(strings.Join(lines, "\n"), "writes again after disk full") {
		t.Fatalf("no line says the store writes again: %q", lines)
	}
}
