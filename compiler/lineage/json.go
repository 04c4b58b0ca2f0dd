package lineage

import (
	"errors"
	"iter"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The parse trees arrive as JSON text of some 10-20 KB per model, and
// encoding/json takes ten times longer to decode one into maps than
// pg_query takes to parse the SQL. A tape (every value in document order,
// each knowing where its descendants end) costs one pass, one slice and no
// allocation per value.

// jkind is the type of a JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

// jval is one value on a tape. It holds no pointers, so that a tape costs
// the garbage collector nothing: strings are spans of the source text, or
// for the rare string with escapes, indexes into the tape's unescaped.
type jval struct {
	kind jkind
	// key is the member name, for a member of an object.
	key span
	// str is a string's value or a number's text.
	str span
	// next is the index of the first value after this one's descendants.
	next int32
}

// span is a string on a tape: src[start:end], or unescaped[start] if end
// is -1.
type span struct{ start, end int32 }

// tape is a parsed JSON document; value 0 is the root. Lookups on a
// missing or mistyped value return -1 or the zero value: a parse tree of
// an unexpected shape yields less lineage, never a panic.
type tape struct {
	src       string
	vals      []jval
	unescaped []string
	stack     []int32 // open containers while parsing
}

// errJSON reports malformed JSON, which the parsers never produce.
var errJSON = errors.New("lineage: malformed parse tree JSON")

// parse reads src onto the tape, replacing what it held.
func (t *tape) parse(src string) error {
	if len(src) > math.MaxInt32 {
		return errJSON
	}
	t.src, t.vals, t.unescaped = src, t.vals[:0], t.unescaped[:0]
	if cap(t.vals) < len(src)/16 {
		t.vals = make([]jval, 0, len(src)/12)
	}
	stack := t.stack[:0]
	defer func() { t.stack = stack }()
	inObject := false // whether the innermost open container is an object
	i := 0
	for {
		i = skipSpace(src, i)
		var key span
		if inObject {
			if i >= len(src) || src[i] != '"' {
				return errJSON
			}
			var err error
			if key, i, err = t.readString(i); err != nil {
				return err
			}
			if i = skipSpace(src, i); i >= len(src) || src[i] != ':' {
				return errJSON
			}
			i = skipSpace(src, i+1)
		}
		if i >= len(src) {
			return errJSON
		}
		v := jval{key: key}
		switch c := src[i]; {
		case c == '{' || c == '[':
			v.kind = jArray
			if c == '{' {
				v.kind = jObject
			}
			stack = append(stack, int32(len(t.vals)))
			t.vals = append(t.vals, v)
			inObject = v.kind == jObject
			if i = skipSpace(src, i+1); i < len(src) && (src[i] == '}' || src[i] == ']') {
				break // an empty container: closed below
			}
			continue
		case c == '"':
			var err error
			if v.str, i, err = t.readString(i); err != nil {
				return err
			}
			v.kind = jString
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && strings.IndexByte("0123456789+-.eE", src[j]) >= 0 {
				j++
			}
			v.kind, v.str, i = jNumber, span{int32(i), int32(j)}, j
		case strings.HasPrefix(src[i:], "true"):
			v.kind, i = jTrue, i+4
		case strings.HasPrefix(src[i:], "false"):
			v.kind, i = jFalse, i+5
		case strings.HasPrefix(src[i:], "null"):
			v.kind, i = jNull, i+4
		default:
			return errJSON
		}
		if v.kind < jArray {
			v.next = int32(len(t.vals) + 1)
			t.vals = append(t.vals, v)
			i = skipSpace(src, i)
		}
		// Close the containers that end here.
		for {
			if len(stack) == 0 {
				if skipSpace(src, i) != len(src) {
					return errJSON
				}
				return nil
			}
			if i >= len(src) {
				return errJSON
			}
			top := &t.vals[stack[len(stack)-1]]
			switch {
			case src[i] == ',':
				i++
			case src[i] == '}' && top.kind == jObject, src[i] == ']' && top.kind == jArray:
				top.next = int32(len(t.vals))
				stack = stack[:len(stack)-1]
				inObject = len(stack) > 0 && t.vals[stack[len(stack)-1]].kind == jObject
				i = skipSpace(src, i+1)
				continue
			default:
				return errJSON
			}
			break
		}
	}
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i
}

// readString reads the string literal at t.src[i] and returns its span
// and the offset after it.
func (t *tape) readString(i int) (span, int, error) {
	start := i + 1
	for j := start; j < len(t.src); j++ {
		switch t.src[j] {
		case '"':
			return span{int32(start), int32(j)}, j + 1, nil
		case '\\':
			s, end, err := unescape(t.src, start)
			if err != nil {
				return span{}, 0, err
			}
			t.unescaped = append(t.unescaped, s)
			return span{int32(len(t.unescaped) - 1), -1}, end, nil
		}
	}
	return span{}, 0, errJSON
}

// text returns the string a span stands for.
func (t *tape) text(s span) string {
	if s.end < 0 {
		return t.unescaped[s.start]
	}
	return t.src[s.start:s.end]
}

// unescape decodes the string literal whose text starts at s[start].
func unescape(s string, start int) (string, int, error) {
	var b strings.Builder
	for j := start; j < len(s); {
		c := s[j]
		switch {
		case c == '"':
			return b.String(), j + 1, nil
		case c != '\\':
			b.WriteByte(c)
			j++
			continue
		case j+1 >= len(s):
			return "", 0, errJSON
		}
		esc := s[j+1]
		j += 2
		switch esc {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n := hexRune(s, j)
			if utf16.IsSurrogate(r) && n > 0 && strings.HasPrefix(s[j+4:], `\u`) {
				if r2, n2 := hexRune(s, j+6); n2 > 0 {
					r, n = utf16.DecodeRune(r, r2), 10
				}
			}
			if n == 0 {
				return "", 0, errJSON
			}
			if utf16.IsSurrogate(r) {
				r = utf8.RuneError
			}
			b.WriteRune(r)
			j += n
		default:
			b.WriteByte(esc)
		}
	}
	return "", 0, errJSON
}

// hexRune decodes the four hex digits at s[i], returning 0 digits read if
// there are none.
func hexRune(s string, i int) (rune, int) {
	if i+4 > len(s) {
		return 0, 0
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 32)
	if err != nil {
		return 0, 0
	}
	return rune(v), 4
}

// valid reports whether i is a value on the tape.
func (t *tape) valid(i int) bool { return i >= 0 && i < len(t.vals) }

// kind returns the type of value i (jNull for -1).
func (t *tape) kind(i int) jkind {
	if !t.valid(i) {
		return jNull
	}
	return t.vals[i].kind
}

// first returns the first child of container i, or -1.
func (t *tape) first(i int) int {
	if !t.valid(i) || t.vals[i].kind < jArray || int(t.vals[i].next) <= i+1 {
		return -1
	}
	return i + 1
}

// after returns the sibling after child c of container i, or -1.
func (t *tape) after(i, c int) int {
	if !t.valid(i) || !t.valid(c) {
		return -1
	}
	n := int(t.vals[c].next)
	if n <= c || n >= int(t.vals[i].next) {
		return -1
	}
	return n
}

// get returns member key of object i, or -1.
func (t *tape) get(i int, key string) int {
	if t.kind(i) != jObject {
		return -1
	}
	for c := t.first(i); c >= 0; c = t.after(i, c) {
		if t.text(t.vals[c].key) == key {
			return c
		}
	}
	return -1
}

// str returns the string (or number text) of value i, or "".
func (t *tape) str(i int) string {
	if !t.valid(i) {
		return ""
	}
	return t.text(t.vals[i].str)
}

// getStr returns string member key of object i, or "".
func (t *tape) getStr(i int, key string) string { return t.str(t.get(i, key)) }

// truthy reports whether member key of object i is true.
func (t *tape) truthy(i int, key string) bool { return t.kind(t.get(i, key)) == jTrue }

// count returns the number of elements of array i.
func (t *tape) count(i int) int {
	n := 0
	if t.kind(i) == jArray {
		for c := t.first(i); c >= 0; c = t.after(i, c) {
			n++
		}
	}
	return n
}

// elems yields the index of each element of array i (none if i is not
// an array).
func (t *tape) elems(i int) iter.Seq[int] {
	return func(yield func(int) bool) {
		if t.kind(i) != jArray {
			return
		}
		for c := t.first(i); c >= 0; c = t.after(i, c) {
			if !yield(c) {
				return
			}
		}
	}
}
