package jinja

import (
	"reflect"
	"strings"
	"testing"

	"github.com/flosch/pongo2/v6"
)

const macroFile = `{% macro cents(col, scale=2) -%}
  round({{ col }} / 100.0, {{ scale }})
{%- endmacro %}
{% macro label(x, tags=["a", "b"], sep=", ") %}{{ x }}: {{ tags|join(sep) }}{% endmacro %}
select {{ cents("amount") }} as amount, {{ cents("fee", scale=4) }} as fee, {{ label("t") }}, {{ label("u", sep="|") }}
`

func TestExtractMacros(t *testing.T) {
	translated, errs := Translate(macroFile)
	if errs != nil {
		t.Fatal(errs)
	}
	rest, macros, errs := ExtractMacros(translated)
	if errs != nil {
		t.Fatal(errs)
	}
	type header struct {
		Name      string
		Params    []Param
		Line, Col int
	}
	var got []header
	for _, m := range macros {
		got = append(got, header{m.Name, m.Params, m.Line, m.Col})
	}
	want := []header{
		{"cents", []Param{{Name: "col"}, {Name: "scale", Default: "2", HasDefault: true}}, 1, 1},
		{"label", []Param{{Name: "x"}, {Name: "tags", Default: `__.list("a", "b")`, HasDefault: true}, {Name: "sep", Default: `", "`, HasDefault: true}}, 4, 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("macros\n%+v\nwant\n%+v", got, want)
	}
	if strings.Count(rest, "\n") != strings.Count(macroFile, "\n") {
		t.Errorf("rest has %d lines, the file %d", strings.Count(rest, "\n"), strings.Count(macroFile, "\n"))
	}
	if strings.Contains(rest, "macro") {
		t.Errorf("rest still holds a macro: %q", rest)
	}
	bodies := []string{
		"{% comment %}\n{% endcomment %}round({{ __.str(__.var(\"col\")) }} / 100.0, {{ __.str(__.var(\"scale\")) }}){% comment %}\n{% endcomment %}",
		"{% comment %}\n\n\n" + strings.Repeat(" ", 38) + "{% endcomment %}{{ __.str(__.var(\"x\")) }}: {{ __.str(__.filter(\"join\", __.var(\"tags\"), __.var(\"sep\"))) }}",
	}
	for i, m := range macros {
		if m.Body != bodies[i] {
			t.Errorf("body of %s\n%q\nwant\n%q", m.Name, m.Body, bodies[i])
		}
	}
}

func TestMacrosRenderLikeJinja(t *testing.T) {
	got, err := render(macroFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Rendered by Jinja2 3.1.
	want := "\n\nselect round(amount / 100.0, 2) as amount, round(fee / 100.0, 4) as fee, t: a, b, u: a|b"
	if got != want {
		t.Errorf("rendered %q, Jinja renders %q", got, want)
	}
}

func TestMacroBodyKeepsOriginalLines(t *testing.T) {
	src := "select 1\n\n  {% macro m(x) %}\n  a\n  {{ x.attr }}\n{% endmacro %}\n"
	translated, errs := Translate(src)
	if errs != nil {
		t.Fatal(errs)
	}
	_, macros, errs := ExtractMacros(translated)
	if errs != nil || len(macros) != 1 {
		t.Fatalf("macros %v, errors %v", macros, errs)
	}
	m := macros[0]
	if m.Line != 3 || m.Col != 3 {
		t.Errorf("macro at %d:%d, want 3:3", m.Line, m.Col)
	}
	tpl, err := pongo2.FromString(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpl.Execute(Globals(nil))
	perr, ok := err.(*pongo2.Error)
	if !ok || perr.Line != 5 {
		t.Fatalf("rendering an undefined attribute: %q, %v; want an error at line 5", out, err)
	}
	ctx := Globals(nil)
	ctx["x"] = map[string]any{"attr": "v"}
	if out, err = tpl.Execute(ctx); err != nil || out != "\n  a\n  v\n" {
		t.Errorf("body renders %q, %v; want %q", out, err, "\n  a\n  v\n")
	}
}

func TestExtractMacrosErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"end without start", "a\n{% endmacro %}", 2, 1, `"{% endmacro %}" without "{% macro %}"`},
		{"unclosed", "{% macro m() %}x", 1, 1, `unclosed "{% macro %}"`},
		{"nested", "{% macro a() %}{% macro b() %}{% endmacro %}", 1, 16, `"{% macro %}" inside another macro`},
		{"defined twice", "{% macro a() %}{% endmacro %}\n{% macro a() %}{% endmacro %}", 2, 1, `macro "a" is defined twice`},
		{"malformed header", "{% macro a %}{% endmacro %}", 1, 1, `malformed "{% macro %}" tag`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, errs := ExtractMacros(tc.src)
			if len(errs) == 0 {
				t.Fatalf("no error, want %d:%d: %s", tc.line, tc.col, tc.msg)
			}
			e := errs[0]
			if e.Line != tc.line || e.Col != tc.col || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %v, want %d:%d: ...%s...", e, tc.line, tc.col, tc.msg)
			}
		})
	}
}
