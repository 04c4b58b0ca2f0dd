package manifest

import (
	"strings"
	"testing"
)

func TestNormalizeSQL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"select  1\n\tfrom t", "select 1 from t"},
		{"select 1 -- trailing\nfrom t", "select 1 from t"},
		{"select 1 /* a\nblock */ from t", "select 1 from t"},
		{"select {# jinja #} 1", "select 1"},
		{"select '-- not a comment' as x", "select '-- not a comment' as x"},
		{`select "a/*b" from t`, `select "a/*b" from t`},
		{"select 'it''s -- text' -- comment", "select 'it''s -- text'"},
		{"select 1 /* unclosed", "select 1"},
		{"select 'unclosed -- x", "select 'unclosed -- x"},
		{"", ""},
	} {
		if got := NormalizeSQL(tc.in); got != tc.want {
			t.Errorf("NormalizeSQL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// normalizeSQLBefore is NormalizeSQL as it was written first, a byte at a
// time: the faster one must give the same text, or every checksum in a
// state manifest would change.
func normalizeSQLBefore(sql string) string {
	var b strings.Builder
	for i := 0; i < len(sql); {
		switch {
		case strings.HasPrefix(sql[i:], "--"):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				end = len(sql) - i
			}
			i += end
			b.WriteByte(' ')
		case strings.HasPrefix(sql[i:], "/*"), strings.HasPrefix(sql[i:], "{#"):
			closing := "*/"
			if sql[i] == '{' {
				closing = "#}"
			}
			end := strings.Index(sql[i+2:], closing)
			if end < 0 {
				i = len(sql)
			} else {
				i += 2 + end + 2
			}
			b.WriteByte(' ')
		case sql[i] == '\'' || sql[i] == '"':
			end := quotedEnd(sql, i)
			b.WriteString(sql[i:end])
			i = end
		default:
			b.WriteByte(sql[i])
			i++
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func FuzzNormalizeSQL(f *testing.F) {
	for _, s := range []string{
		"select  1\n\tfrom t -- c\n", "a/*b*/c", "x{#y#}z", "'a  b'  \"c\u00a0d\"", "-", "/", "{", "a-b/c{d",
		"select\u0085x\u2003y", "\xff \xfe", "' unclosed  x", "--", "/*", "{#",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if got, want := NormalizeSQL(sql), normalizeSQLBefore(sql); got != want {
			t.Errorf("NormalizeSQL(%q) = %q, the byte-at-a-time version gives %q", sql, got, want)
		}
	})
}

func BenchmarkNormalizeSQL(b *testing.B) {
	sql := strings.Repeat("select a.id,  b.name -- the name\n  from \"main\".\"t\" as a /* block */ join u as b on a.id = b.id where b.s = 'x  y'\n", 20)
	b.SetBytes(int64(len(sql)))
	for b.Loop() {
		NormalizeSQL(sql)
	}
}
