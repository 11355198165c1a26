package sqlitestore

import (
	"errors"
	"fmt"
	"sync"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDiskFull is a write refused because the disk (or SQLite's max_page_count) is full: the handler answers 507.
var ErrDiskFull = errors.New("the event store's disk is full")

// storeErrorLogEvery is how often one condition is logged while it lasts: a full disk fails every request, and
// one log line per request flooded Grafana's log (17,751 lines in 20 s).
const storeErrorLogEvery = time.Minute

// storeProblems counts the write failures of each condition and logs each at most once per storeErrorLogEvery.
type storeProblems struct {
	mu      sync.Mutex
	byCond  map[string]*problem
	current string // the condition of the last failure while it lasts
	since   time.Time
}

type problem struct {
	count, unlogged int64
	lastLog         time.Time
	lastErr         string
}

// condition names what a write error means to an operator.
func condition(err error) string {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_FULL:
		return "disk full"
	case sqlite3.SQLITE_IOERR:
		return "disk I/O error"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return "store not writable"
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return "store file damaged"
	}
	return "store error"
}

// noteStoreError counts a failed write and returns the error ingest answers with (ErrDiskFull for a full disk).
func (s *Store) noteStoreError(err error) error {
	if err == nil || errors.Is(err, ErrClosed) {
		return err
	}
	cond := condition(err)
	now := s.cfg.Now()
	p := &s.problems
	p.mu.Lock()
	if p.byCond == nil {
		p.byCond = map[string]*problem{}
	}
	pr := p.byCond[cond]
	if pr == nil {
		pr = &problem{}
		p.byCond[cond] = pr
	}
	pr.count++
	pr.unlogged++
	pr.lastErr = err.Error()
	if p.current != cond {
		p.current, p.since = cond, now
	}
	logNow := pr.lastLog.IsZero() || now.Sub(pr.lastLog) >= storeErrorLogEvery
	var n int64
	if logNow {
		n, pr.unlogged, pr.lastLog = pr.unlogged, 0, now
	}
	since := p.since
	p.mu.Unlock()
	if logNow {
		s.cfg.Logf("event store cannot write: "+cond+"; ingest answers with Retry-After and resumes by itself once the cause is gone",
			"failures", n, "failuresTotal", pr.count, "since", since.UTC().Format(time.RFC3339), "error", err.Error(), "path", s.cfg.Path)
	}
	if cond == "disk full" {
		return fmt.Errorf("%w: %v", ErrDiskFull, err)
	}
	return err
}

// noteStoreOK ends the current condition after a successful write, with one line saying so.
func (s *Store) noteStoreOK() {
	p := &s.problems
	p.mu.Lock()
	if p.current == "" {
		p.mu.Unlock()
		return
	}
	cond, since := p.current, p.since
	p.current = ""
	p.mu.Unlock()
	s.cfg.Logf("event store writes again after "+cond, "since", since.UTC().Format(time.RFC3339), "path", s.cfg.Path)
}

// Problem is the condition that makes writes fail now, and since when; "" when the last write succeeded.
func (s *Store) Problem() (string, time.Time) {
	p := &s.problems
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.current, p.since
}
