package lineage

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"martlet/compiler/sqlcheck"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata with the results")

// testCatalog is the project the golden cases run against: relations as
// compiled SQL writes them ("main"."orders"), or unqualified, in schema
// main; ephemeral models by CTE name.
type testCatalog struct {
	relations map[string]string   // schema.name -> node ID
	columns   map[string][]string // node ID -> columns; nil: unknown
}

var goldenCatalog = &testCatalog{
	relations: map[string]string{
		"main.orders":                 "model.shop.orders",
		"main.customers":              "model.shop.customers",
		"main.payments":               "seed.shop.payments",
		"main.Accounts":               "seed.shop.Accounts",
		"raw.events":                  "source.shop.raw.events",
		"raw.clicks":                  "source.shop.raw.clicks",
		".__dbt__cte__order_items":    "model.shop.order_items",
		".__dbt__cte__items_unknown":  "model.shop.items_unknown",
		".__dbt__cte__items_by_order": "model.shop.items_by_order",
	},
	columns: map[string][]string{
		"model.shop.orders":         {"order_id", "customer_id", "amount", "status", "ordered_at"},
		"model.shop.customers":      {"customer_id", "name", "country"},
		"seed.shop.payments":        {"payment_id", "order_id", "amount", "method"},
		"seed.shop.Accounts":        {"AccountID", "Owner"},
		"model.shop.order_items":    {"order_id", "sku", "qty"},
		"model.shop.items_by_order": {"order_id", "items"},
	},
}

func (c *testCatalog) NodeForRelation(schema, name string) (string, bool) {
	if schema == "" && !strings.HasPrefix(name, EphemeralPrefix) {
		schema = "main"
	}
	id, ok := c.relations[schema+"."+name]
	return id, ok
}

func (c *testCatalog) Columns(id string) []string { return c.columns[id] }

// render writes a result as the golden files do: a line per column,
// "name: node.column kind, ...", names the database made up marked
// [generated], then why lineage is unknown and what was not resolved.
func render(r Result) string {
	var b strings.Builder
	for _, c := range r.Columns {
		b.WriteString(c.Name)
		if c.Generated {
			b.WriteString(" [generated]")
		}
		b.WriteString(":")
		if len(c.Upstream) == 0 {
			b.WriteString(" -")
		}
		for i, e := range c.Upstream {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, " %s.%s %s", e.Node, e.Column, e.Kind)
		}
		b.WriteString("\n")
	}
	if r.Unknown != "" {
		fmt.Fprintf(&b, "unknown: %s\n", r.Unknown)
	}
	if len(r.Unresolved) > 0 {
		fmt.Fprintf(&b, "unresolved: %s\n", strings.Join(r.Unresolved, " | "))
	}
	return b.String()
}

// goldenCase is one case of a golden file:
//
//	=== name
//	-- dialect: duckdb          (optional; postgres by default)
//	<SQL>
//	---
//	<render of the result>
type goldenCase struct {
	name, dialect, sql, want string
}

func parseGolden(t *testing.T, text string) (header string, cases []goldenCase) {
	parts := strings.Split(text, "\n=== ")
	header = parts[0]
	if strings.HasPrefix(header, "=== ") {
		header, parts[0] = "", strings.TrimPrefix(header, "=== ")
	} else {
		parts = parts[1:]
	}
	for _, p := range parts {
		name, body, _ := strings.Cut(p, "\n")
		sql, want, ok := strings.Cut(body, "\n---\n")
		if !ok {
			t.Fatalf("case %q: no --- line", name)
		}
		c := goldenCase{name: name, dialect: "postgres", sql: sql, want: strings.TrimSpace(want)}
		if d, rest, ok := strings.Cut(sql, "\n"); ok && strings.HasPrefix(d, "-- dialect: ") {
			c.dialect, c.sql = strings.TrimPrefix(d, "-- dialect: "), rest
		}
		cases = append(cases, c)
	}
	return header, cases
}

func formatGolden(header string, cases []goldenCase) string {
	var b strings.Builder
	b.WriteString(header)
	for _, c := range cases {
		fmt.Fprintf(&b, "\n=== %s\n", c.name)
		if c.dialect != "postgres" {
			fmt.Fprintf(&b, "-- dialect: %s\n", c.dialect)
		}
		fmt.Fprintf(&b, "%s\n---\n%s\n", c.sql, c.want)
	}
	return b.String()
}

var (
	duckOnce    sync.Once
	duckChecker *sqlcheck.DuckDBChecker
	duckErr     error
)

// testDuckDB returns a DuckDB checker shared by the package's tests.
func testDuckDB(t testing.TB) *sqlcheck.DuckDBChecker {
	duckOnce.Do(func() { duckChecker, duckErr = sqlcheck.NewDuckDB() })
	if duckErr != nil {
		t.Fatal(duckErr)
	}
	return duckChecker
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		header, cases := parseGolden(t, string(data))
		for i, c := range cases {
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txt")+"/"+c.name, func(t *testing.T) {
				opts := Options{}
				if c.dialect == "duckdb" {
					opts.DuckDB = testDuckDB(t)
				}
				got := strings.TrimSpace(render(Analyze(c.sql, sqlcheck.Dialect(c.dialect), goldenCatalog, opts)))
				if *update {
					cases[i].want = got
				} else if got != c.want {
					t.Errorf("SQL:\n%s\ngot:\n%s\nwant:\n%s", c.sql, got, c.want)
				}
			})
		}
		if *update {
			if err := os.WriteFile(file, []byte(formatGolden(header, cases)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
