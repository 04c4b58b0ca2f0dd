package lineage

import "strings"

// spellings returns a function that restores the spelling of identifiers
// pg_query folded to lower case: DuckDB keeps the spelling of a name
// (select 1 as MyCol names the column MyCol). It maps a folded name to
// its first spelling in sql with upper case letters, outside literals,
// quoted identifiers and comments, skipping type names and words after
// "::", which are rarely identifiers. A name spelled two ways is
// restored to its first spelling, which DuckDB, ignoring case, treats as
// the same name.
func spellings(sql string) func(string) string {
	same := func(s string) string { return s }
	if strings.IndexFunc(sql, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return same
	}
	var m map[string]string
	afterCast := false
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			i = skipQuoted(sql, i, c)
			afterCast = false
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(sql)
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			if j := strings.Index(sql[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(sql)
			}
		case c == ':' && strings.HasPrefix(sql[i:], "::"):
			i += 2
			afterCast = true
		case isWordStart(c):
			j := i + 1
			for j < len(sql) && (isWordStart(sql[j]) || sql[j] >= '0' && sql[j] <= '9' || sql[j] == '$') {
				j++
			}
			word := sql[i:j]
			lower := strings.ToLower(word)
			if !afterCast && lower != word && !typeWords[lower] {
				if _, seen := m[lower]; !seen {
					if m == nil {
						m = map[string]string{}
					}
					m[lower] = word
				}
			}
			i, afterCast = j, false
		default:
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				afterCast = false
			}
			i++
		}
	}
	if m == nil {
		return same
	}
	return func(s string) string {
		if w, ok := m[s]; ok {
			return w
		}
		return s
	}
}

// typeWords are type names, which are upper case more often than not.
var typeWords = map[string]bool{
	"int": true, "integer": true, "bigint": true, "smallint": true, "tinyint": true, "hugeint": true,
	"double": true, "float": true, "real": true, "decimal": true, "numeric": true, "varchar": true,
	"text": true, "char": true, "string": true, "boolean": true, "bool": true, "date": true,
	"time": true, "timestamp": true, "timestamptz": true, "interval": true, "json": true, "uuid": true,
	"blob": true, "precision": true,
}

// isWordStart reports whether c may start an unquoted identifier.
func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// skipQuoted returns the offset after the literal or quoted identifier
// that starts at sql[i] with quote q (doubled quotes escape themselves).
func skipQuoted(sql string, i int, q byte) int {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] == q {
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}
