package selector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
)

// stateValues are the values the state method takes.
var stateValues = []string{"new", "old", "modified", "unmodified", "modified.body", "modified.configs"}

// bindState compares nodes with the --state manifest, as dbt does:
//
//   - new: not in the state manifest;
//   - old: in it;
//   - modified: new, or with a different checksum (SQL, configuration and
//     the vars the node reads);
//   - modified.body: new, or with different raw SQL once whitespace and
//     comments are folded;
//   - modified.configs: new, or with a different configuration;
//   - unmodified: old and not modified.
func bindState(s *selection, c *criterion) (matcher, error) {
	var is func(n, old *manifest.Node) bool
	switch c.value {
	case "new":
		is = func(_, old *manifest.Node) bool { return old == nil }
	case "old":
		is = func(_, old *manifest.Node) bool { return old != nil }
	case "modified":
		is = modified
	case "unmodified":
		is = func(n, old *manifest.Node) bool { return !modified(n, old) }
	case "modified.body":
		is = func(n, old *manifest.Node) bool {
			return old == nil || !sameChecksum(n, old) && normalizeBody(n.RawSQL) != normalizeBody(old.RawSQL)
		}
	case "modified.configs":
		is = func(n, old *manifest.Node) bool {
			return old == nil || !sameChecksum(n, old) && !sameConfig(n, old)
		}
	default:
		msg := fmt.Sprintf("unknown state selector %q in %q", c.value, c.raw)
		if sug := diag.Suggest(c.value, stateValues); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", "state:"+sug)
		}
		return nil, errors.New(msg)
	}
	state := s.opts.State
	if state == nil {
		return nil, errors.New("state: selection needs --state DIR")
	}
	return func(n *manifest.Node) bool { return is(n, state.Node(n.ID)) }, nil
}

// modified reports whether n is new or changed since old. Equal checksums
// settle it; without checksums the SQL and configuration are compared.
func modified(n, old *manifest.Node) bool {
	switch {
	case old == nil:
		return true
	case n.Checksum != "" || old.Checksum != "":
		return n.Checksum != old.Checksum
	}
	return normalizeBody(n.RawSQL) != normalizeBody(old.RawSQL) || !sameConfig(n, old)
}

// sameChecksum reports whether both nodes carry the same checksum, which
// covers the SQL and the configuration.
func sameChecksum(n, old *manifest.Node) bool {
	return n.Checksum != "" && n.Checksum == old.Checksum
}

// sameConfig compares configurations in their JSON form, the form the
// state manifest was read from, so that a number read back from JSON
// equals the one a project file gave.
func sameConfig(n, old *manifest.Node) bool {
	a, errA := json.Marshal(n.Config)
	b, errB := json.Marshal(old.Config)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(n.Config, old.Config)
	}
	return bytes.Equal(a, b)
}

// normalizeBody folds what does not change a query's meaning: SQL and
// Jinja comments are dropped and runs of whitespace become one space.
// Comment markers inside quoted strings and identifiers are text.
func normalizeBody(sql string) string {
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
