package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"
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
		// Space comes back only as whole pages empty (and FTS5 segments merge), so the size lags the deletes:
		// delete the share of events that brings the store to 90% of its limit, then measure again next round.
		used, err := s.usedBytes()
		if err == nil && used > s.cfg.MaxBytes {
			var count int64
			_ = s.r.QueryRow(`SELECT count(*) FROM events`).Scan(&count)
			target := int64(float64(count) * float64(used-s.cfg.MaxBytes*9/10) / float64(used))
			for deleted := int64(0); deleted < target && !s.closed.Load(); {
				n, err := s.runPrune(&pruneJob{bySize: true, limit: min(pruneBatch, target-deleted)})
				deleted += n
				total += n
				if err != nil || n == 0 {
					break
				}
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

// prune runs on the writer goroutine.
func (s *Store) prune(job *pruneJob) error {
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.Exec(`CREATE TEMP TABLE IF NOT EXISTS prune_seq (seq INTEGER PRIMARY KEY)`); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM prune_seq`); err != nil {
		return err
	}
	var res sql.Result
	if job.bySize {
		res, err = tx.Exec(`INSERT INTO prune_seq SELECT seq FROM events ORDER BY time, seq LIMIT ?`, job.limit)
	} else {
		res, err = tx.Exec(`INSERT INTO prune_seq SELECT seq FROM events WHERE time < ? ORDER BY time, seq LIMIT ?`, job.before, pruneBatch)
	}
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return nil
	}
	var minMinute, maxMinute int64
	if err := tx.QueryRow(`SELECT min(time) / 60000000000, max(time) / 60000000000 FROM events WHERE seq IN (SELECT seq FROM prune_seq)`).Scan(&minMinute, &maxMinute); err != nil {
		return err
	}
	for _, q := range []string{
		`INSERT INTO event_counts (dim, minute, cluster, value, priority, n) ` + rollupSelect("events.seq IN (SELECT seq FROM prune_seq)", -1) +
			` ON CONFLICT (dim, minute, cluster, value, priority) DO UPDATE SET n = n + excluded.n`,
		`DELETE FROM event_counts WHERE dim IN ('priority', 'rule', 'namespace', 'hostname', 'source', 'tag') AND minute BETWEEN ` +
			strconv.FormatInt(minMinute, 10) + ` AND ` + strconv.FormatInt(maxMinute, 10) + ` AND n <= 0`,
		`DELETE FROM events_fts WHERE rowid IN (SELECT seq FROM prune_seq)`,
		`DELETE FROM event_tags WHERE tseq IN (SELECT seq FROM prune_seq)`,
		`DELETE FROM events WHERE seq IN (SELECT seq FROM prune_seq)`,
		// Merge some FTS5 segments so the deleted rows' index entries really go.
		`INSERT INTO events_fts (events_fts, rank) VALUES ('merge', 64)`,
	} {
		if _, err := tx.Exec(q); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	job.deleted = n
	// Give the freed pages back to the file system, a few at a time.
	_, err = s.w.Exec(`PRAGMA incremental_vacuum(2000)`)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// usedBytes is the database's size without free pages, plus the WAL file.
func (s *Store) usedBytes() (int64, error) {
	var pages, free, size int64
	if err := s.r.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		return 0, err
	}
	if err := s.r.QueryRow(`PRAGMA freelist_count`).Scan(&free); err != nil {
		return 0, err
	}
	if err := s.r.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		return 0, err
	}
	return (pages - free) * size, nil
}
