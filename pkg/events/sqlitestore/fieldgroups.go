package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// MaxGroupFields bounds the output fields one grouping reads.
const MaxGroupFields = 8

var _ events.FieldGrouper = (*Store)(nil)

// GroupByFields counts the events in [from, to] that pass f by the values of the given output_fields keys, read
// from each event's stored output_fields, like countRaw reads its dimension: the index's shards and the tail. No
// free text: the caller groups a rule's events. Whole UTC days before split are kept (dayGroups) and reused while
// the rollup still counts the same events in them, so an exception builder's live preview reads only the last day.
func (s *Store) GroupByFields(ctx context.Context, from, to, split time.Time, f events.Filters, fields []string) ([]events.FieldGroup, error) {
	if len(fields) == 0 || len(fields) > MaxGroupFields {
		return nil, fmt.Errorf("group by 1 to %d output fields, not %d", MaxGroupFields, len(fields))
	}
	if f.Text != "" {
		return nil, fmt.Errorf("grouping by output fields takes no free text")
	}
	if selectEvents(from, to, f).viaIndex {
		s.beforeIndexRead(ctx)
	}
	acc := newFieldGrouper(fields, split.UnixNano())
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		lo, hi := from.UnixNano(), to.UnixNano()
		for lo <= hi {
			dayEnd := (floorDiv(lo, shardPeriod)+1)*shardPeriod - 1
			segHi := min(dayEnd, hi)
			whole := lo%shardPeriod == 0 && segHi == dayEnd && dayEnd < split.UnixNano() && lo >= 0
			if err := s.groupSegment(ctx, tx, time.Unix(0, lo), time.Unix(0, segHi), f, fields, acc, whole); err != nil {
				return err
			}
			if segHi == hi || segHi == 1<<63-1 {
				break
			}
			lo = segHi + 1
		}
		return nil
	})
	return acc.out, err
}

// dayGroups keeps the groups of whole past days; an entry is valid while the rollup counts the same events for
// that day and filter: a past day's events change only by late arrivals and retention, both of which change the
// count (an id stored again with other content is refused, never replaced).
type dayGroups struct {
	mu      sync.Mutex
	entries map[string]dayEntry
}

type dayEntry struct {
	count  int64
	groups []events.FieldGroup
}

const (
	maxDayEntries = 256
	maxDayGroups  = 20000 // a day with more distinct tuples is read each time rather than kept
)

func (s *Store) groupSegment(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters, fields []string, acc *fieldGrouper, whole bool) error {
	var key string
	var count int64
	if whole {
		var err error
		if count, err = countOf(ctx, tx, from, to, f); err != nil {
			return err
		}
		if count == 0 {
			return nil
		}
		prio := -1
		if f.MinPriority != nil {
			prio = int(*f.MinPriority)
		}
		key = fmt.Sprintf("%d|%q|%q|%q|%q|%q|%q|%q|%q|%d|%q", from.UnixNano(), f.Rules, f.Sources, f.Tags, f.Cluster, f.Hostnames, f.Namespaces, f.Pods, f.Images, prio, fields)
		dg := &s.dayGroups
		dg.mu.Lock()
		e, ok := dg.entries[key]
		dg.mu.Unlock()
		if ok && e.count == count {
			acc.merge(e.groups)
			return nil
		}
	}
	day := newFieldGrouper(fields, acc.split)
	if err := groupRange(ctx, tx, from, to, f, day); err != nil {
		return err
	}
	acc.merge(day.out)
	if whole && len(day.out) <= maxDayGroups {
		dg := &s.dayGroups
		dg.mu.Lock()
		if dg.entries == nil {
			dg.entries = map[string]dayEntry{}
		}
		if len(dg.entries) >= maxDayEntries {
			for k := range dg.entries { // any entry: they are all cheap to read again
				delete(dg.entries, k)
				break
			}
		}
		dg.entries[key] = dayEntry{count: count, groups: day.out}
		dg.mu.Unlock()
	}
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

// groupRange reads the events of [from, to] passing f into acc.
func groupRange(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters, acc *fieldGrouper) error {
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
	if !sel.viaIndex {
		return group(sel.eventsPart())
	}
	if scan, err := scanIsCheaper(ctx, tx, from, to, f); err != nil || scan {
		if err != nil {
			return err
		}
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
// (a noisy rule), the scan answers first. Both counts come from the rollup.
func scanIsCheaper(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters) (bool, error) {
	all, err := countOf(ctx, tx, from, to, events.Filters{Cluster: f.Cluster})
	if err != nil {
		return false, err
	}
	mine, err := countOf(ctx, tx, from, to, f)
	return mine*8 > all, err
}
