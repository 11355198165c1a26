package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// MaxGroupFields bounds the output fields one grouping reads.
const MaxGroupFields = 8

var _ events.FieldGrouper = (*Store)(nil)

// GroupByFields counts the events in [from, to] that pass f by the values of the given output_fields keys, read
// from each event's stored output_fields, like countRaw reads its dimension: the index's shards and the tail. No
// free text: the caller groups a rule's events. Whole past hours are kept (hourGroups) and reused while the rollup
// still counts the same events in them, so an exception builder's live preview reads only the hours at the range's
// edges and around split; an hour without events is never read.
func (s *Store) GroupByFields(ctx context.Context, from, to, split time.Time, f events.Filters, fields []string) ([]events.FieldGroup, error) {
	if len(fields) == 0 || len(fields) > MaxGroupFields {
		return nil, fmt.Errorf("group by 1 to %d output fields, not %d", MaxGroupFields, len(fields))
	}
	if f.Text != "" {
		return nil, fmt.Errorf("grouping by output fields takes no free text")
	}
	if to.Sub(from) > maxGroupRange || to.Before(from) {
		return nil, fmt.Errorf("group a range of at most %s, its end after its start", maxGroupRange)
	}
	if selectEvents(from, to, f).viaIndex {
		s.beforeIndexRead(ctx)
	}
	acc := newFieldGrouper(fields, split.UnixNano())
	var toRead []segment
	var scan bool // one plan for every hour: the range's share decides it
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		lo, hi, sp := from.UnixNano(), to.UnixNano(), split.UnixNano()
		start := floorDiv(lo, hourNs) * hourNs
		hours, err := hourlyCounts(ctx, tx, from, to, start, f)
		if err != nil {
			return err
		}
		if scan, err = scanIsCheaper(ctx, tx, from, to, f, hours); err != nil {
			return err
		}
		for b := 0; ; b++ {
			hourEnd := start + int64(b+1)*hourNs - 1
			seg := segment{lo: lo, hi: min(hourEnd, hi), count: -1}
			whole := seg.lo == start+int64(b)*hourNs && seg.hi == hourEnd && (hourEnd < sp || seg.lo >= sp) && b < len(hours)
			switch {
			case b < len(hours) && hours[b] == 0: // no event: nothing to read
			case whole:
				seg.count = hours[b]
				seg.key = s.hourKey(seg.lo, f, fields)
				if e, ok := s.keptHour(seg.key); ok && e.count == seg.count {
					acc.merge(e.groups, seg.lo >= sp)
				} else {
					toRead = append(toRead, seg)
				}
			default:
				toRead = append(toRead, seg)
			}
			if seg.hi >= hi {
				break
			}
			lo = seg.hi + 1
		}
		return nil
	})
	if err != nil || len(toRead) == 0 {
		return acc.out, err
	}
	// Hours not kept are read by two readers (the store's connections read in parallel under WAL), each in its own
	// snapshot: an hour is read whole by one of them.
	readers := min(2, len(toRead))
	parts := make([]*fieldGrouper, readers)
	errs := make([]error, readers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range readers {
		parts[w] = newFieldGrouper(fields, split.UnixNano())
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = s.readTx(ctx, func(tx *sql.Tx) error {
				for i := next.Add(1) - 1; i < int64(len(toRead)); i = next.Add(1) - 1 {
					if err := s.readSegment(ctx, tx, toRead[i], f, fields, scan, parts[w]); err != nil {
						return err
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for w := range readers {
		if errs[w] != nil {
			return nil, errs[w]
		}
		acc.mergeCounted(parts[w].out)
	}
	return acc.out, nil
}

// segment is one hour of a grouping, or the part of one inside the range; count >= 0 marks a whole hour the rollup
// counts that many events in, kept under key.
type segment struct {
	lo, hi, count int64
	key           string
}

const maxGroupRange = 32 * 24 * time.Hour

// hourlyCounts counts the events passing f in each hour from start (aligned) over [from, to], from the rollup where
// it answers.
func hourlyCounts(ctx context.Context, tx *sql.Tx, from, to time.Time, start int64, f events.Filters) ([]int64, error) {
	n := max(int((to.UnixNano()-start)/hourNs)+1, 1)
	acc := &countAcc{out: events.Counts{Start: time.Unix(0, start), Bucket: time.Hour}, index: map[string]int{}, n: n, dim: events.DimPriority}
	if err := countInto(ctx, tx, from, to, f, acc); err != nil {
		return nil, err
	}
	out := make([]int64, n)
	for _, series := range acc.out.Series {
		for i, c := range series.Counts {
			out[i] += c
		}
	}
	return out, nil
}

// hourGroups keeps the groups of whole past hours; an entry is valid while the rollup counts the same events for
// that hour and filter: a past hour's events change only by late arrivals and retention, both of which change the
// count (an id stored again with other content is refused, never replaced).
type hourGroups struct {
	mu      sync.Mutex
	entries map[string]hourEntry
	groups  int // over all entries, bounded by maxKeptGroups
}

type hourEntry struct {
	count  int64
	groups []events.FieldGroup // Recent is 0: the caller's split decides it
}

const (
	maxHourGroups = 5000   // an hour with more distinct tuples is read each time rather than kept
	maxKeptGroups = 200000 // all hours kept together: a few tens of MB at most
)

func (s *Store) hourKey(lo int64, f events.Filters, fields []string) string {
	prio := -1
	if f.MinPriority != nil {
		prio = int(*f.MinPriority)
	}
	return fmt.Sprintf("%d|%q|%q|%q|%q|%q|%q|%q|%q|%d|%q", lo, f.Rules, f.Sources, f.Tags, f.Cluster, f.Hostnames, f.Namespaces, f.Pods, f.Images, prio, fields)
}

func (s *Store) keptHour(key string) (hourEntry, bool) {
	hg := &s.hourGroups
	hg.mu.Lock()
	defer hg.mu.Unlock()
	e, ok := hg.entries[key]
	return e, ok
}

// readSegment reads one segment into acc; a whole hour is read on its own and kept.
func (s *Store) readSegment(ctx context.Context, tx *sql.Tx, seg segment, f events.Filters, fields []string, scan bool, acc *fieldGrouper) error {
	if seg.count < 0 {
		return groupRange(ctx, tx, time.Unix(0, seg.lo), time.Unix(0, seg.hi), f, scan, acc) // a partial hour: read as it is
	}
	hour := newFieldGrouper(fields, math.MaxInt64) // Recent 0: merge sets it
	if err := groupRange(ctx, tx, time.Unix(0, seg.lo), time.Unix(0, seg.hi), f, scan, hour); err != nil {
		return err
	}
	acc.merge(hour.out, seg.lo >= acc.split)
	if len(hour.out) > maxHourGroups {
		return nil
	}
	hg := &s.hourGroups
	hg.mu.Lock()
	defer hg.mu.Unlock()
	if hg.entries == nil {
		hg.entries = map[string]hourEntry{}
	}
	for k, e := range hg.entries { // any entries: each is one hour to read again
		if hg.groups+len(hour.out) <= maxKeptGroups {
			break
		}
		delete(hg.entries, k)
		hg.groups -= len(e.groups)
	}
	if old, ok := hg.entries[seg.key]; ok {
		hg.groups -= len(old.groups)
	}
	hg.entries[seg.key] = hourEntry{count: seg.count, groups: hour.out}
	hg.groups += len(hour.out)
	return nil
}

// countOf counts the events of [from, to] passing f, from the rollup where it answers.
func countOf(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters) (int64, error) {
	acc := &countAcc{out: events.Counts{Start: from, Bucket: time.Minute}, n: 1, dim: events.DimPriority, values: map[string]int64{}}
	if err := countInto(ctx, tx, from, to, f, acc); err != nil {
		return 0, err
	}
	var n int64
	for _, c := range acc.values {
		n += c
	}
	return n, nil
}

// groupRange reads the events of [from, to] passing f into acc, scanning the events table or through the index.
func groupRange(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters, scan bool, acc *fieldGrouper) error {
	sel := selectEvents(from, to, f)
	group := func(p part) error {
		rows, err := tx.QueryContext(ctx, `SELECT events.time, events.output_fields FROM `+p.from+` WHERE `+p.where, p.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var at int64
		var obj sql.RawBytes
		for rows.Next() {
			if err := rows.Scan(&at, &obj); err != nil {
				return err
			}
			acc.add(obj, at)
		}
		return rows.Err()
	}
	if !sel.viaIndex || scan {
		return group(sel.eventsPart())
	}
	ftsIns, err := indexState(ctx, tx)
	if err != nil {
		return err
	}
	shards, err := listShards(ctx, tx, "fts", sel.lo, sel.keyHi, sel.maxPrio)
	if err != nil {
		return err
	}
	for _, sh := range shards {
		if err := group(sel.shardPart(sh)); err != nil {
			return err
		}
	}
	return group(sel.tailPart(ftsIns))
}

// scanIsCheaper: reading the range's events in key order costs about an eighth of reading one through the index
// (an FTS5 row, then a B-tree lookup by key), so when the filtered events are more than an eighth of the range
// (a noisy rule), the scan answers first. Both counts come from the rollup; hours are the filtered events' counts.
func scanIsCheaper(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters, hours []int64) (bool, error) {
	all, err := countOf(ctx, tx, from, to, events.Filters{Cluster: f.Cluster})
	if err != nil {
		return false, err
	}
	var mine int64
	for _, n := range hours {
		mine += n
	}
	return mine*8 > all, nil
}
