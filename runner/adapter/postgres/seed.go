package postgres

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"martlet/runner/adapter"
	"martlet/runner/adapter/duckdb"
)

// LoadSeed replaces the table rel with the rows of the CSV file at csvPath
// and returns the number of rows loaded. rel's schema is created if
// missing.
//
// The file is read by DuckDB's CSV reader exactly as the DuckDB adapter
// reads it (same dialect, types detected from every row, an empty or
// quoted-empty field is NULL), so a seed gets the same columns and values
// on both adapters, and a malformed file yields the same
// *adapter.SeedError naming the line. DuckDB's types become PostgreSQL
// types (see postgresType); columnTypes gives PostgreSQL types for named
// columns, used as-is, their values parsed by PostgreSQL (a value they
// reject is a SeedError too). The rows reach the server through COPY.
//
// The load is one transaction, so a failed load leaves the previous table
// untouched. When the previous table has the very same columns and types
// it is truncated and refilled, which keeps the views built on it (as dbt
// does); otherwise the rows go into a new table that replaces it, dropping
// dependent views (CASCADE) as a rebuilt model does.
func (a *Adapter) LoadSeed(ctx context.Context, rel adapter.Relation, csvPath string, columnTypes map[string]string) (int64, error) {
	dir, err := os.MkdirTemp("", "martlet-seed-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	rowsPath := filepath.Join(dir, "rows.csv")
	columns, err := normalizeCSV(ctx, csvPath, rowsPath, columnTypes)
	if err != nil {
		return 0, err
	}
	if err := a.ensureSchema(ctx, rel.Schema); err != nil {
		return 0, err
	}
	conn, err := a.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer a.pool.release(conn)
	rows, err := replaceTable(ctx, conn, rel, columns, rowsPath)
	if err != nil {
		return 0, copyError(ctx, csvPath, err)
	}
	return rows, nil
}

// normalizeCSV reads the seed at csvPath with DuckDB and writes its rows to
// outPath as CSV that PostgreSQL's COPY reads: no header, ISO dates and
// timestamps, every non-NULL value quoted, NULL as an empty unquoted field.
// It returns the columns with their PostgreSQL types. Columns named in
// columnTypes are read as text and typed by PostgreSQL.
func normalizeCSV(ctx context.Context, csvPath, outPath string, columnTypes map[string]string) ([]adapter.Column, error) {
	duck, err := duckdb.Open(":memory:", 1)
	if err != nil {
		return nil, err
	}
	defer duck.Close()
	asText := make(map[string]string, len(columnTypes))
	for name := range columnTypes {
		asText[name] = "VARCHAR"
	}
	seed := adapter.Relation{Schema: "main", Name: "seed"}
	if _, err := duck.LoadSeed(ctx, seed, csvPath, asText); err != nil {
		return nil, err
	}
	columns, err := duck.Columns(ctx, seed)
	if err != nil {
		return nil, err
	}
	for i, c := range columns {
		columns[i].Type = postgresType(c.Type)
		if t, ok := lookUpFold(columnTypes, c.Name); ok {
			columns[i].Type = t
		}
	}
	export := fmt.Sprintf("COPY %s TO %s (FORMAT csv, HEADER false, FORCE_QUOTE *)", seed, adapter.QuoteString(outPath))
	if _, err := duck.Exec(ctx, export); err != nil {
		return nil, err
	}
	return columns, nil
}

// lookUpFold returns m's value for name, matched exactly or else
// case-insensitively, as DuckDB matches read_csv's types to columns.
func lookUpFold(m map[string]string, name string) (string, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

var duckdbDecimal = regexp.MustCompile(`^DECIMAL\((\d+),\s*(\d+)\)$`)

// postgresType returns the PostgreSQL type for a column type that DuckDB's
// CSV reader detects. Any other type becomes text, which takes DuckDB's
// rendering of every value.
func postgresType(duckType string) string {
	switch duckType {
	case "BOOLEAN":
		return "boolean"
	case "INTEGER":
		return "integer"
	case "BIGINT":
		return "bigint"
	case "DOUBLE":
		return "double precision"
	case "DATE":
		return "date"
	case "TIME":
		return "time"
	case "TIMESTAMP":
		return "timestamp"
	case "TIMESTAMP WITH TIME ZONE":
		return "timestamptz"
	}
	if m := duckdbDecimal.FindStringSubmatch(duckType); m != nil {
		return "numeric(" + m[1] + "," + m[2] + ")"
	}
	return "text"
}

// ensureSchema creates schema unless it exists. The existence check comes
// first because CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on
// the database even when the schema exists.
func (a *Adapter) ensureSchema(ctx context.Context, schema string) error {
	a.schemaMu.Lock()
	defer a.schemaMu.Unlock()
	conn, err := a.acquire(ctx)
	if err != nil {
		return err
	}
	defer a.pool.release(conn)
	const exists = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)"
	var found bool
	if err := conn.QueryRow(ctx, exists, schema).Scan(&found); err != nil {
		return dbError(ctx, exists, err)
	}
	if found {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+adapter.QuoteIdent(schema))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P06" || pgErr.Code == "23505") {
		// Another session created it since the check.
		return nil
	}
	if err != nil {
		return dbError(ctx, "", err)
	}
	return nil
}

// seedSuffix names the table a seed is loaded into before it replaces the
// previous one.
const seedSuffix = "__martlet_seed"

// replaceTable loads the CSV rows at rowsPath into rel, created with
// columns, in one transaction on conn, and returns the rows loaded.
func replaceTable(ctx context.Context, conn *pgx.Conn, rel adapter.Relation, columns []adapter.Column, rowsPath string) (int64, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, err
	}
	rows, err := fillTable(ctx, tx, rel, columns, rowsPath)
	if err != nil {
		rollback(ctx, tx)
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	return rows, nil
}

// fillTable does replaceTable's work inside tx.
func fillTable(ctx context.Context, tx pgx.Tx, rel adapter.Relation, columns []adapter.Column, rowsPath string) (int64, error) {
	staged := adapter.Relation{Schema: rel.Schema, Name: identWithSuffix(rel.Name, seedSuffix)}
	defs := make([]string, len(columns))
	for i, c := range columns {
		defs[i] = adapter.QuoteIdent(c.Name) + " " + c.Type
	}
	err := execAll(ctx, tx,
		"DROP TABLE IF EXISTS "+staged.String(),
		"CREATE TABLE "+staged.String()+" ("+strings.Join(defs, ", ")+")")
	if err != nil {
		return 0, err
	}
	existing, err := relationKind(ctx, tx, rel)
	if err != nil {
		return 0, err
	}
	if existing == adapter.KindTable {
		same, err := sameColumns(ctx, tx, rel, staged)
		if err != nil {
			return 0, err
		}
		if same {
			// Refill the table in place, keeping the views built on it.
			if err := execAll(ctx, tx, "DROP TABLE "+staged.String(), "TRUNCATE "+rel.String()); err != nil {
				return 0, err
			}
			return copyRows(ctx, tx, rel, rowsPath)
		}
	}
	rows, err := copyRows(ctx, tx, staged, rowsPath)
	if err != nil {
		return 0, err
	}
	var swap []string
	switch existing {
	case adapter.KindTable:
		swap = append(swap, "DROP TABLE "+rel.String()+" CASCADE")
	case adapter.KindView:
		swap = append(swap, "DROP VIEW "+rel.String()+" CASCADE")
	}
	swap = append(swap, "ALTER TABLE "+staged.String()+" RENAME TO "+adapter.QuoteIdent(rel.Name))
	return rows, execAll(ctx, tx, swap...)
}

// execAll runs stmts in order in tx, stopping at the first error.
func execAll(ctx context.Context, tx pgx.Tx, stmts ...string) error {
	for _, stmt := range stmts {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// copyRows streams the CSV file at rowsPath into rel with COPY and returns
// the rows copied.
func copyRows(ctx context.Context, tx pgx.Tx, rel adapter.Relation, rowsPath string) (int64, error) {
	f, err := os.Open(rowsPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, f, "COPY "+rel.String()+" FROM STDIN WITH (FORMAT csv)")
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// sameColumns reports whether relations a and b have the same column names
// and types, in the same order.
func sameColumns(ctx context.Context, q querier, a, b adapter.Relation) (bool, error) {
	colsA, err := columnsOf(ctx, q, a)
	if err != nil {
		return false, err
	}
	colsB, err := columnsOf(ctx, q, b)
	if err != nil {
		return false, err
	}
	return slices.Equal(colsA, colsB), nil
}

// identWithSuffix returns name+suffix, cutting name (at a UTF-8 boundary)
// so that the result fits PostgreSQL's 63-byte identifier limit.
func identWithSuffix(name, suffix string) string {
	const maxIdent = 63
	for len(name)+len(suffix) > maxIdent {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name + suffix
}

// copyWhere reads the line and column out of the context of a COPY error:
// `COPY t, line 3, column amount: "abc"`.
var copyWhere = regexp.MustCompile(`^COPY .*?, line (\d+)(?:, column (.+?))?(?:: .*)?$`)

// copyError turns an error of a seed's COPY about a value into an
// *adapter.SeedError naming the line of csvPath; other errors become one
// line as from any statement.
func copyError(ctx context.Context, csvPath string, err error) error {
	var pgErr *pgconn.PgError
	if ctx.Err() != nil || !errors.As(err, &pgErr) {
		return dbError(ctx, "", err)
	}
	m := copyWhere.FindStringSubmatch(pgErr.Where)
	if m == nil {
		return dbError(ctx, "", err)
	}
	record, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return dbError(ctx, "", err)
	}
	msg := pgErr.Message
	if m[2] != "" {
		msg = fmt.Sprintf("column %q: %s", m[2], msg)
	}
	// COPY counts the records of the normalized file, which has no
	// header: record n is the file's record n+1.
	return &adapter.SeedError{Path: csvPath, Line: recordLine(csvPath, record+1), Msg: msg}
}

// recordLine returns the line on which the n-th record (1-based, the
// header being the first) of the CSV file at path starts; n when the file
// cannot be read that far. Quoted fields may span lines.
func recordLine(path string, n int) int {
	f, err := os.Open(path)
	if err != nil {
		return n
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for i := 1; i <= n; i++ {
		if _, err := r.Read(); err != nil {
			return n
		}
	}
	line, _ := r.FieldPos(0)
	return line
}
