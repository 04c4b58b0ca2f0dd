package sqlcheck

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// checkPosition fails t unless e is nil or points into sql: a line of the
// text and a column from 1 to just past the line's last character.
func checkPosition(t *testing.T, sql string, e *SyntaxError) {
	t.Helper()
	if e == nil {
		return
	}
	lines := strings.Split(sql, "\n")
	if e.Line < 1 || e.Line > len(lines) {
		t.Fatalf("Check(%q) = %v: line outside 1..%d", sql, e, len(lines))
	}
	if n := utf8.RuneCountInString(lines[e.Line-1]); e.Col < 1 || e.Col > n+1 {
		t.Fatalf("Check(%q) = %v: column outside 1..%d", sql, e, n+1)
	}
	if e.Msg == "" {
		t.Fatalf("Check(%q) = %v: empty message", sql, e)
	}
}

func FuzzCheckPostgres(f *testing.F) {
	f.Add(benchQuery)
	f.Fuzz(func(t *testing.T, sql string) {
		e := PostgresChecker{}.Check(sql)
		checkPosition(t, sql, e)
		if e2 := (PostgresChecker{}).Check(sql); (e == nil) != (e2 == nil) || e != nil && *e != *e2 {
			t.Fatalf("Check(%q) not deterministic: %v, then %v", sql, e, e2)
		}
	})
}

func FuzzCheckDuckDB(f *testing.F) {
	c := newDuckDB(f)
	f.Add(benchQuery)
	f.Fuzz(func(t *testing.T, sql string) {
		ce := c.Check(sql)
		checkPosition(t, sql, ce)
		tree, pe := c.ParseJSON(sql)
		checkPosition(t, sql, pe)
		switch {
		case (tree == "") == (pe == nil):
			t.Fatalf("ParseJSON(%q) = %.40q, %v: want exactly one of a tree and an error", sql, tree, pe)
		case ce != nil && (pe == nil || *ce != *pe):
			t.Fatalf("Check(%q) = %v but ParseJSON gives %v", sql, ce, pe)
		case ce == nil && pe != nil && !strings.Contains(pe.Msg, "cannot serialize"):
			t.Fatalf("Check(%q) = nil but ParseJSON gives %v", sql, pe)
		}
		if checkText(sql) != nil || bareNonASCII(sql, lex(sql)) {
			return
		}
		// For text without bare non-ASCII characters, Check trusts
		// duckdb_extract_statements to accept exactly what
		// json_serialize_sql parses; only in text without statements does
		// it find none.
		ok, _ := c.extract(sql)
		_, s, err := c.serializeSQL(sql)
		if err != nil {
			t.Fatalf("json_serialize_sql(%q): %v", sql, err)
		}
		if ok != s.parsed() && (ok || len(splitStatements(sql, lex(sql))) > 0) {
			t.Fatalf("%q: duckdb_extract_statements accepts: %v, json_serialize_sql: %+v", sql, ok, s)
		}
	})
}
