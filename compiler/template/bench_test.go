package template

import (
	"testing"

	"martlet/compiler/project"
)

// benchModel is a model like the synthetic project's: CTEs, a ref, two
// macro calls and a var.
const benchModel = `{# int_05601: generated intermediate model over stg_01125. #}

with base as (
    select id, parent_id, category, amount, event_at, label
    from {{ ref("stg_01125") }}
),

final as (
    select
        base.id,
        {{ normalized("base.category") }} as category,
        {{ rounded("base.amount", 3) }} as amount,
        base.event_at
    from base
    where base.amount >= {{ var("min_amount") }}
)

select * from final
`

const benchMacros = `{% macro rounded(expr, scale=2) %}round(cast({{ expr }} as double), {{ scale }}){% endmacro %}
{% macro normalized(col) %}lower(trim({{ col }})){% endmacro %}
`

func benchEnv(b *testing.B) *Env {
	e, ds := NewEnv(EnvOptions{Project: "p", Vars: map[string]any{"min_amount": 0},
		MacroFiles: []project.File{{Path: "macros/m.sql", Data: []byte(benchMacros)}}})
	if len(ds) > 0 {
		b.Fatal(ds)
	}
	return e
}

// BenchmarkParseModel translates and parses a model template.
func BenchmarkParseModel(b *testing.B) {
	e := benchEnv(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ds := e.Parse("models/m.sql", benchModel); len(ds) > 0 {
			b.Fatal(ds)
		}
	}
}

// BenchmarkRenderModel renders a parsed model template.
func BenchmarkRenderModel(b *testing.B) {
	e := benchEnv(b)
	t, ds := e.Parse("models/m.sql", benchModel)
	if len(ds) > 0 {
		b.Fatal(ds)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, d := e.Render(t, &fakeResolver{}); d != nil {
			b.Fatal(d)
		}
	}
}
