package sqlitestore

import (
	"database/sql"
	"fmt"
)

// migrations[i] takes the schema from version i to i+1; a released migration is never edited, only appended to.
var migrations = []string{
	// 1: events with one column per filter, indexes for the query shapes (time range newest first, alone or with
	// one equality filter on a column with many values: rule, namespace, pod, image, cluster (a cluster that
	// holds no events must not mean reading them all); priority and hostname have few values, so reading the
	// time index finds a page of them quickly), tags in their own
	// table, full-text search on the output (FTS5, contentless: the text is stored once, in events).
	`CREATE TABLE events (
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
	CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;`,
	// 2: per-minute counts for eventCounts over long ranges.
	`CREATE TABLE event_counts (dim TEXT NOT NULL, minute INTEGER NOT NULL, cluster TEXT NOT NULL, value TEXT NOT NULL,
		priority INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (dim, minute, cluster, value, priority)) WITHOUT ROWID;
	INSERT INTO event_counts (dim, minute, cluster, value, priority, n) ` + rollupSelect("true", 1) + `;`,
}

// SchemaVersion is the version this build writes.
var SchemaVersion = len(migrations)

func migrate(db *sql.DB) error {
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
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(migrations[v]); err != nil {
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
