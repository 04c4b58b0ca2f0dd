package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"martlet/compiler/project"
	"martlet/runner/adapter"
)

// sharedDB is one open database file with the number of adapters using it.
type sharedDB struct {
	db       *sql.DB
	users    int
	maxConns int
	schemaMu sync.Mutex
}

// registry holds the databases open in this process, keyed by absolute path.
// Two independent handles on one file in one process can see stale data, so
// every Open of the same file shares one *sql.DB.
var registry = struct {
	sync.Mutex
	byPath map[string]*sharedDB
}{byPath: make(map[string]*sharedDB)}

// Open opens the DuckDB database file at path, creating the file and its
// parent directories if missing, with a pool of threads connections
// (at least one). An empty path or ":memory:" opens a new in-memory database.
//
// The database is attached under the catalog name "__martlet__" rather than
// DuckDB's default (the file's base name), so that a schema named like the
// file (schema "dev" in dev.duckdb) does not make relation names ambiguous.
// All adapters opened on the same file in this process share one pool, which
// grows to the largest threads asked for and closes with the last adapter.
// If another process holds the file, Open fails with an error naming that
// process's PID.
func Open(path string, threads int) (*Adapter, error) {
	threads = max(threads, 1)
	if path == "" || path == ":memory:" {
		db, err := openDB(":memory:", ":memory:")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(threads)
		db.SetMaxIdleConns(threads)
		return &Adapter{db: db, release: db.Close, schemaMu: new(sync.Mutex)}, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database file %s: %w", path, err)
	}
	registry.Lock()
	defer registry.Unlock()
	shared, ok := registry.byPath[abs]
	if !ok {
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("database file %s: %w", path, err)
		}
		db, err := openDB(abs, path)
		if err != nil {
			return nil, err
		}
		shared = &sharedDB{db: db}
		registry.byPath[abs] = shared
	}
	shared.users++
	if threads > shared.maxConns {
		shared.maxConns = threads
		shared.db.SetMaxOpenConns(threads)
		shared.db.SetMaxIdleConns(threads)
	}
	return &Adapter{db: shared.db, release: func() error { return releaseShared(abs) }, schemaMu: &shared.schemaMu}, nil
}

// releaseShared drops one user of the database at abs, closing it when no
// user is left.
func releaseShared(abs string) error {
	registry.Lock()
	defer registry.Unlock()
	shared, ok := registry.byPath[abs]
	if !ok {
		return nil
	}
	shared.users--
	if shared.users > 0 {
		return nil
	}
	delete(registry.byPath, abs)
	return shared.db.Close()
}

// conflictingLock matches DuckDB's message when another process holds the
// file: `Could not set lock on file "...": Conflicting lock is held in
// /usr/bin/prog (PID 1234) by user ...`.
var conflictingLock = regexp.MustCompile(`Could not set lock on file .*Conflicting lock is held in .* \(PID (\d+)\)`)

// catalogName is the name under which the database is attached (see
// project.DuckDBCatalog, which templates know as target.database).
const catalogName = project.DuckDBCatalog

// openDB opens the database file at path (":memory:" for an in-memory
// database), attached as catalogName and made the default catalog of every
// connection. displayPath is the path as the user gave it, for errors.
func openDB(path, displayPath string) (*sql.DB, error) {
	attach := "ATTACH IF NOT EXISTS " + adapter.QuoteString(path) + " AS " + adapter.QuoteIdent(catalogName) +
		"; USE " + adapter.QuoteIdent(catalogName)
	connector, err := duckdbdriver.NewConnector("", func(conn driver.ExecerContext) error {
		_, err := conn.ExecContext(context.Background(), attach, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", displayPath, err)
	}
	db := sql.OpenDB(connector)
	// The first connection attaches the file, surfacing a lock held by
	// another process now rather than at the first query.
	conn, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		if m := conflictingLock.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("database file %s is in use by another process (PID %s)", displayPath, m[1])
		}
		return nil, fmt.Errorf("database %s: %w", displayPath, err)
	}
	if err := conn.Close(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}
