// Package sqlitestore keeps Falco events in one SQLite file per datasource (pure Go modernc.org/sqlite, WAL).
// It is the only code of the backend that touches files. One writer goroutine commits many concurrent ingest
// requests in one transaction (group commit); each request is answered only after its transaction committed.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/containersec/container-security/pkg/events"
)

// ErrBusy is returned when the ingest queue is full; the caller answers 503 with Retry-After.
var ErrBusy = errors.New("event store is busy: the ingest queue is full")

// gatherWindow is how long the writer waits for more requests before committing: the latency one event pays
// for many events sharing a commit.
const gatherWindow = 2 * time.Millisecond

// ErrClosed is returned for calls after Close.
var ErrClosed = errors.New("event store is closed")

// Config is what a datasource's settings say about its store.
type Config struct {
	Path          string
	RetentionDays int
	MaxBytes      int64
	// QueueSize bounds the ingest requests waiting for the writer; 0 means 4096.
	QueueSize int
	// MaxBatch bounds the events of one transaction; 0 means 2000.
	MaxBatch int
	// PruneEvery is how often retention runs; 0 means one minute, negative never (tests call PruneNow).
	PruneEvery time.Duration
	// Logf reports refusals and pruning; nil discards.
	Logf func(msg string, keyvals ...any)
	Now  func() time.Time
}

// Store is an open event store.
type Store struct {
	cfg    Config
	w      *sql.DB // the writer's single connection
	r      *sql.DB // readers (WAL lets them run beside the writer)
	queue  chan *writeReq
	quit   chan struct{}
	wg     sync.WaitGroup
	closed atomic.Bool
	mu     sync.RWMutex // held for reading while enqueueing, for writing while closing

	refused        atomic.Int64
	lastIngest     atomic.Int64 // unix ns
	lastRefusalLog atomic.Int64 // unix ns
}

type writeReq struct {
	events []events.Event
	prune  *pruneJob
	done   chan writeResult
}

type writeResult struct {
	res events.IngestResult
	err error
}

// Open creates the directory and file when needed, migrates the schema and starts the writer and retention.
func Open(cfg Config) (*Store, error) {
	if err := CheckPath(cfg.Path); err != nil {
		return nil, err
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 4096
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 2000
	}
	if cfg.PruneEvery == 0 {
		cfg.PruneEvery = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	dir := filepath.Dir(cfg.Path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create the event store directory %s: %v; choose a path Grafana can write to", dir, cleanErr(err))
	}
	if st, err := os.Stat(cfg.Path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("the event store path %s is a directory; add a file name such as events.db", cfg.Path)
	}
	w, err := sql.Open("sqlite", dsn(cfg.Path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	if err := refuseForeignDatabase(w, cfg.Path); err != nil {
		w.Close()
		return nil, err
	}
	if err := migrate(w); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot prepare the event store %s: %v", cfg.Path, cleanErr(err))
	}
	r, err := sql.Open("sqlite", dsn(cfg.Path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	s := &Store{cfg: cfg, w: w, r: r, queue: make(chan *writeReq, cfg.QueueSize), quit: make(chan struct{})}
	var last sql.NullInt64
	_ = w.QueryRow(`SELECT value FROM meta WHERE key = 'last_ingest'`).Scan(&last)
	s.lastIngest.Store(last.Int64)
	s.wg.Add(1)
	go s.writer()
	if cfg.PruneEvery > 0 {
		s.wg.Add(1)
		go s.retention()
	}
	return s, nil
}

// dsn sets the pragmas on every connection: WAL so readers never block the writer; synchronous=NORMAL, with
// which a committed (acknowledged) transaction survives a crash of the process (the crash test kills -9), while
// a power loss may roll back the last transactions since the previous checkpoint (sqlite.org/pragma.html#pragma_synchronous).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(0)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// CheckPath refuses paths that cannot be a dedicated event store, before anything is created.
func CheckPath(p string) error {
	switch {
	case p == "":
		return errors.New("no SQLite path is set: set sqlitePath, for example /var/lib/grafana/containersec-falco/events.db")
	case !filepath.IsAbs(p):
		return fmt.Errorf("SQLite path %q must be absolute (for example /var/lib/grafana/containersec-falco/events.db)", p)
	case strings.ContainsRune(p, 0):
		return errors.New("SQLite path must not contain a NUL byte")
	case strings.Contains(filepath.ToSlash(p), "/../") || strings.HasSuffix(filepath.ToSlash(p), "/.."):
		return fmt.Errorf("SQLite path %q must not contain '..'", p)
	case strings.HasSuffix(p, "/"):
		return fmt.Errorf("SQLite path %q names a directory; add a file name such as events.db", p)
	case strings.EqualFold(filepath.Base(p), "grafana.db"):
		return fmt.Errorf("SQLite path %q is Grafana's own database; choose a separate file such as %s", p, filepath.Join(filepath.Dir(p), "containersec-falco", "events.db"))
	}
	return nil
}

// refuseForeignDatabase keeps the store out of any existing SQLite file that is not ours, Grafana's above all
// (its database has a migration_log table whatever the file is called).
func refuseForeignDatabase(db *sql.DB, path string) error {
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		return fmt.Errorf("the file %s is not an SQLite database this plugin can use: %v", path, cleanErr(err))
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("the file %s is not an SQLite database this plugin can use: %v", path, err)
	}
	if len(tables) == 0 {
		return nil
	}
	for _, t := range tables {
		if t == "containersec_schema" {
			return nil
		}
		if t == "migration_log" || t == "dashboard" {
			return fmt.Errorf("the file %s is Grafana's own database; choose a separate file for the event store", path)
		}
	}
	return fmt.Errorf("the file %s already holds another application's tables (%s); choose a separate file for the event store", path, strings.Join(tables[:min(len(tables), 5)], ", "))
}

// Close stops accepting events, commits what is queued, and closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed.Swap(true) {
		s.mu.Unlock()
		return nil
	}
	close(s.quit)
	s.mu.Unlock()
	s.wg.Wait()
	return errors.Join(s.r.Close(), s.w.Close())
}

// Ingest stores events and returns after their transaction committed. A full queue refuses at once with ErrBusy.
func (s *Store) Ingest(ctx context.Context, evs []events.Event) (events.IngestResult, error) {
	req := &writeReq{events: evs, done: make(chan writeResult, 1)}
	if err := s.enqueue(req); err != nil {
		if errors.Is(err, ErrBusy) {
			n := s.refused.Add(int64(len(evs)))
			// At most one log line every 10 s: an overload must not also flood Grafana's log.
			now := time.Now().UnixNano()
			if last := s.lastRefusalLog.Load(); now-last > int64(10*time.Second) && s.lastRefusalLog.CompareAndSwap(last, now) {
				s.cfg.Logf("event store queue is full; refusing events with 503", "refusedTotal", n, "queue", s.cfg.QueueSize)
			}
		}
		return events.IngestResult{}, err
	}
	select {
	case r := <-req.done:
		return r.res, r.err
	case <-ctx.Done():
		return events.IngestResult{}, ctx.Err()
	}
}

func (s *Store) enqueue(req *writeReq) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed.Load() {
		return ErrClosed
	}
	select {
	case s.queue <- req:
		return nil
	default:
		return ErrBusy
	}
}

// writer is the only goroutine that writes: it takes every request waiting (up to MaxBatch events) into one
// transaction, so concurrent senders share one commit.
func (s *Store) writer() {
	defer s.wg.Done()
	for {
		var first *writeReq
		select {
		case first = <-s.queue:
		case <-s.quit:
			// Commit what is already queued, then stop.
			for {
				select {
				case r := <-s.queue:
					s.commit([]*writeReq{r})
				default:
					return
				}
			}
		}
		batch := []*writeReq{first}
		n := len(first.events)
		// Senders answered by the previous commit send their next event within a moment: wait up to
		// gatherWindow for them, so one commit serves many requests instead of one.
		var window <-chan time.Time
		if first.prune == nil {
			window = time.After(gatherWindow)
		}
		var pending *writeReq
	fill:
		for n < s.cfg.MaxBatch && first.prune == nil {
			select {
			case r := <-s.queue:
				if r.prune != nil {
					pending = r
					break fill
				}
				batch = append(batch, r)
				n += len(r.events)
			case <-window:
				break fill
			}
		}
		s.commit(batch)
		if pending != nil {
			s.commit([]*writeReq{pending})
		}
	}
}

func (s *Store) commit(batch []*writeReq) {
	if len(batch) == 1 && batch[0].prune != nil {
		batch[0].done <- writeResult{err: s.prune(batch[0].prune)}
		return
	}
	results, err := s.insert(batch)
	for i, r := range batch {
		if err != nil {
			r.done <- writeResult{err: err}
		} else {
			r.done <- writeResult{res: results[i]}
		}
	}
}

// rowsPerInsert keeps a multi-row INSERT under SQLite's 32766 bound parameters (18 per event).
const rowsPerInsert = 64

const insertEventsHead = `INSERT INTO events (id, time, priority, rule, source, hostname, cluster, namespace, pod, container, image,
	process, cmdline, user, parent, tags, output, output_fields) VALUES `

// insert writes a batch with a few multi-row statements: events (duplicates ignored by id), then their tags,
// then the FTS5 rows of the new events in one INSERT ... SELECT.
func (s *Store) insert(batch []*writeReq) ([]events.IngestResult, error) {
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	var lastSeq int64
	if err := tx.QueryRow(`SELECT coalesce(max(seq), 0) FROM events`).Scan(&lastSeq); err != nil {
		return nil, err
	}
	var all []*events.Event
	for _, r := range batch {
		for i := range r.events {
			all = append(all, &r.events[i])
		}
	}
	inserted := make(map[string]int64, len(all)) // id -> seq of the events this batch stored
	for start := 0; start < len(all); start += rowsPerInsert {
		chunk := all[start:min(start+rowsPerInsert, len(all))]
		var q strings.Builder
		q.WriteString(insertEventsHead)
		args := make([]any, 0, len(chunk)*18)
		for i, e := range chunk {
			if i > 0 {
				q.WriteString(",")
			}
			q.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			args = append(args, e.ID, e.Time.UnixNano(), int(e.Priority), e.Rule, e.Source, e.Hostname, e.Cluster, e.Namespace,
				e.Pod, e.Container, e.Image, e.Process, e.Cmdline, e.User, e.Parent, strings.Join(e.Tags, ","), e.Output, string(e.OutputFields))
		}
		q.WriteString(" ON CONFLICT(id) DO NOTHING RETURNING seq, id")
		rows, err := tx.Query(q.String(), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var seq int64
			var id string
			if err := rows.Scan(&seq, &id); err != nil {
				rows.Close()
				return nil, err
			}
			inserted[id] = seq
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	// Tags of the stored events, and the per-minute counts; an id counts once even when sent twice in a batch.
	results := make([]events.IngestResult, len(batch))
	var tagArgs []any
	rollup := newRollup()
	for i, r := range batch {
		for j := range r.events {
			e := &r.events[j]
			seq, ok := inserted[e.ID]
			if !ok {
				results[i].Duplicates++
				continue
			}
			delete(inserted, e.ID)
			results[i].Stored++
			for _, t := range uniqueTags(e.Tags) {
				tagArgs = append(tagArgs, seq, t, e.Time.UnixNano())
			}
			rollup.add(e, 1)
		}
	}
	const tagsPerInsert = 500
	for start := 0; start < len(tagArgs); start += tagsPerInsert * 3 {
		chunk := tagArgs[start:min(start+tagsPerInsert*3, len(tagArgs))]
		q := `INSERT INTO event_tags (tseq, tag, ttime) VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?),", len(chunk)/3), ",")
		if _, err := tx.Exec(q, chunk...); err != nil {
			return nil, err
		}
	}
	if _, err := tx.Exec(`INSERT INTO events_fts (rowid, output) SELECT seq, output FROM events WHERE seq > ? AND output != ''`, lastSeq); err != nil {
		return nil, err
	}
	if err := rollup.write(tx); err != nil {
		return nil, err
	}

	now := s.cfg.Now().UnixNano()
	if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('last_ingest', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, now); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s.lastIngest.Store(now)
	return results, nil
}

func uniqueTags(tags []string) []string {
	if len(tags) < 2 {
		return tags
	}
	seen := make(map[string]bool, len(tags))
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// cleanErr drops the path a PathError repeats, since our messages already name it.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
