// Package sqlitestore keeps Falco events in SQLite files of one datasource (pure Go modernc.org/sqlite, WAL): the
// events and their counts at the configured path, their FTS5 index beside it (fts.go). Its files are handled in
// file.go, the only code of the backend that touches the file system. One writer goroutine commits many concurrent
// ingest requests in one transaction (group commit); each request is answered only after its transaction committed.
package sqlitestore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/containersec/container-security/pkg/events"
)

// ErrBusy is returned when the ingest queue is full; the caller answers 503 with Retry-After.
var ErrBusy = errors.New("event store is busy: the ingest queue is full")

// gatherWindow is the longest the writer waits for the senders its last commit answered before committing: the
// latency one event may pay for many events sharing a commit. Senders answered by one commit come back while the next is written, so a
// shorter window overlaps their parsing with the commit; none at all makes commits too small (sustained ingest in
// the benchmark, events/s over runs of 300,000: no window 11,200; 0.5 ms 22,000-24,700; 1 ms 22,500-23,700;
// 1.5 ms 20,500-22,500; 2 ms 19,700-22,400).
const gatherWindow = 1 * time.Millisecond

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

	// Owned by the writer goroutine.
	ins          inserter
	lastFlush    time.Time
	gatherFor    int          // how many senders the next commit gathers for (recent commits' requests)
	gatherWaits  atomic.Int64 // commits that waited for more requests (read by tests)
	needRecovery bool

	ck     *sql.DB   // checkpoints and truncates both WALs for PruneNow (the writers checkpoint their own otherwise)
	idr    *sql.DB   // the writer's reader of stored events by id (inserter.held), through idConn
	idConn *sql.Conn // its one connection, held from open to close
	lock   *sql.DB   // holds the store's lock (file.go)

	fw              *sql.DB // the FTS writer's connection to the index file (fts.go)
	toFTS           chan *ftsJob
	backlog         *semaphore.Weighted // events handed to the FTS writer and not yet indexed (ftsBacklog)
	ftsIns          int64               // owned by the FTS writer
	ftsNeedRecovery bool
	// committedIns is the last ins the events writer committed, indexedIns the last the FTS writer indexed;
	// indexed is closed (and replaced) at each FTS commit, for queries that wait for the index (waitIndexed).
	committedIns, indexedIns atomic.Int64
	indexedMu                sync.Mutex
	indexed                  chan struct{}

	hourGroups hourGroups    // GroupByFields' whole past hours (fieldgroups.go)
	recent     *recentEvents // the events committed last, for list queries' tail (recent.go)

	cap      capState
	problems storeProblems

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
	if err := prepareStoreDir(cfg.Path); err != nil {
		return nil, err
	}
	openInProcessMu.Lock()
	defer openInProcessMu.Unlock()
	if prev := openInProcess[cfg.Path]; prev != nil {
		cfg.Logf("event store taken over by the datasource's new instance; the previous one commits its queue and closes", "path", cfg.Path)
		delete(openInProcess, cfg.Path)
		_ = prev.shutdown()
	}
	lock, err := lockStore(cfg.Path)
	if err != nil {
		return nil, err
	}
	s, err := open(cfg)
	if err != nil {
		lock.Close()
		return nil, err
	}
	s.lock = lock
	openInProcess[cfg.Path] = s
	return s, nil
}

func open(cfg Config) (*Store, error) {
	w, err := sql.Open("sqlite", dsn(cfg.Path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	if err := refuseForeignDatabase(w, cfg.Path); err != nil {
		w.Close()
		return nil, err
	}
	if err := migrate(w, cfg.Logf); err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot prepare the event store %s: %v", cfg.Path, cleanErr(err))
	}
	fw, err := openFTS(cfg.Path)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("cannot prepare the event store's index %s: %v", FTSPath(cfg.Path), cleanErr(err))
	}
	for _, f := range []struct {
		db   *sql.DB
		path string
	}{{w, cfg.Path}, {fw, FTSPath(cfg.Path)}} {
		// Each writer checkpoints its own file's WAL every 4 MiB at most (a short pause of its commits), and the
		// file is cut back to walBudget (capacity.go).
		if _, err := f.db.Exec(`PRAGMA wal_autocheckpoint = ` + strconv.FormatInt(min(walBudget(cfg.MaxBytes), 4<<20)/4096, 10) + `; PRAGMA journal_size_limit = ` + strconv.FormatInt(walBudget(cfg.MaxBytes), 10)); err != nil {
			w.Close()
			fw.Close()
			return nil, err
		}
		if err := ensureIncrementalVacuum(f.db, f.path, cfg.Logf); err != nil {
			w.Close()
			fw.Close()
			return nil, fmt.Errorf("cannot convert the event store %s to incremental vacuum: %v", f.path, cleanErr(err))
		}
	}
	r, err := sql.Open("sqlite", dsn(cfg.Path, true)+"&"+ftsAttachParam+"=1")
	if err != nil {
		w.Close()
		fw.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	ck, err := sql.Open("sqlite", dsn(cfg.Path, false)+"&"+ftsAttachParam+"=1")
	if err != nil {
		w.Close()
		fw.Close()
		r.Close()
		return nil, err
	}
	ck.SetMaxOpenConns(1)
	// The writer's own reader, for the stored event of an id its set may hold: never queued behind the queries.
	idr, err := sql.Open("sqlite", dsn(cfg.Path, true)+"&"+ftsAttachParam+"=1")
	if err != nil {
		w.Close()
		fw.Close()
		r.Close()
		ck.Close()
		return nil, err
	}
	idr.SetMaxOpenConns(1)
	// Connected now and held: a connection opened while the writer's own transaction is open waits for it to end
	// (SQLITE_BUSY after the busy timeout, seen in TestResendIsAnsweredWhileEveryReaderIsBusy).
	idConn, err := idr.Conn(context.Background())
	if err == nil { // read now and then (a resend): a small page cache
		_, err = idConn.ExecContext(context.Background(), `PRAGMA main.cache_size = -256; PRAGMA fts.cache_size = -256`)
	}
	if err != nil {
		w.Close()
		fw.Close()
		r.Close()
		ck.Close()
		idr.Close()
		return nil, fmt.Errorf("cannot open the event store %s: %v", cfg.Path, cleanErr(err))
	}
	s := &Store{cfg: cfg, w: w, r: r, ck: ck, idr: idr, idConn: idConn, fw: fw, toFTS: make(chan *ftsJob, 64), indexed: make(chan struct{}), backlog: semaphore.NewWeighted(ftsBacklog), queue: make(chan *writeReq, cfg.QueueSize), quit: make(chan struct{}), lastFlush: time.Now()}
	var last sql.NullInt64
	_ = w.QueryRow(`SELECT value FROM meta WHERE key = 'last_ingest'`).Scan(&last)
	s.lastIngest.Store(last.Int64)
	var count int64
	_ = w.QueryRow(`SELECT count(*) FROM events`).Scan(&count)
	s.cap.events.Store(count)
	if err := s.ins.prepare(w); err != nil {
		_ = s.closeDBs()
		return nil, err
	}
	if s.ins.ids, err = loadIDSet(w, count); err != nil {
		_ = s.closeDBs()
		return nil, fmt.Errorf("cannot read the event store %s: %v", cfg.Path, cleanErr(err))
	}
	s.ins.held = func(id string) (*events.Event, error) { return eventByID(context.Background(), s.idConn, id) }
	if err := s.recoverRollup(); err != nil {
		_ = s.closeDBs()
		return nil, fmt.Errorf("cannot read the event store %s: %v", cfg.Path, cleanErr(err))
	}
	if err := s.recoverFTS(); err != nil {
		_ = s.closeDBs()
		return nil, fmt.Errorf("cannot index the event store %s: %v", cfg.Path, cleanErr(err))
	}
	s.committedIns.Store(s.ftsIns) // recoverFTS indexed every stored event
	s.indexedIns.Store(s.ftsIns)
	s.recent = newRecentEvents(s.ftsIns)
	s.wg.Add(2)
	go s.writer()
	go s.ftsWriter()
	if cfg.PruneEvery > 0 {
		s.wg.Add(1)
		go s.retention()
	}
	return s, nil
}

// dsn sets the pragmas on every connection: WAL so readers never block the writer; synchronous=NORMAL, with
// which a committed (acknowledged) transaction survives a crash of the process (the crash test kills -9), while
// a power loss may roll back the last transactions since the previous checkpoint (sqlite.org/pragma.html#pragma_synchronous).
//
// auto_vacuum comes first: SQLite fixes it when the file is created, and journal_mode(WAL) creates the file
// (sqlite.org/pragma.html#pragma_auto_vacuum: it can only change on an empty database or through VACUUM).
// journal_size_limit makes SQLite cut each WAL back to walLimit whenever it starts the log over after a checkpoint.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	// temp_store(MEMORY) keeps statement journals (multi-row INSERT ... ON CONFLICT needs one) off the disk.
	for _, p := range []string{"auto_vacuum(INCREMENTAL)", "busy_timeout(10000)", "journal_mode(WAL)", "journal_size_limit(" + strconv.Itoa(walLimit) + ")", "synchronous(NORMAL)", "foreign_keys(0)", "temp_store(MEMORY)", "wal_autocheckpoint(16384)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + escapePath(path) + "?" + q.Encode()
}

func escapePath(path string) string { return (&url.URL{Path: path}).EscapedPath() }

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

// Close stops accepting events, commits what is queued, and closes the files and the lock.
func (s *Store) Close() error {
	openInProcessMu.Lock()
	if openInProcess[s.cfg.Path] == s {
		delete(openInProcess, s.cfg.Path)
	}
	openInProcessMu.Unlock()
	return s.shutdown()
}

func (s *Store) shutdown() error {
	s.mu.Lock()
	if s.closed.Swap(true) {
		s.mu.Unlock()
		return nil
	}
	close(s.quit)
	s.mu.Unlock()
	s.wg.Wait()
	err := s.closeDBs()
	if s.lock != nil {
		err = errors.Join(err, s.lock.Close())
	}
	return err
}

func (s *Store) closeDBs() error {
	for _, st := range s.ins.stmts {
		_ = st.Close()
	}
	return errors.Join(s.r.Close(), s.ck.Close(), s.idConn.Close(), s.idr.Close(), s.fw.Close(), s.w.Close())
}

// flushNow writes the counts kept in memory (before retention, and when closing).
func (s *Store) flushNow() error {
	if s.ins.deltaEvents == 0 && len(s.ins.delta) == 0 {
		return nil
	}
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	if err := s.ins.flushRollup(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.ins.delta, s.ins.deltaEvents = rollup{}, 0
	s.lastFlush = time.Now()
	return nil
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
		var idle <-chan time.Time
		if s.ins.deltaEvents > 0 {
			idle = time.After(rollupFlushEvery) // write the counts of the last events when no more come
		}
		select {
		case <-idle:
			if err := s.flushNow(); err != nil {
				s.cfg.Logf("event store could not write its counts; they are counted from the events meanwhile", "error", err)
				s.needRecovery = true
			}
			continue
		case first = <-s.queue:
		case <-s.quit:
			// Commit what is already queued, then stop.
			for {
				select {
				case r := <-s.queue:
					s.commit([]*writeReq{r})
				default:
					if err := s.flushNow(); err != nil {
						s.cfg.Logf("event store could not write its counts on close; they are rebuilt when it opens", "error", err)
					}
					close(s.toFTS)
					return
				}
			}
		}
		batch := []*writeReq{first}
		n := len(first.events)
		// Gather only for senders that are coming: those recent commits answered send their next event within a
		// moment, so wait (up to gatherWindow) until as many requests as they served are here. A lone sender
		// (falcosidekick's default: one request at a time) is committed at once and pays no wait.
		var window <-chan time.Time
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
				continue
			default:
			}
			if len(batch) >= s.gatherFor {
				break
			}
			if window == nil {
				window = time.After(gatherWindow)
				s.gatherWaits.Add(1)
			}
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
		if first.prune == nil {
			// The most requests one recent commit answered, forgotten an eighth per commit: a batch that caught
			// only a few of many senders must not make the next wait for only as few (commits would stay small).
			s.gatherFor = max(len(batch), s.gatherFor-(s.gatherFor+7)/8)
		}
		s.keepWithinCap(s.commit(batch))
		s.keepWALSmall(s.w, "main")
		if pending != nil {
			s.commit([]*writeReq{pending})
		}
	}
}

// commit writes a batch to the events file, answers its requests and hands the entries to the FTS writer; a
// prune is answered by the FTS writer once the entries are gone too.
func (s *Store) commit(batch []*writeReq) (stored int) {
	fail := func(err error) {
		err = s.noteStoreError(err)
		for _, r := range batch {
			r.done <- writeResult{err: err}
		}
	}
	if s.needRecovery {
		if err := s.recoverRollup(); err != nil {
			fail(err)
			return
		}
	}
	if len(batch) == 1 && batch[0].prune != nil {
		deleted, err := s.prune(batch[0].prune)
		if err != nil || len(deleted) == 0 {
			fail(err)
			return
		}
		s.toFTS <- &ftsJob{deleted: deleted, reqs: batch, results: []writeResult{{}}}
		return
	}
	results, entries, err := s.insert(batch)
	if err != nil {
		fail(err)
		return
	}
	s.noteStoreOK()
	s.cap.events.Add(int64(len(entries)))
	if len(entries) > 0 { // ins numbers of rows that met a stored event stay unused: the last stored one counts
		s.recent.add(entries, s.indexedIns.Load())
		s.committedIns.Store(slices.MaxFunc(entries, func(a, b ftsEntry) int { return cmp.Compare(a.ins, b.ins) }).ins)
	}
	for i, r := range batch {
		r.done <- writeResult{res: results[i]}
	}
	if len(entries) > 0 {
		// The events writer waits (and with it the senders) while the index is ftsBacklog events behind.
		_ = s.backlog.Acquire(context.Background(), int64(min(len(entries), ftsBacklog)))
		s.toFTS <- &ftsJob{entries: entries}
	}
	return len(entries)
}

// maxKeyShift bounds how far an event's key may move above its time when other events hold those nanoseconds;
// queries read keys up to this far past the end of their range.
const maxKeyShift = int64(1 << 20)

const insertEventsHead = `INSERT INTO events (key, ins, id, time, priority, rule, source, hostname, cluster, namespace, pod, container, image,
	process, cmdline, user, parent, tags, output, output_fields) VALUES `

const eventPlaceholders = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"

// inserter writes batches of events: the rows, their FTS5 entries and their counts. ins is the last number given to
// a stored event; delta holds the counts of stored events not yet written to event_counts.
type inserter struct {
	ins         int64
	delta       rollup
	deltaEvents int

	stmts map[string]*sql.Stmt // prepared on the writer's connection

	// ids are the stored events' ids and held reads the stored event of an id they may hold; both nil in the
	// migrations before version 5, which write no event_ids (the ids of those versions were unique already).
	ids  *idSet
	held func(id string) (*events.Event, error)
}

// stmt is q prepared for tx: the writer prepares its statements once (prepare); a migration each time.
func (w *inserter) stmt(tx *sql.Tx, q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return tx.Stmt(st), nil
	}
	return tx.Prepare(q)
}

func insertEventsQuery(n int) string {
	return insertEventsHead + strings.TrimSuffix(strings.Repeat(eventPlaceholders+",", n), ",") + " ON CONFLICT DO NOTHING" // key
}

func insertIDsQuery(n int) string {
	return `INSERT INTO event_ids (key, id) VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?),", n), ",")
}

// insertedOf marks in inserted the keys of chunk that the statement just run wrote: those whose row holds the
// ins number it gave them (a row that was there before holds an older one).
func (w *inserter) insertedOf(tx *sql.Tx, chunk []int, keys, insOf []int64, inserted map[int64]bool) error {
	args := make([]any, len(chunk))
	for j, i := range chunk {
		args[j] = keys[i]
	}
	rows, err := tx.Query(`SELECT key, ins FROM events WHERE key IN (?`+strings.Repeat(",?", len(chunk)-1)+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	insOfKey := make(map[int64]int64, len(chunk))
	for _, i := range chunk {
		insOfKey[keys[i]] = insOf[i]
	}
	for rows.Next() {
		var k, ins int64
		if err := rows.Scan(&k, &ins); err != nil {
			return err
		}
		if ins == insOfKey[k] {
			inserted[k] = true
		}
	}
	return rows.Err()
}

// prepare prepares the insert statements of every chunk size on db, outside any transaction (the writer has one
// connection: preparing inside a transaction would wait for it forever).
func (w *inserter) prepare(db *sql.DB) error {
	w.stmts = map[string]*sql.Stmt{}
	for _, n := range chunkSizes {
		for _, q := range []string{insertEventsQuery(n), insertIDsQuery(n)} {
			st, err := db.Prepare(q)
			if err != nil {
				return err
			}
			w.stmts[q] = st
		}
	}
	return nil
}

// chunkSizes are the row counts of the prepared multi-row statements: a batch is written with the largest that fit.
var chunkSizes = []int{64, 16, 4, 1}

func chunkSize(n int) int {
	for _, c := range chunkSizes {
		if n >= c {
			return c
		}
	}
	return 1
}

func eventArgs(args []any, e *events.Event, key, ins int64) []any {
	return append(args, key, ins, e.ID, e.Time.UnixNano(), int(e.Priority), e.Rule, e.Source, e.Hostname, e.Cluster, e.Namespace,
		e.Pod, e.Container, e.Image, e.Process, e.Cmdline, e.User, e.Parent, strings.Join(e.Tags, ","), e.Output, string(e.OutputFields))
}

// storedTags are the tags of the column eventArgs wrote.
func storedTags(column string) []string {
	if column == "" {
		return nil
	}
	return strings.Split(column, ",")
}

// countedColumns are the columns the counts are made of (rollup.add), as scanCounted reads them.
const countedColumns = `time, priority, rule, source, hostname, cluster, namespace, pod, image, tags`

// scanCounted reads a row of the given leading columns and then countedColumns into lead and e.
func scanCounted(rows *sql.Rows, e *events.Event, lead ...any) error {
	var ns int64
	var prio int
	var tags string
	if err := rows.Scan(append(lead, &ns, &prio, &e.Rule, &e.Source, &e.Hostname, &e.Cluster, &e.Namespace, &e.Pod, &e.Image, &tags)...); err != nil {
		return err
	}
	e.Time, e.Priority, e.Tags = time.Unix(0, ns).UTC(), events.Priority(prio), storedTags(tags)
	return nil
}

// conflicts says whether e reuses the uuid of the stored event held for another alert. An event without uuid has an
// id derived from its time, rule, hostname and output: the same id is the same alert resent, as before.
func conflicts(held, e *events.Event) bool {
	return !sameEvent(held, e) && e.ID != events.DerivedID(e.Time, e.Rule, e.Hostname, e.Output)
}

// sameEvent says whether two events with one id carry the same alert: what the sender sent, not what this
// datasource's settings derived from it (cluster, workload fields).
func sameEvent(a, b *events.Event) bool {
	return a.Time.Equal(b.Time) && a.Priority == b.Priority && a.Rule == b.Rule && a.Source == b.Source && a.Hostname == b.Hostname &&
		a.Output == b.Output && slices.Equal(a.Tags, b.Tags) && bytes.Equal(a.OutputFields, b.OutputFields)
}

// insert stores the events that are not stored yet in tx and returns which were stored. An event is the same
// event when its id is (one event per id since version 4; other content under a stored id is a conflict):
// falcosidekick gives each event it receives a new uuid (newFalcoPayload in handlers.go:
// "falcopayload.UUID = uuid.New().String()") and forwards Falco's time with it, so the same uuid comes twice only
// with the same payload, time included; Falco's own JSON gets an id derived from time, rule, hostname and output.
// The counts of the stored events go to w.delta and w.ins moves on; both are the caller's to undo when tx does not
// commit.
func (w *inserter) insert(tx *sql.Tx, evs []*events.Event) ([]bool, []bool, []ftsEntry, error) {
	stored := make([]bool, len(evs))
	conflict := make([]bool, len(evs))
	keys := make([]int64, len(evs))
	taken := make(map[int64]bool, len(evs))
	seen := make(map[string]*events.Event, len(evs))
	dup := make([]bool, len(evs))
	for i, e := range evs {
		t := e.Time.UnixNano()
		if first := seen[e.ID]; first != nil {
			dup[i] = true
			conflict[i] = conflicts(first, e)
			continue
		}
		seen[e.ID] = e
		k := t
		for taken[k] {
			k++
		}
		taken[k] = true
		keys[i] = k
	}
	// All rows in a few multi-row statements; a key another row holds already is left for the slow path below.
	inserted := make(map[int64]bool, len(evs))
	ins := w.ins
	insOf := make([]int64, len(evs))
	// In key order: rows append to the table's B-tree, and FTS5 keeps one in-memory segment per transaction only
	// while rowids grow (a smaller rowid flushes what it holds as a segment of its own: with the senders' requests
	// arriving a little out of time order, that was most of the writer's time).
	var pendingRows []int
	for i, e := range evs {
		if dup[i] {
			continue
		}
		// The id set answers almost every event (a new uuid); a possible hit reads the stored event.
		if w.ids != nil && w.ids.mayHold(e.ID) {
			held, err := w.held(e.ID)
			if err == nil {
				dup[i] = true
				conflict[i] = conflicts(held, e)
				continue
			}
			if !errors.Is(err, ErrNotFound) {
				return nil, nil, nil, err
			}
		}
		pendingRows = append(pendingRows, i)
	}
	slices.SortFunc(pendingRows, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	order := slices.Clone(pendingRows)
	for len(pendingRows) > 0 {
		chunk := pendingRows[:chunkSize(len(pendingRows))]
		pendingRows = pendingRows[len(chunk):]
		st, err := w.stmt(tx, insertEventsQuery(len(chunk)))
		if err != nil {
			return nil, nil, nil, err
		}
		args := make([]any, 0, len(chunk)*20)
		for _, i := range chunk {
			ins++
			insOf[i] = ins
			args = eventArgs(args, evs[i], keys[i], ins)
		}
		res, err := st.Exec(args...)
		if err != nil {
			return nil, nil, nil, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, nil, nil, err
		}
		if int(n) == len(chunk) { // the usual case: every key was free
			for _, i := range chunk {
				inserted[keys[i]] = true
			}
			continue
		}
		// Some keys were held: a row holding our ins number is one this statement wrote.
		if err := w.insertedOf(tx, chunk, keys, insOf, inserted); err != nil {
			return nil, nil, nil, err
		}
	}
	for i, e := range evs {
		if dup[i] {
			continue
		}
		if inserted[keys[i]] && insOf[i] != 0 {
			stored[i] = true
			continue
		}
		// Slow path (rare): the key is held by another event (the id was checked above); walk up from the event's
		// time to the first free key.
		t := e.Time.UnixNano()
		for k := t; ; k++ {
			if k-t > maxKeyShift || k < t {
				return nil, nil, nil, fmt.Errorf("more than %d events in the nanoseconds after %s", maxKeyShift, e.Time.Format(time.RFC3339Nano))
			}
			if inserted[k] {
				continue // another event of this batch holds it
			}
			var one int
			err := tx.QueryRow(`SELECT 1 FROM events WHERE key = ?`, k).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				ins++
				insOf[i] = ins
				if _, err := tx.Exec(insertEventsHead+eventPlaceholders, eventArgs(nil, e, k, ins)...); err != nil {
					return nil, nil, nil, err
				}
				keys[i] = k
				inserted[k], stored[i] = true, true
				break
			}
			if err != nil {
				return nil, nil, nil, err
			}
		}
	}
	// The FTS5 entries of the stored events (in key order; facets are made by the FTS writer), and their counts.
	var entries []ftsEntry
	if w.delta == nil {
		w.delta = rollup{}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) }) // keys moved on the slow path
	for _, i := range order {
		e := evs[i]
		if !stored[i] {
			continue
		}
		entries = append(entries, ftsEntry{key: keys[i], ins: insOf[i], ev: e})
		w.delta.add(e, 1)
		w.deltaEvents++
	}
	if w.ids != nil {
		if err := w.insertIDs(tx, entries); err != nil {
			return nil, nil, nil, err
		}
	}
	w.ins = ins
	return stored, conflict, entries, nil
}

// insertIDs writes the stored events' ids to event_ids, in key order, and adds them to the id set (should the
// transaction not commit, the set holds ids no event has: a later event with one of them is read for, then stored).
func (w *inserter) insertIDs(tx *sql.Tx, entries []ftsEntry) error {
	for len(entries) > 0 {
		chunk := entries[:chunkSize(len(entries))]
		entries = entries[len(chunk):]
		st, err := w.stmt(tx, insertIDsQuery(len(chunk)))
		if err != nil {
			return err
		}
		args := make([]any, 0, 2*len(chunk))
		for _, en := range chunk {
			args = append(args, en.key, en.ev.ID)
		}
		if _, err := st.Exec(args...); err != nil {
			return err
		}
		for _, en := range chunk {
			w.ids.add(en.ev.ID)
		}
	}
	return nil
}

// flushRollup writes the counts kept in memory to event_counts and records up to which ins they go.
func (w *inserter) flushRollup(tx *sql.Tx) error {
	if err := w.delta.write(tx); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('rollup_ins', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, w.ins)
	return err
}

// insert writes a batch in one transaction; the counts are written with it when a flush is due.
func (s *Store) insert(batch []*writeReq) ([]events.IngestResult, []ftsEntry, error) {
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	var all []*events.Event
	for _, r := range batch {
		for i := range r.events {
			all = append(all, &r.events[i])
		}
	}
	// The counts in memory take this batch's at once; should the transaction not commit, they are rebuilt from
	// the store (recoverRollup) before the next one.
	savedIns := s.ins.ins
	stored, conflict, entries, err := s.ins.insert(tx, all)
	if err != nil {
		s.ins.ins = savedIns
		s.needRecovery = true
		return nil, nil, err
	}
	flush := s.ins.deltaEvents >= rollupFlushEvents || time.Since(s.lastFlush) >= rollupFlushEvery
	if flush {
		if err := s.ins.flushRollup(tx); err != nil {
			s.ins.ins = savedIns
			s.needRecovery = true
			return nil, nil, err
		}
	}
	now := s.cfg.Now().UnixNano()
	if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('last_ingest', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, now); err != nil {
		s.ins.ins = savedIns
		s.needRecovery = true
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		s.ins.ins = savedIns
		s.needRecovery = true
		return nil, nil, err
	}
	if flush {
		s.ins.delta, s.ins.deltaEvents = rollup{}, 0
		s.lastFlush = time.Now()
	}
	s.lastIngest.Store(now)
	results := make([]events.IngestResult, len(batch))
	n := 0
	for i, r := range batch {
		for j := range r.events {
			switch {
			case stored[n]:
				results[i].Stored++
			case conflict[n]:
				results[i].Conflicts = append(results[i].Conflicts, r.events[j].ID)
			default:
				results[i].Duplicates++
			}
			n++
		}
	}
	return results, entries, nil
}

// recoverRollup rebuilds the writer's in-memory counts from the events stored after meta.rollup_ins: after an
// open (the process may have been killed before it wrote them) and after a failed transaction.
func (s *Store) recoverRollup() error {
	var rollupIns, maxIns sql.NullInt64
	_ = s.w.QueryRow(`SELECT value FROM meta WHERE key = 'rollup_ins'`).Scan(&rollupIns)
	if err := s.w.QueryRow(`SELECT max(ins) FROM events`).Scan(&maxIns); err != nil {
		return err
	}
	s.ins.ins, s.ins.delta, s.ins.deltaEvents = maxIns.Int64, rollup{}, 0
	rows, err := s.w.Query(`SELECT `+countedColumns+` FROM events INDEXED BY events_ins WHERE ins > ?`, rollupIns.Int64)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e events.Event
		if err := scanCounted(rows, &e); err != nil {
			return err
		}
		s.ins.delta.add(&e, 1)
		s.ins.deltaEvents++
	}
	s.needRecovery = false
	return rows.Err()
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
