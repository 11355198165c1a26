package sqlitestore

import (
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

func autoVacuum(t *testing.T, db *sql.DB, schema string) int {
	t.Helper()
	var mode int
	if err := db.QueryRow(`PRAGMA ` + schema + `.auto_vacuum`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// A new store has incremental auto_vacuum in both files: the connection string sets it before WAL creates them.
func TestNewStoreHasIncrementalVacuum(t *testing.T) {
	var converted []any
	s := openTest(t, Config{Logf: func(msg string, kv ...any) {
		if strings.Contains(msg, "converting") {
			converted = append(converted, kv...)
		}
	}})
	if converted != nil {
		t.Fatalf("a new store was created without auto_vacuum and had to be converted: %v", converted)
	}
	if m := autoVacuum(t, s.w, "main"); m != 2 {
		t.Fatalf("events file auto_vacuum = %d, want 2 (INCREMENTAL)", m)
	}
	if m := autoVacuum(t, s.fw, "main"); m != 2 {
		t.Fatalf("index file auto_vacuum = %d, want 2 (INCREMENTAL)", m)
	}
}

// A store written without auto_vacuum (as the connection string that set WAL first left them) is converted once,
// with a log line before and after, and keeps its events.
func TestExistingStoreIsConvertedToIncrementalVacuum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	s := openTest(t, Config{Path: path})
	ingest(t, s, ev(t, 1, "Critical", "r", "ns", "p"), ev(t, 2, "Warning", "r", "ns", "p"))
	for _, db := range []*sql.DB{s.w, s.fw} {
		if _, err := db.Exec(`PRAGMA auto_vacuum = NONE; VACUUM`); err != nil {
			t.Fatal(err)
		}
		if m := autoVacuum(t, db, "main"); m != 0 {
			t.Fatalf("setup: auto_vacuum still %d", m)
		}
	}
	_ = s.Close()
	var mu sync.Mutex
	var logged []string
	s = openTest(t, Config{Path: path, Logf: func(msg string, kv ...any) { mu.Lock(); logged = append(logged, msg); mu.Unlock() }})
	if autoVacuum(t, s.w, "main") != 2 || autoVacuum(t, s.fw, "main") != 2 {
		t.Fatal("the reopened store was not converted to incremental vacuum")
	}
	if st := status(t, s); st.Events != 2 {
		t.Fatalf("the conversion lost events: %d left", st.Events)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(strings.Join(logged, "\n"), "converting it once"); n != 2 {
		t.Fatalf("want one conversion line per file, got %q", logged)
	}
}

// The lock holder for TestSecondProcessIsRefused: this test binary run again with LOCK_STORE set opens the store,
// says so, and holds it until killed.
func TestHelperHoldStore(t *testing.T) {
	path := os.Getenv("LOCK_STORE")
	if path == "" {
		t.Skip("helper process of TestSecondProcessIsRefused")
	}
	if _, err := Open(Config{Path: path, PruneEvery: -1}); err != nil {
		os.Stdout.WriteString("error: " + err.Error() + "\n")
		os.Exit(2)
	}
	os.Stdout.WriteString("open\n")
	time.Sleep(time.Hour)
}

// One process per store: while another process holds it, Open refuses with an error naming the store; once that
// process is gone (kill -9 included) the store opens again.
func TestSecondProcessIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldStore$")
	cmd.Env = append(os.Environ(), "LOCK_STORE="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "open\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("helper did not open the store: %q %v", buf, err)
	}
	_, err = Open(Config{Path: path, PruneEvery: -1})
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		_ = cmd.Process.Kill()
		t.Fatalf("a second process must be refused with the store's path, got %v", err)
	}
	_ = cmd.Process.Kill() // SIGKILL: the OS releases the lock
	_ = cmd.Wait()
	s := openTest(t, Config{Path: path})
	if st := status(t, s); st.Store != "sqlite" {
		t.Fatal("reopened store does not answer")
	}
}

// Grafana creates a datasource's new instance before it disposes the old one: the new one takes the store over.
func TestNewInstanceTakesTheStoreOver(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	old, err := Open(Config{Path: path, PruneEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, old, ev(t, 1, "Critical", "r", "ns", "p"))
	s := openTest(t, Config{Path: path})
	if _, err := old.Ingest(t.Context(), nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("the old instance's store must be closed, got %v", err)
	}
	_ = old.Close() // Grafana disposes the old instance later: a no-op that must not close the new one
	if st := status(t, s); st.Events != 1 {
		t.Fatalf("new instance sees %d events", st.Events)
	}
	ingest(t, s, ev(t, 2, "Critical", "r", "ns", "p"))
}

func status(t *testing.T, s *Store) events.Status {
	t.Helper()
	st, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return st
}
