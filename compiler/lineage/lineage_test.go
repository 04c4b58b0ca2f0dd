package lineage

import (
	"strings"
	"testing"

	"martlet/compiler/sqlcheck"
)

// TestAnalyzeOptions covers the inputs golden cases do not vary: a nil
// Catalog, a tree parsed by the caller, and DuckDB-only syntax without a
// DuckDB parser.
func TestAnalyzeOptions(t *testing.T) {
	const sql = `select o.order_id, amount * 2 as doubled from "main"."orders" o`
	tree, serr := sqlcheck.PostgresParseJSON(sql)
	if serr != nil {
		t.Fatal(serr)
	}
	tests := []struct {
		name    string
		sql     string
		dialect sqlcheck.Dialect
		cat     Catalog
		opts    Options
		want    string
	}{
		{"nil catalog", sql, sqlcheck.DialectPostgres, nil, Options{},
			"order_id: -\ndoubled: -\nunresolved: main.orders"},
		{"tree from the caller", "(ignored)", sqlcheck.DialectPostgres, goldenCatalog, Options{PostgresTree: tree},
			"order_id: model.shop.orders.order_id passthrough\ndoubled: model.shop.orders.amount derived"},
		{"malformed tree from the caller", sql, sqlcheck.DialectPostgres, goldenCatalog, Options{PostgresTree: "{"},
			"unknown: lineage: malformed parse tree JSON"},
		{"tree of another statement", sql, sqlcheck.DialectPostgres, goldenCatalog, Options{PostgresTree: `{"stmts":[{"stmt":{"InsertStmt":{}}}]}`},
			"unknown: not a SELECT statement"},
		{"DuckDB-only syntax without a DuckDB parser", "select * exclude (amount) from \"main\".\"orders\"", sqlcheck.DialectDuckDB, goldenCatalog, Options{},
			`unknown: DuckDB-only syntax that pg_query cannot parse (syntax error at or near "exclude")`},
	}
	for _, tc := range tests {
		got := strings.TrimSpace(render(Analyze(tc.sql, tc.dialect, tc.cat, tc.opts)))
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// TestResultOwnsItsStrings checks that results do not share edge slices
// between columns (a caller may edit one).
func TestResultOwnsItsStrings(t *testing.T) {
	r := Analyze(`with c as (select * from "main"."customers") select c.*, c.* from c`, sqlcheck.DialectPostgres, goldenCatalog, Options{})
	if len(r.Columns) != 6 {
		t.Fatalf("%d columns, want 6", len(r.Columns))
	}
	r.Columns[0].Upstream[0].Column = "changed"
	if r.Columns[3].Upstream[0].Column != "customer_id" {
		t.Error("columns share their upstream edges")
	}
}
