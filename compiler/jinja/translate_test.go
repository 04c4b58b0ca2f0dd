package jinja

import (
	"strings"
	"testing"

	"github.com/flosch/pongo2/v6"
)

func TestTranslateErrors(t *testing.T) {
	cases := []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"call block", "{% call foo() %}x{% endcall %}", 1, 4, `unsupported Jinja construct "{% call %}"`},
		{"filter block", "a\n  {% filter upper %}x{% endfilter %}", 2, 6, `unsupported Jinja construct "{% filter %}"`},
		{"include", `{% include "x.sql" %}`, 1, 4, `unsupported Jinja construct "{% include %}"`},
		{"extends", `{% extends "base" %}`, 1, 4, `unsupported Jinja construct "{% extends %}"`},
		{"block", `{% block b %}{% endblock %}`, 1, 4, `unsupported Jinja construct "{% block %}"`},
		{"import", `{% import "m" as m %}`, 1, 4, `unsupported Jinja construct "{% import %}"`},
		{"from import", `{% from "m" import x %}`, 1, 4, `unsupported Jinja construct "{% from %}"`},
		{"break", `{% for x in y %}{% break %}{% endfor %}`, 1, 20, `unsupported Jinja construct "{% break %}"`},
		{"unknown tag", "select 1\n{% frobnicate x %}", 2, 4, `unknown tag "{% frobnicate %}"`},
		{"loop outside a loop", "{{ loop.index }}", 1, 4, `"loop.index" outside of a for loop body`},
		{"unsupported loop attribute", "{% for x in y %}{{ loop.previtem }}{% endfor %}", 1, 25, `unsupported Jinja construct "loop.previtem"`},
		{"bare loop", "{% for x in y %}{{ loop }}{% endfor %}", 1, 20, `"loop" can only be used as`},
		{"unknown filter", "select\n  {{ x | nosuch(1) }}", 2, 10, `unknown filter "nosuch"`},
		{"unknown test", "{% if x is nosuch %}{% endif %}", 1, 12, `unknown test "nosuch"`},
		{"unclosed if", "a\n{% if x %}\nb", 2, 4, `unclosed "{% if %}": missing "{% endif %}"`},
		{"unclosed for inside if", "{% if x %}{% for y in z %}{% endif %}", 1, 30, `unexpected "{% endif %}": the innermost open block is "{% for %}"`},
		{"end without start", "{% endfor %}", 1, 4, `unexpected "{% endfor %}" outside of a "{% for %}" block`},
		{"else outside a block", "{% else %}", 1, 4, `unexpected "{% else %}"`},
		{"elif after else", "{% if a %}{% else %}{% elif b %}{% endif %}", 1, 24, `"{% elif %}" after "{% else %}"`},
		{"unclosed variable", "select {{ x", 1, 8, `unclosed "{{": missing "}}"`},
		{"unclosed string", `{{ "abc }}`, 1, 4, "unclosed string literal"},
		{"unclosed comment", "a {# b", 1, 3, `unclosed comment: missing "#}"`},
		{"unclosed raw", "{% raw %}x", 1, 1, `unclosed "{% raw %}"`},
		{"stray endraw", "{% endraw %}", 1, 4, `unexpected "{% endraw %}"`},
		{"positional after keyword", "{{ f(a=1, 2) }}", 1, 11, "positional argument follows keyword argument"},
		{"argument unpacking", "{{ f(*args) }}", 1, 6, `"*" argument unpacking`},
		{"reserved name", "{{ __x }}", 1, 4, `the name "__x" is reserved`},
		{"reserved target", "{% set export = 1 %}", 1, 8, `the name "export" is reserved`},
		{"loop is not assignable", "{% for loop in x %}{% endfor %}", 1, 8, `the name "loop" is reserved`},
		{"loop filter using loop", "{% for x in xs if loop.index %}{% endfor %}", 1, 19, `"loop.index" outside of a for loop body`},
		{"recursive loop", "{% for x in xs recursive %}{% endfor %}", 1, 16, `"{% for ... recursive %}"`},
		{"macro inside if", "{% if x %}{% macro m() %}{% endmacro %}{% endif %}", 1, 14, `"{% macro %}" must be at the top level`},
		{"filtered block set", "{% set x | upper %}a{% endset %}", 1, 10, `"{% set x | filter %}"`},
		{"tuple subscript", "{{ a[1, 2] }}", 1, 5, "subscript with several values"},
		{"incomplete expression", "{{ 1 + }}", 1, 8, `unexpected end of tag, expected an expression`},
		{"trailing tokens", "{{ a b }}", 1, 6, `unexpected "b", expected end of tag`},
		{"bad character", "{{ a # b }}", 1, 6, `unexpected character '#' in tag`},
		{"non-ASCII name", "{{ café }}", 1, 7, `unexpected character 'é' in tag`},
		{"unbalanced bracket", "{{ (a] }}", 1, 6, `unexpected "]": "(" is not closed`},
		{"multi-line tag", "{{ config(\n    materialized=\"table\",\n    tags=[\"a\" | nosuch]\n) }}", 3, 17, `unknown filter "nosuch"`},
		{"non-default after default", "{% macro m(a=1, b) %}{% endmacro %}", 1, 17, `non-default parameter "b" follows a default parameter`},
		{"unsupported escape", `{{ "\N{DASH}" }}`, 1, 4, `unsupported \N{...} escape`},
		{"empty tag", "{% %}", 1, 1, `expected a tag name after "{%"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Translate(tc.src)
			for _, e := range errs {
				if e.Line == tc.line && e.Col == tc.col && strings.Contains(e.Msg, tc.msg) {
					return
				}
			}
			t.Errorf("errors %v, want one at %d:%d: ...%s...", errs, tc.line, tc.col, tc.msg)
		})
	}
}

func TestTranslateReportsEveryError(t *testing.T) {
	src := "{{ a | nope }}\nok\n{{ b is nope }}\n{% call x() %}{% endcall %}"
	_, errs := Translate(src)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`1:8: unknown filter "nope"`,
		`3:9: unknown test "nope"`,
		`4:4: unsupported Jinja construct "{% call %}"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTranslateKeepsLines(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{
			name: "multi-line tag keeps its newlines hidden after it",
			src:  "{{ config(\n  materialized=\"table\"\n) }}\nselect 1\n",
			want: "{{ __.str(__.fn(\"config\", __.kw(\"materialized\", \"table\"))) }}{% comment %}\n\n{% endcomment %}\nselect 1{% comment %}\n{% endcomment %}",
		},
		{
			name: "trimmed newlines are hidden",
			src:  "a\n{%- if x -%}\n b\n{%- endif %}",
			want: "a{% comment %}\n{% endcomment %}{% if __.bool(__.var(\"x\")) %}{% comment %}\n{% endcomment %}b{% comment %}\n{% endcomment %}{% endif %}",
		},
		{
			name: "multi-line comment",
			src:  "a{# x\ny #}b",
			want: "a{% comment %}\n{% endcomment %}b",
		},
		{
			name: "CRLF becomes LF",
			src:  "a\r\n{{ b }}\r\n",
			want: "a\n{{ __.str(__.var(\"b\")) }}{% comment %}\n{% endcomment %}",
		},
		{
			name: "braces that pongo2 would read as tags",
			src:  "{% raw %}{{ x }}{% endraw %} {",
			want: "{% templatetag openbrace %}{ x }} {% templatetag openbrace %}",
		},
		{
			name: "plain string output is text",
			src:  `{{ "a" }}{{ 'b' }}`,
			want: "ab",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := Translate(tc.src)
			if errs != nil {
				t.Fatalf("errors: %v", errs)
			}
			if got != tc.want {
				t.Errorf("translated\n%q\nwant\n%q", got, tc.want)
			}
			if strings.Count(got, "\n") != strings.Count(tc.src, "\n") {
				t.Errorf("%d lines, the source has %d", strings.Count(got, "\n"), strings.Count(tc.src, "\n"))
			}
		})
	}
}

func TestRuntimeErrorsCarryOriginalLines(t *testing.T) {
	src := "{# header\n   comment #}\nselect\n  {{ config(\n    a=1\n  ) }},\n  {{ boom() }}\n"
	translated, errs := Translate(src)
	if errs != nil {
		t.Fatal(errs)
	}
	tpl, err := pongo2.FromString(translated)
	if err != nil {
		t.Fatal(err)
	}
	ctx := Globals(nil)
	ctx["config"] = func(...*pongo2.Value) string { return "" }
	ctx["boom"] = func() (string, error) { return "", errBoom }
	_, err = tpl.Execute(ctx)
	perr, ok := err.(*pongo2.Error)
	if !ok || perr.Line != 7 {
		t.Fatalf("error %v, want one at line 7", err)
	}
}

type boomError struct{}

func (boomError) Error() string { return "boom" }

var errBoom = boomError{}
