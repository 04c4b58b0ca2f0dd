package sqlcheck

import (
	"fmt"
	"strings"
)

// SingleSelectMsg starts the message of the error for SQL text that parses
// but is not exactly one query: several statements, none, or a statement
// that is not a SELECT.
const SingleSelectMsg = "a model must be a single SELECT statement"

// queryStarts are the words a query may begin with after its opening
// parentheses and WITH clause: the forms DuckDB and PostgreSQL accept in
// CREATE TABLE ... AS and CREATE VIEW ... AS.
var queryStarts = map[string]bool{
	"select":       true,
	"from":         true,
	"values":       true,
	"table":        true,
	"pivot":        true,
	"pivot_wider":  true,
	"unpivot":      true,
	"pivot_longer": true,
}

// singleSelect returns nil when sql, which a parser has accepted and whose
// tokens are toks, is exactly one query, and otherwise an error pointing at
// the start of the second statement, or at the keyword of a statement that
// is not a query.
func singleSelect(sql string, toks []token) *SyntaxError {
	stmts := splitStatements(sql, toks)
	switch len(stmts) {
	case 0:
		return errorAt(sql, 0, SingleSelectMsg+", found no statement")
	case 1:
	default:
		return errorAt(sql, stmts[1][0].start,
			fmt.Sprintf("%s, found %d statements", SingleSelectMsg, len(stmts)))
	}
	toks = stmts[0]
	i := skipOpenParens(sql, toks, 0)
	if i < len(toks) && isWord(sql, toks[i], "with") {
		i = skipOpenParens(sql, toks, afterWith(sql, toks, i+1))
	}
	if i >= len(toks) {
		return errorAt(sql, toks[0].start, SingleSelectMsg+", found no query")
	}
	t := toks[i]
	text := sql[t.start:t.end]
	if t.kind == tokWord && queryStarts[strings.ToLower(text)] {
		return nil
	}
	found := fmt.Sprintf("%q", text)
	if t.kind == tokWord {
		found = strings.ToUpper(text)
	}
	return errorAt(sql, t.start, SingleSelectMsg+", found "+found)
}

// splitStatements splits tokens at semicolons into the non-empty statements.
func splitStatements(sql string, toks []token) [][]token {
	var stmts [][]token
	start := 0
	for i, t := range toks {
		if isPunct(sql, t, ';') {
			if i > start {
				stmts = append(stmts, toks[start:i])
			}
			start = i + 1
		}
	}
	if start < len(toks) {
		stmts = append(stmts, toks[start:])
	}
	return stmts
}

// afterWith returns the index of the first token after the WITH clause
// whose common table expressions start at token i:
// [RECURSIVE] name [(columns)] [USING KEY (...)] AS [NOT] [MATERIALIZED] (query) [, ...].
func afterWith(sql string, toks []token, i int) int {
	if i < len(toks) && isWord(sql, toks[i], "recursive") {
		i++
	}
	for i < len(toks) {
		for i < len(toks) && !isWord(sql, toks[i], "as") {
			i = skipToken(sql, toks, i)
		}
		i++
		for i < len(toks) && (isWord(sql, toks[i], "not") || isWord(sql, toks[i], "materialized")) {
			i++
		}
		i = skipToken(sql, toks, i)
		if i >= len(toks) || !isPunct(sql, toks[i], ',') {
			return i
		}
		i++
	}
	return i
}

// skipOpenParens returns the index of the first token from i that is not "(".
func skipOpenParens(sql string, toks []token, i int) int {
	for i < len(toks) && isPunct(sql, toks[i], '(') {
		i++
	}
	return i
}

// skipToken returns the index after token i, or after the parenthesised
// group that token i opens.
func skipToken(sql string, toks []token, i int) int {
	if i >= len(toks) || !isPunct(sql, toks[i], '(') {
		return i + 1
	}
	depth := 0
	for ; i < len(toks); i++ {
		switch {
		case isPunct(sql, toks[i], '('):
			depth++
		case isPunct(sql, toks[i], ')'):
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return i
}

// isWord reports whether t is the word w, in any case.
func isWord(sql string, t token, w string) bool {
	return t.kind == tokWord && strings.EqualFold(sql[t.start:t.end], w)
}

// isPunct reports whether t is the punctuation c.
func isPunct(sql string, t token, c byte) bool {
	return t.kind == tokPunct && sql[t.start] == c
}
