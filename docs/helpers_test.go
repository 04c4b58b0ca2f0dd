package docs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// evil is a description that would run script if the page used innerHTML
// or inlined the JSON naively.
const evil = "</script><script>alert(1)</script> <img src=x onerror=alert(2)> \u2028 <!-- & done"

// shopManifest is a small project with a source, a seed, three models with
// column lineage, an ephemeral model and tests.
func shopManifest() *manifest.Manifest {
	cfg := func(mat string, tags ...string) project.Config {
		c := project.NewConfig()
		c.Materialized = mat
		c.Tags = tags
		return c
	}
	col := func(name, typ, desc string, up ...manifest.ColumnRef) manifest.Column {
		return manifest.Column{Name: name, DataType: typ, Description: desc, Upstream: up}
	}
	ref := func(node, column string) manifest.ColumnRef { return manifest.ColumnRef{Node: node, Column: column} }
	test := func(name, generic, attached, column string, deps ...string) *manifest.Node {
		c := cfg("test")
		return &manifest.Node{
			ID: "test.shop." + name, Name: name, Kind: manifest.Test, Path: "models/_models.yml", Config: c,
			DependsOn: deps, RawSQL: "select * from x where " + column + " is null",
			Test: &manifest.TestInfo{Name: generic, Attached: attached, Column: column},
		}
	}
	nodes := []*manifest.Node{
		{ID: "source.shop.raw.payments", Name: "payments", Kind: manifest.Source, Path: "models/sources.yml",
			Config: cfg(""), Relation: manifest.Relation{Schema: "raw", Name: "payments"},
			Description: "Payments from the payment provider.",
			Columns:     []manifest.Column{col("payment_id", "integer", ""), col("order_id", "integer", ""), col("amount_cents", "bigint", "")}},
		{ID: "seed.shop.raw_orders", Name: "raw_orders", Kind: manifest.Seed, Path: "seeds/raw_orders.csv",
			Config: cfg("seed"), Relation: manifest.Relation{Schema: "main", Name: "raw_orders"},
			Columns: []manifest.Column{col("id", "integer", ""), col("customer_id", "integer", ""), col("status", "varchar", "")}},
		{ID: "model.shop.stg_orders", Name: "stg_orders", Kind: manifest.Model, Path: "models/staging/stg_orders.sql",
			Config: cfg("view"), Relation: manifest.Relation{Schema: "main", Name: "stg_orders"},
			DependsOn:   []string{"seed.shop.raw_orders"},
			Description: "Orders, renamed. " + evil,
			RawSQL:      "select id as order_id, customer_id, status from {{ ref('raw_orders') }} -- </script>",
			CompiledSQL: `select id as order_id, customer_id, status from "main"."raw_orders" -- </script>`,
			Columns: []manifest.Column{
				col("order_id", "integer", "Primary key. "+evil, ref("seed.shop.raw_orders", "id")),
				col("customer_id", "integer", "", ref("seed.shop.raw_orders", "customer_id")),
				col("status", "varchar", "", ref("seed.shop.raw_orders", "status")),
			}},
		{ID: "model.shop.int_payments", Name: "int_payments", Kind: manifest.Model, Path: "models/intermediate/int_payments.sql",
			Config: cfg("ephemeral"), DependsOn: []string{"source.shop.raw.payments"},
			Columns: []manifest.Column{
				col("order_id", "", "", ref("source.shop.raw.payments", "order_id")),
				col("amount", "", "", ref("source.shop.raw.payments", "amount_cents")),
			}},
		{ID: "model.shop.orders", Name: "orders", Kind: manifest.Model, Path: "models/marts/orders.sql",
			Config: cfg("table", "nightly"), Relation: manifest.Relation{Schema: "main", Name: "orders"},
			DependsOn:   []string{"model.shop.stg_orders", "model.shop.int_payments"},
			Description: "One row per order, with its payments.",
			RawSQL:      "select o.order_id, o.customer_id, sum(p.amount) as amount\nfrom {{ ref('stg_orders') }} o join {{ ref('int_payments') }} p using (order_id)\ngroup by 1, 2",
			CompiledSQL: "select o.order_id, o.customer_id, sum(p.amount) as amount\nfrom \"main\".\"stg_orders\" o join __dbt__cte__int_payments p using (order_id)\ngroup by 1, 2",
			Columns: []manifest.Column{
				col("order_id", "integer", "Primary key.", ref("model.shop.stg_orders", "order_id"), ref("model.shop.int_payments", "order_id")),
				col("customer_id", "integer", "The customer.", ref("model.shop.stg_orders", "customer_id")),
				col("amount", "double", "Total paid.", ref("model.shop.int_payments", "amount")),
			}},
		{ID: "model.shop.customers", Name: "customers", Kind: manifest.Model, Path: "models/marts/customers.sql",
			Config: cfg("incremental"), Relation: manifest.Relation{Schema: "main", Name: "customers"},
			DependsOn:   []string{"model.shop.orders"},
			Description: "One row per customer.",
			Columns: []manifest.Column{
				col("customer_id", "integer", "Primary key.", ref("model.shop.orders", "customer_id")),
				col("lifetime_value", "double", "Sum of amounts.", ref("model.shop.orders", "amount")),
			}},
		test("unique_orders_order_id", "unique", "model.shop.orders", "order_id", "model.shop.orders"),
		test("not_null_orders_order_id", "not_null", "model.shop.orders", "order_id", "model.shop.orders"),
		test("not_null_customers_customer_id", "not_null", "model.shop.customers", "customer_id", "model.shop.customers"),
	}
	return manifest.New("shop", manifest.TargetInfo{Name: "dev", Type: "duckdb", Schema: "main"}, nodes, nil)
}

// shopResults are run results for shopManifest: a warning and a failure
// among them.
func shopResults() *RunResults {
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ok := func(id, status string, rows int64) RunResult {
		return RunResult{UniqueID: id, Status: status, RowsAffected: rows, ExecutionTime: 0.25,
			Timing: &Timing{StartedAt: at, CompletedAt: at.Add(250 * time.Millisecond)}, Message: "OK " + evil}
	}
	failures := int64(3)
	fail := ok("test.shop.not_null_customers_customer_id", "fail", 3)
	fail.Failures = &failures
	return &RunResults{GeneratedAt: at, ElapsedTime: 1.5, Results: []RunResult{
		ok("seed.shop.raw_orders", "success", 100),
		ok("model.shop.stg_orders", "success", 0),
		ok("model.shop.orders", "success", 97),
		ok("model.shop.customers", "warn", 40),
		ok("test.shop.unique_orders_order_id", "pass", 0),
		fail,
	}}
}

// demo loads the demo project's artifacts kept in testdata.
func demo(t testing.TB) (*manifest.Manifest, *RunResults) {
	t.Helper()
	m, err := manifest.Read(filepath.Join("testdata", "demo_manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadRunResults(filepath.Join("testdata", "demo_run_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	return m, r
}

// synthetic is a layered project of n models (plus a test on every tenth),
// each reading two models of the layer before.
func synthetic(n int) *manifest.Manifest {
	const layers = 12
	per := (n + layers - 1) / layers
	var nodes []*manifest.Node
	id := func(i int) string { return fmt.Sprintf("model.big.m%05d", i) }
	for i := 0; i < n; i++ {
		c := project.NewConfig()
		c.Materialized = "view"
		node := &manifest.Node{ID: id(i), Name: fmt.Sprintf("m%05d", i), Kind: manifest.Model,
			Path: fmt.Sprintf("models/layer%02d/m%05d.sql", i/per, i), Config: c,
			Columns: []manifest.Column{{Name: "id"}, {Name: "value"}}}
		if layer := i / per; layer > 0 {
			a, b := (layer-1)*per+(i*7)%per, (layer-1)*per+(i*13+5)%per
			node.DependsOn = []string{id(a), id(b)}
			node.Columns[0].Upstream = []manifest.ColumnRef{{Node: id(a), Column: "id"}}
		}
		nodes = append(nodes, node)
	}
	for i := 0; i < n; i += 10 {
		c := project.NewConfig()
		c.Materialized = "test"
		nodes = append(nodes, &manifest.Node{ID: fmt.Sprintf("test.big.t%05d", i), Name: fmt.Sprintf("not_null_m%05d_id", i),
			Kind: manifest.Test, Path: "models/schema.yml", Config: c, DependsOn: []string{id(i)},
			Test: &manifest.TestInfo{Name: "not_null", Attached: id(i), Column: "id"}})
	}
	return manifest.New("big", manifest.TargetInfo{Name: "dev", Type: "duckdb", Schema: "main"}, nodes, nil)
}

// generate renders a page or fails the test.
func generate(t testing.TB, m *manifest.Manifest, r *RunResults, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Generate(&buf, m, r, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pageData extracts and decodes the JSON inlined in a page.
func pageData(t testing.TB, page []byte) *payload {
	t.Helper()
	const open = `<script type="application/json" id="martlet-data">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		t.Fatal("no data script in the page")
	}
	rest := page[i+len(open):]
	j := bytes.Index(rest, []byte("</script>"))
	if j < 0 {
		t.Fatal("data script not closed")
	}
	var p payload
	if err := json.Unmarshal(rest[:j], &p); err != nil {
		t.Fatalf("inlined data is not JSON: %v", err)
	}
	return &p
}
