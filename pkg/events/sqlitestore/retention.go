package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// pruneBatch is how many events one prune transaction deletes: small, so ingest waits at most one short
// transaction behind retention.
const pruneBatch = 2000

// pruneJob deletes one batch of the oldest events: those older than before, or simply the oldest when
// bySize (the store is over its size limit).
type pruneJob struct {
	before  int64
	bySize  bool
	limit   int64
	deleted int64
}

// retention runs every PruneEvery: first by age, then by size, each a series of small transactions queued to
// the writer between ingest batches.
func (s *Store) retention() {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.PruneEvery)
	defer t.Stop()
	for {
		s.PruneNow()
		select {
		case <-s.quit:
			return
		case <-t.C:
		}
	}
}

// PruneNow applies retention until the store is within its limits; it returns how many events it deleted.
func (s *Store) PruneNow() int64 {
	s.cap.pruning.Store(true)
	defer s.cap.pruning.Store(false)
	var total int64
	if s.cfg.RetentionDays > 0 {
		cutoff := s.cfg.Now().Add(-time.Duration(s.cfg.RetentionDays) * 24 * time.Hour).UnixNano()
		for !s.closed.Load() {
			n, err := s.runPrune(&pruneJob{before: cutoff})
			total += n
			if err != nil || n < pruneBatch {
				break
			}
		}
	}
	if s.cfg.MaxBytes > 0 && !s.closed.Load() {
		// The same measure as the writer's steps between commits (capacity.go), for a store that is over its cap
		// while nothing is sent (a lowered maxStoreMB): a step, a checkpoint that carries it into the files, again.
		for !s.closed.Load() {
			s.waitIndexed(context.Background())
			s.checkpointNow()
			size := diskBytes(s.cfg.Path)
			s.cap.sizeBytes.Store(size)
			if size <= s.cfg.MaxBytes*capHighPct/100 {
				break
			}
			n := s.cap.events.Load()
			step := min(max(n*(size-s.cfg.MaxBytes*capLowPct/100)/size, capStepMin), pruneBatch)
			deleted, err := s.runPrune(&pruneJob{bySize: true, limit: step})
			total += deleted
			if err != nil || deleted == 0 {
				break
			}
		}
	}
	if total > 0 {
		s.cfg.Logf("event store retention deleted old events", "events", total, "retentionDays", s.cfg.RetentionDays, "maxBytes", s.cfg.MaxBytes)
	}
	return total
}

func (s *Store) runPrune(job *pruneJob) (int64, error) {
	req := &writeReq{prune: job, done: make(chan writeResult, 1)}
	s.mu.RLock()
	if s.closed.Load() {
		s.mu.RUnlock()
		return 0, ErrClosed
	}
	// Retention waits for room in the queue instead of being refused: it must run even under full load.
	select {
	case s.queue <- req:
	case <-s.quit:
		s.mu.RUnlock()
		return 0, ErrClosed
	}
	s.mu.RUnlock()
	r := <-req.done
	return job.deleted, r.err
}

// prune runs on the writer goroutine: it deletes the oldest events of one batch, their FTS5 entries, and their
// counts from the rollup (the counts kept in memory are written first, so every deleted event is in event_counts).
func (s *Store) prune(job *pruneJob) ([]int64, error) {
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck
	q := `SELECT key, id, ` + countedColumns + ` FROM events ORDER BY key LIMIT ?`
	args := []any{job.limit}
	if !job.bySize {
		q = `SELECT key, id, ` + countedColumns + ` FROM events WHERE key < ? ORDER BY key LIMIT ?`
		args = []any{job.before, pruneBatch}
	}
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	gone := rollup{}
	var n, lastKey int64
	var keys []int64
	var ids []string
	minHour, maxHour := int64(1<<62), int64(0)
	for rows.Next() {
		var e events.Event
		var id string
		if err := scanCounted(rows, &e, &lastKey, &id); err != nil {
			rows.Close()
			return nil, err
		}
		ns := e.Time.UnixNano()
		gone.add(&e, -1)
		keys, ids = append(keys, lastKey), append(ids, id)
		minHour, maxHour = min(minHour, ns/hourNs), max(maxHour, ns/hourNs)
		n++
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	s.needRecovery = true // until this transaction commits, the counts in memory include the deleted events' removal
	s.ins.delta.merge(gone)
	if err := s.ins.flushRollup(tx); err != nil {
		return nil, err
	}
	for _, q := range []string{
		`DELETE FROM event_counts WHERE dim IN ('priority', 'rule', 'namespace', 'pod', 'image', 'hostname', 'source', 'tag') AND hour BETWEEN ` +
			strconv.FormatInt(minHour, 10) + ` AND ` + strconv.FormatInt(maxHour, 10) + ` AND counts = zeroblob(` + strconv.Itoa(countsBlobSize) + `)`,
		`DELETE FROM events WHERE key <= ` + strconv.FormatInt(lastKey, 10),
		`DELETE FROM event_ids WHERE key <= ` + strconv.FormatInt(lastKey, 10),
	} {
		if _, err := tx.Exec(q); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s.needRecovery = false
	s.ins.delta, s.ins.deltaEvents = rollup{}, 0
	s.lastFlush = time.Now()
	for _, id := range ids { // only once they are gone: until then the set must still hold them
		s.ins.ids.remove(id)
	}
	s.recent.forget(lastKey)
	job.deleted = n
	s.cap.events.Add(-n)
	// Give the freed pages back to the file system, a few at a time.
	_, err = s.w.Exec(`PRAGMA incremental_vacuum(` + s.vacuumPages() + `)`)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return keys, nil
}

// checkpointNow carries both WALs into their files and truncates them.
func (s *Store) checkpointNow() {
	for _, schema := range []string{"main", "fts"} {
		_, _ = s.ck.Exec(`PRAGMA ` + schema + `.wal_checkpoint(TRUNCATE)`)
	}
}
