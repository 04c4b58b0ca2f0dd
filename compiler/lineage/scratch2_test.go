package lineage

import (
	"database/sql"
	"fmt"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

func TestScratchNames(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`create table t("CustomerID" int, x int, y int, s varchar, d date, b boolean)`)
	for _, e := range []string{"customerid", "CustomerID", "t.x", "x as MyAlias", "count(*)", "count(x)", "count(distinct x)", "sum(x)", "x+1", "x + y * 2", "x::int", "cast(x as bigint)", "x::varchar", "1", "'a'", "1.5", "true", "null", "coalesce(x, 0)", "nullif(x, 0)", "greatest(x, y)", "case when x > 1 then 1 else 2 end", "case x when 1 then 'a' end", "-x", "not b", "x is null", "x is not null", "x in (1, 2)", "x between 1 and 2", "s like 'a%'", "s || 'a'", "b and b", "lower(s)", "round(x / 60.0, 1)", "row_number() over (partition by x order by y)", "sum(x) over ()", "count(*) filter (where x > 1)", "(select 1)", "exists (select 1)", "current_date", "date_trunc('day', d)", "[1, 2]", "x = y", "x <> y", "x >= 1", "s ilike 'a'", "s::date", "x % 2", "x // 2", "abs(x)", "min(x)", "extract(year from d)", "t.*", "*", "x::decimal(10,2)", "{'a': 1}", "s[1]", "interval 1 day", "d + interval 1 day", "sum(x)::double", "list(x order by y)", "string_agg(s, ',')", "\"x\"", "X", "count(1)", "avg(x) as \"Avg\""} {
		rows, err := db.Query("select " + e + " from t")
		if err != nil {
			fmt.Printf("%-45s ERR %v\n", e, err)
			continue
		}
		cols, _ := rows.Columns()
		rows.Close()
		fmt.Printf("%-45s %q\n", e, cols)
	}
}
