package sqlitestore

import (
	"database/sql"
	"strconv"
	"sync/atomic"
	"time"
)

// The size cap (Config.MaxBytes, the datasource's maxStoreMB) bounds every file of the store (diskBytes: events,
// index, their WALs): what the disk really holds, the figure storeStatus reports. Prometheus TSDB long left its WAL
// out of its size retention and users filled disks in the gap (prometheus/prometheus#9744); here the WALs count.
//
//   - The writer measures the files after each commit; above capHigh of the cap it deletes one small step of the
//     oldest events before the next commit (so ingest waits at most one short transaction), and gives their pages
//     back to the file system a few at a time (vacuumPages; auto_vacuum is INCREMENTAL).
//   - Each WAL is checkpointed by its own writer every 4 MiB or walBudget (wal_autocheckpoint; a checkpoint from
//     another connection never catches up with a writer that keeps writing, so the log would only grow), and cut
//     back to walLimit whenever SQLite starts it over (journal_size_limit in dsn).

const (
	capHighPct = 70  // start deleting above this share of the cap: the rest is room for the WALs between checkpoints
	capLowPct  = 60  // a step deletes the share of events that would bring the files down to this
	capStepMin = 200 // the smallest step of the minute's retention run (PruneNow)
	capStepMax = 4000

	capCheckEvery = 5 * time.Millisecond
)

// walBudget is the WAL size at which its writer checkpoints it, and the size SQLite cuts it back to when it starts
// it over (journal_size_limit): a 32nd of the cap, within 256 KiB..64 MiB.
func walBudget(maxBytes int64) int64 {
	if maxBytes <= 0 {
		return 64 << 20
	}
	return min(max(maxBytes/32, 256<<10), 64<<20)
}

// capState is the writer's view of the cap.
type capState struct {
	sizeBytes atomic.Int64 // the last diskBytes measured
	events    atomic.Int64 // events stored (counted at open, then kept by the writer)
	pruning   atomic.Bool  // PruneNow is running
	lastCheck time.Time    // the writer's last measure
}

// keepWithinCap runs on the writer goroutine after each commit of stored events: over capHigh of the cap it
// deletes twice the events that commit stored (so ingest cannot outrun retention: both share the one writer), plus
// a share of what is over, in a step no larger than a 32nd of the cap. The files show a step only after the next
// checkpoint (within 50 ms), so a step may be repeated once or twice more than needed: a few hundred events.
func (s *Store) keepWithinCap(stored int) {
	if s.cfg.MaxBytes <= 0 || stored == 0 {
		return
	}
	// Measuring is nine stat calls: at most every capCheckEvery while the files are well under the cap.
	if s.cap.sizeBytes.Load() < s.cfg.MaxBytes/2 && time.Since(s.cap.lastCheck) < capCheckEvery {
		return
	}
	s.cap.lastCheck = time.Now()
	size := diskBytes(s.cfg.Path)
	s.cap.sizeBytes.Store(size)
	if size <= s.cfg.MaxBytes*capHighPct/100 {
		return
	}
	n := max(s.cap.events.Load(), 1)
	perEvent := max(size/n, 1)
	over := n * (size - s.cfg.MaxBytes*capLowPct/100) / size
	step := min(int64(2*stored)+over/8, s.cfg.MaxBytes/32/perEvent, capStepMax)
	step = max(step, 1)
	deleted, err := s.prune(&pruneJob{bySize: true, limit: step})
	if err != nil {
		s.noteStoreError(err)
		return
	}
	if len(deleted) > 0 {
		s.toFTS <- &ftsJob{deleted: deleted}
	}
}

// vacuumPages is how many free pages one deletion gives back to the file system. Between ingest commits a few,
// small next to the cap, since each page moved is written to the WAL first (and free pages are reused by the next
// inserts anyway); during PruneNow, when the files must shrink before they are measured again, all of them.
func (s *Store) vacuumPages() string {
	if s.cap.pruning.Load() || s.cfg.MaxBytes <= 0 {
		return "1073741824"
	}
	return strconv.FormatInt(min(max(s.cfg.MaxBytes/32/4096, 16), 2000), 10)
}

// keepWALSmall truncates the WAL of a file its caller alone writes once it passed walBudget: SQLite's automatic
// checkpoint copies the log but reuses the file, which keeps the size it reached, and journal_size_limit cuts it
// only when the log starts over, which a reader still on an old snapshot defers.
func (s *Store) keepWALSmall(db *sql.DB, schema string) {
	if walBytes(s.cfg.Path, schema) > walBudget(s.cfg.MaxBytes) {
		_, _ = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
}

// ftsBatchMax bounds the entries of one index transaction: all of it goes to the index's WAL before a checkpoint
// can copy it, so under a small cap it is a share of the cap (about 1.5 KB per entry with its merges).
func (s *Store) ftsBatchMax() int64 {
	n := int64(2 * s.cfg.MaxBatch)
	if s.cfg.MaxBytes > 0 {
		n = min(n, max(s.cfg.MaxBytes/64/1536, 64))
	}
	return n
}
