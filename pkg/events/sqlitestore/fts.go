package sqlitestore

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/containersec/container-security/pkg/events"
)

// The FTS5 index lives in a second SQLite file beside the events (FTSPath) with a writer goroutine of its own.
// Indexing an event (tokenizing, writing and merging FTS5 segments) is more than half of what storing one costs;
// done in the events' own small group-commit transactions it made every event wait for it, and the small segments
// it wrote cost as much again in merges. Now the events writer commits a batch, answers its requests (a 200 means
// the event is on disk, as before) and hands the entries to the FTS writer, which writes what has gathered in one
// transaction at most every ftsInterval: larger segments, fewer merges, and both writers busy at once.
//
// Queries do not wait for the index: they read the events committed after its last (the tail, search.go), so an
// acknowledged event is found by the next query, as if it had been indexed with it. fts_meta.fts_ins is the last
// ins indexed; on open, and after a failed FTS transaction, the events above it are indexed from the events table
// (the events file is always committed first, so the index is never ahead of it). Readers ATTACH the file as "fts".

// ftsInterval is the least time between two FTS transactions while events keep coming (sustained ingest in the
// benchmark, measured with the 2 ms gather window and the parser of then: 50 ms 18,500 events/s, 100 ms
// 19,500-20,300, 200 ms 13,400-15,400, the backlog bound reached).
const ftsInterval = 100 * time.Millisecond

// ftsBacklog bounds the events committed but not yet indexed, and so kept in memory: 0.2 s of ingest at 20,000
// events/s, two FTS intervals (20,000 let the benchmark's peak RSS pass 200 MB; with the id set in memory 8,000 gave
// 214-218 MB and 4,000 205 MB, at the same sustained rate).
const ftsBacklog = 4000

// FTSPath is the file of the FTS5 index of the store at path.
func FTSPath(path string) string { return path + "-fts" }

// ftsAttachParam marks the DSN of connections that attach the index (see init).
const ftsAttachParam = "_containersec_attach_fts"

func init() {
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, dsn string) error {
		u, err := url.Parse(dsn)
		if err != nil || u.Query().Get(ftsAttachParam) == "" {
			return nil
		}
		_, err = conn.ExecContext(context.Background(), `ATTACH DATABASE ? AS fts`, []driver.NamedValue{{Ordinal: 1, Value: FTSPath(u.Path)}})
		return err
	})
}

const ftsSchema = `CREATE TABLE IF NOT EXISTS fts_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;`

// ftsEntry is one event's FTS5 row.
type ftsEntry struct {
	key, ins int64
	ev       *events.Event
}

// ftsJob is the FTS writer's work: the entries of committed events or the keys of pruned ones, and the requests
// to answer once they are in.
type ftsJob struct {
	entries []ftsEntry
	deleted []int64
	reqs    []*writeReq
	results []writeResult
}

// openFTS opens (creating) the index file and its schema. An index in the layout before shards (one table
// events_fts) is dropped and rebuilt from the events (recoverFTS, which logs its progress).
func openFTS(path string) (*sql.DB, error) {
	fw, err := sql.Open("sqlite", dsn(FTSPath(path), false))
	if err != nil {
		return nil, err
	}
	fw.SetMaxOpenConns(1)
	if _, err := fw.Exec(`PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		fw.Close()
		return nil, err
	}
	if _, err := fw.Exec(ftsSchema); err != nil {
		fw.Close()
		return nil, err
	}
	var old int
	if err := fw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'events_fts'`).Scan(&old); err != nil {
		fw.Close()
		return nil, err
	}
	if old > 0 {
		if _, err := fw.Exec(`BEGIN; DROP TABLE events_fts; DELETE FROM fts_meta WHERE key = 'fts_ins'; COMMIT`); err != nil {
			fw.Close()
			return nil, err
		}
		_, _ = fw.Exec(`PRAGMA incremental_vacuum`)
	}
	return fw, nil
}

// ftsWriter applies the jobs the events writer hands over, until the channel closes.
func (s *Store) ftsWriter() {
	defer s.wg.Done()
	var last time.Time
	for job := range s.toFTS {
		if job.deleted != nil {
			s.finishFTS([]*ftsJob{job}, s.applyFTS([]*ftsJob{job}))
			continue
		}
		jobs := []*ftsJob{job}
		n := len(job.entries)
		wait := time.NewTimer(time.Until(last.Add(ftsInterval)))
	gather:
		for int64(n) < s.ftsBatchMax() { // FTS5 holds a transaction's entries in memory until its commit
			select {
			case j, ok := <-s.toFTS:
				if !ok {
					break gather
				}
				if j.deleted != nil {
					s.finishFTS(jobs, s.applyFTS(jobs))
					jobs, n = nil, 0
					s.finishFTS([]*ftsJob{j}, s.applyFTS([]*ftsJob{j}))
					continue
				}
				jobs = append(jobs, j)
				n += len(j.entries)
			case <-wait.C:
				break gather
			}
		}
		wait.Stop()
		if len(jobs) > 0 {
			s.finishFTS(jobs, s.applyFTS(jobs))
		}
		last = time.Now()
	}
}

// waitIndexed waits until the index holds every event committed when it was called, at most a few seconds (retention
// measures the index with every event in it; a query whose tail would be over tailMax waits before reading it).
func (s *Store) waitIndexed(ctx context.Context) {
	target := s.committedIns.Load()
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	for s.indexedIns.Load() < target {
		s.indexedMu.Lock()
		ch := s.indexed
		s.indexedMu.Unlock()
		if s.indexedIns.Load() >= target {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		}
	}
}

// WaitIndexed waits until the index holds every event committed so far (benchmarks time queries on a store at
// rest; queries themselves never wait for it, see tail in search.go).
func (s *Store) WaitIndexed(ctx context.Context) {
	for target := s.committedIns.Load(); s.indexedIns.Load() < target && ctx.Err() == nil; {
		s.waitIndexed(ctx)
	}
}

// setIndexed records the last ins indexed and wakes the waiting queries.
func (s *Store) setIndexed(ins int64) {
	s.indexedIns.Store(ins)
	if s.recent != nil { // nil while the store opens (recoverFTS)
		s.recent.forgetIndexed(ins) // not only when the next events come: after a burst it would hold them all
	}
	s.indexedMu.Lock()
	close(s.indexed)
	s.indexed = make(chan struct{})
	s.indexedMu.Unlock()
}

func (s *Store) finishFTS(jobs []*ftsJob, err error) {
	s.keepWALSmall(s.fw, "fts") // capacity.go
	for _, j := range jobs {
		if len(j.entries) > 0 {
			s.backlog.Release(int64(min(len(j.entries), ftsBacklog)))
		}
	}
	if err != nil {
		err = s.noteStoreError(err) // counted and logged once a minute; indexed from the events file at the next try
	}
	for _, j := range jobs {
		for i, r := range j.reqs {
			if err != nil {
				r.done <- writeResult{err: err}
			} else {
				r.done <- j.results[i]
			}
		}
	}
}

// applyFTS writes the jobs in one transaction of the index.
func (s *Store) applyFTS(jobs []*ftsJob) error {
	if s.ftsNeedRecovery {
		if err := s.recoverFTS(); err != nil {
			return err
		}
	}
	var entries []ftsEntry
	var deleted []int64
	for _, j := range jobs {
		for _, e := range j.entries {
			if e.ins > s.ftsIns { // not already indexed by a recovery
				entries = append(entries, e)
			}
		}
		deleted = append(deleted, j.deleted...)
	}
	if len(entries) == 0 && len(deleted) == 0 {
		return nil
	}
	if err := s.writeFTS(entries, deleted); err != nil {
		s.ftsNeedRecovery = true
		return err
	}
	return nil
}

// writeFTS is one transaction of the index: each shard's entries in key order, since FTS5 writes its pending entries out as a
// segment whenever a rowid is not above the last (sqlite3Fts5IndexBeginWrite in fts5_index.c: "iRowid <
// p->iWriteRowid ... fts5IndexFlush"), and in one statement, since it also writes them out at every statement's
// savepoint (fts5SavepointMethod syncs the index; both showed in a profile of sustained ingest).
func (s *Store) writeFTS(entries []ftsEntry, deleted []int64) error {
	tx, err := s.fw.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	maxIns := s.ftsIns
	byShard := map[shard][]ftsEntry{}
	for _, e := range entries {
		sh := shardOf(e.key, e.ev.Priority)
		byShard[sh] = append(byShard[sh], e)
		maxIns = max(maxIns, e.ins)
	}
	for sh, entries := range byShard {
		if err := createShard(tx, sh); err != nil {
			return err
		}
		t := `"` + sh.table() + `"`
		slices.SortFunc(entries, func(a, b ftsEntry) int { return cmp.Compare(a.key, b.key) })
		const perStatement = 10000 // under SQLite's 32766 bound parameters
		for len(entries) > 0 {
			chunk := entries[:min(len(entries), perStatement)]
			entries = entries[len(chunk):]
			args := make([]any, 0, 3*len(chunk))
			for _, e := range chunk {
				args = append(args, e.key, e.ev.Output, facets(e.ev))
			}
			if _, err := tx.Exec(`INSERT INTO `+t+` (rowid, output, facets) VALUES `+strings.TrimSuffix(strings.Repeat("(?,?,?),", len(chunk)), ","), args...); err != nil {
				return err
			}
		}
	}
	pruned := len(deleted) > 0
	if pruned {
		if err := deleteFromShards(tx, deleted); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO fts_meta (key, value) VALUES ('fts_ins', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, maxIns); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.ftsIns = maxIns
	if s.indexed != nil {
		s.setIndexed(maxIns)
	}
	if pruned {
		_, _ = s.fw.Exec(`PRAGMA incremental_vacuum(` + s.vacuumPages() + `)`) // give freed pages back, a few at a time
	}
	return nil
}

// deleteFromShards removes the entries of pruned events: from the tables of their day that hold them (a table's
// docsize rows are its rowids), and drops a day's tables once empty.
func deleteFromShards(tx *sql.Tx, deleted []int64) error {
	byDay := map[int64][]int64{}
	for _, k := range deleted {
		d := floorDiv(k, shardPeriod)
		byDay[d] = append(byDay[d], k)
	}
	for day, keys := range byDay {
		shards, err := listShards(context.Background(), tx, "main", day*shardPeriod, day*shardPeriod, int(events.Debug))
		if err != nil {
			return err
		}
		for _, sh := range shards {
			t := `"` + sh.table() + `"`
			const perStatement = 10000
			for rest := keys; len(rest) > 0; {
				chunk := rest[:min(len(rest), perStatement)]
				rest = rest[len(chunk):]
				var b strings.Builder
				for i, k := range chunk {
					if i > 0 {
						b.WriteByte(',')
					}
					b.WriteString(strconv.FormatInt(k, 10))
				}
				if _, err := tx.Exec(`DELETE FROM ` + t + ` WHERE rowid IN (SELECT id FROM "` + sh.table() + `_docsize" WHERE id IN (` + b.String() + `))`); err != nil {
					return err
				}
			}
			var left int
			if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM "` + sh.table() + `_docsize")`).Scan(&left); err != nil {
				return err
			}
			if left == 0 {
				if _, err := tx.Exec(`DROP TABLE ` + t); err != nil {
					return err
				}
				continue
			}
			// Merge some segments so the deleted rows' entries really go.
			if _, err := tx.Exec(`INSERT INTO ` + t + ` (` + t + `, rank) VALUES ('merge', 64)`); err != nil {
				return err
			}
		}
	}
	return nil
}

// recoverFTS indexes the events stored after fts_meta.fts_ins, from the events file.
func (s *Store) recoverFTS() error {
	var ins sql.NullInt64
	if err := s.fw.QueryRow(`SELECT value FROM fts_meta WHERE key = 'fts_ins'`).Scan(&ins); err != nil && err != sql.ErrNoRows {
		return err
	}
	s.ftsIns = ins.Int64
	building := !ins.Valid
	for {
		rows, err := s.r.Query(`SELECT key, ins, id, priority, rule, source, hostname, cluster, namespace, pod, image, tags, output
			FROM events INDEXED BY events_ins WHERE ins > ? ORDER BY ins LIMIT 5000`, s.ftsIns)
		if err != nil {
			return err
		}
		var entries []ftsEntry
		for rows.Next() {
			en := ftsEntry{ev: new(events.Event)}
			e := en.ev
			var prio int
			var tags string
			if err := rows.Scan(&en.key, &en.ins, &e.ID, &prio, &e.Rule, &e.Source, &e.Hostname, &e.Cluster, &e.Namespace, &e.Pod, &e.Image, &tags, &e.Output); err != nil {
				rows.Close()
				return err
			}
			e.Priority, e.Tags = events.Priority(prio), storedTags(tags)
			entries = append(entries, en)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(entries) == 0 {
			s.ftsNeedRecovery = false
			return nil
		}
		if building {
			s.cfg.Logf("event store builds its index (one FTS5 table per day and priority) from the stored events", "index", FTSPath(s.cfg.Path))
			building = false
		}
		began := time.Now()
		if err := s.writeFTS(entries, nil); err != nil {
			return err
		}
		s.cfg.Logf("event store indexed events for free text and filters", "events", len(entries), "took", time.Since(began).String())
	}
}
