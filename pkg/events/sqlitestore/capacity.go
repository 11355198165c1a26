package sqlitestore

import (
	"sync/atomic"
	"time"
)

// The size cap (Config.MaxBytes, the datasource's maxStoreMB) bounds every file of the store (diskBytes: events,
// index, their WALs): what the disk really holds, the figure storeStatus reports. Prometheus TSDB long left its WAL
// out of its size retention and users filled disks in the gap (prometheus/prometheus#9744); here the WALs count.
//
//   - The writer measures the files every capCheckEvery while events come; above capHigh of the cap it deletes one
//     small step of the oldest events between two ingest commits (so ingest waits at most one short transaction),
//     then measures again only after the checkpointer has carried the deletes into the files (ckGen): the
//     files shrink only when a checkpoint applies the freed pages, and measuring before would delete too much.
//   - Each WAL is checkpointed with TRUNCATE once it passes walBudget (a PASSIVE checkpoint never catches up with
//     a writer that keeps writing, so the log would only grow), and cut back to walLimit whenever SQLite starts it
//     over (journal_size_limit in dsn).

const (
	capCheckEvery = 20 * time.Millisecond
	capHighPct    = 85 // start deleting above this share of the cap
	capLowPct     = 75 // a step deletes the share of events that would bring the files down to this
	capStepMin    = 200
	capStepMax    = 4000
)

// walBudget is the WAL size at which the checkpointer truncates it: a sixteenth of the cap, within 1..64 MiB.
func walBudget(maxBytes int64) int64 {
	if maxBytes <= 0 {
		return 64 << 20
	}
	return min(max(maxBytes/16, 1<<20), 64<<20)
}

// capState is the writer's view of the cap; sizeBytes and ckGen are shared with the checkpointer and Status.
type capState struct {
	sizeBytes  atomic.Int64 // the last diskBytes measured
	ckGen      atomic.Int64 // checkpoints of both files done so far
	events     atomic.Int64 // events stored (counted at open, then kept by the writer)
	lastCheck  time.Time
	stepGen    int64 // ckGen when the last step was taken
	stepsTaken int64
}

// keepWithinCap runs on the writer goroutine after a commit: it deletes one step of the oldest events when the
// files are over capHigh of the cap.
func (s *Store) keepWithinCap() {
	if s.cfg.MaxBytes <= 0 || time.Since(s.cap.lastCheck) < capCheckEvery {
		return
	}
	s.cap.lastCheck = time.Now()
	size := diskBytes(s.cfg.Path)
	s.cap.sizeBytes.Store(size)
	if size <= s.cfg.MaxBytes*capHighPct/100 {
		return
	}
	gen := s.cap.ckGen.Load()
	if s.cap.stepsTaken > 0 && gen < s.cap.stepGen+2 { // one checkpoint may have begun before the step
		return
	}
	n := s.cap.events.Load()
	step := n * (size - s.cfg.MaxBytes*capLowPct/100) / size
	step = min(max(step, capStepMin), capStepMax)
	deleted, err := s.prune(&pruneJob{bySize: true, limit: step})
	if err != nil {
		s.noteStoreError(err)
		return
	}
	s.cap.stepGen, s.cap.stepsTaken = gen, s.cap.stepsTaken+1
	if len(deleted) > 0 {
		s.toFTS <- &ftsJob{deleted: deleted}
	}
}
