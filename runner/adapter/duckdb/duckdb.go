// Package duckdb implements adapter.Adapter on an embedded DuckDB database
// (github.com/duckdb/duckdb-go/v2): one shared connection pool per database
// file and process, SQL execution with context cancellation, catalog
// introspection, and seed loading through DuckDB's own CSV reader.
package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"martlet/runner/adapter"
)

// Adapter executes SQL on one DuckDB database. It is safe for concurrent use;
// at most `threads` connections (as given to Open) are open at once.
type Adapter struct {
	db        *sql.DB
	release   func() error
	closeOnce sync.Once
	closeErr  error
	// schemaMu serializes the adapter's own CREATE SCHEMA statements on
	// the database: concurrent creations of one schema fail in DuckDB
	// with a write-write conflict.
	schemaMu *sync.Mutex
}

var _ adapter.Adapter = (*Adapter)(nil)

// Type returns "duckdb".
func (a *Adapter) Type() string { return "duckdb" }

// Exec runs one statement and returns the number of rows it changed (0 for
// statements that change none, such as DDL).
func (a *Adapter) Exec(ctx context.Context, sql string) (int64, error) {
	res, err := a.db.ExecContext(ctx, sql)
	if err != nil {
		return 0, dbError(ctx, err)
	}
	return rowsAffected(res), nil
}

// ExecTx runs stmts in order in one transaction on one connection and commits.
// Any error rolls the transaction back. It returns the rows changed by the
// last statement that reports a non-zero count, or 0 if none does.
func (a *Adapter) ExecTx(ctx context.Context, stmts []string) (int64, error) {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, dbError(ctx, err)
	}
	var affected int64
	for _, stmt := range stmts {
		res, err := tx.ExecContext(ctx, stmt)
		if err != nil {
			// The statement error is what the caller needs; a failed
			// rollback cannot leave partial work behind since nothing
			// was committed.
			_ = tx.Rollback()
			return 0, dbError(ctx, err)
		}
		if n := rowsAffected(res); n != 0 {
			affected = n
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, dbError(ctx, err)
	}
	return affected, nil
}

// Query runs a query and returns at most limit rows (all rows when
// limit <= 0). Values are the driver's Go values (int64, string,
// time.Time, ...), nil for NULL.
func (a *Adapter) Query(ctx context.Context, sql string, limit int) (*adapter.Rows, error) {
	rows, err := a.db.QueryContext(ctx, sql)
	if err != nil {
		return nil, dbError(ctx, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, dbError(ctx, err)
	}
	out := &adapter.Rows{Columns: make([]adapter.Column, len(types))}
	for i, t := range types {
		out.Columns[i] = adapter.Column{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	for (limit <= 0 || len(out.Values) < limit) && rows.Next() {
		values := make([]any, len(types))
		dest := make([]any, len(types))
		for i := range values {
			dest[i] = &values[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, dbError(ctx, err)
		}
		for i, v := range values {
			if d, ok := v.(duckdbdriver.Decimal); ok {
				values[i] = decimalText(d)
			}
		}
		out.Values = append(out.Values, values)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(ctx, err)
	}
	return out, nil
}

// decimalText writes a DECIMAL exactly, with all its scale's digits
// ("3.00"), as PostgreSQL writes numeric values.
func decimalText(d duckdbdriver.Decimal) string {
	if d.Value == nil {
		return "0"
	}
	digits := new(big.Int).Abs(d.Value).String()
	sign := ""
	if d.Value.Sign() < 0 {
		sign = "-"
	}
	scale := int(d.Scale)
	if scale == 0 {
		return sign + digits
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
}

// Relations returns every table and view of the database in the given
// schemas, read with one information_schema query. Temporary tables are
// not included.
func (a *Adapter) Relations(ctx context.Context, schemas []string) (map[adapter.Relation]adapter.RelationKind, error) {
	out := make(map[adapter.Relation]adapter.RelationKind)
	if len(schemas) == 0 {
		return out, nil
	}
	quoted := make([]string, len(schemas))
	for i, s := range schemas {
		quoted[i] = adapter.QuoteString(s)
	}
	query := `SELECT table_schema, table_name, table_type FROM information_schema.tables
WHERE table_catalog = current_database() AND table_schema IN (` + strings.Join(quoted, ", ") + `)`
	rows, err := a.db.QueryContext(ctx, query)
	if err != nil {
		return nil, dbError(ctx, err)
	}
	defer rows.Close()
	for rows.Next() {
		var rel adapter.Relation
		var tableType string
		if err := rows.Scan(&rel.Schema, &rel.Name, &tableType); err != nil {
			return nil, dbError(ctx, err)
		}
		switch tableType {
		case "BASE TABLE":
			out[rel] = adapter.KindTable
		case "VIEW":
			out[rel] = adapter.KindView
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(ctx, err)
	}
	return out, nil
}

// Columns returns the columns of rel in ordinal order; none if rel does not
// exist.
func (a *Adapter) Columns(ctx context.Context, rel adapter.Relation) ([]adapter.Column, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?
ORDER BY ordinal_position`, rel.Schema, rel.Name)
	if err != nil {
		return nil, dbError(ctx, err)
	}
	defer rows.Close()
	var cols []adapter.Column
	for rows.Next() {
		var c adapter.Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, dbError(ctx, err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(ctx, err)
	}
	return cols, nil
}

// Close releases this adapter's hold on the database; the database itself
// is closed when its last adapter closes. Close is idempotent.
func (a *Adapter) Close() error {
	a.closeOnce.Do(func() { a.closeErr = a.release() })
	return a.closeErr
}

// rowsAffected returns the count a statement reports, 0 when it reports none.
func rowsAffected(res sql.Result) int64 {
	n, err := res.RowsAffected()
	if err != nil {
		return 0
	}
	return n
}

// dbError returns err, the database's own error, marked as a context error
// when ctx was cancelled or timed out so that callers can test it with
// errors.Is(err, context.Canceled).
func dbError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w: %w", ctxErr, err)
	}
	return err
}
