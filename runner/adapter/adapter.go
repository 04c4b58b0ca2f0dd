// Package adapter defines the interface through which the runner executes SQL
// on a target database, together with the value types shared by every
// adapter implementation (relations, columns, result rows).
package adapter

import (
	"context"
	"strings"
)

// Relation is a schema-qualified relation name.
type Relation struct {
	Schema, Name string
}

// String renders the relation as `"schema"."name"`, each identifier
// double-quoted with embedded double quotes doubled.
func (r Relation) String() string {
	return QuoteIdent(r.Schema) + "." + QuoteIdent(r.Name)
}

// QuoteIdent double-quotes a SQL identifier, doubling embedded double quotes.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString renders s as a single-quoted SQL string literal, doubling
// embedded single quotes.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// RelationKind is what a relation is in the database.
type RelationKind int

// Relation kinds.
const (
	// KindNone means no relation exists under the name.
	KindNone RelationKind = iota
	// KindTable is a base table.
	KindTable
	// KindView is a view.
	KindView
)

// String returns "none", "table" or "view".
func (k RelationKind) String() string {
	switch k {
	case KindTable:
		return "table"
	case KindView:
		return "view"
	default:
		return "none"
	}
}

// Column is a column name with its database type name.
type Column struct {
	Name, Type string
}

// Rows is a fully materialized query result. Values are Go values of the
// driver, except exact decimals, which both adapters give as their text
// with every digit of their scale ("3.00").
type Rows struct {
	Columns []Column
	Values  [][]any
}

// Adapter executes SQL on one target database. It is safe for concurrent use
// by `threads` goroutines.
type Adapter interface {
	// Type returns the adapter type: "duckdb" or "postgres".
	Type() string
	// Exec runs one statement and returns the rows affected when the
	// database reports it, else 0.
	Exec(ctx context.Context, sql string) (int64, error)
	// ExecTx runs all statements in one transaction on one connection. The
	// transaction is rolled back on any error. It returns the rows affected
	// of the last statement that reports a non-zero count (0 if none does).
	ExecTx(ctx context.Context, stmts []string) (int64, error)
	// Query runs a query and returns at most limit rows; limit <= 0 returns
	// all rows.
	Query(ctx context.Context, sql string, limit int) (*Rows, error)
	// Relations lists, with one catalog query, all tables and views in the
	// given schemas.
	Relations(ctx context.Context, schemas []string) (map[Relation]RelationKind, error)
	// Columns returns the columns of rel in ordinal order.
	Columns(ctx context.Context, rel Relation) ([]Column, error)
	// LoadSeed replaces the table rel atomically with the contents of the
	// CSV file at csvPath (header row required), creating rel's schema if
	// missing. columnTypes overrides the detected type of named columns.
	// It returns the number of rows loaded.
	LoadSeed(ctx context.Context, rel Relation, csvPath string, columnTypes map[string]string) (int64, error)
	// Close releases the adapter's resources.
	Close() error
}
