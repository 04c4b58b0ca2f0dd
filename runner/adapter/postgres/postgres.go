// Package postgres implements adapter.Adapter on a PostgreSQL server through
// github.com/jackc/pgx/v5: a pool of `threads` connections, SQL execution
// that cancels the running statement on the server when its context ends,
// catalog introspection, and seed loading with COPY, the column types
// inferred by DuckDB's CSV reader so that a seed gets the same types on
// both adapters.
//
// Errors are one line. A server error carries its severity, message,
// position, detail, hint and SQLSTATE and unwraps to *pgconn.PgError; an
// error that could quote the DSN has its password masked (see MaskDSN).
package postgres

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgtype"

	"martlet/runner/adapter"
)

const (
	// connectTimeout bounds a connection attempt when the DSN sets no
	// connect_timeout, so that an unreachable host fails in seconds.
	connectTimeout = 10 * time.Second
	// cancelGrace is how long a statement whose context ended may take to
	// stop after the cancel request before its connection is closed.
	cancelGrace = 3 * time.Second
	// cleanupTimeout bounds a rollback after a failed statement.
	cleanupTimeout = 5 * time.Second
)

// Adapter executes SQL on one PostgreSQL database. It is safe for concurrent
// use; at most `threads` connections (as given to Open) are open at once.
type Adapter struct {
	dsn       string
	pool      *pool
	closeOnce sync.Once
	// typeNames caches format_type(oid, typmod) by typeKey.
	typeNames sync.Map
	// schemaMu serializes the adapter's own schema creations: concurrent
	// CREATE SCHEMA IF NOT EXISTS of one schema can fail in PostgreSQL.
	schemaMu sync.Mutex
}

var _ adapter.Adapter = (*Adapter)(nil)

// Open connects to the PostgreSQL server named by dsn, a URL
// (postgres://user:password@host:port/db?sslmode=disable) or key=value
// string as libpq accepts, with a pool of threads connections (at least
// one). It opens one connection before returning, so that a wrong DSN,
// password or unreachable server fails here, with the DSN's password
// masked in the message. Without connect_timeout in the DSN a connection
// attempt gives up after 10 seconds.
func Open(ctx context.Context, dsn string, threads int) (*Adapter, error) {
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, &maskedError{msg: "invalid PostgreSQL DSN: " + MaskDSN(oneLine(err.Error())), err: err}
	}
	// Queries are not prepared and cached: a model's relation changes shape
	// between runs, which would invalidate cached plans.
	config.DefaultQueryExecMode = pgx.QueryExecModeExec
	if config.ConnectTimeout == 0 {
		config.ConnectTimeout = connectTimeout
	}
	// A cancelled context sends the server a cancel request for the running
	// statement; pgx's default would only drop the connection and leave
	// the statement running.
	config.BuildContextWatcherHandler = func(conn *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: conn, DeadlineDelay: cancelGrace}
	}
	a := &Adapter{dsn: dsn, pool: newPool(config, max(threads, 1))}
	conn, err := a.acquire(ctx)
	if err != nil {
		return nil, err
	}
	a.pool.release(conn)
	return a, nil
}

// Type returns "postgres".
func (a *Adapter) Type() string { return "postgres" }

// acquire takes a connection from the pool, reporting a failure to connect
// with the masked DSN.
func (a *Adapter) acquire(ctx context.Context) (*pgx.Conn, error) {
	conn, err := a.pool.acquire(ctx)
	switch {
	case err == nil:
		return conn, nil
	case errors.Is(err, errClosed):
		return nil, err
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	return nil, connectError(a.dsn, err)
}

// Exec runs sql and returns the number of rows it reports (INSERT, UPDATE,
// DELETE, CREATE TABLE AS, ...), 0 for statements that report none. sql
// may hold several statements separated by semicolons; they run in one
// implicit transaction and the count is the last one's.
func (a *Adapter) Exec(ctx context.Context, sql string) (int64, error) {
	conn, err := a.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer a.pool.release(conn)
	tag, err := conn.Exec(ctx, sql)
	if err != nil {
		return 0, dbError(ctx, sql, err)
	}
	return tag.RowsAffected(), nil
}

// ExecTx runs stmts in order in one transaction on one connection and
// commits. Any error rolls the transaction back. It returns the rows
// reported by the last statement that reports a non-zero count, or 0.
func (a *Adapter) ExecTx(ctx context.Context, stmts []string) (int64, error) {
	conn, err := a.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer a.pool.release(conn)
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, dbError(ctx, "", err)
	}
	var affected int64
	for _, stmt := range stmts {
		tag, err := tx.Exec(ctx, stmt)
		if err != nil {
			rollback(ctx, tx)
			return 0, dbError(ctx, stmt, err)
		}
		if n := tag.RowsAffected(); n != 0 {
			affected = n
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, dbError(ctx, "", err)
	}
	return affected, nil
}

// rollback rolls tx back even when ctx has ended, so that the connection
// can be reused; if that fails the pool drops the connection, which rolls
// back on the server.
func rollback(ctx context.Context, tx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = tx.Rollback(ctx)
}

// Query runs a query and returns at most limit rows (all rows when
// limit <= 0); once it has limit rows it cancels the query rather than
// reading the rest. Column types are PostgreSQL's names (format_type:
// "bigint", "numeric(12,2)", "timestamp with time zone"). Values are plain
// Go values: nil, bool, int16/int32/int64, float32/float64, string,
// []byte, time.Time, []any for arrays and map[string]any for JSON objects;
// numeric, uuid, time, interval and other types are rendered as strings.
func (a *Adapter) Query(ctx context.Context, sql string, limit int) (*adapter.Rows, error) {
	values, fields, err := a.queryValues(ctx, sql, limit)
	if err != nil {
		return nil, err
	}
	columns, err := a.columnTypes(ctx, fields)
	if err != nil {
		return nil, err
	}
	return &adapter.Rows{Columns: columns, Values: values}, nil
}

// queryValues runs sql and returns at most limit rows (all when limit <= 0)
// with the result's field descriptions.
func (a *Adapter) queryValues(ctx context.Context, sql string, limit int) ([][]any, []pgconn.FieldDescription, error) {
	conn, err := a.acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer a.pool.release(conn)
	queryCtx, stop := context.WithCancel(ctx)
	defer stop()
	rows, err := conn.Query(queryCtx, sql)
	if err != nil {
		return nil, nil, dbError(ctx, sql, err)
	}
	defer rows.Close()
	// The field descriptions belong to the connection; keep a copy.
	fields := append([]pgconn.FieldDescription(nil), rows.FieldDescriptions()...)
	var out [][]any
	truncated := false
	for rows.Next() {
		if limit > 0 && len(out) == limit {
			// More rows than asked for: stop the query on the server
			// instead of reading them all.
			truncated = true
			stop()
			break
		}
		values, err := rows.Values()
		if err != nil {
			return nil, nil, dbError(ctx, sql, err)
		}
		for i, v := range values {
			values[i] = plainValue(v)
		}
		out = append(out, values)
	}
	rows.Close()
	if err := rows.Err(); err != nil && (!truncated || ctx.Err() != nil) {
		return nil, nil, dbError(ctx, sql, err)
	}
	return out, fields, nil
}

// plainValue converts a value decoded by pgx to a plain Go value.
func plainValue(v any) any {
	switch x := v.(type) {
	case nil, bool, string, []byte, int16, int32, int64, float32, float64, time.Time, map[string]any:
		return v
	case pgtype.Time:
		if !x.Valid {
			return nil
		}
		return formatTime(x.Microseconds)
	case [16]byte:
		return fmt.Sprintf("%x-%x-%x-%x-%x", x[0:4], x[4:6], x[6:8], x[8:10], x[10:16])
	case []any:
		for i := range x {
			x[i] = plainValue(x[i])
		}
		return x
	case driver.Valuer:
		if dv, err := x.Value(); err == nil {
			return plainValue(dv)
		}
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// formatTime renders a time of day given in microseconds since midnight as
// PostgreSQL does: hh:mm:ss with the fraction of a second, if any, without
// trailing zeros.
func formatTime(us int64) string {
	s := fmt.Sprintf("%02d:%02d:%02d", us/3_600_000_000, us/60_000_000%60, us/1_000_000%60)
	if frac := us % 1_000_000; frac != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
	}
	return s
}

// Close closes the adapter's connections. Close is idempotent.
func (a *Adapter) Close() error {
	a.closeOnce.Do(a.pool.close)
	return nil
}
