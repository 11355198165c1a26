package sqlitestore

// This file is the only place the plugin touches the file system. An embedded event store needs files of its own:
// the events falcosidekick sends must survive a restart of Grafana, and SQLite keeps them in a file (plus its
// write-ahead log and the full-text index beside it). Where: the datasource's sqlitePath setting (README,
// "Event store"); nothing else of the backend reads or writes files.

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// prepareStoreDir creates the store's directory and refuses a path that is a directory.
func prepareStoreDir(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create the event store directory %s: %v; choose a path Grafana can write to", dir, cleanErr(err))
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("the event store path %s is a directory; add a file name such as events.db", path)
	}
	return nil
}

// storeFiles are every file of the store at path: events, index, their write-ahead logs and shared-memory files,
// and the lock.
func storeFiles(path string) []string {
	var out []string
	for _, p := range []string{path, FTSPath(path)} {
		out = append(out, p, p+"-wal", p+"-shm")
	}
	return append(out, lockPath(path))
}

// diskBytes is what the store's files take: the figure maxStoreMB bounds and storeStatus reports.
func diskBytes(path string) int64 {
	var total int64
	for _, p := range storeFiles(path) {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// lockPath is the file whose lock says which process owns the store.
func lockPath(path string) string { return path + "-lock" }

// ErrLocked is the plain reason another process holds the store; LockedError adds the path for admins.
var ErrLocked = errors.New("the event store is in use by another Grafana process; only one process may write it (run one Grafana for the SQLite store, or use Loki)")

// LockedError says which store another process holds.
type LockedError struct{ Path string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("the event store %s is locked by another process (another Grafana, or a replica on shared storage); only one process may write it: give each Grafana its own sqlitePath, or use Loki", e.Path)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// lockStore takes the store's lock for as long as the returned connection stays open. The lock is SQLite's own
// (locking_mode EXCLUSIVE on a write: sqlite.org/pragma.html#pragma_locking_mode), on a small file of its own: it
// works wherever the store's own locking does (Windows too), the operating system releases it when the process
// dies (kill -9 leaves no stale lock), and another connection, even in this process, gets SQLITE_BUSY at once
// (busy_timeout 0). The store's own connections cannot use exclusive mode: they are several (writer, readers).
func lockStore(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+escapePath(lockPath(path))+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(DELETE)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	_, err = db.Exec(`CREATE TABLE IF NOT EXISTS owner (pid INTEGER); DELETE FROM owner; INSERT INTO owner (pid) VALUES (?)`, os.Getpid())
	if err != nil {
		db.Close()
		if isBusy(err) {
			return nil, &LockedError{Path: path}
		}
		return nil, fmt.Errorf("cannot lock the event store %s: %v", path, cleanErr(err))
	}
	return db, nil
}

// openInProcess is the store each path has open in this process: Grafana creates a datasource's new instance
// before it disposes the old one (instancemgmt disposes after 5 s), so a new instance takes the store over.
var (
	openInProcessMu sync.Mutex
	openInProcess   = map[string]*Store{}
)

// sqliteCode is SQLite's primary result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

func isBusy(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_BUSY || sqliteCode(err) == sqlite3.SQLITE_LOCKED
}

// walBytes is the size of the WAL of the events file (schema "main") or of the index ("fts").
func walBytes(path, schema string) int64 {
	p := path
	if schema == "fts" {
		p = FTSPath(path)
	}
	if fi, err := os.Stat(p + "-wal"); err == nil {
		return fi.Size()
	}
	return 0
}
