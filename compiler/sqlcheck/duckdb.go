package sqlcheck

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"
)

// serializeQuery asks DuckDB for the parse tree of a query as JSON; the
// cast of the parameter is required for DuckDB to bind it.
const serializeQuery = "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR"

// serializeDSN configures the database that runs json_serialize_sql. With
// the default storage compatibility (v0.10.2) DuckDB refuses to serialize
// some valid queries, such as a PIVOT ... IN list of expressions.
const serializeDSN = "?threads=1&storage_compatibility_version=latest"

// onlySelectMsg is json_serialize_sql's error for text that parses but
// holds a statement other than SELECT, such as INSERT or a PIVOT whose
// values come from the data (which DuckDB expands into several statements).
const onlySelectMsg = "Only SELECT statements can be serialized to json!"

// DuckDBChecker checks SQL with DuckDB's own parser, on private in-memory
// databases that never hold data. Safe for concurrent use.
//
// Check parses with duckdb_extract_statements (parse only, about 4x cheaper
// than json_serialize_sql) on a pool of one connection per GOMAXPROCS. It
// asks json_serialize_sql, whose errors carry a position, only about text
// that duckdb_extract_statements rejects or cannot be trusted with (see
// bareNonASCII). ParseJSON runs json_serialize_sql through database/sql.
type DuckDBChecker struct {
	// mu is held for reading by every parse and for writing by Close, so
	// that Close waits for parses under way.
	mu     sync.RWMutex
	closed bool

	db    mapping.Database
	conns chan mapping.Connection

	sqlDB     *sql.DB
	serialize *sql.Stmt
}

// NewDuckDB opens a DuckDB checker.
func NewDuckDB() (*DuckDBChecker, error) {
	n := runtime.GOMAXPROCS(0)
	c := &DuckDBChecker{conns: make(chan mapping.Connection, n)}
	if err := c.open(n); err != nil {
		return nil, errors.Join(err, c.Close())
	}
	return c, nil
}

// open opens both databases and n pooled connections.
func (c *DuckDBChecker) open(n int) error {
	var config mapping.Config
	if mapping.CreateConfig(&config) == mapping.StateError {
		return errors.New("sqlcheck: cannot create a DuckDB config")
	}
	defer mapping.DestroyConfig(&config)
	if mapping.SetConfig(config, "threads", "1") == mapping.StateError {
		return errors.New("sqlcheck: cannot configure DuckDB")
	}
	var errMsg string
	if mapping.OpenExt("", &c.db, config, &errMsg) == mapping.StateError {
		return fmt.Errorf("sqlcheck: open in-memory DuckDB: %s", errMsg)
	}
	for range n {
		var conn mapping.Connection
		if mapping.Connect(c.db, &conn) == mapping.StateError {
			mapping.Disconnect(&conn)
			return errors.New("sqlcheck: cannot connect to in-memory DuckDB")
		}
		c.conns <- conn
	}

	connector, err := duckdb.NewConnector(serializeDSN, nil)
	if err != nil {
		return fmt.Errorf("sqlcheck: open in-memory DuckDB: %w", err)
	}
	c.sqlDB = sql.OpenDB(connector)
	c.sqlDB.SetMaxOpenConns(n)
	c.sqlDB.SetMaxIdleConns(n)
	if c.serialize, err = c.sqlDB.Prepare(serializeQuery); err != nil {
		return fmt.Errorf("sqlcheck: prepare json_serialize_sql: %w", err)
	}
	return nil
}

// Check returns nil if sql is a single syntactically valid DuckDB SELECT
// statement, and otherwise the first problem found.
func (c *DuckDBChecker) Check(sql string) *SyntaxError {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.check(sql)
}

// check implements Check; the caller holds c.mu for reading.
func (c *DuckDBChecker) check(sql string) *SyntaxError {
	if serr := checkText(sql); serr != nil {
		return serr
	}
	if c.closed {
		return errorAt(sql, 0, "sqlcheck: the DuckDB checker is closed")
	}
	toks := lex(sql)
	if bareNonASCII(sql, toks) {
		return c.checkStrict(sql, toks, "")
	}
	if ok, msg := c.extract(sql); !ok {
		return c.checkStrict(sql, toks, msg)
	}
	return singleSelect(sql, toks)
}

// extract parses sql on a pooled connection and reports whether DuckDB
// found at least one statement; if not, it returns DuckDB's error message,
// which is empty for empty text but, oddly, also for some rejected text
// (e.g. a lone "é").
func (c *DuckDBChecker) extract(sql string) (bool, string) {
	conn := <-c.conns
	defer func() { c.conns <- conn }()
	var stmts mapping.ExtractedStatements
	defer mapping.DestroyExtracted(&stmts)
	if mapping.ExtractStatements(conn, sql, &stmts) > 0 {
		return true, ""
	}
	return false, mapping.ExtractStatementsError(stmts)
}

// bareNonASCII reports whether a token outside literals, quoted
// identifiers and comments holds a non-ASCII character. A connection's
// parser (duckdb_extract_statements, and so query execution) retries text
// the grammar rejects and then drops such characters where they trail a
// statement: it runs "select 1 é é" as "select 1". Such text is checked
// with json_serialize_sql's parser, which has no such retry.
func bareNonASCII(sql string, toks []token) bool {
	for _, t := range toks {
		if t.kind == tokWord || t.kind == tokPunct {
			for i := t.start; i < t.end; i++ {
				if sql[i] >= utf8.RuneSelf {
					return true
				}
			}
		}
	}
	return false
}

// checkStrict checks sql with json_serialize_sql, whose errors carry a
// position. extractMsg is duckdb_extract_statements' formatted message
// ("Parser Error: ...\n\nLINE n: ..."), if it rejected sql: the fallback
// should json_serialize_sql fail to run.
func (c *DuckDBChecker) checkStrict(sql string, toks []token, extractMsg string) *SyntaxError {
	_, s, err := c.serializeSQL(sql)
	switch {
	case err == nil && s.parsed():
		return singleSelect(sql, toks)
	case err == nil:
		return s.syntaxError(sql)
	case extractMsg == "":
		return errorAt(sql, 0, "DuckDB could not check the SQL text: "+err.Error())
	}
	off, _ := guessOffset(sql, extractMsg)
	return errorAt(sql, off, duckdbMessage(extractMsg))
}

// ParseJSON returns DuckDB's parse tree of sql as JSON (json_serialize_sql's
// output: {"error":false,"statements":[...]}), or the error Check reports.
// A valid query whose tree DuckDB cannot serialize (a PIVOT whose values
// come from the data, which DuckDB expands into several statements) yields
// an error too, pointing at the PIVOT.
func (c *DuckDBChecker) ParseJSON(sql string) (string, *SyntaxError) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if serr := c.check(sql); serr != nil {
		return "", serr
	}
	tree, s, err := c.serializeSQL(sql)
	if err != nil {
		return "", errorAt(sql, 0, "sqlcheck: json_serialize_sql: "+err.Error())
	}
	if s.Error {
		off, _ := guessOffset(sql, s.ErrorMessage)
		return "", errorAt(sql, off, "DuckDB cannot serialize the parse tree of this query: "+s.ErrorMessage)
	}
	return tree, nil
}

// serialized is the head of json_serialize_sql's output.
type serialized struct {
	Error        bool   `json:"error"`
	ErrorType    string `json:"error_type"`
	ErrorMessage string `json:"error_message"`
	// Position is a 0-based offset in characters (code points), as a
	// string; DuckDB omits it for errors raised after the grammar accepted
	// the text (e.g. "SELECT INTO not supported!").
	Position string `json:"position"`
}

// serializeSQL runs json_serialize_sql on sql.
func (c *DuckDBChecker) serializeSQL(sql string) (string, serialized, error) {
	var tree string
	var s serialized
	if err := c.serialize.QueryRow(sql).Scan(&tree); err != nil {
		return "", s, err
	}
	err := json.Unmarshal([]byte(tree), &s)
	return tree, s, err
}

// parsed reports whether json_serialize_sql parsed the text, though it may
// have failed to serialize the parse tree.
func (s serialized) parsed() bool {
	return !s.Error || s.ErrorType == "serialization" || s.ErrorMessage == onlySelectMsg
}

// syntaxError converts a json_serialize_sql error into a SyntaxError.
func (s serialized) syntaxError(sql string) *SyntaxError {
	if pos, err := strconv.Atoi(s.Position); err == nil {
		return parserErrorAt(sql, byteOffset(sql, pos), s.ErrorMessage)
	}
	off, _ := guessOffset(sql, s.ErrorMessage)
	return errorAt(sql, off, s.ErrorMessage)
}

// duckdbMessage strips a formatted DuckDB error down to its message: the
// first line without its "Parser Error: " (or similar) prefix.
func duckdbMessage(msg string) string {
	first, _, _ := strings.Cut(msg, "\n")
	if kind, rest, ok := strings.Cut(first, ": "); ok && strings.HasSuffix(kind, " Error") {
		return rest
	}
	return first
}

// Close releases the checker's databases and connections, after any check
// under way has finished.
func (c *DuckDBChecker) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	if c.serialize != nil {
		errs = append(errs, c.serialize.Close())
	}
	if c.sqlDB != nil {
		errs = append(errs, c.sqlDB.Close())
	}
	for len(c.conns) > 0 {
		conn := <-c.conns
		mapping.Disconnect(&conn)
	}
	mapping.Close(&c.db)
	return errors.Join(errs...)
}
