package template

import (
	"strings"
	"testing"
	"time"

	"martlet/compiler/jinja"
	"martlet/compiler/project"
)

// fakeResolver answers node calls with fixed text and records configs.
type fakeResolver struct {
	config       map[string]any
	incremental  bool
	allowSecrets bool
}

func (f *fakeResolver) Ref(args []string) (any, error) {
	return `"main"."` + args[len(args)-1] + `"`, nil
}
func (f *fakeResolver) Source(s, t string) (any, error) { return `"` + s + `"."` + t + `"`, nil }
func (f *fakeResolver) Config(m map[string]any) error {
	if f.config == nil {
		f.config = map[string]any{}
	}
	for k, v := range m {
		f.config[k] = v
	}
	return nil
}
func (f *fakeResolver) This() any           { return `"main"."self"` }
func (f *fakeResolver) IsIncremental() bool { return f.incremental }
func (f *fakeResolver) AllowSecrets() bool  { return f.allowSecrets }
func (f *fakeResolver) ConfigGet(key string) (any, bool) {
	v, ok := f.config[key]
	return v, ok
}

const macroFile = `{% macro cents(col, scale=2) %}round({{ col }} * 100, {{ scale }}){% endmacro %}
{% macro pick(xs) %}{{ return(xs[1]) }}{% endmacro %}
{% macro default__now() %}now(){% endmacro %}
{% macro deep(n) %}{{ deep(n + 1) }}{% endmacro %}
{% macro broken() %}
  {{ ref("x") }} {{ var("missing") }}
{% endmacro %}`

// testInvocation is a fixed invocation, so renders are deterministic.
var testInvocation = Invocation{ID: "0b9e5a3c-2f4d-4c1e-9a7b-1d2e3f405060", StartedAt: time.Date(2024, 5, 1, 9, 30, 5, 123456000, time.UTC)}

func newEnv(t testing.TB) *Env {
	t.Helper()
	env, ds := NewEnv(EnvOptions{
		Project:    "shop",
		Vars:       map[string]any{"days": int64(3), "kinds": []any{"a", "b"}},
		Target:     project.Target{Name: "dev", Type: "duckdb", Schema: "main", Threads: 4},
		Invocation: testInvocation,
		MacroFiles: []project.File{{Path: "macros/m.sql", Data: []byte(macroFile)}},
	})
	if len(ds) > 0 {
		t.Fatalf("macros: %v", ds)
	}
	return env
}

func render(t *testing.T, env *Env, src string, r *fakeResolver) (string, string) {
	t.Helper()
	tmpl, ds := env.Parse("models/m.sql", src)
	if len(ds) > 0 {
		return "", ds[0].Error()
	}
	out, d := env.Render(tmpl, r)
	if d != nil {
		return "", d.Error()
	}
	return out.SQL, ""
}

func TestRender(t *testing.T) {
	env := newEnv(t)
	cases := []struct{ name, src, want string }{
		{"ref and source", `select * from {{ ref("a") }} join {{ source("raw", "e") }}`, `select * from "main"."a" join "raw"."e"`},
		{"macro default argument", `{{ cents("p") }}`, `round(p * 100, 2)`},
		{"macro keyword argument", `{{ cents("p", scale=0) }}`, `round(p * 100, 0)`},
		{"macro return", `{{ pick(["x", "y"]) }}`, `y`},
		{"list var in for with loop.last", `{% for k in var("kinds") %}{{ k }}{% if not loop.last %},{% endif %}{% endfor %}`, `a,b`},
		{"var default", `{{ var("absent", 7) }}`, `7`},
		{"target", `{{ target.name }}.{{ target.schema }}.{{ target.type }}`, `dev.main.duckdb`},
		{"this", `{{ this }}`, `"main"."self"`},
		{"dispatch", `{{ adapter.dispatch("now")() }}`, `now()`},
		{"dbt namespace", `{{ dbt.cents("q") }}`, `round(q * 100, 2)`},
		{"no html escaping", `{{ "<a & 'b'>" }}`, `<a & 'b'>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := render(t, env, c.src, &fakeResolver{})
			if err != "" || got != c.want {
				t.Errorf("got %q (error %q), want %q", got, err, c.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	env := newEnv(t)
	cases := []struct{ name, src, want string }{
		{"missing var", "select\n  {{ var('nope') }}", `models/m.sql:2:6: var "nope" is not defined`},
		{"missing env var", `{{ env_var("MARTLET_TEST_UNSET_VAR") }}`, `models/m.sql:1:4: environment variable MARTLET_TEST_UNSET_VAR is not set`},
		{"secret in model", `{{ env_var("MARTLET_SECRET_X", "d") }}`, `may be used only in targets and hooks`},
		{"unknown macro", `{{ nope_macro(1) }}`, `models/m.sql:1:4: "nope_macro" is undefined`},
		{"error inside a macro names the macro file", `{{ broken() }}`, `macros/m.sql:6:`},
		{"too many arguments", `{{ cents(1, 2, 3) }}`, `macro cents takes 2 arguments, got 3`},
		{"unknown keyword", `{{ cents(1, digits=2) }}`, `macro cents has no parameter "digits"`},
		{"recursion", `{{ deep(0) }}`, `recurses more than 100 levels deep`},
		{"template syntax", "select 1\n{% if x %}", `models/m.sql:2:`},
		{"loop outside a loop", `{{ loop.index }}`, `models/m.sql:1:4: "loop.index" outside of a for loop body`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := render(t, env, c.src, &fakeResolver{})
			if !strings.Contains(err, c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestConfigAndIncremental(t *testing.T) {
	env := newEnv(t)
	r := &fakeResolver{incremental: true}
	got, err := render(t, env, `{{ config(materialized="incremental", unique_key=["a", "b"]) }}x{% if is_incremental() %} y{% endif %}`, r)
	if err != "" || got != "x y" {
		t.Fatalf("got %q %q", got, err)
	}
	keys, ok := r.config["unique_key"].([]any)
	if !ok || len(keys) != 2 || keys[0] != "a" || keys[1] != "b" || r.config["materialized"] != "incremental" {
		t.Errorf("config: %#v", r.config)
	}
}

func TestUsedMacrosAndVars(t *testing.T) {
	env := newEnv(t)
	tmpl, _ := env.Parse("models/m.sql", `{{ cents("p") }} {{ var("days") }}`)
	out, d := env.Render(tmpl, &fakeResolver{})
	if d != nil {
		t.Fatal(d)
	}
	if strings.Join(out.MacrosUsed, ",") != "cents" || strings.Join(out.VarsUsed, ",") != "days" {
		t.Errorf("used: %v %v", out.MacrosUsed, out.VarsUsed)
	}
}

func TestDuplicateMacro(t *testing.T) {
	_, ds := NewEnv(EnvOptions{Target: project.Target{Type: "duckdb"}, Invocation: testInvocation, MacroFiles: []project.File{
		{Path: "macros/a.sql", Data: []byte("{% macro m() %}1{% endmacro %}")},
		{Path: "macros/b.sql", Data: []byte("\n{% macro m() %}2{% endmacro %}")},
	}})
	if len(ds) != 1 || !strings.Contains(ds[0].Error(), `macros/b.sql:2:1: macro "m" is defined twice (also in macros/a.sql:1)`) {
		t.Errorf("got %v", ds)
	}
}

func TestPureMacros(t *testing.T) {
	cases := []struct {
		body   string
		params []string
		pure   bool
	}{
		{"{% macro m(col) %}lower(trim({{ col }})){% endmacro %}", []string{"col"}, true},
		{"{% macro m(col) %}{# a note\n over lines #}lower({{ col }}){% endmacro %}", []string{"col"}, true},
		{"{% macro a(x) %}{{ x }}{% endmacro %}\n\n{% macro m(col) %}lower(trim({{ col }})){% endmacro %}", []string{"col"}, true},
		{"{% macro m(col, s=2) %}round({{ col ~ 'x' }}, {{ s }}){% if s > 1 %}!{% endif %}{% endmacro %}", []string{"col", "s"}, true},
		{"{% macro m(col) %}{{ ref(col) }}{% endmacro %}", []string{"col"}, false},
		{"{% macro m(col) %}{{ this }}.{{ col }}{% endmacro %}", []string{"col"}, false},
		{"{% macro m(col) %}{{ var('x') }}{% endmacro %}", []string{"col"}, false},
		{"{% macro m(xs) %}{% do xs.append(1) %}{% endmacro %}", []string{"xs"}, false},
		{"{% macro m(col) %}{% set y = col %}{{ y }}{% endmacro %}", []string{"col"}, false},
	}
	for _, c := range cases {
		translated, errs := jinja.Translate(c.body)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		_, macros, _ := jinja.ExtractMacros(translated)
		last := macros[len(macros)-1]
		if got := isPure(last.Body, c.params); got != c.pure {
			t.Errorf("%s: pure %v, want %v (translated %q)", c.body, got, c.pure, last.Body)
		}
	}
	env := newEnv(t)
	for _, arg := range []string{"a", "b", "a"} {
		got, err := render(t, env, `{{ cents("`+arg+`") }}`, &fakeResolver{})
		if err != "" || got != "round("+arg+" * 100, 2)" {
			t.Errorf("cached pure macro with %q: %q %q", arg, got, err)
		}
	}
	if !env.macros["cents"].pure {
		t.Errorf("cents should be pure")
	}
}

// TestInvocationGlobals checks dbt's execute, invocation_id and
// run_started_at, with run_started_at's datetime attributes and methods.
func TestInvocationGlobals(t *testing.T) {
	env := newEnv(t)
	for src, want := range map[string]string{
		"{% if execute %}run{% else %}parse{% endif %}":                     "run",
		"{{ invocation_id }}":                                               "0b9e5a3c-2f4d-4c1e-9a7b-1d2e3f405060",
		"{{ run_started_at }}":                                              "2024-05-01 09:30:05.123456+00:00",
		"{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f %j %a %b %%') }}": "2024-05-01 09:30:05.123456 122 Wed May %",
		"{{ run_started_at.strftime('%I %p %y %A %B %z %Z') }}":             "09 AM 24 Wednesday May +0000 UTC",
		"{{ run_started_at.isoformat() }}":                                  "2024-05-01T09:30:05.123456+00:00",
		"{{ run_started_at.year }}-{{ run_started_at.month }}-{{ run_started_at.day }} {{ run_started_at.microsecond }}": "2024-5-1 123456",
		"{{ run_started_at.timestamp() }}":                "1714555805.123456",
		"select '{{ run_started_at }}'::timestamptz as t": "select '2024-05-01 09:30:05.123456+00:00'::timestamptz as t",
	} {
		if got, err := render(t, env, src, &fakeResolver{}); err != "" || got != want {
			t.Errorf("%s = %q (error %q), want %q", src, got, err, want)
		}
	}
	for src, want := range map[string]string{
		"{{ run_started_at.strftime('%Q') }}": "strftime directive %Q is not supported",
		"{{ run_started_at.tzinfo }}":         `'datetime' object has no attribute "tzinfo"`,
	} {
		if _, err := render(t, env, src, &fakeResolver{}); !strings.Contains(err, "models/m.sql:1:") || !strings.Contains(err, want) {
			t.Errorf("%s: error %q, want one at models/m.sql:1 saying %q", src, err, want)
		}
	}
}
