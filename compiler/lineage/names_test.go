package lineage

import (
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // the database/sql driver, to ask DuckDB for names

	"martlet/compiler/sqlcheck"
)

// duckNameCases are unaliased expressions over "main"."orders" whose
// DuckDB column names Analyze must reproduce exactly.
var duckNameCases = []string{
	"order_id", "o.order_id", "count(*)", "count(amount)", "count(distinct status)", "sum(amount)",
	"amount + 1", "amount + customer_id * 2", "(amount + 1) * 2", "amount::int", "cast(amount as bigint)",
	"order_id::varchar", "ordered_at::date", "amount::double", "amount::decimal(10, 2)", "1", "-1", "'a'",
	"'it''s'", "1.5", "true", "false", "null", "coalesce(status, 'x')", "nullif(status, '')",
	"greatest(amount, 1)", "lower(status)", "round(amount / 60.0, 1)", "-amount", "not (amount > 1)",
	"status is null", "status is not null", "status in ('a', 'b')", "status not in ('a')",
	"amount between 1 and 2", "status like 'a%'", "status ilike 'a%'", "status || 'x'", "amount = 1",
	"amount <> 1", "amount >= 1", "amount > 1 and amount < 2", "amount > 1 or status = 'x'",
	"case when amount > 1 then 1 else 2 end", "case status when 'x' then 1 end", "current_date",
	"date_trunc('day', ordered_at)", "abs(amount) % 2", "sum(amount)::double", "not (amount = 1)",
	"not (status in ('a'))", "not (status is null)", "not (status like 'a')", "not (amount > 1 and amount < 2)",
	"list_transform(list_value(amount), x -> x + 1)", "list_reduce(list_value(amount), (a, b) -> a + b)",
	"status is distinct from 'a'", "status is not distinct from 'a'", "not (status not in ('a', 'b'))", "max(amount) - min(amount)", "count(*) + 1", "upper(status) || lower(status)",
}

func TestDuckDBNames(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`create table orders (order_id int, customer_id int, amount decimal(12, 2), status varchar, ordered_at timestamp)`); err != nil {
		t.Fatal(err)
	}
	duck := testDuckDB(t)
	for _, e := range duckNameCases {
		query := "select " + e + ` from "main"."orders" o`
		rows, err := db.Query(query + " limit 0")
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil || len(cols) != 1 {
			t.Fatalf("%s: columns %q, %v", query, cols, err)
		}
		want := cols[0]
		if got := name(t, Analyze(query, sqlcheck.DialectDuckDB, goldenCatalog, Options{})); got != want {
			t.Errorf("%s: from pg_query's tree, name %q, DuckDB names it %q", query, got, want)
		}
		tp := new(tape)
		q, why := fromDuckDB(tp, duck, query)
		if q == nil {
			t.Fatalf("%s: %s", query, why)
		}
		a := &analyzer{cat: goldenCatalog, duck: true}
		if got := name(t, a.result(q)); got != want {
			t.Errorf("%s: from DuckDB's tree, name %q, DuckDB names it %q", query, got, want)
		}
	}
}

func name(t *testing.T, r Result) string {
	t.Helper()
	if r.Unknown != "" || len(r.Columns) != 1 {
		t.Fatalf("result %+v, want one column", r)
	}
	return r.Columns[0].Name
}
