package manifest

import "strings"

// NormalizeSQL folds what does not change a query's meaning: SQL and
// Jinja comments are dropped and runs of whitespace become one space.
// Comment markers inside quoted strings and identifiers are text. State
// comparison and checksums use it, so a formatting-only edit is no change.
func NormalizeSQL(sql string) string {
	var b strings.Builder
	b.Grow(len(sql))
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
