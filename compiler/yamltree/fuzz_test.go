package yamltree

import (
	"bytes"
	"testing"
)

// FuzzParse feeds any bytes to Parse: it must not panic, and it must
// return either a tree whose every node has a sane position or a
// diagnostic with a message at a line within the input.
func FuzzParse(f *testing.F) {
	f.Add([]byte("name: shop\nvars:\n  start_date: \"2024-01-01\"\n"))
	f.Add([]byte("a: &x [1, 2]\nb: *x\nc:\n  <<: {d: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, d := Parse("f.yml", data)
		if (n == nil) == (d == nil) {
			t.Fatalf("Parse returned node %v and diagnostic %v; want exactly one", n, d)
		}
		lines := lineCount(data)
		if d != nil {
			if d.Msg == "" || d.File != "f.yml" {
				t.Fatalf("diagnostic without message or file: %#v", d)
			}
			if d.Line < 0 || d.Col < 0 || d.Line > lines+1 {
				t.Fatalf("diagnostic at %d:%d in a file of %d lines: %v", d.Line, d.Col, lines, d)
			}
			return
		}
		budget := 1 << 16
		var walk func(x *Node, depth int)
		walk = func(x *Node, depth int) {
			if budget--; budget < 0 || x == nil {
				return
			}
			if x.Line < 0 || x.Col < 0 || x.Line > lines+1 {
				t.Fatalf("node %v at %d:%d in a file of %d lines", x.Kind, x.Line, x.Col, lines)
			}
			if depth > maxDepth+2 {
				t.Fatalf("tree deeper than maxDepth")
			}
			if len(x.Keys) != len(x.Values) {
				t.Fatalf("mapping with %d keys and %d values", len(x.Keys), len(x.Values))
			}
			for _, k := range x.Keys {
				if k.Kind != Scalar {
					t.Fatalf("mapping key of kind %v", k.Kind)
				}
			}
			_ = x.String()
			_ = x.Describe()
			_, _ = x.Strings()
			_, _ = x.Int()
			for _, v := range x.Values {
				walk(v, depth+1)
			}
			for _, it := range x.Items {
				walk(it, depth+1)
			}
		}
		walk(n, 0)
		_ = n.Interface()
	})
}

// lineCount counts lines as YAML does: \n, \r\n and a lone \r end a line.
func lineCount(data []byte) int {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
}
