package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/containersec/container-security/pkg/events"
)

// selection is the events in [from, to] that pass the filters. Filters the index answers (matchExpr, or a
// minimum priority) read the index's shards of the range (shards.go), each newest first, joined to the events
// whose columns are compared too (a facet token is a hash); the events committed but not yet indexed (the
// "tail", ins above the index's fts_ins in the same snapshot) are read from the events table and matched here,
// so no query waits for the FTS writer. Every value is a bound parameter.
type selection struct {
	lo, hi, keyHi int64
	viaIndex      bool
	match         string // the FTS5 query; "" with viaIndex: the priority alone, read from the shards' docsize rows
	maxPrio       int
	text          textMatcher
	hasText       bool
	conds         []string // on the events' columns (time, priority and each filter)
	args          []any
	onlyPriority  bool // no filter but the text and the priority: the shard alone answers, with no column to compare
	filters       events.Filters
}

func selectEvents(from, to time.Time, f events.Filters) selection {
	sel := selection{lo: from.UnixNano(), hi: to.UnixNano(), maxPrio: int(events.Debug), filters: f}
	sel.keyHi = sel.hi + maxKeyShift
	if sel.keyHi < sel.hi {
		sel.keyHi = math.MaxInt64
	}
	sel.match = matchExpr(f)
	if f.MinPriority != nil {
		sel.maxPrio = int(*f.MinPriority)
	}
	sel.viaIndex = sel.match != "" || sel.maxPrio < int(events.Debug)
	if strings.TrimSpace(strings.ReplaceAll(f.Text, "\x00", " ")) != "" {
		sel.text, sel.hasText = newTextMatcher(f.Text), true
	}
	sel.conds = append(sel.conds, "events.time >= ?", "events.time <= ?")
	sel.args = append(sel.args, sel.lo, sel.hi)
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		sel.conds = append(sel.conds, "events."+col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			sel.args = append(sel.args, v)
		}
	}
	if f.MinPriority != nil {
		sel.conds = append(sel.conds, "events.priority <= ?")
		sel.args = append(sel.args, int(*f.MinPriority))
	}
	in("rule", f.Rules)
	in("source", f.Sources)
	in("hostname", f.Hostnames)
	in("namespace", f.Namespaces)
	in("pod", f.Pods)
	in("image", f.Images)
	if f.Cluster != "" {
		sel.conds = append(sel.conds, "events.cluster = ?")
		sel.args = append(sel.args, f.Cluster)
	}
	if len(f.Tags) > 0 {
		var any []string
		for _, t := range f.Tags {
			any = append(any, "instr(',' || events.tags || ',', ?) > 0")
			sel.args = append(sel.args, ","+t+",")
		}
		sel.conds = append(sel.conds, "("+strings.Join(any, " OR ")+")")
	}
	sel.onlyPriority = len(f.Rules)+len(f.Sources)+len(f.Hostnames)+len(f.Namespaces)+len(f.Pods)+len(f.Images)+len(f.Tags) == 0 && f.Cluster == ""
	return sel
}

// part is one source of a selection's events: its FROM and WHERE, and the column holding their key.
type part struct {
	from, where, key string
	args             []any
}

// eventsPart reads the events table by key range (no filter the index answers).
func (sel selection) eventsPart() part {
	return part{from: "events", key: "events.key", where: "events.key >= ? AND events.key <= ? AND " + strings.Join(sel.conds, " AND "),
		args: append([]any{sel.lo, sel.keyHi}, sel.args...)}
}

// shardPart reads one shard newest first, joined to the events.
func (sel selection) shardPart(sh shard) part {
	t := `"` + sh.table() + `"`
	var p part
	if sel.match != "" {
		p = part{from: "fts." + t + " CROSS JOIN events ON events.key = " + t + ".rowid", key: t + ".rowid", where: t + " MATCH ? AND ", args: []any{sel.match}}
	} else {
		d := `"` + sh.table() + `_docsize"`
		p = part{from: "fts." + d + " CROSS JOIN events ON events.key = " + d + ".id", key: d + ".id"}
	}
	p.where += p.key + " >= ? AND " + p.key + " <= ? AND " + strings.Join(sel.conds, " AND ")
	p.args = append(append(p.args, sel.lo, sel.keyHi), sel.args...)
	return p
}

// tailPart reads the events stored after the index's last (fts_ins); the free text is the caller's to match.
func (sel selection) tailPart(ftsIns int64) part {
	return part{from: "events INDEXED BY events_ins", key: "events.key",
		where: "events.ins > ? AND events.key >= ? AND events.key <= ? AND " + strings.Join(sel.conds, " AND "),
		args:  append([]any{ftsIns, sel.lo, sel.keyHi}, sel.args...)}
}

// tailMax bounds the tail a query reads itself; beyond it (an index rebuilding after a failure) it waits for the
// FTS writer as before. Under full-speed ingest the tail is one FTS interval of events (ftsBacklog at most).
const tailMax = 3 * ftsBacklog

// indexState reads, in the transaction's snapshot of the index, the last ins it holds.
func indexState(ctx context.Context, tx *sql.Tx) (int64, error) {
	var ins sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT value FROM fts.fts_meta WHERE key = 'fts_ins'`).Scan(&ins)
	if err == sql.ErrNoRows {
		err = nil
	}
	return ins.Int64, err
}

func (s *Store) beforeIndexRead(ctx context.Context) {
	if s.committedIns.Load()-s.indexedIns.Load() > tailMax {
		s.waitIndexed(ctx)
	}
}

// List returns events newest first; the cursor is the key of the last event of the previous page.
func (s *Store) List(ctx context.Context, req events.ListRequest) (events.Page, error) {
	limit := req.Limit
	if limit <= 0 {
		limit = events.DefaultLimit
	}
	limit = min(limit, events.MaxLimit)
	sel := selectEvents(req.From, req.To, req.Filters)
	if req.Cursor != "" {
		k, err := decodeCursor(req.Cursor)
		if err != nil {
			return events.Page{}, err
		}
		sel.keyHi = min(sel.keyHi, k-1)
	}
	if sel.viaIndex {
		s.beforeIndexRead(ctx)
	}
	var page events.Page
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var evs []events.Event
		var keys []int64
		var err error
		var scanned bool
		if sel.textOnly() {
			evs, keys, scanned, err = listByScan(ctx, tx, sel, limit+1)
		}
		if err == nil && !scanned && sel.viaIndex {
			evs, keys, err = listViaIndex(ctx, tx, sel, limit+1, s.recent)
		} else if err == nil && !scanned {
			p := sel.eventsPart()
			evs, keys, err = fetchEvents(ctx, tx, `SELECT `+eventColumns+` FROM `+p.from+` WHERE `+p.where+` ORDER BY `+p.key+` DESC LIMIT ?`, append(p.args, limit+1)...)
		}
		if err != nil {
			return err
		}
		if len(evs) > limit {
			evs = evs[:limit]
			page.NextCursor = encodeCursor(keys[limit-1])
		}
		page.Events = evs
		return nil
	})
	return page, err
}

// scanBudget is how many of the newest events of its range a free-text list reads before it asks the index instead:
// a word in 5% of the events fills a page of 100 within it.
const scanBudget = 2000

// textOnly says whether free text is the only filter (the search box alone).
func (sel selection) textOnly() bool {
	f := sel.filters
	return sel.hasText && sel.onlyPriority && f.MinPriority == nil
}

// listByScan answers a list whose only filter is free text by reading the newest events of the range and matching
// the text here, when the page fills within scanBudget events (or the range holds fewer): FTS5 would first expand
// the last word's prefix over the whole day's table (about 10 ms at a million events a day, at every query). false
// when it does not (a rarer word): the caller asks the index.
func listByScan(ctx context.Context, tx *sql.Tx, sel selection, need int) ([]events.Event, []int64, bool, error) {
	p := sel.eventsPart()
	rows, err := tx.QueryContext(ctx, `SELECT `+p.key+`, events.output FROM `+p.from+` WHERE `+p.where+` ORDER BY `+p.key+` DESC LIMIT ?`, append(p.args, scanBudget)...)
	if err != nil {
		return nil, nil, false, err
	}
	var keys []int64
	read := 0
	for len(keys) < need && rows.Next() {
		var k int64
		var out string
		if err := rows.Scan(&k, &out); err != nil {
			rows.Close()
			return nil, nil, false, err
		}
		read++
		if sel.text.match(out) {
			keys = append(keys, k)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, nil, false, err
	}
	if len(keys) < need && read == scanBudget {
		return nil, nil, false, nil
	}
	if len(keys) == 0 {
		return nil, nil, true, nil
	}
	evs, found, err := fetchKeys(ctx, tx, keys)
	return evs, found, true, err
}

// listViaIndex finds the newest need keys in the shards, day by day from the newest (a day's keys are all above
// the day before's), and in the tail (from memory when it holds it), then reads those events.
func listViaIndex(ctx context.Context, tx *sql.Tx, sel selection, need int, recent *recentEvents) ([]events.Event, []int64, error) {
	ftsIns, err := indexState(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	shards, err := listShards(ctx, tx, "fts", sel.lo, sel.keyHi, sel.maxPrio)
	if err != nil {
		return nil, nil, err
	}
	var keys []int64
	for i := 0; i < len(shards); {
		// A day's shards (one per priority) in one compound SELECT: SQLite merges the arms, each read newest first,
		// and stops at need keys, so only those are joined to their events (not need from every shard).
		day := shards[i].day
		var arms []string
		var args []any
		for ; i < len(shards) && shards[i].day == day; i++ {
			p := sel.shardPart(shards[i])
			arms = append(arms, `SELECT `+p.key+` AS k FROM `+p.from+` WHERE `+p.where)
			args = append(args, p.args...)
		}
		ks, err := readKeys(ctx, tx, strings.Join(arms, ` UNION ALL `)+` ORDER BY 1 DESC LIMIT ?`, append(args, need)...)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, ks...)
		if len(keys) >= need {
			break
		}
	}
	tail, fromMemory, err := tailOf(ctx, tx, sel, ftsIns, recent)
	if err != nil {
		return nil, nil, err
	}
	keys = append(keys, tail...)
	slices.SortFunc(keys, func(a, b int64) int { return cmpDesc(a, b) })
	keys = slices.Compact(keys)
	keys = keys[:min(len(keys), need)]
	if len(keys) == 0 {
		return nil, nil, nil
	}
	evs, found, err := fetchKeys(ctx, tx, keys)
	if err == nil && fromMemory && len(evs) < len(keys) {
		// Retention deleted an event between this snapshot and memory: read the tail from the snapshot instead.
		return listViaIndex(ctx, tx, sel, need, nil)
	}
	return evs, found, err
}

// fetchKeys reads the events of keys, newest first.
func fetchKeys(ctx context.Context, tx *sql.Tx, keys []int64) ([]events.Event, []int64, error) {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(k, 10))
	}
	return fetchEvents(ctx, tx, `SELECT `+eventColumns+` FROM events WHERE key IN (`+b.String()+`) ORDER BY key DESC`)
}

// tailOf returns the keys of the tail's events that pass sel, from memory when it holds every event of the tail of
// this snapshot (ins above the index's, up to the events' highest), else from the events table.
func tailOf(ctx context.Context, tx *sql.Tx, sel selection, ftsIns int64, recent *recentEvents) ([]int64, bool, error) {
	if recent != nil {
		var maxIns sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(ins) FROM events`).Scan(&maxIns); err != nil {
			return nil, false, err
		}
		if keys, ok := recent.keys(ftsIns, maxIns.Int64, sel); ok {
			return keys, true, nil
		}
	}
	keys, err := tailKeys(ctx, tx, sel, ftsIns)
	return keys, false, err
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// tailKeys are the keys of the tail's events that pass the filters.
func tailKeys(ctx context.Context, tx *sql.Tx, sel selection, ftsIns int64) ([]int64, error) {
	p := sel.tailPart(ftsIns)
	rows, err := tx.QueryContext(ctx, `SELECT events.key, events.output FROM `+p.from+` WHERE `+p.where, p.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []int64
	for rows.Next() {
		var k int64
		var out string
		if err := rows.Scan(&k, &out); err != nil {
			return nil, err
		}
		if !sel.hasText || sel.text.match(out) {
			keys = append(keys, k)
		}
	}
	return keys, rows.Err()
}

func readKeys(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

func fetchEvents(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]events.Event, []int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var evs []events.Event
	var keys []int64
	for rows.Next() {
		e, key, err := scanEvent(rows)
		if err != nil {
			return nil, nil, err
		}
		evs, keys = append(evs, e), append(keys, key)
	}
	return evs, keys, rows.Err()
}

// Get returns one event by id (the newest, should a sender have reused an id at another time), found through its
// id token in every shard and in the tail.
func (s *Store) Get(ctx context.Context, id string) (*events.Event, error) {
	s.beforeIndexRead(ctx)
	return eventByID(ctx, s.r, id)
}

// eventByID is Get without waiting for the index, on the readers db: the writer reads the stored event of an id
// its set may hold, and the events not yet indexed are read from the events table (the tail) however many they are.
func eventByID(ctx context.Context, db txBeginner, id string) (*events.Event, error) {
	var found *events.Event
	var foundKey int64
	err := readTxOn(ctx, db, func(tx *sql.Tx) error {
		ftsIns, err := indexState(ctx, tx)
		if err != nil {
			return err
		}
		shards, err := listShards(ctx, tx, "fts", math.MinInt64, math.MaxInt64, int(events.Debug))
		if err != nil {
			return err
		}
		token := "facets : " + facetToken(facetID, id)
		consider := func(q string, args ...any) error {
			evs, keys, err := fetchEvents(ctx, tx, `SELECT * FROM (`+q+`) ORDER BY 1 DESC LIMIT 1`, args...)
			if err == nil && len(evs) > 0 && (found == nil || keys[0] > foundKey) {
				found, foundKey = &evs[0], keys[0]
			}
			return err
		}
		if err := consider(`SELECT `+eventColumns+` FROM events INDEXED BY events_ins WHERE ins > ? AND id = ?`, ftsIns, id); err != nil {
			return err
		}
		// In statements of at most 100 shards: SQLite allows 500 terms in a compound SELECT (SQLITE_MAX_COMPOUND_SELECT).
		for len(shards) > 0 {
			chunk := shards[:min(len(shards), 100)]
			shards = shards[len(chunk):]
			var arms []string
			var args []any
			for _, sh := range chunk {
				t := `"` + sh.table() + `"`
				arms = append(arms, `SELECT rowid FROM fts.`+t+` WHERE `+t+` MATCH ?`)
				args = append(args, token)
			}
			if err := consider(`SELECT `+eventColumns+` FROM events WHERE key IN (`+strings.Join(arms, " UNION ALL ")+`) AND id = ?`, append(args, id)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, ErrNotFound
	}
	return found, nil
}

// countRaw counts the events of the selection by acc.dim, reading them: through the index's shards and the tail,
// or the events table. Grouped by priority with no filter but free text and priority, each shard counts itself
// (FTS5 alone: the key is the time moved up by less than maxKeyShift, so only keys that near a bucket's start or
// the range's ends read their event's time).
func countRaw(ctx context.Context, tx *sql.Tx, from, to time.Time, f events.Filters, acc *countAcc) error {
	col, err := column(acc.dim)
	if err != nil {
		return err
	}
	sel := selectEvents(from, to, f)
	start := acc.out.Start.UnixNano()
	bucketNs := int64(acc.out.Bucket)
	if acc.n == 1 {
		bucketNs = math.MaxInt64
	}
	group := func(p part) error {
		rows, err := tx.QueryContext(ctx, `SELECT (events.time - ?) / ?, events.`+col+`, count(*) FROM `+p.from+` WHERE `+p.where+` GROUP BY 1, 2`,
			append([]any{start, bucketNs}, p.args...)...)
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
	if !sel.viaIndex {
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
		if acc.dim == events.DimPriority && sel.onlyPriority && sel.match != "" {
			if err := countShard(ctx, tx, sel, sh, start, bucketNs, acc); err != nil {
				return err
			}
			continue
		}
		if err := group(sel.shardPart(sh)); err != nil {
			return err
		}
	}
	// The tail: its events one by one, the free text matched here.
	p := sel.tailPart(ftsIns)
	rows, err := tx.QueryContext(ctx, `SELECT events.time, events.`+col+`, events.output FROM `+p.from+` WHERE `+p.where, p.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t int64
		var v any
		var out string
		if err := rows.Scan(&t, &v, &out); err != nil {
			return err
		}
		if !sel.hasText || sel.text.match(out) {
			acc.add((t-start)/bucketNs, v, 1)
		}
	}
	return rows.Err()
}

// countShard counts one shard's matching events by bucket from their keys. An event retention is removing (gone
// from the events, its index entries not yet) is not counted: its time reads NULL.
func countShard(ctx context.Context, tx *sql.Tx, sel selection, sh shard, start, bucketNs int64, acc *countAcc) error {
	t := `"` + sh.table() + `"`
	loExact := sel.lo + maxKeyShift
	if loExact < sel.lo {
		loExact = math.MaxInt64
	}
	rows, err := tx.QueryContext(ctx, `SELECT (tm - ?) / ?, count(*) FROM (
			SELECT CASE WHEN k < ? OR k > ? OR (k - ?) % ? < ? THEN (SELECT time FROM events WHERE key = k) ELSE k END AS tm
			FROM (SELECT rowid AS k FROM fts.`+t+` WHERE `+t+` MATCH ? AND rowid >= ? AND rowid <= ?)
		) WHERE tm >= ? AND tm <= ? GROUP BY 1`,
		start, bucketNs, loExact, sel.hi, start, bucketNs, maxKeyShift, sel.match, sel.lo, sel.keyHi, sel.lo, sel.hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var b, c int64
		if err := rows.Scan(&b, &c); err != nil {
			return err
		}
		acc.add(b, int64(sh.prio), c)
	}
	return rows.Err()
}
