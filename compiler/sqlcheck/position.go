package sqlcheck

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// errorAt builds a SyntaxError at byte offset off of sql, clamped to the
// text; an offset equal to len(sql) points just past the last character.
func errorAt(sql string, off int, msg string) *SyntaxError {
	off = max(0, min(off, len(sql)))
	line := 1 + strings.Count(sql[:off], "\n")
	lineStart := strings.LastIndexByte(sql[:off], '\n') + 1
	col := 1 + utf8.RuneCountInString(sql[lineStart:off])
	return &SyntaxError{Line: line, Col: col, Msg: msg}
}

// parserErrorAt builds a SyntaxError for a parser error at byte offset off.
// Parsers report "at end of input" after any trailing white space; such a
// position is moved back to just after the last token, so that it does not
// land on an empty line below the query.
func parserErrorAt(sql string, off int, msg string) *SyntaxError {
	if end := len(strings.TrimRight(sql, " \t\r\n\f\v")); off > end {
		off = end
	}
	return errorAt(sql, off, msg)
}

// byteOffset converts a 0-based offset in runes (code points) into a byte
// offset of sql, clamped to the text.
func byteOffset(sql string, runes int) int {
	for i := range sql {
		if runes <= 0 {
			return i
		}
		runes--
	}
	return len(sql)
}

// checkText rejects text no parser can be handed: the C parsers stop at a
// NUL byte, and DuckDB refuses strings that are not valid UTF-8.
func checkText(sql string) *SyntaxError {
	for i, r := range sql {
		switch {
		case r == 0:
			return errorAt(sql, i, "NUL character in SQL text")
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(sql[i:]); size == 1 {
				return errorAt(sql, i, "invalid UTF-8 byte in SQL text")
			}
		}
	}
	return nil
}

// messageRules locate errors that DuckDB reports without a position: when a
// message contains fragment, the error points at the first tokens matching
// pattern. A pattern element lists alternatives separated by "|"; an empty
// alternative matches the end of the text.
var messageRules = []struct {
	fragment string
	pattern  []string
}{
	{"SELECT INTO", []string{"into"}},
	{"locking clause", []string{"for", "update|share|no|key"}},
	{"SIMILAR TO", []string{"escape"}},
	{" is not supported", []string{"year|month|day|hour|minute|second", "to"}},
	{"without selection list", []string{"select", ";|)|"}},
	{"order by type", []string{"using"}},
	{"Positional reference", []string{"#"}},
	{"pg_verifymbstr", []string{"u", "&"}},
	{"unicode_to_utf8", []string{"u", "&"}},
	{onlySelectMsg, []string{"pivot|pivot_wider"}},
}

var (
	lineHint  = regexp.MustCompile(`LINE (\d+):`)
	nearHint  = regexp.MustCompile(`at or near "(.*)"`)
	quotedArg = regexp.MustCompile(`"([^"]+)"`)
)

// guessOffset finds the byte offset an error message without a position
// refers to, from what the message names: a `LINE n:` context line, the
// token of `at or near "x"`, a construct known to be rejected, or a quoted
// name. It reports false when the message names nothing found in sql.
func guessOffset(sql, msg string) (int, bool) {
	first, _, _ := strings.Cut(msg, "\n")
	toks := lex(sql)
	if m := nearHint.FindStringSubmatch(first); m != nil {
		if off, ok := findText(sql, toks, m[1]); ok {
			return off, true
		}
	}
	for _, r := range messageRules {
		if !strings.Contains(first, r.fragment) {
			continue
		}
		if i := findPattern(sql, toks, r.pattern); i >= 0 {
			return toks[i].start, true
		}
	}
	if m := lineHint.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n <= 1+strings.Count(sql, "\n") {
			return lineStart(sql, n), true
		}
	}
	if m := quotedArg.FindStringSubmatch(first); m != nil {
		return findText(sql, toks, m[1])
	}
	return 0, false
}

// findText returns the offset of the first token spelled s (ignoring case),
// or else of the first occurrence of s in the text.
func findText(sql string, toks []token, s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	for _, t := range toks {
		if strings.EqualFold(sql[t.start:t.end], s) {
			return t.start, true
		}
	}
	if i := strings.Index(sql, s); i >= 0 {
		return i, true
	}
	return 0, false
}

// findPattern returns the index of the first token where pattern matches,
// or -1.
func findPattern(sql string, toks []token, pattern []string) int {
	for i := range toks {
		if matchAt(sql, toks, i, pattern) {
			return i
		}
	}
	return -1
}

// matchAt reports whether pattern matches the tokens starting at index i.
func matchAt(sql string, toks []token, i int, pattern []string) bool {
	for k, alts := range pattern {
		if !matchOne(sql, toks, i+k, alts) {
			return false
		}
	}
	return true
}

// matchOne reports whether token i is one of the "|"-separated
// alternatives; the empty alternative matches past the last token.
func matchOne(sql string, toks []token, i int, alts string) bool {
	for alt := range strings.SplitSeq(alts, "|") {
		if i >= len(toks) {
			if alt == "" {
				return true
			}
			continue
		}
		if alt != "" && strings.EqualFold(sql[toks[i].start:toks[i].end], alt) {
			return true
		}
	}
	return false
}

// lineStart returns the byte offset of the start of 1-based line n.
func lineStart(sql string, n int) int {
	off := 0
	for ; n > 1; n-- {
		i := strings.IndexByte(sql[off:], '\n')
		if i < 0 {
			return len(sql)
		}
		off += i + 1
	}
	return off
}
