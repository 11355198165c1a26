package sqlitestore

import (
	"database/sql"
	"fmt"

	"github.com/containersec/container-security/pkg/events"
)

// migration takes the schema one version up inside one transaction.
type migration func(tx *sql.Tx) error

func sqlMigration(q string) migration {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec(q)
		return err
	}
}

// migrations[i] takes the schema from version i to i+1; a released migration is never edited, only appended to.
var migrations = []migration{
	// 1: events with one column per filter, indexes for the query shapes (time range newest first, alone or with
	// one equality filter on a column with many values: rule, namespace, pod, image, cluster (a cluster that
	// holds no events must not mean reading them all); priority and hostname have few values, so reading the
	// time index finds a page of them quickly), tags in their own
	// table, full-text search on the output (FTS5, contentless: the text is stored once, in events).
	sqlMigration(`CREATE TABLE events (
		seq INTEGER PRIMARY KEY,
		id TEXT NOT NULL UNIQUE,
		time INTEGER NOT NULL,
		priority INTEGER NOT NULL,
		rule TEXT NOT NULL, source TEXT NOT NULL, hostname TEXT NOT NULL, cluster TEXT NOT NULL,
		namespace TEXT NOT NULL, pod TEXT NOT NULL, container TEXT NOT NULL, image TEXT NOT NULL,
		process TEXT NOT NULL, cmdline TEXT NOT NULL, user TEXT NOT NULL, parent TEXT NOT NULL,
		tags TEXT NOT NULL, output TEXT NOT NULL, output_fields TEXT NOT NULL
	);
	CREATE INDEX events_time ON events (time);
	CREATE INDEX events_rule ON events (rule, time);
	CREATE INDEX events_namespace ON events (namespace, time);
	CREATE INDEX events_pod ON events (pod, time);
	CREATE INDEX events_image ON events (image, time);
	CREATE INDEX events_cluster ON events (cluster, time);
	CREATE TABLE event_tags (tseq INTEGER NOT NULL, tag TEXT NOT NULL, ttime INTEGER NOT NULL, PRIMARY KEY (tseq, tag)) WITHOUT ROWID;
	CREATE INDEX event_tags_tag ON event_tags (tag, ttime);
	CREATE VIRTUAL TABLE events_fts USING fts5 (output, content='', contentless_delete=1);
	CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;`),
	// 2: per-minute counts for eventCounts over long ranges.
	sqlMigration(`CREATE TABLE event_counts (dim TEXT NOT NULL, minute INTEGER NOT NULL, cluster TEXT NOT NULL, value TEXT NOT NULL,
		priority INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (dim, minute, cluster, value, priority)) WITHOUT ROWID;
	INSERT INTO event_counts (dim, minute, cluster, value, priority, n) ` + v2RollupSelect + `;`),
	// 3: the layout that ingests 20,000 events/s (see README, "Event store benchmark"). Every index of version 1
	// cost a random B-tree insert per event in each small group-commit transaction; now:
	//   - events are stored in time order: the rowid ("key") is the time in ns, moved up by a few ns when another
	//     event holds it, so a time range is a rowid range and "newest first" needs no index;
	//   - one FTS5 table, in a file of its own written beside this one (fts.go), is the only index: the output's
	//     words, and in a second column one token per filter value (facetToken: rule, namespace, pod, image,
	//     cluster, hostname, source, each tag, priority, id), so every filter, alone or combined with others and
	//     with free text, is one FTS5 query read newest first;
	//   - per-hour rows of 60 per-minute counts per (dimension, cluster, value, priority), written together every
	//     second (ins and meta.rollup_ins say which events they hold);
	//   - ins numbers the events in the order they were stored, for the counts not yet in the rollup and the events
	//     not yet in the index.
	migrateToV3,
	// 4: one event per id (falcosidekick's uuid): version 3 kept the same uuid twice when its time differed. Later
	// copies of an id keep their rows under "<id>#<key>" so no event and no count is lost.
	migrateToV4,
	// 5: the id stays unique, checked by the writer against the ids in memory (idset.go) instead of a unique index:
	// falcosidekick's uuids are random, so that index took a random page per event in every commit (64 senders:
	// 11,301 events/s with it, 23,036 without, same machine and minutes). event_ids holds each event's id under its
	// key, written in key order like the events (a page or two per commit), for the writer to read them all when it
	// opens without reading the events.
	sqlMigration(`DROP INDEX events_id;
	CREATE TABLE event_ids (key INTEGER PRIMARY KEY, id TEXT NOT NULL);
	INSERT INTO event_ids (key, id) SELECT key, id FROM events ORDER BY key;`),
}

// SchemaVersion is the version this build writes.
var SchemaVersion = len(migrations)

const v3Schema = `
	CREATE TABLE events (
		key INTEGER PRIMARY KEY,
		ins INTEGER NOT NULL,
		id TEXT NOT NULL,
		time INTEGER NOT NULL,
		priority INTEGER NOT NULL,
		rule TEXT NOT NULL, source TEXT NOT NULL, hostname TEXT NOT NULL, cluster TEXT NOT NULL,
		namespace TEXT NOT NULL, pod TEXT NOT NULL, container TEXT NOT NULL, image TEXT NOT NULL,
		process TEXT NOT NULL, cmdline TEXT NOT NULL, user TEXT NOT NULL, parent TEXT NOT NULL,
		tags TEXT NOT NULL, output TEXT NOT NULL, output_fields TEXT NOT NULL
	);
	CREATE INDEX events_ins ON events (ins);
	CREATE TABLE event_counts (dim TEXT NOT NULL, hour INTEGER NOT NULL, cluster TEXT NOT NULL, value TEXT NOT NULL,
		priority INTEGER NOT NULL, counts BLOB NOT NULL, PRIMARY KEY (dim, hour, cluster, value, priority)) WITHOUT ROWID;`

// migrateToV3 moves the events of a version 2 store into the version 3 layout, oldest first, through the same
// insert code as ingest, and drops the old tables.
func migrateToV3(tx *sql.Tx) error {
	for _, q := range []string{
		`ALTER TABLE events RENAME TO events_v2`,
		`DROP TABLE events_fts`,
		`DROP TABLE event_tags`,
		`DROP TABLE event_counts`,
		`DROP INDEX IF EXISTS events_time`, `DROP INDEX IF EXISTS events_rule`, `DROP INDEX IF EXISTS events_namespace`,
		`DROP INDEX IF EXISTS events_pod`, `DROP INDEX IF EXISTS events_image`, `DROP INDEX IF EXISTS events_cluster`,
		v3Schema,
	} {
		if _, err := tx.Exec(q); err != nil {
			return err
		}
	}
	w := &inserter{delta: rollup{}}
	var last int64
	for {
		rows, err := tx.Query(`SELECT seq, id, time, priority, rule, source, hostname, cluster, namespace, pod, container, image,
			process, cmdline, user, parent, tags, output, output_fields FROM events_v2 WHERE seq > ? ORDER BY seq LIMIT 2000`, last)
		if err != nil {
			return err
		}
		var batch []*events.Event
		for rows.Next() {
			e, seq, err := scanEvent(rows) // version 2 has eventColumns' columns, seq first where version 3 has key
			if err != nil {
				rows.Close()
				return err
			}
			last = seq
			batch = append(batch, &e)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		if _, _, _, err := w.insert(tx, batch); err != nil { // the index is built from the events when the store opens
			return err
		}
	}
	if err := w.flushRollup(tx); err != nil {
		return err
	}
	_, err := tx.Exec(`DROP TABLE events_v2`)
	return err
}

func migrateToV4(tx *sql.Tx) error {
	for _, q := range []string{
		`CREATE INDEX events_id_v4 ON events (id, key)`,
		`UPDATE events SET id = id || '#' || key WHERE EXISTS (SELECT 1 FROM events AS o WHERE o.id = events.id AND o.key < events.key)`,
		`DROP INDEX events_id_v4`,
		`CREATE UNIQUE INDEX events_id ON events (id)`,
	} {
		if _, err := tx.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// v2RollupSelect is migration 2's rollup of the version 1 events (kept as released).
const v2RollupSelect = `SELECT * FROM (
		SELECT 'priority' AS dim, events.time / 60000000000 AS minute, cluster, '' AS value, priority, count(*) AS n FROM events WHERE true GROUP BY 2, 3, 5
		UNION ALL SELECT 'rule', events.time / 60000000000, cluster, rule, priority, count(*) FROM events WHERE true GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'namespace', events.time / 60000000000, cluster, namespace, priority, count(*) FROM events WHERE true GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'hostname', events.time / 60000000000, cluster, hostname, priority, count(*) FROM events WHERE true GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'source', events.time / 60000000000, cluster, source, priority, count(*) FROM events WHERE true GROUP BY 2, 3, 4, 5
		UNION ALL SELECT 'tag', events.time / 60000000000, cluster, event_tags.tag, priority, count(*) FROM events JOIN event_tags ON event_tags.tseq = events.seq WHERE true GROUP BY 2, 3, 4, 5
	) WHERE true`

func migrate(db *sql.DB, logf func(msg string, keyvals ...any)) error {
	// auto_vacuum must be chosen before the first table exists; INCREMENTAL lets retention give space back.
	if _, err := db.Exec(`PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return err
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS containersec_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version int
	err := db.QueryRow(`SELECT version FROM containersec_schema`).Scan(&version)
	if err == sql.ErrNoRows {
		if _, err := db.Exec(`INSERT INTO containersec_schema (version) VALUES (0)`); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("the event store was written by a newer version of the plugin (schema %d, this version knows %d); upgrade the plugin or choose another file", version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		if version > 0 { // a new store's schema is made in moments; a migration of a stored one reads every event
			logf("event store schema migration: once, reading every stored event", "from", v, "to", v+1)
		}
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		if err := migrations[v](tx); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
		if _, err := tx.Exec(`UPDATE containersec_schema SET version = ?`, v+1); err != nil {
			_ = tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
