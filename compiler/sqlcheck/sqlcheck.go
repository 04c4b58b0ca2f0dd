// Package sqlcheck owns compile-time SQL syntax checking: it tells whether
// the rendered SQL of a model or singular test is one syntactically valid
// SELECT statement in the grammar of the target, and where it is not, at
// which line and column of that text. It never touches the target
// database: DuckDB SQL is checked by DuckDB's own parser on a private
// in-memory database, PostgreSQL SQL by pg_query (PostgreSQL's parser as a
// library). It also exposes both parsers' parse trees as JSON.
package sqlcheck

import "fmt"

// Dialect names the SQL grammar a target speaks.
type Dialect string

// The dialects of the supported targets; the values are the target types of
// martlet.yml.
const (
	DialectDuckDB   Dialect = "duckdb"
	DialectPostgres Dialect = "postgres"
)

// SyntaxError is a syntax error at a 1-based line and column of the checked
// SQL text. The column counts runes (code points), not bytes; a position
// just past the last character of a line denotes the end of that line.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error formats the error as "line:col: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// Checker checks SQL text. Safe for concurrent use (the compiler checks
// models on all cores).
type Checker interface {
	// Check returns nil if sql is a single syntactically valid SELECT
	// statement (a trailing semicolon and comments allowed), and otherwise
	// the first problem found.
	Check(sql string) *SyntaxError
	// Close releases the checker's resources. Check must not be called
	// after Close.
	Close() error
}

// New returns a Checker for dialect d.
func New(d Dialect) (Checker, error) {
	switch d {
	case DialectDuckDB:
		c, err := NewDuckDB()
		if err != nil {
			return nil, err
		}
		return c, nil
	case DialectPostgres:
		return PostgresChecker{}, nil
	default:
		return nil, fmt.Errorf("sqlcheck: unknown SQL dialect %q (want %q or %q)", d, DialectDuckDB, DialectPostgres)
	}
}
