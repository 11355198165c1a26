package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

var _ events.Reader = (*Store)(nil)

const eventColumns = `seq, id, time, priority, rule, source, hostname, cluster, namespace, pod, container, image, process, cmdline, user, parent, tags, output, output_fields`

// rareTextMatches is how many FTS5 matches a free-text filter may have to be read as a set first; a more
// common text is checked event by event while the events are read newest first.
var rareTextMatches = 5000

// textIsRare tells whether the free text matches few enough events to collect them first.
func (s *Store) textIsRare(ctx context.Context, text string) bool {
	q := ftsQuery(text)
	if q == "" {
		return true
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ?)`, q, rareTextMatches+1).Scan(&n); err != nil {
		return true // the query itself will report the problem
	}
	return n <= rareTextMatches
}

// where builds the WHERE clause of a time range and filters; every value is a bound parameter.
func where(from, to time.Time, f events.Filters, rareText bool) (string, []any) {
	conds := []string{"time >= ?", "time <= ?"}
	args := []any{from.UnixNano(), to.UnixNano()}
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	if f.MinPriority != nil {
		conds = append(conds, "priority <= ?")
		args = append(args, int(*f.MinPriority))
	}
	in("rule", f.Rules)
	in("source", f.Sources)
	in("hostname", f.Hostnames)
	in("namespace", f.Namespaces)
	in("pod", f.Pods)
	in("image", f.Images)
	if f.Cluster != "" {
		conds = append(conds, "cluster = ?")
		args = append(args, f.Cluster)
	}
	if len(f.Tags) > 0 {
		conds = append(conds, "seq IN (SELECT tseq FROM event_tags WHERE tag IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.Tags)), ",")+") AND ttime >= ? AND ttime <= ?)")
		for _, t := range f.Tags {
			args = append(args, t)
		}
		args = append(args, from.UnixNano(), to.UnixNano())
	}
	if q := ftsQuery(f.Text); q != "" {
		if rareText {
			conds = append(conds, "seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
			args = append(args, q)
		} else {
			// Common text: events read newest first meet a match within a few rows, so a case-insensitive
			// substring test per row ends long before collecting every FTS5 match would.
			conds = append(conds, "instr(lower(output), lower(?)) > 0")
			args = append(args, strings.TrimSpace(f.Text))
		}
	}
	return strings.Join(conds, " AND "), args
}

// ftsQuery turns free text into one FTS5 phrase whose last word may be a prefix: the user's text is data,
// never FTS5 syntax (quotes are doubled inside the phrase).
func ftsQuery(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	return `"` + strings.ReplaceAll(text, `"`, `""`) + `" *`
}

func scanEvent(rows interface{ Scan(...any) error }) (events.Event, int64, error) {
	var e events.Event
	var seq, ns int64
	var prio int
	var tags, fields string
	if err := rows.Scan(&seq, &e.ID, &ns, &prio, &e.Rule, &e.Source, &e.Hostname, &e.Cluster, &e.Namespace, &e.Pod,
		&e.Container, &e.Image, &e.Process, &e.Cmdline, &e.User, &e.Parent, &tags, &e.Output, &fields); err != nil {
		return e, 0, err
	}
	e.Time = time.Unix(0, ns).UTC()
	e.Priority = events.Priority(prio)
	if tags != "" {
		e.Tags = strings.Split(tags, ",")
	}
	e.OutputFields = []byte(fields)
	return e, seq, nil
}

// List returns events newest first; the cursor is the (time, seq) of the last event of the previous page.
func (s *Store) List(ctx context.Context, req events.ListRequest) (events.Page, error) {
	limit := req.Limit
	if limit <= 0 {
		limit = events.DefaultLimit
	}
	limit = min(limit, events.MaxLimit)
	f := req.Filters
	oneTag := len(f.Tags) == 1
	if oneTag {
		f.Tags = nil // the join below filters by the tag
	}
	w, args := where(req.From, req.To, f, s.textIsRare(ctx, f.Text))
	if req.Cursor != "" {
		t, seq, err := decodeCursor(req.Cursor)
		if err != nil {
			return events.Page{}, err
		}
		w += " AND (time < ? OR (time = ? AND seq < ?))"
		args = append(args, t, t, seq)
	}
	args = append(args, limit+1)
	q := `SELECT ` + eventColumns + ` FROM events WHERE ` + w + ` ORDER BY time DESC, seq DESC LIMIT ?`
	if oneTag {
		// One tag: walk that tag's (tag, ttime) index newest first instead of collecting all its events.
		q = `SELECT ` + eventColumns + ` FROM event_tags JOIN events ON seq = tseq WHERE tag = ? AND ttime >= ? AND ttime <= ? AND ` +
			w + ` ORDER BY ttime DESC, tseq DESC LIMIT ?`
		args = append([]any{req.Filters.Tags[0], req.From.UnixNano(), req.To.UnixNano()}, args...)
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return events.Page{}, err
	}
	defer rows.Close()
	var page events.Page
	var lastSeq int64
	for rows.Next() {
		e, seq, err := scanEvent(rows)
		if err != nil {
			return events.Page{}, err
		}
		if len(page.Events) == limit {
			last := page.Events[limit-1]
			page.NextCursor = encodeCursor(last.Time.UnixNano(), lastSeq)
			break
		}
		page.Events = append(page.Events, e)
		lastSeq = seq
	}
	return page, rows.Err()
}

// ErrBadCursor says a cursor was not made by this store.
var ErrBadCursor = errors.New("cursor is not valid for this event store; start from the first page")

func encodeCursor(t, seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t, 10) + ":" + strconv.FormatInt(seq, 10)))
}

func decodeCursor(c string) (int64, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, ErrBadCursor
	}
	ts, ss, ok := strings.Cut(string(b), ":")
	if !ok {
		return 0, 0, ErrBadCursor
	}
	t, err1 := strconv.ParseInt(ts, 10, 64)
	seq, err2 := strconv.ParseInt(ss, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, ErrBadCursor
	}
	return t, seq, nil
}

// ErrNotFound is returned by Get for an unknown id.
var ErrNotFound = errors.New("no event with this id")

// Get returns one event by id.
func (s *Store) Get(ctx context.Context, id string) (*events.Event, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ?`, id)
	e, _, err := scanEvent(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// column is the events column of a dimension.
func column(d events.Dimension) (string, error) {
	switch d {
	case events.DimPriority, events.DimRule, events.DimNamespace, events.DimPod, events.DimHostname, events.DimSource, events.DimCluster, events.DimImage:
		return string(d), nil
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

// Count returns one series per group value with a zero in every bucket without events. Whole minutes come from
// the per-minute rollup when the filters allow it (priority and cluster only, buckets of whole minutes, a
// dimension it keeps); the partial minutes at the range's edges and every other query read the events.
func (s *Store) Count(ctx context.Context, req events.CountRequest) (events.Counts, error) {
	bucket := max(req.Bucket, time.Second)
	start := events.AlignedStart(req.From, bucket)
	n := int((req.To.UnixNano()-start.UnixNano())/int64(bucket)) + 1
	if n > 100000 {
		return events.Counts{}, fmt.Errorf("%d buckets of %s are too many; widen the interval", n, bucket)
	}
	acc := &countAcc{out: events.Counts{Start: start, Bucket: bucket}, index: map[string]int{}, n: n, dim: req.GroupBy}
	if req.GroupBy != events.DimTag {
		if _, err := column(req.GroupBy); err != nil {
			return events.Counts{}, err
		}
	}
	fullFrom := (req.From.UnixNano() + minuteNs - 1) / minuteNs * minuteNs
	fullTo := (req.To.UnixNano() + 1) / minuteNs * minuteNs // exclusive
	if rollupAnswers(req) && fullTo > fullFrom && req.From.UnixNano() >= 0 {
		if err := s.countRollup(ctx, req, acc, fullFrom/minuteNs, fullTo/minuteNs); err != nil {
			return events.Counts{}, err
		}
		if fullFrom > req.From.UnixNano() {
			if err := s.countRaw(ctx, req, acc, req.From, time.Unix(0, fullFrom-1)); err != nil {
				return events.Counts{}, err
			}
		}
		if fullTo <= req.To.UnixNano() {
			if err := s.countRaw(ctx, req, acc, time.Unix(0, fullTo), req.To); err != nil {
				return events.Counts{}, err
			}
		}
		return acc.out, nil
	}
	if err := s.countRaw(ctx, req, acc, req.From, req.To); err != nil {
		return events.Counts{}, err
	}
	return acc.out, nil
}

// countAcc adds counts into series by value.
type countAcc struct {
	out   events.Counts
	index map[string]int
	n     int
	dim   events.Dimension
}

func (a *countAcc) add(b int64, v any, c int64) {
	name := dimValue(a.dim, v)
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

func rollupAnswers(req events.CountRequest) bool {
	f := req.Filters
	if req.Bucket%time.Minute != 0 || len(f.Rules)+len(f.Sources)+len(f.Tags)+len(f.Hostnames)+len(f.Namespaces)+len(f.Pods)+len(f.Images) > 0 || f.Text != "" {
		return false
	}
	for _, d := range rollupDims {
		if d == req.GroupBy {
			return true
		}
	}
	return false
}

func (s *Store) countRollup(ctx context.Context, req events.CountRequest, acc *countAcc, fromMinute, toMinute int64) error {
	value := "value"
	if req.GroupBy == events.DimPriority {
		value = "priority"
	}
	q := `SELECT (minute * 60000000000 - ?) / ?, ` + value + `, sum(n) FROM event_counts WHERE dim = ? AND minute >= ? AND minute < ?`
	args := []any{acc.out.Start.UnixNano(), int64(acc.out.Bucket), string(req.GroupBy), fromMinute, toMinute}
	if req.Filters.MinPriority != nil {
		q += ` AND priority <= ?`
		args = append(args, int(*req.Filters.MinPriority))
	}
	if req.Filters.Cluster != "" {
		q += ` AND cluster = ?`
		args = append(args, req.Filters.Cluster)
	}
	rows, err := s.r.QueryContext(ctx, q+` GROUP BY 1, 2 HAVING sum(n) > 0`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b, c int64
		var v any
		if err := rows.Scan(&b, &v, &c); err != nil {
			return err
		}
		acc.add(b, v, c)
	}
	return rows.Err()
}

func (s *Store) countRaw(ctx context.Context, req events.CountRequest, acc *countAcc, from, to time.Time) error {
	w, args := where(from, to, req.Filters, s.textIsRare(ctx, req.Filters.Text))
	var q string
	head := []any{acc.out.Start.UnixNano(), int64(acc.out.Bucket)}
	if req.GroupBy == events.DimTag {
		q = `SELECT (ttime - ?) / ?, tag, count(*) FROM event_tags JOIN events ON seq = tseq WHERE ` + w + ` GROUP BY 1, 2`
	} else {
		col, err := column(req.GroupBy)
		if err != nil {
			return err
		}
		q = `SELECT (time - ?) / ?, ` + col + `, count(*) FROM events WHERE ` + w + ` GROUP BY 1, 2`
	}
	rows, err := s.r.QueryContext(ctx, q, append(head, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b, c int64
		var v any
		if err := rows.Scan(&b, &v, &c); err != nil {
			return err
		}
		acc.add(b, v, c)
	}
	return rows.Err()
}

// Values returns the values of a field, most frequent first, without empty values.
func (s *Store) Values(ctx context.Context, req events.ValueRequest) ([]events.ValueCount, error) {
	limit := req.Limit
	if limit <= 0 || limit > events.MaxLimit {
		limit = events.MaxLimit
	}
	w, args := where(req.From, req.To, req.Filters, s.textIsRare(ctx, req.Filters.Text))
	var q string
	if req.Field == events.DimTag {
		q = `SELECT tag, count(*) FROM event_tags JOIN events ON seq = tseq WHERE ` + w + ` GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?`
	} else {
		col, err := column(req.Field)
		if err != nil {
			return nil, err
		}
		from := "events"
		if indexed[col] && onlyTimeFilter(req.Filters) {
			// The (col, time) index holds both columns: reading it is far less than reading every event row.
			from = "events INDEXED BY events_" + col
		}
		q = `SELECT ` + col + `, count(*) FROM ` + from + ` WHERE ` + w + ` AND ` + col + ` != '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?`
	}
	rows, err := s.r.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []events.ValueCount
	for rows.Next() {
		var v any
		var c int64
		if err := rows.Scan(&v, &c); err != nil {
			return nil, err
		}
		out = append(out, events.ValueCount{Value: dimValue(req.Field, v), Count: c})
	}
	return out, rows.Err()
}

// indexed are the columns with a (column, time) index.
var indexed = map[string]bool{"rule": true, "namespace": true, "pod": true, "image": true, "cluster": true}

func onlyTimeFilter(f events.Filters) bool {
	return f.MinPriority == nil && f.Cluster == "" && f.Text == "" &&
		len(f.Rules)+len(f.Sources)+len(f.Tags)+len(f.Hostnames)+len(f.Namespaces)+len(f.Pods)+len(f.Images) == 0
}

// Status counts the events and measures the file (database and WAL).
func (s *Store) Status(ctx context.Context) (events.Status, error) {
	st := events.Status{Store: "sqlite", Refused: s.refused.Load(), RetentionDays: s.cfg.RetentionDays, MaxStoreMB: int(s.cfg.MaxBytes >> 20)}
	var oldest, newest sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT count(*), min(time), max(time) FROM events`).Scan(&st.Events, &oldest, &newest); err != nil {
		return st, err
	}
	if oldest.Valid {
		st.Oldest = time.Unix(0, oldest.Int64).UTC()
		st.Newest = time.Unix(0, newest.Int64).UTC()
	}
	if li := s.lastIngest.Load(); li > 0 {
		st.LastIngest = time.Unix(0, li).UTC()
	}
	for _, p := range []string{s.cfg.Path, s.cfg.Path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			st.SizeBytes += fi.Size()
		}
	}
	return st, nil
}

// Refused is how many events a full queue refused since the store was opened.
func (s *Store) Refused() int64 { return s.refused.Load() }

// Path is the file of the store.
func (s *Store) Path() string { return s.cfg.Path }
