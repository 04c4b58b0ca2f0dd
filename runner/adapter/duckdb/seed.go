package duckdb

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"martlet/runner/adapter"
)

// csvDialect pins the CSV dialect of seeds (RFC 4180: comma, double quote
// doubled to escape) and DuckDB's strict parsing. Left to auto-detection,
// DuckDB reads a ragged file as one VARCHAR column instead of failing, or
// skips the leading rows and takes a ragged last row for the header.
const csvDialect = `header = true, skip = 0, delim = ',', quote = '"', escape = '"', strict_mode = true`

// LoadSeed replaces the table rel with the rows of the CSV file at csvPath,
// read by DuckDB's CSV reader in one CREATE OR REPLACE TABLE ... AS
// statement, so the previous table survives a failed load. rel's schema is
// created if missing. Column names come from the header as-is; column types
// are detected from every row of the file, and columnTypes (column name to
// DuckDB type) overrides them. It returns the number of rows loaded.
//
// A file whose content cannot be loaded (ragged row, unterminated quote,
// value not matching its type) yields an *adapter.SeedError naming the line.
func (a *Adapter) LoadSeed(ctx context.Context, rel adapter.Relation, csvPath string, columnTypes map[string]string) (int64, error) {
	info, err := os.Stat(csvPath)
	if err != nil {
		return 0, err
	}
	if info.Size() == 0 {
		return 0, &adapter.SeedError{Path: csvPath, Line: 1, Msg: "empty file: a header row is required"}
	}
	if err := a.createSchema(ctx, rel.Schema); err != nil {
		return 0, err
	}
	load := fmt.Sprintf("CREATE OR REPLACE TABLE %s AS SELECT * FROM read_csv(%s, %s, sample_size = -1%s)",
		rel, adapter.QuoteString(csvPath), csvDialect, typesOption(columnTypes))
	if _, err := a.Exec(ctx, load); err != nil {
		if ctx.Err() != nil {
			return 0, err
		}
		return 0, a.seedError(ctx, csvPath, err)
	}
	// CREATE TABLE AS reports no row count in DuckDB; counting a table is a
	// metadata lookup.
	var count int64
	if err := a.db.QueryRowContext(ctx, "SELECT count(*) FROM "+rel.String()).Scan(&count); err != nil {
		return 0, dbError(ctx, err)
	}
	return count, nil
}

// createSchema creates schema if it does not exist, one creation at a time.
func (a *Adapter) createSchema(ctx context.Context, schema string) error {
	a.schemaMu.Lock()
	defer a.schemaMu.Unlock()
	_, err := a.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+adapter.QuoteIdent(schema))
	return err
}

// typesOption renders columnTypes as read_csv's `, types = {...}` argument,
// or "" when there are none.
func typesOption(columnTypes map[string]string) string {
	if len(columnTypes) == 0 {
		return ""
	}
	names := make([]string, 0, len(columnTypes))
	for name := range columnTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	entries := make([]string, len(names))
	for i, name := range names {
		entries[i] = adapter.QuoteString(name) + ": " + adapter.QuoteString(columnTypes[name])
	}
	return ", types = {" + strings.Join(entries, ", ") + "}"
}

var (
	csvErrorLine   = regexp.MustCompile(`CSV Error on Line: (\d+)`)
	missingColumns = regexp.MustCompile(`COLUMN_TYPES error: Columns with names: (.*) do not exist in the CSV File`)
)

// seedError turns DuckDB's error for loading csvPath into an
// *adapter.SeedError when it is about the file's content, else returns
// loadErr unchanged.
func (a *Adapter) seedError(ctx context.Context, csvPath string, loadErr error) error {
	text := loadErr.Error()
	if line, msg, ok := parseCSVError(text); ok {
		return &adapter.SeedError{Path: csvPath, Line: line, Msg: msg}
	}
	if m := missingColumns.FindStringSubmatch(text); m != nil {
		// DuckDB's sniffer also says this when a malformed row made it
		// misread the header: name that row if there is one.
		var rowErr *adapter.SeedError
		if errors.As(a.locateMalformedRow(ctx, csvPath, loadErr), &rowErr) && rowErr.Line > 1 {
			return rowErr
		}
		return &adapter.SeedError{Path: csvPath, Line: 1, Msg: "column_types names columns missing from the header: " + m[1]}
	}
	if strings.Contains(text, "Error when sniffing file") {
		return a.locateMalformedRow(ctx, csvPath, loadErr)
	}
	return loadErr
}

// locateMalformedRow finds the first malformed row of csvPath after DuckDB's
// dialect sniffer rejected the file without naming a line (it does so when
// the bad row lies within the rows it samples). It reads the file again with
// detection off and every column VARCHAR, so that the reader itself reports
// the row.
func (a *Adapter) locateMalformedRow(ctx context.Context, csvPath string, sniffErr error) error {
	fields, err := headerFieldCount(csvPath)
	if err != nil {
		return err
	}
	columns := make([]string, fields)
	for i := range columns {
		columns[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i+1)
	}
	scan := fmt.Sprintf("SELECT count(*) FROM read_csv(%s, %s, auto_detect = false, columns = {%s})",
		adapter.QuoteString(csvPath), csvDialect, strings.Join(columns, ", "))
	_, err = a.Query(ctx, scan, 0)
	if err == nil {
		return &adapter.SeedError{Path: csvPath, Msg: "cannot parse as CSV: " + firstLine(sniffErr.Error())}
	}
	if line, msg, ok := parseCSVError(err.Error()); ok {
		return &adapter.SeedError{Path: csvPath, Line: line, Msg: msg}
	}
	return sniffErr
}

// headerFieldCount returns the number of fields of the first record of
// csvPath, or a *adapter.SeedError if that record is malformed.
func headerFieldCount(csvPath string) (int, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	var parseErr *csv.ParseError
	switch {
	case errors.As(err, &parseErr):
		return 0, &adapter.SeedError{Path: csvPath, Line: parseErr.StartLine, Msg: "header: " + parseErr.Err.Error()}
	case errors.Is(err, io.EOF):
		return 0, &adapter.SeedError{Path: csvPath, Line: 1, Msg: "empty file: a header row is required"}
	case err != nil:
		return 0, err
	}
	return len(header), nil
}

var (
	fieldCountProblem = regexp.MustCompile(`^Expected Number of Columns: (\d+) Found: (\d+)`)
	conversionProblem = regexp.MustCompile(`^Error when converting column "(.*)"\. (.+)$`)
	otherProblems     = regexp.MustCompile(`^(Value with unterminated quote found|Maximum line size|Invalid unicode)`)
)

// parseCSVError extracts the line and a one-line description from DuckDB's
// CSV reader error text, which reads
//
//	CSV Error on Line: 4
//	Original Line: 5,6,7
//	Expected Number of Columns: 2 Found: 3
//	Possible fixes: ...
//
// ok is false when text is not such an error.
func parseCSVError(text string) (line int, msg string, ok bool) {
	m := csvErrorLine.FindStringSubmatch(text)
	if m == nil {
		return 0, "", false
	}
	line, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, "", false
	}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if p := fieldCountProblem.FindStringSubmatch(l); p != nil {
			return line, fmt.Sprintf("expected %s fields, found %s", p[1], p[2]), true
		}
		if p := conversionProblem.FindStringSubmatch(l); p != nil {
			return line, fmt.Sprintf("column %q: %s", p[1], lowerFirst(p[2])), true
		}
		if otherProblems.MatchString(l) {
			return line, lowerFirst(strings.TrimSuffix(l, ".")), true
		}
	}
	return line, firstLine(text), true
}

// firstLine returns text up to its first newline.
func firstLine(text string) string {
	first, _, _ := strings.Cut(text, "\n")
	return first
}

// lowerFirst lower-cases the first letter of a sentence from DuckDB so that
// it reads as the tail of our message.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
