package manifest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeSQL folds what does not change a query's meaning: SQL and
// Jinja comments are dropped and runs of whitespace become one space.
// Comment markers inside quoted strings and identifiers are text. State
// comparison and checksums use it, so a formatting-only edit is no change.
// (Whitespace inside quoted text is folded too, as it always has been:
// checksums must not change from one martlet version to the next.)
func NormalizeSQL(sql string) string {
	f := folder{b: make([]byte, 0, len(sql))}
	for len(sql) > 0 {
		i := strings.IndexAny(sql, "-/{'\"")
		if i < 0 {
			f.text(sql)
			break
		}
		f.text(sql[:i])
		sql = sql[i:]
		switch {
		case strings.HasPrefix(sql, "--"):
			end := strings.IndexByte(sql, '\n')
			if end < 0 {
				end = len(sql)
			}
			sql = sql[end:]
			f.pending = true
		case strings.HasPrefix(sql, "/*"), strings.HasPrefix(sql, "{#"):
			closing := "*/"
			if sql[0] == '{' {
				closing = "#}"
			}
			if end := strings.Index(sql[2:], closing); end < 0 {
				sql = ""
			} else {
				sql = sql[2+end+2:]
			}
			f.pending = true
		case sql[0] == '\'' || sql[0] == '"':
			end := quotedEnd(sql, 0)
			f.text(sql[:end])
			sql = sql[end:]
		default:
			f.text(sql[:1])
			sql = sql[1:]
		}
	}
	return string(f.b)
}

// folder writes text with each run of whitespace (Unicode's, as
// strings.Fields sees it) as one space, and none at either end.
type folder struct {
	b []byte
	// pending is set when whitespace or a comment came after the last
	// text written.
	pending bool
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// text writes s, folding its whitespace.
func (f *folder) text(s string) {
	for i := 0; i < len(s); {
		size, space := 1, false
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			f.pending = true
		} else {
			if f.pending && len(f.b) > 0 {
				f.b = append(f.b, ' ')
			}
			f.pending = false
			f.b = append(f.b, s[i:i+size]...)
		}
		i += size
	}
}

// quotedEnd returns the index just past the quoted text that starts at
// sql[start], where a doubled quote character stands for itself.
func quotedEnd(sql string, start int) int {
	q := sql[start]
	for i := start + 1; i < len(sql); i++ {
		if sql[i] != q {
			continue
		}
		if i+1 < len(sql) && sql[i+1] == q {
			i++
			continue
		}
		return i + 1
	}
	return len(sql)
}
