package jinja

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/flosch/pongo2/v6"
)

func TestKeywordArgumentsReachGoFunctions(t *testing.T) {
	var calls []map[string]any
	ctx := pongo2.Context{
		"config": func(args ...*pongo2.Value) string {
			positional, kwargs := SplitArgs(args)
			call := map[string]any{"positional": len(positional)}
			for k, v := range kwargs {
				call[k] = ToGo(v)
			}
			calls = append(calls, call)
			return ""
		},
	}
	src := `{{ config(materialized="table", unique_key="id", tags=["a", "b"], meta={"x": 1, "y": none}) }}` +
		"\n{% config materialized=\"view\", schema=\"raw\" %}"
	if _, err := render(src, ctx); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"positional": 0, "materialized": "table", "unique_key": "id", "tags": []any{"a", "b"}, "meta": map[string]any{"x": 1, "y": nil}},
		{"positional": 0, "materialized": "view", "schema": "raw"},
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("config calls\n%v\nwant\n%v", calls, want)
	}
}

func TestNamespacedCalls(t *testing.T) {
	resolve := NamespaceCall(func(name string, args []*pongo2.Value) (*pongo2.Value, error) {
		positional, kwargs := SplitArgs(args)
		parts := []string{name}
		for _, a := range positional {
			parts = append(parts, strValue(a))
		}
		for _, k := range slices.Sorted(maps.Keys(kwargs)) {
			parts = append(parts, k+"="+strValue(kwargs[k]))
		}
		if name == "adapter.dispatch" {
			prefix := strings.Join(parts, " ")
			return pongo2.AsValue(func(args ...*pongo2.Value) string {
				return "<" + prefix + ": " + args[0].String() + ">"
			}), nil
		}
		return pongo2.AsValue("<" + strings.Join(parts, " ") + ">"), nil
	})
	ctx := pongo2.Context{
		NamespaceCallKey: resolve,
		"config":         func(...*pongo2.Value) string { return "" },
		"target":         map[string]any{"name": "dev"},
	}
	cases := []struct{ src, want string }{
		{"{{ dbt.current_timestamp() }}", "<dbt.current_timestamp>"},
		{`{{ dbt_utils.star(from="t", except=["a"]) }}`, "<dbt_utils.star except=['a'] from=t>"},
		{`{{ adapter.dispatch("m", "pkg")("x") }}`, "<adapter.dispatch m pkg: x>"},
		{`{{ config.get("materialized") }}`, "<config.get materialized>"},
		{`{{ "Ab".lower() }}`, "ab"},
		{`{{ modules.datetime.date.today() }}`, "<modules.datetime.date.today>"},
		{`{{ target.name.upper() }}`, "DEV"},
	}
	for _, tc := range cases {
		got, err := render(tc.src, ctx)
		if err != nil || got != tc.want {
			t.Errorf("%s rendered %q, %v; want %q", tc.src, got, err, tc.want)
		}
	}
	if _, err := render("{{ dbt.current_timestamp() }}", nil); err == nil || !strings.Contains(err.Error(), `"dbt.current_timestamp" is undefined`) {
		t.Errorf("without a NamespaceCall: %v", err)
	}
}

// relation stands for a Go value the caller puts into the context.
type relation struct {
	Schema, Name string
}

func (r relation) String() string { return `"` + r.Schema + `"."` + r.Name + `"` }

func TestGoValuesInTemplates(t *testing.T) {
	ctx := pongo2.Context{
		"this":   relation{Schema: "main", Name: "orders"},
		"m":      map[string]any{"b": 2, "a": []string{"x"}},
		"fns":    map[string]any{"double": func(n int) int { return 2 * n }},
		"nums":   []int64{1, 2, 3},
		"ratio":  float32(0.5),
		"getter": func() func(string) string { return strings.ToUpper },
	}
	cases := []struct{ src, want string }{
		{"{{ this }}", `"main"."orders"`},
		{"{{ this.schema }}.{{ this.Name }}", "main.orders"},
		{"{{ m }} {{ m.a[0] }} {% for k in m %}{{ k }}{% endfor %}", "{'a': ['x'], 'b': 2} x ab"},
		{"{{ fns.double(21) }}", "42"},
		{"{{ nums|sum }} {{ nums[-1] }} {{ 2 in nums }}", "6 3 True"},
		{"{{ ratio * 2 }}", "1.0"},
		{`{{ getter()("abc") }}`, "ABC"},
	}
	for _, tc := range cases {
		got, err := render(tc.src, ctx)
		if err != nil || got != tc.want {
			t.Errorf("%s rendered %q, %v; want %q", tc.src, got, err, tc.want)
		}
	}
}

func TestRuntimeErrors(t *testing.T) {
	cases := []struct{ src, msg string }{
		{"{{ x.y }}", `cannot read attribute "y" of an undefined value`},
		{"{{ x[0] }}", "cannot read item 0 of an undefined value"},
		{"{{ x + 1 }}", "unsupported operand type(s) for +: 'Undefined' and 'int'"},
		{"{{ 1 / 0 }}", "division by zero"},
		{`{{ "a" + 1 }}`, "unsupported operand type(s) for +: 'str' and 'int'"},
		{`{{ "a" < 1 }}`, "'<' not supported between instances of 'str' and 'int'"},
		{`{{ 1 in 2 }}`, "argument of type 'int' is not iterable"},
		{`{% do "s".append(1) %}`, "'str' object has no attribute 'append'"},
		{`{% do cols.append(1) %}`, "cannot append: the list comes from Go"},
		{`{% for a, b in [1] %}{% endfor %}`, "cannot unpack non-iterable int object"},
		{`{% set a, b = [1, 2, 3] %}`, "too many values to unpack (expected 2)"},
		{`{{ {[1]: 2} }}`, "unhashable type: 'list'"},
		{`{{ range(200000) }}`, "range() is limited to 100000 items"},
		{`{% set ns = {} %}{% set ns.x = 1 %}`, "cannot assign attribute on non-namespace object"},
		{`{{ "x"|round }}`, "filter round: type str doesn't define __round__ method"},
		{`{{ [1]|join(attribute="a.b") }}`, "cannot read item 'b' of an undefined value"},
		{`{{ "%d" % "x" }}`, "%d format: a real number is required, not str"},
		{`{{ "{:>3}".format(1) }}`, "format field {:>3} is not supported"},
		{`{{ x|tojson }}`, "object of type Undefined is not JSON serializable"},
		{`{{ undefined_fn() }}`, `"undefined_fn" is undefined`},
		{`{% set xs = [] %}{% do xs.append(xs) %}{{ xs|tojson }}`, "circular reference detected"},
		{`{% set xs = [] %}{% do xs.append(xs) %}{% set ys = [] %}{% do ys.append(ys) %}{{ xs < ys }}`, "maximum recursion depth exceeded"},
	}
	for _, tc := range cases {
		_, err := render(tc.src, renderContext())
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want one containing %q", tc.src, err, tc.msg)
		}
	}
}

func TestEvalExpr(t *testing.T) {
	ctx := Globals(nil)
	ctx["n"] = 2
	cases := []struct {
		expr string
		want any
	}{
		{"2", 2},
		{`"x"`, "x"},
		{`__.list(1, "a")`, []any{1, "a"}},
		{`__.dict("k", __.none)`, map[string]any{"k": nil}},
		{"__.add(n, 1)", 3},
		{"__.none", nil},
		{"__.undefined", nil},
	}
	for _, tc := range cases {
		for range 2 {
			v, err := EvalExpr(tc.expr, ctx)
			if err != nil {
				t.Fatalf("%s: %v", tc.expr, err)
			}
			if got := ToGo(v); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
			}
		}
	}
	if v, _ := EvalExpr("__.none", ctx); v.Interface() != None {
		t.Errorf("__.none = %#v, want None", v.Interface())
	}
	if _, err := EvalExpr("__.div(1, 0)", ctx); err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Errorf("__.div(1, 0): %v", err)
	}
	if _, err := EvalExpr("(", ctx); err == nil {
		t.Error("a malformed expression evaluated")
	}
}

func TestSelfContainingList(t *testing.T) {
	// Rendered by Jinja2 3.1.
	got, err := render(`{% set xs = [1] %}{% do xs.append(xs) %}{% set d = {} %}{% do d.update(me=d, l=xs) %}{{ xs }} {{ d }} {{ xs == xs }} {{ xs|length }}`, nil)
	if err != nil || got != "[1, [...]] {'me': {...}, 'l': [1, [...]]} True 2" {
		t.Errorf("rendered %q, %v", got, err)
	}
}

func TestSplitArgs(t *testing.T) {
	args := []*pongo2.Value{
		pongo2.AsValue("a"),
		pongo2.AsValue(Kwarg{Name: "k", Value: pongo2.AsValue(1)}),
		pongo2.AsValue(2),
	}
	positional, kwargs := SplitArgs(args)
	if len(positional) != 2 || positional[0].String() != "a" || positional[1].Integer() != 2 {
		t.Errorf("positional %v", positional)
	}
	if len(kwargs) != 1 || kwargs["k"].Integer() != 1 {
		t.Errorf("kwargs %v", kwargs)
	}
	if p, k := SplitArgs(nil); p != nil || k != nil {
		t.Errorf("no arguments split into %v, %v", p, k)
	}
}

func TestToGo(t *testing.T) {
	d := NewDict()
	if err := d.Set("l", &List{Tuple{1, None}, "x"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Set(1, "int key"); err != nil {
		t.Fatal(err)
	}
	got := ToGo(pongo2.AsValue(d))
	want := map[string]any{"l": []any{[]any{1, nil}, "x"}, "1": "int key"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ToGo = %#v, want %#v", got, want)
	}
	if got := ToGo(view(d, "keys")); !reflect.DeepEqual(got, []any{"l", 1}) {
		t.Errorf("ToGo(keys) = %#v", got)
	}
}

func TestDictKeys(t *testing.T) {
	d := NewDict()
	for _, kv := range [][2]any{{1, "int"}, {1.0, "float"}, {true, "bool"}, {"1", "string"}, {Tuple{1, "a"}, "tuple"}} {
		if err := d.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if got := fmt.Sprint(d); got != "{1: 'bool', '1': 'string', (1, 'a'): 'tuple'}" {
		t.Errorf("dict %s", got)
	}
	if v, ok := d.Get(Tuple{1.0, "a"}); !ok || v != "tuple" {
		t.Errorf("Get((1.0, 'a')) = %v, %v", v, ok)
	}
	if err := d.Set(&List{}, 1); err == nil {
		t.Error("a list became a dict key")
	}
	if _, ok := d.remove(1); !ok || d.Len() != 2 {
		t.Errorf("remove(1): %v, len %d", ok, d.Len())
	}
	if v, ok := d.Get("1"); !ok || v != "string" {
		t.Errorf("after remove, Get('1') = %v, %v", v, ok)
	}
}
