package sqlitestore

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strconv"

	"github.com/containersec/container-security/pkg/events"
)

// The index is one FTS5 table per UTC day and Falco priority ("shard"), all in the index file:
//   - FTS5 expands the last word's prefix by reading the whole list of every stored word it begins, in the whole
//     table, whatever the time range (fts5SetupPrefixIter in fts5_index.c reads each matching term's doclist into
//     one buffer); with a table per day a search reads the lists of the days it covers, and newest first it stops
//     at the first day that fills the page, so its cost follows the events per day, not the store's size;
//   - a count by priority with free text counts each priority's table alone (FTS5 only, no events row read), the
//     Events page's chart; a minimum priority chooses tables instead of matching tokens;
//   - retention drops a day's tables whole once their last event is gone.
const shardPeriod = int64(24 * 60 * 60 * 1_000_000_000)

// shard is one FTS5 table of the index.
type shard struct {
	day  int64 // floor(key / shardPeriod)
	prio int   // Falco's priority number, 0 (emergency) to 7 (debug)
}

func shardOf(key int64, p events.Priority) shard {
	return shard{day: floorDiv(key, shardPeriod), prio: min(max(int(p), 0), int(events.Debug))}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// table is the FTS5 table's name (a day before 1970 is written with "m" for its minus sign).
func (sh shard) table() string {
	day := strconv.FormatInt(sh.day, 10)
	if sh.day < 0 {
		day = "m" + day[1:]
	}
	return "events_fts_d" + day + "_p" + strconv.Itoa(sh.prio)
}

// shardTables matches the shards' names and not their FTS5 shadow tables (events_fts_d1_p3_data...).
var shardTables = regexp.MustCompile(`^events_fts_d(m?)([0-9]+)_p([0-7])$`)

func parseShard(name string) (shard, bool) {
	m := shardTables.FindStringSubmatch(name)
	if m == nil {
		return shard{}, false
	}
	day, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil {
		return shard{}, false
	}
	if m[1] == "m" {
		day = -day
	}
	p, _ := strconv.Atoi(m[3])
	return shard{day: day, prio: p}, true
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// listShards returns the shards of schema ("fts" for readers, "main" for the FTS writer) holding keys in [lo, hi]
// of priority prio or more severe, newest day first, then by priority. Read in the caller's transaction, the list
// and the tables are one snapshot (retention may drop a table between two transactions).
func listShards(ctx context.Context, q queryer, schema string, lo, hi int64, prio int) ([]shard, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM `+schema+`.sqlite_master WHERE type = 'table' AND name GLOB 'events_fts_d*_p[0-7]'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	loDay, hiDay := floorDiv(lo, shardPeriod), floorDiv(hi, shardPeriod)
	var out []shard
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if sh, ok := parseShard(name); ok && sh.day >= loDay && sh.day <= hiDay && sh.prio <= prio {
			out = append(out, sh)
		}
	}
	slices.SortFunc(out, func(a, b shard) int {
		if a.day != b.day {
			return int(b.day - a.day)
		}
		return a.prio - b.prio
	})
	return out, rows.Err()
}

// createShard makes a shard's table in the FTS writer's transaction unless it exists.
func createShard(tx *sql.Tx, sh shard) error {
	t := sh.table()
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, t).Scan(&n); err != nil || n > 0 {
		return err
	}
	// Each transaction adds an FTS5 segment; merging 16 of a level at a time instead of 4 rewrites each entry about
	// half as often (merging was the largest part of the FTS writer's time in a profile of sustained ingest: 16 and
	// 64 gave 20,400 events/s where 8 and 32 gave 18,100).
	_, err := tx.Exec(`CREATE VIRTUAL TABLE "` + t + `" USING fts5 (output, facets, content='', contentless_delete=1);
		INSERT INTO "` + t + `" ("` + t + `", rank) VALUES ('automerge', 16);
		INSERT INTO "` + t + `" ("` + t + `", rank) VALUES ('crisismerge', 64);`)
	return err
}
