package sqlitestore

import (
	"database/sql"
	"time"
)

// walLimit is the size SQLite cuts each write-ahead log back to (journal_size_limit) once it starts it over.
const walLimit = 1 << 20

// ensureIncrementalVacuum converts a file written without auto_vacuum (stores created before the connection string
// set it first) once: SQLite changes auto_vacuum on a database that has tables only through VACUUM, which rewrites
// the whole file (sqlite.org/pragma.html#pragma_auto_vacuum). Retention can then give freed pages back.
func ensureIncrementalVacuum(db *sql.DB, path string, logf func(string, ...any)) error {
	var mode int
	if err := db.QueryRow(`PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return err
	}
	if mode == 2 { // INCREMENTAL
		return nil
	}
	var pages, size int64
	_ = db.QueryRow(`PRAGMA page_count`).Scan(&pages)
	_ = db.QueryRow(`PRAGMA page_size`).Scan(&size)
	began := time.Now()
	logf("event store file has no incremental vacuum; converting it once (VACUUM rewrites the file; this can take a minute per GB)", "file", path, "bytes", pages*size)
	if _, err := db.Exec(`PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return err
	}
	if _, err := db.Exec(`VACUUM`); err != nil {
		return err
	}
	if err := db.QueryRow(`PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return err
	}
	_ = db.QueryRow(`PRAGMA page_count`).Scan(&pages)
	logf("event store file converted to incremental vacuum", "file", path, "bytes", pages*size, "took", time.Since(began).Round(time.Millisecond).String(), "autoVacuum", mode)
	return nil
}
