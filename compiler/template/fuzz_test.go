package template

import (
	"testing"
)

// FuzzRender parses and renders arbitrary model source with the project's
// macros: a bad template is a diagnostic, never a panic.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"select {{ cents('x', scale=3) }} from {{ ref('a') }}",
		"{% for x in [1, 2] %}{{ loop.index }}{% if not loop.last %},{% endif %}{% endfor %}",
		"{{ run_started_at.strftime('%Y') }} {{ this.schema }} {{ var('days') }}",
		"{% set x %}a{% endset %}{{ x | upper }} {{ {'a': 1}['a'] ~ 'b' }}",
		"{{ pick([1, 2]) }} {{ deep(0) }} {{ 1 / 0 }} {{ none.x }}",
		"{% macro m(a) %}{{ a }}{% endmacro %}{{ m(a=1) }}",
		"{{ config(materialized='table') }}{{ env_var('NOPE', 'd') }}{{ adapter.dispatch('now')() }}",
	} {
		f.Add(seed)
	}
	env := newEnv(f)
	f.Fuzz(func(t *testing.T, src string) {
		tmpl, ds := env.Parse("models/m.sql", src)
		if len(ds) > 0 {
			return
		}
		env.Render(tmpl, &fakeResolver{})
	})
}
