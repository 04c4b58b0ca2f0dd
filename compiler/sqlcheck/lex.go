package sqlcheck

import "strings"

// tokKind classifies a lexical token of SQL text.
type tokKind int

const (
	// tokWord is a keyword, an unquoted identifier, a number or a $name
	// parameter.
	tokWord tokKind = iota
	// tokQuoted is a double-quoted identifier.
	tokQuoted
	// tokString is a string literal: '...', E'...' or dollar-quoted.
	tokString
	// tokPunct is any other single byte: ( ) ; , & # and operators.
	tokPunct
)

// token is one lexical token; start and end are byte offsets into the text.
type token struct {
	kind       tokKind
	start, end int
}

// lexer splits SQL text into tokens with the lexical rules DuckDB and
// PostgreSQL share (both parsers descend from PostgreSQL's scan.l):
// -- and nested /* */ comments, 'string' and E'string' literals, "quoted"
// identifiers and $tag$ dollar quotes. It only tells the parsers' real
// tokens apart from literal and comment text, so it never fails: an
// unterminated construct runs to the end of the text, and the parser
// reports it.
type lexer struct {
	src  string
	toks []token
}

// lex returns the tokens of src, comments and white space dropped.
func lex(src string) []token {
	// Typical SQL has a token every four to eight bytes.
	l := lexer{src: src, toks: make([]token, 0, len(src)/4+1)}
	for i := 0; i < len(src); {
		i = l.next(i)
	}
	return l.toks
}

// next lexes the token or the stretch of white space or comment at i and
// returns the offset after it.
func (l *lexer) next(i int) int {
	src := l.src
	c := src[i]
	switch {
	case isSpace(c):
		return i + 1
	case strings.HasPrefix(src[i:], "--"):
		if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
			return i + j + 1
		}
		return len(src)
	case strings.HasPrefix(src[i:], "/*"):
		return blockCommentEnd(src, i)
	case c == '\'':
		return l.emit(tokString, i, quotedEnd(src, i+1, '\'', false))
	case c == '"':
		return l.emit(tokQuoted, i, quotedEnd(src, i+1, '"', false))
	case (c == 'e' || c == 'E') && i+1 < len(src) && src[i+1] == '\'':
		return l.emit(tokString, i, quotedEnd(src, i+2, '\'', true))
	case c == '$':
		if end, ok := dollarQuoteEnd(src, i); ok {
			return l.emit(tokString, i, end)
		}
		return l.emit(tokWord, i, wordEnd(src, i+1))
	case isIdentStart(c) || isDigit(c):
		return l.emit(tokWord, i, wordEnd(src, i+1))
	default:
		return l.emit(tokPunct, i, i+1)
	}
}

// emit records a token and returns its end.
func (l *lexer) emit(kind tokKind, start, end int) int {
	l.toks = append(l.toks, token{kind: kind, start: start, end: end})
	return end
}

// blockCommentEnd returns the offset after the (nested) block comment that
// starts at i.
func blockCommentEnd(src string, i int) int {
	depth := 0
	for i < len(src) {
		switch {
		case strings.HasPrefix(src[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(src[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(src)
}

// quotedEnd returns the offset after the closing quote q of a literal whose
// body starts at i; a doubled quote is part of the body, and so is a
// backslash-escaped character when backslash is set (E'string' literals).
func quotedEnd(src string, i int, q byte, backslash bool) int {
	for i < len(src) {
		switch c := src[i]; {
		case backslash && c == '\\':
			i += 2
		case c != q:
			i++
		case i+1 < len(src) && src[i+1] == q:
			i += 2
		default:
			return i + 1
		}
	}
	return len(src)
}

// dollarQuoteEnd reports whether a $tag$ dollar quote starts at i and, if
// so, returns the offset after its closing $tag$.
func dollarQuoteEnd(src string, i int) (int, bool) {
	j := i + 1
	if j < len(src) && isIdentStart(src[j]) {
		for j < len(src) && (isIdentStart(src[j]) || isDigit(src[j])) {
			j++
		}
	}
	if j >= len(src) || src[j] != '$' {
		return 0, false
	}
	delim := src[i : j+1]
	if k := strings.Index(src[j+1:], delim); k >= 0 {
		return j + 1 + k + len(delim), true
	}
	return len(src), true
}

// wordEnd returns the end of the identifier, keyword or number continuing at i.
func wordEnd(src string, i int) int {
	for i < len(src) && (isIdentStart(src[i]) || isDigit(src[i]) || src[i] == '$') {
		i++
	}
	return i
}

// isSpace reports whether c is white space to the SQL lexer.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isIdentStart reports whether c may start an identifier; bytes of
// multi-byte UTF-8 sequences count as letters, as in PostgreSQL.
func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
