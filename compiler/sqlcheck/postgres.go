package sqlcheck

import (
	"errors"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// PostgresChecker checks SQL with pg_query, PostgreSQL's own parser built as
// a library. It holds no resources; the zero value is ready to use and safe
// for concurrent use.
type PostgresChecker struct{}

// Check returns nil if sql is a single syntactically valid PostgreSQL
// SELECT statement, and otherwise the first problem found.
func (PostgresChecker) Check(sql string) *SyntaxError {
	_, serr := PostgresParseJSON(sql)
	return serr
}

// Close does nothing: a PostgresChecker holds no resources.
func (PostgresChecker) Close() error { return nil }

// PostgresParseJSON parses sql with pg_query and returns its parse tree as
// JSON (pg_query's ParseToJSON output: {"version":...,"stmts":[...]}),
// or the syntax error if sql is not a single valid SELECT statement.
func PostgresParseJSON(sql string) (string, *SyntaxError) {
	if serr := checkText(sql); serr != nil {
		return "", serr
	}
	toks := lex(sql)
	if off, ok := tooDeep(sql, toks); ok {
		return "", errorAt(sql, off, fmt.Sprintf(
			"expression too long for the PostgreSQL parser: more than %d tokens without a comma, AND or OR", maxChainTokens))
	}
	tree, err := pg_query.ParseToJSON(sql)
	if err != nil {
		return "", postgresError(sql, err)
	}
	if serr := singleSelect(sql, toks); serr != nil {
		return "", serr
	}
	if strings.Contains(tree, `"intoClause":`) {
		return "", selectIntoError(sql, toks)
	}
	return tree, nil
}

// selectIntoError reports SELECT ... INTO, which PostgreSQL parses as a
// SELECT but which creates a table and cannot be materialized as a model.
// It uses DuckDB's wording, so that both dialects report it alike.
func selectIntoError(sql string, toks []token) *SyntaxError {
	off := 0
	if i := findPattern(sql, toks, []string{"into"}); i >= 0 {
		off = toks[i].start
	}
	return errorAt(sql, off, "SELECT INTO not supported!")
}

// maxChainTokens bounds the tokens of one list element that pg_query is
// handed. pg_query builds an operator chain such as a || b || c as a tree
// one level deeper per operator and then walks it recursively on the C
// stack: a chain of some 60,000 operators overflows an 8 MB thread stack
// and kills the process. Lists (select lists, IN lists, AND and OR
// operands, CASE branches) are flat, so their elements are bounded
// separately.
const maxChainTokens = 20000

// tooDeep reports whether toks nest deeper than maxChainTokens allows, and
// the offset of the token where they do. The bound at a token is the sum,
// over the enclosing parenthesised groups, of the tokens so far in the
// group's current list element, where a closed group counts as many tokens
// as its longest element: an upper bound on the depth of the operator
// chains a parser can build from them. Parentheses themselves are not
// counted: PostgreSQL's grammar refuses to nest them more than 10,000 deep
// ("memory exhausted").
func tooDeep(sql string, toks []token) (int, bool) {
	type group struct{ n, longest int }
	groups := []group{{}}
	sum := 0 // of groups[i].n
	for _, t := range toks {
		g := &groups[len(groups)-1]
		switch {
		case isPunct(sql, t, '(') || isPunct(sql, t, '['):
			groups = append(groups, group{})
		case (isPunct(sql, t, ')') || isPunct(sql, t, ']')) && len(groups) > 1:
			closed := max(g.longest, g.n)
			sum += closed - g.n
			groups = groups[:len(groups)-1]
			groups[len(groups)-1].n += closed
		case isPunct(sql, t, ',') || isPunct(sql, t, ';') || isListWord(sql, t):
			g.longest = max(g.longest, g.n)
			sum -= g.n
			g.n = 0
		default:
			g.n++
			sum++
		}
		if sum > maxChainTokens {
			return t.start, true
		}
	}
	return 0, false
}

// isListWord reports whether t is a keyword that separates the items of a
// flat list in PostgreSQL's parse tree.
func isListWord(sql string, t token) bool {
	for _, w := range [...]string{"and", "or", "when", "then", "else"} {
		if isWord(sql, t, w) {
			return true
		}
	}
	return false
}

// postgresError converts a pg_query error into a SyntaxError. pg_query's
// Cursorpos is a 1-based offset in characters (code points), 0 when the
// error has no position.
func postgresError(sql string, err error) *SyntaxError {
	var pe *parser.Error
	if !errors.As(err, &pe) {
		return errorAt(sql, 0, err.Error())
	}
	if pe.Cursorpos > 0 {
		return parserErrorAt(sql, byteOffset(sql, pe.Cursorpos-1), pe.Message)
	}
	off, _ := guessOffset(sql, pe.Message)
	return errorAt(sql, off, pe.Message)
}
