package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

var _ events.Reader = (*Store)(nil)

const eventColumns = `events.key, events.id, events.time, events.priority, events.rule, events.source, events.hostname, events.cluster,
	events.namespace, events.pod, events.container, events.image, events.process, events.cmdline, events.user, events.parent,
	events.tags, events.output, events.output_fields`

func scanEvent(rows interface{ Scan(...any) error }) (events.Event, int64, error) {
	var e events.Event
	var key, ns int64
	var prio int
	var tags, fields string
	if err := rows.Scan(&key, &e.ID, &ns, &prio, &e.Rule, &e.Source, &e.Hostname, &e.Cluster, &e.Namespace, &e.Pod,
		&e.Container, &e.Image, &e.Process, &e.Cmdline, &e.User, &e.Parent, &tags, &e.Output, &fields); err != nil {
		return e, 0, err
	}
	e.Time, e.Priority, e.Tags, e.OutputFields = time.Unix(0, ns).UTC(), events.Priority(prio), storedTags(tags), []byte(fields)
	return e, key, nil
}

// ErrUnsearchableText says FTS5 refused the query the filters made (the text is quoted as data, so the tests found
// none; the plugin answers 400 should one appear).
var ErrUnsearchableText = errors.New("the free text cannot be searched")

// queryErr names an FTS5 query the filters made impossible.
func queryErr(err error) error {
	if err != nil && strings.Contains(err.Error(), "fts5") {
		return fmt.Errorf("%w: %v", ErrUnsearchableText, err)
	}
	return err
}

// ErrBadCursor says a cursor was not made by this store.
var ErrBadCursor = errors.New("cursor is not valid for this event store; start from the first page")

func encodeCursor(key int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k" + strconv.FormatInt(key, 10)))
}

func decodeCursor(c string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'k' {
		return 0, ErrBadCursor
	}
	k, err := strconv.ParseInt(string(b[1:]), 10, 64)
	if err != nil {
		return 0, ErrBadCursor
	}
	return k, nil
}

// ErrNotFound is returned by Get for an unknown id.
var ErrNotFound = errors.New("no event with this id")

// column is the events column of a dimension.
func column(d events.Dimension) (string, error) {
	switch d {
	case events.DimPriority, events.DimRule, events.DimNamespace, events.DimPod, events.DimHostname, events.DimSource, events.DimCluster, events.DimImage:
		return string(d), nil
	case events.DimTag:
		return "tags", nil
	}
	return "", fmt.Errorf("cannot group by %q", d)
}

func dimValue(d events.Dimension, raw any) string {
	switch v := raw.(type) {
	case int64:
		if d == events.DimPriority {
			return events.Priority(v).String()
		}
		return strconv.FormatInt(v, 10)
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(raw)
}

// countAcc adds counts into series by value.
type countAcc struct {
	out    events.Counts
	index  map[string]int
	n      int
	dim    events.Dimension
	values map[string]int64 // eventValues: one total per value instead of series
}

func (a *countAcc) add(b int64, v any, c int64) {
	if a.dim == events.DimTag {
		tags, _ := v.(string)
		if tags == "" {
			return
		}
		for _, t := range uniqueTags(strings.Split(tags, ",")) {
			a.addOne(b, t, c)
		}
		return
	}
	a.addOne(b, dimValue(a.dim, v), c)
}

func (a *countAcc) addOne(b int64, name string, c int64) {
	if a.values != nil {
		a.values[name] += c
		return
	}
	i, ok := a.index[name]
	if !ok {
		i = len(a.out.Series)
		a.index[name] = i
		a.out.Series = append(a.out.Series, events.Series{Value: name, Counts: make([]int64, a.n)})
	}
	if b >= 0 && int(b) < a.n {
		a.out.Series[i].Counts[b] += c
	}
}

// Count returns one series per group value with a zero in every bucket without events.
func (s *Store) Count(ctx context.Context, req events.CountRequest) (events.Counts, error) {
	bucket := max(req.Bucket, time.Second)
	start := events.AlignedStart(req.From, bucket)
	n := int((req.To.UnixNano()-start.UnixNano())/int64(bucket)) + 1
	if n > 100000 {
		return events.Counts{}, fmt.Errorf("%d buckets of %s are too many; widen the interval", n, bucket)
	}
	if _, err := column(req.GroupBy); err != nil {
		return events.Counts{}, err
	}
	acc := &countAcc{out: events.Counts{Start: start, Bucket: bucket}, index: map[string]int{}, n: n, dim: req.GroupBy}
	if selectEvents(req.From, req.To, req.Filters).viaIndex {
		s.beforeIndexRead(ctx)
	}
	if err := s.readTx(ctx, func(tx *sql.Tx) error { return countInto(ctx, tx, req.From, req.To, req.Filters, acc) }); err != nil {
		return events.Counts{}, err
	}
	return acc.out, nil
}

// readTx runs fn in one read transaction: the rollup, its rollup_ins and the events above it are one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return readTxOn(ctx, s.r, fn)
}

// txBeginner is a pool (*sql.DB) or one held connection (*sql.Conn).
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

func readTxOn(ctx context.Context, db txBeginner, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read only
	return queryErr(fn(tx))
}

// countInto counts the events in [from, to] that pass the filters, by acc.dim. Whole minutes come from the rollup
// when it can answer (rollupPlanFor); the partial minutes at the range's edges and every other query read the events.
func countInto(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters, acc *countAcc) error {
	fullFrom := (from.UnixNano() + minuteNs - 1) / minuteNs * minuteNs
	fullTo := (to.UnixNano() + 1) / minuteNs * minuteNs // exclusive
	if plan, ok := rollupPlanFor(f, acc); ok && fullTo > fullFrom && from.UnixNano() >= 0 {
		if err := countRollup(ctx, tx, plan, f, acc, fullFrom/minuteNs, fullTo/minuteNs); err != nil {
			return err
		}
		if fullFrom > from.UnixNano() {
			if err := countRaw(ctx, tx, from, time.Unix(0, fullFrom-1), f, acc); err != nil {
				return err
			}
		}
		if fullTo <= to.UnixNano() {
			return countRaw(ctx, tx, time.Unix(0, fullTo), to, f, acc)
		}
		return nil
	}
	return countRaw(ctx, tx, from, to, f, acc)
}

// rollupPlan says which rollup rows answer a count: those of dimension dim (with value in values, when the
// filter names some), their group read from the column group ("value", "priority" or "cluster").
type rollupPlan struct {
	dim    events.Dimension
	values []string
	group  string
}

// rollupPlanFor: the rollup keeps, per minute, the counts by (dimension value, cluster, priority). It answers
// filters on priority and cluster and on the values of one dimension, grouped by that dimension, priority or
// cluster, with buckets of whole minutes. A tag filter answers only with one tag (an event has several).
func rollupPlanFor(f events.Filters, acc *countAcc) (rollupPlan, bool) {
	if f.Text != "" || (int64(acc.out.Bucket)%minuteNs != 0 && acc.n != 1) {
		return rollupPlan{}, false
	}
	var p rollupPlan
	filtered := 0
	for _, c := range []struct {
		d    events.Dimension
		vals []string
	}{{events.DimRule, f.Rules}, {events.DimSource, f.Sources}, {events.DimHostname, f.Hostnames}, {events.DimNamespace, f.Namespaces},
		{events.DimPod, f.Pods}, {events.DimImage, f.Images}, {events.DimTag, f.Tags}} {
		if len(c.vals) > 0 {
			filtered++
			p.dim, p.values = c.d, c.vals
		}
	}
	switch {
	case filtered > 1:
		return p, false
	case filtered == 0:
		p.dim = acc.dim
		if acc.dim == events.DimCluster {
			p.dim = events.DimPriority
		}
	case p.dim == events.DimTag && (len(p.values) > 1 || acc.dim == events.DimTag):
		return p, false
	}
	switch acc.dim {
	case p.dim:
		p.group = "value"
		if p.dim == events.DimPriority {
			p.group = "priority"
		}
	case events.DimPriority:
		p.group = "priority"
	case events.DimCluster:
		p.group = "cluster"
	default:
		return p, false
	}
	return p, slices.Contains(rollupDims, p.dim)
}

func countRollup(ctx context.Context, tx *sql.Tx, p rollupPlan, f events.Filters, acc *countAcc, fromMinute, toMinute int64) error {
	q := `SELECT hour, ` + p.group + `, counts FROM event_counts WHERE dim = ? AND hour >= ? AND hour <= ?`
	args := []any{string(p.dim), fromMinute / 60, (toMinute - 1) / 60}
	if f.MinPriority != nil {
		q += ` AND priority <= ?`
		args = append(args, int(*f.MinPriority))
	}
	if f.Cluster != "" {
		q += ` AND cluster = ?`
		args = append(args, f.Cluster)
	}
	if len(p.values) > 0 {
		q += ` AND value IN (` + strings.TrimSuffix(strings.Repeat("?,", len(p.values)), ",") + `)`
		for _, v := range p.values {
			args = append(args, v)
		}
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	startNs, bucketNs := acc.out.Start.UnixNano(), int64(acc.out.Bucket)
	if acc.n == 1 {
		bucketNs = math.MaxInt64
	}
	for rows.Next() {
		var hour int64
		var v any
		var blob []byte
		if err := rows.Scan(&hour, &v, &blob); err != nil {
			rows.Close()
			return err
		}
		counts, ok := decodeCounts(blob)
		if !ok {
			rows.Close()
			return errors.New("the event store's counts are damaged; delete event_counts rows or the file")
		}
		for m, c := range counts {
			minute := hour*60 + int64(m)
			if c == 0 || minute < fromMinute || minute >= toMinute {
				continue
			}
			b := int64(0)
			if acc.n > 1 {
				b = (minute*minuteNs - startNs) / bucketNs
			}
			if acc.dim == events.DimTag {
				acc.addOne(b, dimValue(acc.dim, v), int64(c)) // a rollup row is one tag
			} else {
				acc.add(b, v, int64(c))
			}
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	// The events stored since the rollup was last written, from the events themselves.
	var rollupIns sql.NullInt64
	_ = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'rollup_ins'`).Scan(&rollupIns)
	col := "''"
	switch {
	case p.group == "cluster":
		col = "cluster"
	case p.group == "value":
		col, _ = column(p.dim)
	}
	valueCol := "''"
	if len(p.values) > 0 {
		valueCol, _ = column(p.dim)
	}
	rows, err = tx.QueryContext(ctx, `SELECT time, priority, cluster, `+col+`, `+valueCol+` FROM events INDEXED BY events_ins WHERE ins > ? AND time >= ? AND time < ?`,
		rollupIns.Int64, fromMinute*minuteNs, toMinute*minuteNs)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t, prio int64
		var cluster, group, value string
		if err := rows.Scan(&t, &prio, &cluster, &group, &value); err != nil {
			return err
		}
		if (f.MinPriority != nil && prio > int64(*f.MinPriority)) || (f.Cluster != "" && cluster != f.Cluster) {
			continue
		}
		if len(p.values) > 0 {
			if p.dim == events.DimTag {
				if !slices.Contains(strings.Split(value, ","), p.values[0]) {
					continue
				}
			} else if !slices.Contains(p.values, value) {
				continue
			}
		}
		b := int64(0)
		if acc.n > 1 {
			b = (t - startNs) / bucketNs
		}
		if p.group == "priority" {
			acc.add(b, prio, 1)
		} else {
			acc.add(b, group, 1)
		}
	}
	return rows.Err()
}

// Values returns the values of a field, most frequent first, without empty values.
func (s *Store) Values(ctx context.Context, req events.ValueRequest) ([]events.ValueCount, error) {
	limit := req.Limit
	if limit <= 0 || limit > events.MaxLimit {
		limit = events.MaxLimit
	}
	if _, err := column(req.Field); err != nil {
		return nil, err
	}
	acc := &countAcc{out: events.Counts{Start: req.From, Bucket: time.Minute}, n: 1, dim: req.Field, values: map[string]int64{}}
	if selectEvents(req.From, req.To, req.Filters).viaIndex {
		s.beforeIndexRead(ctx)
	}
	if err := s.readTx(ctx, func(tx *sql.Tx) error { return countInto(ctx, tx, req.From, req.To, req.Filters, acc) }); err != nil {
		return nil, err
	}
	var out []events.ValueCount
	for v, c := range acc.values {
		if v != "" && c > 0 {
			out = append(out, events.ValueCount{Value: v, Count: c})
		}
	}
	slices.SortFunc(out, func(a, b events.ValueCount) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out[:min(len(out), limit)], nil
}

// Status counts the events and measures every file of the store (diskBytes).
func (s *Store) Status(ctx context.Context) (events.Status, error) {
	st := events.Status{Store: "sqlite", Refused: s.refused.Load(), RetentionDays: s.cfg.RetentionDays, MaxStoreMB: int(s.cfg.MaxBytes >> 20)}
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&st.Events); err != nil {
		return st, err
	}
	if st.Events > 0 {
		var oldest, newest int64
		if err := s.r.QueryRowContext(ctx, `SELECT (SELECT time FROM events ORDER BY key LIMIT 1), (SELECT max(time) FROM (SELECT time FROM events ORDER BY key DESC LIMIT 64))`).Scan(&oldest, &newest); err != nil {
			return st, err
		}
		st.Oldest, st.Newest = time.Unix(0, oldest).UTC(), time.Unix(0, newest).UTC()
	}
	if li := s.lastIngest.Load(); li > 0 {
		st.LastIngest = time.Unix(0, li).UTC()
	}
	st.SizeBytes = diskBytes(s.cfg.Path)
	st.Problem, st.ProblemSince = s.Problem()
	return st, nil
}

// Refused is how many events a full queue refused since the store was opened.
func (s *Store) Refused() int64 { return s.refused.Load() }

// Path is the file of the store.
func (s *Store) Path() string { return s.cfg.Path }
