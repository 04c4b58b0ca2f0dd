package yamltree

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Node {
	t.Helper()
	n, d := Parse("f.yml", []byte(src))
	if d != nil {
		t.Fatalf("Parse(%q): unexpected diagnostic %v", src, d)
	}
	if n == nil {
		t.Fatalf("Parse(%q): nil node and nil diagnostic", src)
	}
	return n
}

func TestParseScalars(t *testing.T) {
	tests := []struct {
		src  string
		want any
		str  string
	}{
		{"x: hello", "hello", "hello"},
		{"x: 'quoted: yes'", "quoted: yes", "quoted: yes"},
		{"x: 42", uint64(42), "42"},
		{"x: -7", int64(-7), "-7"},
		{"x: 0x1F", uint64(31), "31"},
		{"x: 1_000", uint64(1000), "1000"},
		{"x: 1.50", 1.5, "1.5"},
		{"x: -.inf", math.Inf(-1), "-Inf"},
		{"x: .nan", ".nan", ".nan"},
		{"x: true", true, "true"},
		{"x: yes", "yes", "yes"},
		{"x: 99999999999999999999999", "99999999999999999999999", "99999999999999999999999"},
		{"x: 1e400", "1e400", "1e400"},
		{"x: !custom 3", "3", "3"},
		{"x: !!binary aGVsbG8=", "aGVsbG8=", "aGVsbG8="},
		{"x: |\n  lit\n  eral\n", "lit\neral\n", "lit\neral\n"},
	}
	for _, tt := range tests {
		v := mustParse(t, tt.src).Get("x")
		if v == nil || v.Kind != Scalar {
			t.Errorf("%q: x = %+v, want a scalar", tt.src, v)
			continue
		}
		if !reflect.DeepEqual(v.Value, tt.want) {
			t.Errorf("%q: Value = %#v (%T), want %#v (%T)", tt.src, v.Value, v.Value, tt.want, tt.want)
		}
		if got := v.String(); got != tt.str {
			t.Errorf("%q: String() = %q, want %q", tt.src, got, tt.str)
		}
	}
}

func TestParseNulls(t *testing.T) {
	for _, src := range []string{"x:", "x: ~", "x: null"} {
		v := mustParse(t, src).Get("x")
		if v == nil || v.Kind != Null {
			t.Errorf("%q: x = %+v, want null", src, v)
			continue
		}
		// An empty value takes the key's position when it has none.
		if v.Line != 1 || v.Col < 1 {
			t.Errorf("%q: null at %d:%d, want line 1", src, v.Line, v.Col)
		}
	}
}

func TestParseEmptyDocuments(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n", "\n\n"} {
		n := mustParse(t, src)
		if n.Kind != Null || n.Line != 1 || n.Col != 1 {
			t.Errorf("%q: got %v at %d:%d, want null at 1:1", src, n.Kind, n.Line, n.Col)
		}
	}
}

func TestParsePositions(t *testing.T) {
	src := "name: shop\nmodels:\n  marts:\n    +tags: [a, b]\nlist:\n  - one\n  - k: v\n"
	n := mustParse(t, src)
	type pos struct{ line, col int }
	at := func(x *Node) pos { return pos{x.Line, x.Col} }
	checks := []struct {
		what string
		node *Node
		want pos
	}{
		{"root (first key, not its colon)", n, pos{1, 1}},
		{"key name", n.Keys[0], pos{1, 1}},
		{"value shop", n.Get("name"), pos{1, 7}},
		{"models mapping", n.Get("models"), pos{3, 3}},
		{"marts mapping", n.Get("models").Get("marts"), pos{4, 5}},
		{"tags flow list", n.Get("models").Get("marts").Get("+tags"), pos{4, 12}},
		{"tag b", n.Get("models").Get("marts").Get("+tags").Items[1], pos{4, 16}},
		{"list", n.Get("list"), pos{6, 3}},
		{"item one", n.Get("list").Items[0], pos{6, 5}},
		{"item mapping", n.Get("list").Items[1], pos{7, 5}},
	}
	for _, c := range checks {
		if got := at(c.node); got != c.want {
			t.Errorf("%s at %d:%d, want %d:%d", c.what, got.line, got.col, c.want.line, c.want.col)
		}
	}
	if got := at(mustParse(t, "{a: 1, b: 2}")); got != (pos{1, 1}) {
		t.Errorf("flow mapping at %v, want 1:1", got)
	}
	if got := at(mustParse(t, "  a: 1\n  b: 2\n")); got != (pos{1, 3}) {
		t.Errorf("indented mapping at %v, want 1:3", got)
	}
	if got := at(mustParse(t, "%YAML 1.2\n---\na: 1\n")); got != (pos{3, 1}) {
		t.Errorf("mapping after a directive at %v, want 3:1", got)
	}
	if got := mustParse(t, "a: 1\n").Get("a").Line; got != 1 {
		t.Errorf("line of a = %d", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unclosed flow list", "a: [1, 2\n", "f.yml:1:4: invalid YAML: sequence end token ']' not found"},
		{"tab indentation", "a:\n\tb: 1\n", "f.yml:2:1: invalid YAML: found character '\t' that cannot start any token"},
		{"nested mapping value", "a: b: c\n", "f.yml:1:4: invalid YAML: mapping value is not allowed in this context"},
		{"duplicate key", "a: 1\nb: 2\na: 3\n", `f.yml:3:1: invalid YAML: mapping key "a" already defined at [1:1]`},
		{"duplicate key, number and string", "1: a\n\"1\": b\n", `f.yml:2:1: invalid YAML: mapping key "1" already defined at [1:1]`},
		{"flow list as key", "[a]: 1\n", "f.yml:1:4: invalid YAML: found an invalid key for this map"},
		{"empty anchor", "a: 1\nb: &x\n", "f.yml:2:4: invalid YAML: undefined anchor value"},
		{"unknown alias", "a: *nope\n", `f.yml:1:4: unknown YAML alias "nope"`},
		{"merge of a scalar", "<<: 3\n", "f.yml:1:5: YAML merge key needs a mapping"},
		{"merge of a list", "a: 1\n<<: [{b: 1}]\n", "f.yml:2:5: YAML merge key needs a mapping"},
		{"two documents", "a: 1\n---\nb: 2\n", "f.yml:2:1: only one YAML document is allowed per file"},
		{"trailing empty document", "a: 1\n---\n", "f.yml:2:1: only one YAML document is allowed per file"},
		{"deep flow lists", "x: " + strings.Repeat("[", 300) + strings.Repeat("]", 300), "f.yml:1:204: YAML nested too deeply"},
		{"deep flow mappings", "x: " + strings.Repeat("{a: ", 300) + "1" + strings.Repeat("}", 300), "f.yml:1:801: YAML nested too deeply"},
		{"CRLF line endings", "a:\r\n  b: 1\r\n  c: [\r\n", "f.yml:3:6: invalid YAML: sequence end token ']' not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, d := Parse("f.yml", []byte(tt.src))
			if d == nil {
				t.Fatalf("no diagnostic; got %+v", n)
			}
			if n != nil {
				t.Errorf("node %+v returned with diagnostic", n)
			}
			if got := d.Error(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*l" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	_, d := Parse("f.yml", []byte(b.String()))
	if d == nil {
		t.Fatal("no diagnostic for exponentially expanding aliases")
	}
	// l5 is the first level past the budget: 11 * 10^5 nodes.
	if got, want := d.Error(), "f.yml:6:45: YAML aliases expand to more than 1048576 nodes"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestAnchorsAliasesAndMerge(t *testing.T) {
	src := "base: &base {materialized: table, tags: [a]}\n" +
		"copy: *base\n" +
		"merged:\n  <<: *base\n  materialized: view\n" +
		"empty: &e\nnull_alias: *e\n"
	n := mustParse(t, src)
	if got, want := n.Get("copy").Interface(), n.Get("base").Interface(); !reflect.DeepEqual(got, want) {
		t.Errorf("alias = %v, want %v", got, want)
	}
	want := map[string]any{"materialized": "view", "tags": []any{"a"}}
	if got := n.Get("merged").Interface(); !reflect.DeepEqual(got, want) {
		t.Errorf("merged = %v, want %v", got, want)
	}
	// The merge key adds, after the explicit entries, those they do not set.
	m := n.Get("merged")
	var keys []string
	for _, k := range m.Keys {
		keys = append(keys, k.String())
	}
	if !reflect.DeepEqual(keys, []string{"materialized", "tags"}) {
		t.Errorf("merged keys = %v", keys)
	}
	before := mustParse(t, "b: &b {x: 1, y: 2}\nm:\n  y: 3\n  <<: *b\n").Get("m").Interface()
	if want := map[string]any{"x": int64(1), "y": int64(3)}; !reflect.DeepEqual(before, want) {
		t.Errorf("explicit key before the merge: got %v, want %v", before, want)
	}
	if v := n.Get("null_alias"); v == nil || v.Kind != Null {
		t.Errorf("alias of an empty anchor = %+v, want null", v)
	}
}

func TestNodeAccessors(t *testing.T) {
	n := mustParse(t, "s: text\ni: 3\nneg: -3\nbig: 18446744073709551615\nf: 2.5\nb: false\nnil:\nl: [a, 1, true]\nm: {k: v}\nnested: [[a]]\n")
	var nilNode *Node

	if nilNode.Get("x") != nil || n.Get("s").Get("x") != nil || n.Get("missing") != nil {
		t.Error("Get on nil, a scalar or a missing key must be nil")
	}
	if nilNode.String() != "" || n.Get("nil").String() != "" || n.Get("l").String() != "" {
		t.Error("String of nil, null and list must be empty")
	}
	if got := n.Get("b").String(); got != "false" {
		t.Errorf("String(false) = %q", got)
	}

	wantIface := map[string]any{
		"s": "text", "i": int64(3), "neg": int64(-3), "big": float64(math.MaxUint64), "f": 2.5, "b": false, "nil": nil,
		"l": []any{"a", int64(1), true}, "m": map[string]any{"k": "v"}, "nested": []any{[]any{"a"}},
	}
	if got := n.Interface(); !reflect.DeepEqual(got, wantIface) {
		t.Errorf("Interface() = %#v\nwant %#v", got, wantIface)
	}
	if nilNode.Interface() != nil {
		t.Error("Interface of nil node must be nil")
	}

	ints := []struct {
		key  string
		want int64
		ok   bool
	}{{"i", 3, true}, {"neg", -3, true}, {"big", 0, false}, {"f", 0, false}, {"s", 0, false}, {"l", 0, false}}
	for _, c := range ints {
		got, ok := n.Get(c.key).Int()
		if got != c.want || ok != c.ok {
			t.Errorf("Int(%s) = %d, %v; want %d, %v", c.key, got, ok, c.want, c.ok)
		}
	}
	if got, ok := mustParse(t, "9223372036854775807").Int(); !ok || got != math.MaxInt64 {
		t.Errorf("Int(MaxInt64) = %d, %v", got, ok)
	}
	if _, ok := nilNode.Int(); ok {
		t.Error("Int of nil must fail")
	}

	strs := []struct {
		key  string
		want []string
		ok   bool
	}{{"s", []string{"text"}, true}, {"i", []string{"3"}, true}, {"nil", nil, true},
		{"l", []string{"a", "1", "true"}, true}, {"m", nil, false}, {"nested", nil, false}}
	for _, c := range strs {
		got, ok := n.Get(c.key).Strings()
		if !reflect.DeepEqual(got, c.want) || ok != c.ok {
			t.Errorf("Strings(%s) = %q, %v; want %q, %v", c.key, got, ok, c.want, c.ok)
		}
	}

	desc := map[string]string{"s": `"text"`, "i": `"3"`, "nil": "null", "l": "a list", "m": "a mapping"}
	for key, want := range desc {
		if got := n.Get(key).Describe(); got != want {
			t.Errorf("Describe(%s) = %q, want %q", key, got, want)
		}
	}
	if got := mustParse(t, "x: '  padded  '").Get("x").Describe(); got != `"padded"` {
		t.Errorf("Describe trims: got %s", got)
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{Null: "null", Scalar: "a scalar", Map: "a mapping", Seq: "a list", Kind(9): "null"}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), k.String(), s)
		}
	}
}
