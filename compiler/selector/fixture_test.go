package selector

import (
	"slices"
	"strings"
	"testing"

	"martlet/compiler/dag"
	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// spec describes one node of the test project.
type spec struct {
	kind manifest.Kind
	name string
	path string
	deps []string // names of the nodes depended on
	cfg  func(c *project.Config)
	test *manifest.TestInfo
	sql  string
}

// shopSpecs is a 15-node project in dependency order:
//
//	raw.orders -> stg_orders -> orders -> customers, order_facts
//	raw.customers -> stg_customers -> customers, customers_snapshot
//	country_codes -> stg_payments -> orders
//
// with tests on a source, on orders, on customers, on both (relationships)
// and a singular test on order_facts.
var shopSpecs = []spec{
	{kind: manifest.Source, name: "raw.orders", path: "models/staging/sources.yml"},
	{kind: manifest.Source, name: "raw.customers", path: "models/staging/sources.yml"},
	{kind: manifest.Seed, name: "country_codes", path: "seeds/country_codes.csv",
		cfg: func(c *project.Config) { c.Materialized, c.Tags = "seed", []string{"reference"} }},
	{kind: manifest.Model, name: "stg_orders", path: "models/staging/stg_orders.sql", deps: []string{"raw.orders"},
		cfg: func(c *project.Config) { c.Materialized, c.Tags = "view", []string{"staging", "nightly"} },
		sql: "select * from {{ source('raw', 'orders') }}"},
	{kind: manifest.Model, name: "stg_customers", path: "models/staging/stg_customers.sql", deps: []string{"raw.customers"},
		cfg: func(c *project.Config) { c.Materialized, c.Tags = "view", []string{"staging"} },
		sql: "select * from {{ source('raw', 'customers') }}"},
	{kind: manifest.Model, name: "stg_payments", path: "models/staging/stg_payments.sql", deps: []string{"country_codes"},
		cfg: func(c *project.Config) { c.Materialized, c.Tags = "view", []string{"staging", "nightly_extra"} },
		sql: "select * from {{ ref('country_codes') }}"},
	{kind: manifest.Test, name: "source_not_null_raw_orders_id", path: "models/staging/sources.yml", deps: []string{"raw.orders"},
		test: &manifest.TestInfo{Name: "not_null", Attached: "source.shop.raw.orders", Column: "id"}},
	{kind: manifest.Model, name: "orders", path: "models/marts/orders.sql", deps: []string{"stg_orders", "stg_payments"},
		cfg: func(c *project.Config) {
			c.Materialized, c.Schema, c.Tags, c.UniqueKey = "table", "marts", []string{"nightly", "finance"}, []string{"order_id"}
		},
		sql: "select * from {{ ref('stg_orders') }} join {{ ref('stg_payments') }} using (order_id)"},
	{kind: manifest.Test, name: "unique_orders_order_id", path: "models/marts/schema.yml", deps: []string{"orders"},
		test: &manifest.TestInfo{Name: "unique", Attached: "model.shop.orders", Column: "order_id"}},
	{kind: manifest.Model, name: "customers", path: "models/marts/customers.sql", deps: []string{"stg_customers", "orders"},
		cfg: func(c *project.Config) {
			c.Materialized, c.Tags, c.Meta = "table", []string{"nightly"}, map[string]any{"owner": "ana", "tier": int64(1)}
		},
		sql: "select * from {{ ref('stg_customers') }}"},
	{kind: manifest.Test, name: "not_null_customers_customer_id", path: "models/marts/schema.yml", deps: []string{"customers"},
		test: &manifest.TestInfo{Name: "not_null", Attached: "model.shop.customers", Column: "customer_id"}},
	{kind: manifest.Test, name: "relationships_orders_customer_id", path: "models/marts/schema.yml", deps: []string{"orders", "customers"},
		test: &manifest.TestInfo{Name: "relationships", Attached: "model.shop.orders", Column: "customer_id"}},
	{kind: manifest.Model, name: "order_facts", path: "models/marts/finance/order_facts.sql", deps: []string{"orders"},
		cfg: func(c *project.Config) {
			c.Materialized, c.Tags, c.UniqueKey = "incremental", []string{"finance"}, []string{"order_id", "day"}
		},
		sql: "select * from {{ ref('orders') }}"},
	{kind: manifest.Test, name: "assert_positive_totals", path: "tests/assert_positive_totals.sql", deps: []string{"order_facts"},
		cfg:  func(c *project.Config) { c.Severity = "warn" },
		test: &manifest.TestInfo{Name: "singular"}},
	{kind: manifest.Snapshot, name: "customers_snapshot", path: "snapshots/customers_snapshot.sql", deps: []string{"stg_customers"},
		cfg: func(c *project.Config) {
			c.Materialized, c.Other = "snapshot", map[string]any{"strategy": "timestamp"}
		}},
}

// nodeID is the ID of a test-project node by name.
func nodeID(name string) string {
	for _, s := range shopSpecs {
		if s.name == name {
			return string(s.kind) + ".shop." + s.name
		}
	}
	return "unknown." + name
}

// buildNodes makes the nodes of specs, each with checksum "c-<name>".
func buildNodes(specs []spec) []*manifest.Node {
	var nodes []*manifest.Node
	for _, s := range specs {
		n := &manifest.Node{ID: nodeID(s.name), Name: s.name, Kind: s.kind, Path: s.path,
			Config: project.NewConfig(), DependsOn: []string{}, Test: s.test, RawSQL: s.sql, Checksum: "c-" + s.name}
		if s.cfg != nil {
			s.cfg(&n.Config)
		}
		for _, d := range s.deps {
			n.DependsOn = append(n.DependsOn, nodeID(d))
		}
		nodes = append(nodes, n)
	}
	return nodes
}

func shop() *manifest.Manifest {
	return manifest.New("shop", manifest.TargetInfo{}, buildNodes(shopSpecs), nil)
}

// ids turns space-separated node names into IDs; "" gives nil.
func ids(names string) []string {
	var out []string
	for name := range strings.FieldsSeq(names) {
		out = append(out, nodeID(name))
	}
	return out
}

// shortNames turns IDs back into names, for readable failures.
func shortNames(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		_, rest, _ := strings.Cut(id, ".shop.")
		names[i] = rest
	}
	return strings.Join(names, " ")
}

// messages returns the messages of the diagnostics of one severity.
func messages(ds diag.List, sev diag.Severity) []string {
	var out []string
	for _, d := range ds {
		if d.Severity == sev {
			out = append(out, d.Msg)
		}
	}
	return out
}

func assertIDs(t *testing.T, got []string, want string) {
	t.Helper()
	if !slices.Equal(got, ids(want)) {
		t.Errorf("selected\n  %s\nwant\n  %s", shortNames(got), want)
	}
}

// compilerGraph builds the graph of nodes as the compiler does, adding the
// nodes in ID order rather than in the dependency order of the node list.
func compilerGraph(nodes []*manifest.Node) *dag.Graph {
	sorted := slices.SortedFunc(slices.Values(nodes), func(a, b *manifest.Node) int { return strings.Compare(a.ID, b.ID) })
	g := dag.New()
	for _, n := range sorted {
		g.AddNode(n.ID)
	}
	for _, n := range sorted {
		for _, p := range n.DependsOn {
			g.AddEdge(p, n.ID)
		}
	}
	return g
}
