package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"martlet/runner/adapter/postgres"
	"martlet/runner/adapter/postgres/pgtest"
)

// pgRows runs a query on the test server and renders its rows as
// duckRows does.
func pgRows(t *testing.T, dsn, query string) string {
	t.Helper()
	out, err := postgresRows(dsn, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

// postgresRows runs a query on the server at dsn and renders its rows as
// duckRows does.
func postgresRows(dsn, query string) (string, error) {
	a, err := postgres.Open(context.Background(), dsn, 1)
	if err != nil {
		return "", err
	}
	defer a.Close()
	rows, err := a.Query(context.Background(), query, 0)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, row := range rows.Values {
		writeRow(&b, row)
	}
	return b.String(), nil
}

// TestPostgresBuild builds a portable project with --target prod on a real
// PostgreSQL server: seeds through COPY, views, an ephemeral model, tables,
// tests, an incremental model merged by key on a second build with changed
// seeds, and a clear failure for a wrong DSN.
func TestPostgresBuild(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := fmt.Sprintf("martlet_e2e_%d", rand.Uint32())
	t.Setenv("MARTLET_TEST_E2E_DSN", dsn)
	defer func() {
		if err := dropSchemas(dsn, schema); err != nil {
			t.Error(err)
		}
	}()
	dir := writeFiles(t, map[string]string{
		"martlet.yml": fmt.Sprintf(`name: pgshop
models:
  +materialized: view
  marts:
    +materialized: table
seeds:
  orders:
    +column_types: {amount: "numeric(12,2)"}
targets:
  dev: {type: duckdb, path: target/dev.duckdb}
  prod: {type: postgres, dsn_env: MARTLET_TEST_E2E_DSN, schema: %s, threads: 4}
`, schema),
		"seeds/customers.csv":           "customer_id,name\n1,Ada\n2,Grace\n3,Edsger\n",
		"seeds/orders.csv":              "order_id,customer_id,day,amount\n10,1,2024-01-01,5.00\n11,1,2024-01-02,7.50\n12,2,2024-01-02,3.25\n",
		"models/staging/stg_orders.sql": "select order_id, customer_id, cast(day as date) as day, amount from {{ ref('orders') }}",
		"models/intermediate/paid.sql":  "{{ config(materialized='ephemeral') }}select * from {{ ref('stg_orders') }} where amount > 0",
		"models/marts/customer_totals.sql": `select c.customer_id, c.name, count(p.order_id) as orders, coalesce(sum(p.amount), 0) as total
from {{ ref('customers') }} c left join {{ ref('paid') }} p on p.customer_id = c.customer_id
group by c.customer_id, c.name`,
		"models/marts/daily.sql": `{{ config(materialized='incremental', unique_key=['day', 'customer_id']) }}
select day, customer_id, sum(amount) as amount from {{ ref('stg_orders') }}
{% if is_incremental() %}where day >= (select max(day) from {{ this }}){% endif %}
group by day, customer_id`,
		"models/marts/p.yml": "version: 2\nmodels:\n  - name: customer_totals\n    columns:\n      - name: customer_id\n        tests: [unique, not_null]\n",
	})
	stdout, stderr, code := martlet(t, dir, "-t", "prod", "build")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got, want := pgRows(t, dsn, "select customer_id, name, orders, total from "+schema+".customer_totals order by 1"), "1\tAda\t2\t12.50\n2\tGrace\t1\t3.25\n3\tEdsger\t0\t0\n"; got != want {
		t.Errorf("customer_totals:\n%s\nwant\n%s", got, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "seeds", "orders.csv"), []byte("order_id,customer_id,day,amount\n12,2,2024-01-02,4.00\n13,3,2024-01-03,1.00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if stdout, stderr, code := martlet(t, dir, "-t", "prod", "build"); code != 0 {
		t.Fatalf("second build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	got := pgRows(t, dsn, "select day, customer_id, amount from "+schema+".daily order by 1, 2")
	want := "2024-01-01\t1\t5.00\n2024-01-02\t1\t7.50\n2024-01-02\t2\t4.00\n2024-01-03\t3\t1.00\n"
	if got != want {
		t.Errorf("daily after the incremental merge ((2024-01-02, 2) replaced by key, rows not in the new batch kept, (2024-01-03, 3) added):\n%s\nwant\n%s", got, want)
	}

	wrong, err := url.Parse(dsn)
	if err != nil || wrong.User == nil {
		t.Fatalf("MARTLET_TEST_PG_DSN must be a URL with a user: %v", err)
	}
	wrong.User = url.UserPassword(wrong.User.Username(), "wrong-password")
	wrong.Host = strings.Replace(wrong.Host, "localhost", "127.0.0.1", 1)
	t.Setenv("MARTLET_TEST_E2E_DSN", wrong.String())
	_, stderr, code = martlet(t, dir, "-t", "prod", "run")
	if code != 1 || !strings.Contains(stderr, "password authentication failed") || strings.Contains(stderr, "wrong-password") {
		t.Errorf("wrong password: exit %d, message %q (must name the failure and mask the password)", code, stderr)
	}
}
