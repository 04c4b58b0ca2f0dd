package lineage

import (
	"testing"

	"martlet/compiler/sqlcheck"
)

// benchModel is a typical mart: 40 lines, three CTEs, joins, aggregates,
// a window function and a CASE.
const benchModel = `with paid_orders as (
    select
        o.order_id,
        o.customer_id,
        o.amount,
        o.ordered_at,
        p.method
    from "main"."orders" as o
    join "main"."payments" as p on p.order_id = o.order_id
    where o.status = 'paid'
),
per_customer as (
    select
        customer_id,
        count(*) as orders,
        sum(amount) as revenue,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        count(*) filter (where method = 'card') as card_orders
    from paid_orders
    group by customer_id
),
ranked as (
    select
        pc.*,
        row_number() over (order by revenue desc) as revenue_rank
    from per_customer as pc
)
select
    c.customer_id,
    c.name as customer_name,
    c.country,
    coalesce(r.orders, 0) as orders,
    coalesce(r.revenue, 0) as revenue,
    r.first_order_at,
    r.last_order_at,
    round(r.card_orders * 1.0 / nullif(r.orders, 0), 3) as card_share,
    r.revenue_rank,
    case when r.revenue_rank <= 10 then 'top' else 'other' end as segment
from "main"."customers" as c
left join ranked as r on r.customer_id = c.customer_id`

// BenchmarkAnalyze measures Analyze on benchModel, pg_query's parse
// included, one goroutine at a time.
func BenchmarkAnalyze(b *testing.B) {
	b.SetBytes(int64(len(benchModel)))
	for b.Loop() {
		if r := Analyze(benchModel, sqlcheck.DialectDuckDB, goldenCatalog, Options{}); r.Unknown != "" || len(r.Columns) != 10 {
			b.Fatalf("%+v", r)
		}
	}
}

// BenchmarkAnalyzeParallel measures Analyze on all cores, as the compiler
// runs it: ns/op is wall time per model.
func BenchmarkAnalyzeParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Analyze(benchModel, sqlcheck.DialectDuckDB, goldenCatalog, Options{})
		}
	})
}

// BenchmarkAnalyzeTree measures Analyze given pg_query's tree (the
// PostgreSQL checker has parsed the SQL already): reading the tree and
// resolving columns only.
func BenchmarkAnalyzeTree(b *testing.B) {
	tree, serr := sqlcheck.PostgresParseJSON(benchModel)
	if serr != nil {
		b.Fatal(serr)
	}
	for b.Loop() {
		Analyze(benchModel, sqlcheck.DialectPostgres, goldenCatalog, Options{PostgresTree: tree})
	}
}

// BenchmarkParse measures pg_query's parse alone, for comparison.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		sqlcheck.PostgresParseJSON(benchModel)
	}
}
