package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// MaxGroupFields bounds the output fields one grouping reads.
const MaxGroupFields = 8

var _ events.FieldGrouper = (*Store)(nil)

// GroupByFields counts the events in [from, to] that pass f by the values of the given output_fields keys, read
// from each event's stored output_fields, like countRaw reads its dimension: the index's shards and the tail. No
// free text: the caller groups a rule's events.
func (s *Store) GroupByFields(ctx context.Context, from, to, split time.Time, f events.Filters, fields []string) ([]events.FieldGroup, error) {
	if len(fields) == 0 || len(fields) > MaxGroupFields {
		return nil, fmt.Errorf("group by 1 to %d output fields, not %d", MaxGroupFields, len(fields))
	}
	if f.Text != "" {
		return nil, fmt.Errorf("grouping by output fields takes no free text")
	}
	sel := selectEvents(from, to, f)
	acc := newFieldGrouper(fields, split.UnixNano())
	group := func(tx *sql.Tx, p part) error {
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
	if sel.viaIndex {
		s.beforeIndexRead(ctx)
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if !sel.viaIndex {
			return group(tx, sel.eventsPart())
		}
		if scan, err := scanIsCheaper(ctx, tx, from, to, f); err != nil || scan {
			if err != nil {
				return err
			}
			return group(tx, sel.eventsPart())
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
			if err := group(tx, sel.shardPart(sh)); err != nil {
				return err
			}
		}
		return group(tx, sel.tailPart(ftsIns))
	})
	return acc.out, err
}

// scanIsCheaper: reading the range's events in key order costs about an eighth of reading one through the index
// (an FTS5 row, then a B-tree lookup by key), so when the filtered events are more than an eighth of the range
// (a noisy rule), the scan answers first. Both counts come from the rollup.
func scanIsCheaper(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters) (bool, error) {
	count := func(f events.Filters) (int64, error) {
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
	all, err := count(events.Filters{Cluster: f.Cluster})
	if err != nil {
		return false, err
	}
	mine, err := count(f)
	return mine*8 > all, err
}
