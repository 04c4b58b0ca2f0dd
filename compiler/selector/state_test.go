package selector

import (
	"slices"
	"testing"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// shopState is the state manifest the current shop project is compared
// with: order_facts and its test are new since; orders changed its SQL,
// stg_orders its configuration, and stg_payments only a comment (its
// checksum differs, its folded body does not).
func shopState() *manifest.Manifest {
	var nodes []*manifest.Node
	for _, n := range buildNodes(shopSpecs) {
		switch n.Name {
		case "order_facts", "assert_positive_totals":
			continue
		case "orders":
			n.RawSQL = "select 1"
			n.Checksum = "old"
		case "stg_orders":
			n.Config.Materialized = "table"
			n.Checksum = "old"
		case "stg_payments":
			n.RawSQL = "-- payments\nselect *   from {{ ref('country_codes') }} /* all */"
			n.Checksum = "old"
		}
		nodes = append(nodes, n)
	}
	return manifest.New("shop", manifest.TargetInfo{}, nodes, nil)
}

func TestSelectState(t *testing.T) {
	for _, tc := range []struct {
		include, exclude []string
		want             string
	}{
		{include: []string{"state:new"}, want: "order_facts assert_positive_totals"},
		{include: []string{"state:modified"},
			want: "stg_orders stg_payments " + ordersAndTests + " order_facts assert_positive_totals"},
		{include: []string{"state:modified+"}, want: "stg_orders stg_payments " + ordersDown},
		{include: []string{"state:modified.body"}, want: ordersAndTests + " order_facts assert_positive_totals"},
		{include: []string{"state:modified.configs"}, want: "stg_orders order_facts assert_positive_totals"},
		{include: []string{"state:old"},
			want: "country_codes stg_orders stg_customers stg_payments source_not_null_raw_orders_id orders " +
				"unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id customers_snapshot"},
		{include: []string{"state:unmodified"},
			want: "country_codes stg_customers source_not_null_raw_orders_id unique_orders_order_id customers " +
				"not_null_customers_customer_id relationships_orders_customer_id customers_snapshot"},
		{include: []string{"state:modified,resource_type:model"},
			want: "stg_orders stg_payments " + ordersAndTests + " order_facts assert_positive_totals"},
		{include: []string{"state:modified+"}, exclude: []string{"state:new"},
			want: "stg_orders stg_payments orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
	} {
		t.Run(tc.include[0], func(t *testing.T) {
			got, ds := SelectWith(shop(), tc.include, tc.exclude, Options{State: shopState()})
			if len(ds) > 0 {
				t.Fatalf("unexpected diagnostics: %v", ds)
			}
			assertIDs(t, got, tc.want)
		})
	}
}

func TestSelectStateErrors(t *testing.T) {
	for _, tc := range []struct {
		term  string
		state *manifest.Manifest
		want  string
	}{
		{"state:modified", nil, "state: selection needs --state DIR"},
		{"state:new", nil, "state: selection needs --state DIR"},
		{"state:modifed", shopState(), `unknown state selector "modifed" in "state:modifed" (did you mean "state:modified"?)`},
		{"state:modified.bodies", shopState(), `unknown state selector "modified.bodies" in "state:modified.bodies" (did you mean "state:modified.body"?)`},
		{"state:everything", shopState(), `unknown state selector "everything" in "state:everything"`},
	} {
		t.Run(tc.term, func(t *testing.T) {
			got, ds := SelectWith(shop(), []string{tc.term}, nil, Options{State: tc.state})
			if e := messages(ds, diag.Error); !slices.Equal(e, []string{tc.want}) || got != nil {
				t.Errorf("got %v, errors %q; want no IDs and %q", got, e, tc.want)
			}
		})
	}
}

func TestModified(t *testing.T) {
	node := func(sum, sql, mat string, meta map[string]any) *manifest.Node {
		cfg := project.NewConfig()
		cfg.Materialized, cfg.Meta = mat, meta
		return &manifest.Node{ID: "model.shop.m", Checksum: sum, RawSQL: sql, Config: cfg}
	}
	for _, tc := range []struct {
		name     string
		cur, old *manifest.Node
		want     bool
	}{
		{"new", node("a", "select 1", "view", nil), nil, true},
		{"same checksum", node("a", "select 1", "view", nil), node("a", "select 2", "table", nil), false},
		{"other checksum", node("a", "select 1", "view", nil), node("b", "select 1", "view", nil), true},
		{"checksum on one side only", node("a", "select 1", "view", nil), node("", "select 1", "view", nil), true},
		{"no checksums, same", node("", "select 1 -- x", "view", nil), node("", "select  1", "view", nil), false},
		{"no checksums, other SQL", node("", "select 1", "view", nil), node("", "select 2", "view", nil), true},
		{"no checksums, other config", node("", "select 1", "view", nil), node("", "select 1", "table", nil), true},
		{"no checksums, JSON numbers", node("", "select 1", "view", map[string]any{"n": int64(3)}),
			node("", "select 1", "view", map[string]any{"n": float64(3)}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := modified(tc.cur, tc.old); got != tc.want {
				t.Errorf("modified = %v, want %v", got, tc.want)
			}
		})
	}
}
