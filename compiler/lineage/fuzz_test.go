package lineage

import (
	"strings"
	"testing"
	"time"

	"martlet/compiler/sqlcheck"
)

// FuzzAnalyze checks that no SQL makes Analyze panic (its recover would
// report an internal error) or return columns along with Unknown.
func FuzzAnalyze(f *testing.F) {
	f.Add(benchModel, false)
	f.Add(`select * from "main"."orders" o join "main"."payments" p using (order_id)`, false)
	f.Add(`select * exclude (x) from t qualify row_number() over () = 1`, true)
	f.Add(`with recursive r(n) as (select 1 union all select n + 1 from r) select * from r`, true)
	f.Add(`select (select max(a) from t where t.b = u.b), exists (select 1) from u, lateral (select u.c) l`, false)
	f.Add(`select a[1], (b).c, d collate "C", e::numeric(3, 1), case f when 1 then 2 end from g natural join h`, true)
	f.Add(`from t select a union by name select * replace (b + 1 as b) from u`, true)
	f.Add(`select 1 from generate_series(1, 3) g(n), (values (1, 2)) v(a, b), xmltable('/' passing x columns y int) z`, false)
	duck := testDuckDB(f)
	f.Fuzz(func(t *testing.T, sql string, duckdb bool) {
		dialect, opts := sqlcheck.DialectPostgres, Options{}
		if duckdb {
			dialect, opts.DuckDB = sqlcheck.DialectDuckDB, duck
		}
		done := make(chan Result, 1)
		go func() { done <- Analyze(sql, dialect, goldenCatalog, opts) }()
		var r Result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Analyze(%q, %s) takes more than 10 s", sql, dialect)
		}
		if strings.HasPrefix(r.Unknown, "internal error") {
			t.Fatalf("Analyze(%q): %s", sql, r.Unknown)
		}
		if r.Unknown != "" && r.Columns != nil {
			t.Fatalf("Analyze(%q): columns with Unknown %q", sql, r.Unknown)
		}
	})
}

// FuzzTape checks the JSON reader on any text: no panic, and lookups on
// whatever it read stay in bounds.
func FuzzTape(f *testing.F) {
	f.Add(`{"a":[1,"x\u00e9\ud83d\ude00",{"b":null}],"c":true,"d":-1.5e3}`)
	f.Add(`[[],{},""]`)
	f.Fuzz(func(t *testing.T, src string) {
		var tp tape
		if tp.parse(src) != nil {
			return
		}
		var walk func(i int)
		walk = func(i int) {
			tp.str(i)
			tp.get(i, "a")
			for c := tp.first(i); c >= 0; c = tp.after(i, c) {
				walk(c)
			}
		}
		walk(0)
	})
}
