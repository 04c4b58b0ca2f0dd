package jinja

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// segKind tells what a piece of template source is.
type segKind uint8

const (
	segText    segKind = iota // template data, src[start:end]
	segVar                    // {{ ... }}
	segBlock                  // {% ... %}
	segComment                // {# ... #}
	segBroken                 // the unlexable rest of the source after a fatal error
)

// segment is one lexed piece of the source.
type segment struct {
	kind       segKind
	start, end int
	// trimLeft is a '-' after the opening delimiter: strip whitespace before.
	trimLeft bool
	// trimRight is a '-' before the closing delimiter: strip whitespace after.
	trimRight bool
	toks      []token
	// bad marks a tag whose lexing failed; the error is already recorded.
	bad bool
	// rawDelim marks the {% raw %} / {% endraw %} tags around raw text.
	rawDelim bool
	// raw marks the text between {% raw %} and {% endraw %}.
	raw bool
}

type tokKind uint8

const (
	tkEOF tokKind = iota
	tkName
	tkString
	tkInt
	tkFloat
	tkOp
)

// token is one lexical unit inside a tag. For strings val is the decoded
// value; for numbers it is the text without underscores.
type token struct {
	kind tokKind
	val  string
	pos  int
}

// posError is an error at a byte offset of the source.
type posError struct {
	pos int
	msg string
}

// lexer splits a template into segments and the inside of tags into tokens.
type lexer struct {
	src  string
	segs []segment
	// toks backs the token slices of all segments.
	toks []token
	// brackets is the stack of open brackets of the tag being lexed.
	brackets []byte
	errs     []posError
}

func (l *lexer) fail(pos int, msg string) {
	l.errs = append(l.errs, posError{pos: pos, msg: msg})
}

// lexTemplate splits src into segments. After a fatal error (an unclosed
// tag, string or comment) the rest of the source is one segBroken segment.
func lexTemplate(src string) ([]segment, []posError) {
	l := &lexer{src: src, segs: make([]segment, 0, len(src)/32+16), toks: make([]token, 0, len(src)/16+16)}
	i, textStart := 0, 0
	for i < len(src) {
		k := strings.IndexByte(src[i:], '{')
		if k < 0 || i+k+1 >= len(src) {
			break
		}
		i += k
		c := src[i+1]
		if c != '{' && c != '%' && c != '#' {
			i++
			continue
		}
		if textStart < i {
			l.segs = append(l.segs, segment{kind: segText, start: textStart, end: i})
		}
		var next int
		var ok bool
		switch c {
		case '#':
			next, ok = l.comment(i)
		case '{':
			next, ok = l.tag(i, segVar)
		default:
			next, ok = l.tag(i, segBlock)
			if ok && isRawTag(l.segs[len(l.segs)-1]) {
				next, ok = l.rawBody(next)
			}
		}
		if !ok {
			l.segs = append(l.segs, segment{kind: segBroken, start: i, end: len(src)})
			return l.segs, l.errs
		}
		i, textStart = next, next
	}
	if textStart < len(src) {
		l.segs = append(l.segs, segment{kind: segText, start: textStart, end: len(src)})
	}
	return l.segs, l.errs
}

func isRawTag(s segment) bool {
	return s.kind == segBlock && !s.bad && len(s.toks) == 1 && s.toks[0].kind == tkName && s.toks[0].val == "raw"
}

// comment lexes {# ... #} starting at i and returns the offset after it.
func (l *lexer) comment(i int) (int, bool) {
	seg := segment{kind: segComment, start: i}
	j := i + 2
	if j < len(l.src) && (l.src[j] == '-' || l.src[j] == '+') {
		seg.trimLeft = l.src[j] == '-'
		j++
	}
	k := strings.Index(l.src[j:], "#}")
	if k < 0 {
		l.fail(i, `unclosed comment: missing "#}"`)
		return 0, false
	}
	seg.trimRight = k > 0 && l.src[j+k-1] == '-'
	seg.end = j + k + 2
	l.segs = append(l.segs, seg)
	return seg.end, true
}

// rawBody finds the {% endraw %} after a {% raw %} tag ending at from and
// appends the raw text and the endraw tag.
func (l *lexer) rawBody(from int) (int, bool) {
	rawTag := &l.segs[len(l.segs)-1]
	rawTag.rawDelim = true
	for p := from; ; {
		k := strings.Index(l.src[p:], "{%")
		if k < 0 {
			l.fail(rawTag.start, `unclosed "{% raw %}": missing "{% endraw %}"`)
			// The caller covers the rest of the source, from the start of
			// the raw tag, with one broken segment.
			l.segs = l.segs[:len(l.segs)-1]
			return 0, false
		}
		p += k
		end, trimLeft, trimRight, ok := l.matchEndraw(p)
		if !ok {
			p += 2
			continue
		}
		if from < p {
			l.segs = append(l.segs, segment{kind: segText, start: from, end: p, raw: true})
		}
		l.segs = append(l.segs, segment{
			kind: segBlock, start: p, end: end, trimLeft: trimLeft, trimRight: trimRight,
			rawDelim: true, toks: []token{{kind: tkName, val: "endraw", pos: p}},
		})
		return end, true
	}
}

// matchEndraw matches {%[-+]? endraw -?%} at p.
func (l *lexer) matchEndraw(p int) (end int, trimLeft, trimRight, ok bool) {
	src := l.src
	j := p + 2
	if j < len(src) && (src[j] == '-' || src[j] == '+') {
		trimLeft = src[j] == '-'
		j++
	}
	j = skipSpace(src, j)
	if !strings.HasPrefix(src[j:], "endraw") {
		return 0, false, false, false
	}
	j = skipSpace(src, j+len("endraw"))
	if j < len(src) && (src[j] == '-' || src[j] == '+') {
		trimRight = src[j] == '-'
		j++
	}
	if !strings.HasPrefix(src[j:], "%}") {
		return 0, false, false, false
	}
	return j + 2, trimLeft, trimRight, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func skipSpace(src string, j int) int {
	for j < len(src) && isSpace(src[j]) {
		j++
	}
	return j
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// tag lexes {{ ... }} or {% ... %} starting at i.
func (l *lexer) tag(i int, kind segKind) (int, bool) {
	src := l.src
	seg := segment{kind: kind, start: i}
	closer := "}}"
	if kind == segBlock {
		closer = "%}"
	}
	j := i + 2
	if j < len(src) && (src[j] == '-' || src[j] == '+') {
		seg.trimLeft = src[j] == '-'
		j++
	}
	l.brackets = l.brackets[:0]
	first := len(l.toks)
	for {
		j = skipSpace(src, j)
		if j >= len(src) {
			l.fail(i, "unclosed \""+src[i:i+2]+"\": missing \""+closer+"\"")
			return 0, false
		}
		if len(l.brackets) == 0 {
			if (src[j] == '-' || src[j] == '+') && strings.HasPrefix(src[j+1:], closer) {
				seg.trimRight = src[j] == '-'
				seg.end = j + 3
				break
			}
			if strings.HasPrefix(src[j:], closer) {
				seg.end = j + 2
				break
			}
		}
		c := src[j]
		switch {
		case isNameStart(c):
			k := j + 1
			for k < len(src) && (isNameStart(src[k]) || isDigit(src[k])) {
				k++
			}
			l.toks = append(l.toks, token{kind: tkName, val: src[j:k], pos: j})
			j = k
		case isDigit(c):
			tok, k, msg := lexNumber(src, j)
			if msg != "" {
				l.fail(j, msg)
				seg.bad = true
			}
			l.toks = append(l.toks, tok)
			j = k
		case c == '"' || c == '\'':
			tok, k, msg, fatal := lexString(src, j)
			if fatal {
				l.fail(j, msg)
				return 0, false
			}
			if msg != "" {
				l.fail(j, msg)
				seg.bad = true
			}
			l.toks = append(l.toks, tok)
			j = k
		default:
			op := lexOperator(src, j)
			if op == "" {
				r, _ := utf8.DecodeRuneInString(src[j:])
				l.fail(j, "unexpected character "+strconv.QuoteRune(r)+" in tag")
				seg.bad = true
				j += max(utf8.RuneLen(r), 1)
				continue
			}
			if msg := trackBracket(&l.brackets, op); msg != "" {
				l.fail(j, msg)
				seg.bad = true
			}
			l.toks = append(l.toks, token{kind: tkOp, val: op, pos: j})
			j += len(op)
		}
	}
	seg.toks = l.toks[first:len(l.toks):len(l.toks)]
	l.segs = append(l.segs, seg)
	return seg.end, true
}

// trackBracket keeps the stack of open brackets balanced.
func trackBracket(stack *[]byte, op string) string {
	switch op {
	case "(", "[", "{":
		*stack = append(*stack, op[0])
	case ")", "]", "}":
		open := byte('(')
		switch op {
		case "]":
			open = '['
		case "}":
			open = '{'
		}
		n := len(*stack)
		if n == 0 {
			return "unexpected \"" + op + "\""
		}
		top := (*stack)[n-1]
		*stack = (*stack)[:n-1]
		if top != open {
			return "unexpected \"" + op + "\": \"" + string(top) + "\" is not closed"
		}
	}
	return ""
}

// lexOperator returns the operator at src[j], or "".
func lexOperator(src string, j int) string {
	c := src[j]
	if j+1 < len(src) {
		two := src[j : j+2]
		switch two {
		case "//", "**", "==", "!=", ">=", "<=":
			return two
		}
	}
	if strings.IndexByte("+-/*%~[](){}><=.:|,;", c) >= 0 {
		return src[j : j+1]
	}
	return ""
}

// digitRun consumes \d+(_\d+)* (or the same over another digit set) at j.
func digitRun(src string, j int, ok func(byte) bool) int {
	if j >= len(src) || !ok(src[j]) {
		return j
	}
	for j < len(src) {
		if ok(src[j]) {
			j++
			continue
		}
		if src[j] == '_' && j+1 < len(src) && ok(src[j+1]) {
			j++
			continue
		}
		break
	}
	return j
}

// lexNumber lexes a Jinja integer or float at j.
func lexNumber(src string, j int) (token, int, string) {
	afterDot := j > 0 && src[j-1] == '.'
	intEnd := digitRun(src, j, isDigit)
	end := intEnd
	isFloat := false
	if !afterDot {
		if end+1 < len(src) && src[end] == '.' && isDigit(src[end+1]) {
			end = digitRun(src, end+1, isDigit)
			isFloat = true
		}
		if e := lexExponent(src, end); e > end {
			end, isFloat = e, true
		}
	}
	if isFloat {
		text := strings.ReplaceAll(src[j:end], "_", "")
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return token{kind: tkFloat, val: "0.0", pos: j}, end, "float literal out of range"
		}
		return token{kind: tkFloat, val: text, pos: j}, end, ""
	}
	base := 10
	if src[j] == '0' && j+1 < len(src) {
		switch src[j+1] | 0x20 {
		case 'b':
			base = 2
		case 'o':
			base = 8
		case 'x':
			base = 16
		}
	}
	if base != 10 {
		digits := func(c byte) bool { return strings.IndexByte("0123456789abcdef"[:base], c|0x20) >= 0 }
		k := j + 2
		if k < len(src) && src[k] == '_' {
			k++
		}
		end = digitRun(src, k, digits)
		if end == k {
			return token{kind: tkInt, val: "0", pos: j}, j + 1, ""
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(src[k:end], "_", ""), base, 64)
		if err != nil {
			return token{kind: tkInt, val: "0", pos: j}, end, "integer literal too large"
		}
		return token{kind: tkInt, val: strconv.FormatInt(n, 10), pos: j}, end, ""
	}
	if src[j] == '0' {
		end = j + 1
		for end < len(src) && (src[end] == '0' || src[end] == '_' && end+1 < len(src) && src[end+1] == '0') {
			end++
		}
		return token{kind: tkInt, val: "0", pos: j}, end, ""
	}
	text := strings.ReplaceAll(src[j:intEnd], "_", "")
	if _, err := strconv.ParseInt(text, 10, 64); err != nil {
		return token{kind: tkInt, val: "0", pos: j}, intEnd, "integer literal too large"
	}
	return token{kind: tkInt, val: text, pos: j}, intEnd, ""
}

// lexExponent returns the end of an exponent e[+-]?digits at j, or j.
func lexExponent(src string, j int) int {
	if j >= len(src) || src[j]|0x20 != 'e' {
		return j
	}
	k := j + 1
	if k < len(src) && (src[k] == '+' || src[k] == '-') {
		k++
	}
	if e := digitRun(src, k, isDigit); e > k {
		return e
	}
	return j
}

// lexString lexes a quoted string at j and decodes its escapes the way
// Python does. fatal reports a string that is never closed.
func lexString(src string, j int) (tok token, end int, msg string, fatal bool) {
	quote := src[j]
	if end := strings.IndexByte(src[j+1:], quote); end >= 0 {
		if body := src[j+1 : j+1+end]; strings.IndexByte(body, '\\') < 0 && strings.IndexByte(body, '\r') < 0 {
			return token{kind: tkString, val: body, pos: j}, j + end + 2, "", false
		}
	}
	var b strings.Builder
	k := j + 1
	for {
		if k >= len(src) {
			return token{}, 0, "unclosed string literal", true
		}
		c := src[k]
		switch {
		case c == quote:
			return token{kind: tkString, val: b.String(), pos: j}, k + 1, msg, false
		case c == '\r':
			b.WriteByte('\n')
			k++
		case c != '\\':
			b.WriteByte(c)
			k++
		case k+1 >= len(src):
			return token{}, 0, "unclosed string literal", true
		default:
			n, m := decodeEscape(src, k, &b)
			if m != "" && msg == "" {
				msg = m
			}
			k = n
		}
	}
}

var simpleEscapes = map[byte]string{
	'\\': "\\", '\'': "'", '"': "\"", 'a': "\a", 'b': "\b", 'f': "\f",
	'n': "\n", 'r': "\r", 't': "\t", 'v': "\v", '\n': "",
}

// decodeEscape decodes the escape sequence at src[k] == '\\' into b and
// returns the offset after it.
func decodeEscape(src string, k int, b *strings.Builder) (int, string) {
	c := src[k+1]
	if s, ok := simpleEscapes[c]; ok {
		b.WriteString(s)
		return k + 2, ""
	}
	switch c {
	case '0', '1', '2', '3', '4', '5', '6', '7':
		e := k + 1
		for e < len(src) && e < k+4 && src[e] >= '0' && src[e] <= '7' {
			e++
		}
		n, _ := strconv.ParseUint(src[k+1:e], 8, 32)
		b.WriteRune(rune(n))
		return e, ""
	case 'x', 'u', 'U':
		width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		e := k + 2 + width
		if e > len(src) {
			return k + 2, "truncated \\" + string(c) + " escape in string literal"
		}
		n, err := strconv.ParseUint(src[k+2:e], 16, 32)
		if err != nil || n > utf8.MaxRune {
			return k + 2, "invalid \\" + string(c) + " escape in string literal"
		}
		b.WriteRune(rune(n))
		return e, ""
	case 'N':
		return k + 2, `unsupported \N{...} escape in string literal`
	}
	b.WriteByte('\\')
	return k + 1, ""
}
