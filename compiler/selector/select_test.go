package selector

import (
	"slices"
	"testing"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
)

const (
	allNodes = "country_codes stg_orders stg_customers stg_payments source_not_null_raw_orders_id orders " +
		"unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id " +
		"order_facts assert_positive_totals customers_snapshot"
	ordersAndTests = "orders unique_orders_order_id relationships_orders_customer_id"
	ordersDown     = "orders unique_orders_order_id customers not_null_customers_customer_id " +
		"relationships_orders_customer_id order_facts assert_positive_totals"
)

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		name             string
		include, exclude []string
		kinds            []manifest.Kind
		want             string
	}{
		{name: "no selection is everything but sources", want: allNodes},
		{name: "name with its tests", include: []string{"orders"}, want: ordersAndTests},
		{name: "all ancestors", include: []string{"+orders"},
			want: "country_codes stg_orders stg_payments source_not_null_raw_orders_id " + ordersAndTests},
		{name: "all descendants", include: []string{"orders+"}, want: ordersDown},
		{name: "ancestors to depth 1", include: []string{"1+orders"}, want: "stg_orders stg_payments " + ordersAndTests},
		{name: "ancestors to depth 2", include: []string{"2+customers"},
			want: "stg_orders stg_customers stg_payments orders unique_orders_order_id customers " +
				"not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "depth 0 adds nothing", include: []string{"0+orders+0"}, want: ordersAndTests},
		{name: "descendants to depth 1", include: []string{"stg_orders+1"}, want: "stg_orders " + ordersAndTests},
		{name: "at: descendants and their ancestors", include: []string{"@stg_customers"},
			want: "country_codes stg_orders stg_customers stg_payments source_not_null_raw_orders_id orders " +
				"unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id customers_snapshot"},
		{name: "name glob", include: []string{"stg_*"}, want: "stg_orders stg_customers stg_payments"},
		{name: "star is everything", include: []string{"*"}, want: allNodes},
		{name: "test by name", include: []string{"unique_orders_order_id"}, want: "unique_orders_order_id"},
		{name: "snapshot by name", include: []string{"customers_snapshot"}, want: "customers_snapshot"},
		{name: "seed by name", include: []string{"country_codes+"}, want: "country_codes stg_payments " + ordersDown},
		{name: "source by name selects only its tests", include: []string{"raw.orders"}, want: "source_not_null_raw_orders_id"},
		{name: "source by name with descendants", include: []string{"raw.orders+"},
			want: "stg_orders source_not_null_raw_orders_id " + ordersDown},
		{name: "package name is the whole project", include: []string{"shop"}, want: allNodes},
		{name: "fqn folder prefix", include: []string{"shop.marts"}, want: ordersDown},
		{name: "fqn glob", include: []string{"fqn:shop.marts.finance.*"}, want: "order_facts assert_positive_totals"},
		{name: "fqn glob from the start", include: []string{"*.marts.*"}, want: ordersDown},
		{name: "fqn glob over the name", include: []string{"shop.*.stg_c*"}, want: "stg_customers"},
		{name: "tag", include: []string{"tag:nightly"},
			want: "stg_orders orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "tag glob", include: []string{"tag:nightly*"},
			want: "stg_orders stg_payments orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "tag with descendants", include: []string{"tag:nightly+"}, want: "stg_orders " + ordersDown},
		{name: "tag with ancestors", include: []string{"+tag:reference"}, want: "country_codes"},
		{name: "path folder", include: []string{"path:models/marts"}, want: ordersDown},
		{name: "path folder with trailing slash", include: []string{"path:./models/marts/"}, want: ordersDown},
		{name: "path file", include: []string{"path:models/marts/orders.sql"}, want: ordersAndTests},
		{name: "path glob", include: []string{"path:models/*/finance"}, want: "order_facts assert_positive_totals"},
		{name: "path double star", include: []string{"path:models/**/order_*.sql"}, want: "order_facts assert_positive_totals"},
		{name: "path dot is everything", include: []string{"path:."}, want: allNodes},
		{name: "bare path with a slash", include: []string{"models/staging"},
			want: "stg_orders stg_customers stg_payments source_not_null_raw_orders_id"},
		{name: "path needs the resource folder", include: []string{"path:marts"}},
		{name: "bare file name", include: []string{"orders.sql"}, want: ordersAndTests},
		{name: "file stem", include: []string{"file:schema"},
			want: "unique_orders_order_id not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "config materialized", include: []string{"config.materialized:table"},
			want: "orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "config list value", include: []string{"config.unique_key:order_id"},
			want: ordersAndTests + " order_facts assert_positive_totals"},
		{name: "config tags", include: []string{"config.tags:finance"},
			want: ordersAndTests + " order_facts assert_positive_totals"},
		{name: "config schema", include: []string{"config.schema:marts"}, want: ordersAndTests},
		{name: "config meta", include: []string{"config.meta.owner:ana"},
			want: "customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "config meta number", include: []string{"config.meta.tier:1"},
			want: "customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "config severity", include: []string{"config.severity:warn"}, want: "assert_positive_totals"},
		{name: "config other key", include: []string{"config.strategy:timestamp"}, want: "customers_snapshot"},
		{name: "config bool any case", include: []string{"config.enabled:True"}, want: allNodes},
		{name: "config value glob", include: []string{"config.materialized:incr*"}, want: "order_facts assert_positive_totals"},
		{name: "resource type seed", include: []string{"resource_type:seed"}, want: "country_codes"},
		{name: "resource type test", include: []string{"resource_type:test"},
			want: "source_not_null_raw_orders_id unique_orders_order_id not_null_customers_customer_id " +
				"relationships_orders_customer_id assert_positive_totals"},
		{name: "resource type source gives source tests", include: []string{"resource_type:source"},
			want: "source_not_null_raw_orders_id"},
		{name: "source name with descendants", include: []string{"source:raw+"},
			want: "stg_orders stg_customers source_not_null_raw_orders_id orders unique_orders_order_id customers " +
				"not_null_customers_customer_id relationships_orders_customer_id order_facts assert_positive_totals customers_snapshot"},
		{name: "source table with descendants", include: []string{"source:raw.customers+"},
			want: "stg_customers customers not_null_customers_customer_id relationships_orders_customer_id customers_snapshot"},
		{name: "source with package", include: []string{"source:shop.raw.cust*+1"}, want: "stg_customers"},
		{name: "singular tests", include: []string{"test_type:singular"}, want: "assert_positive_totals"},
		{name: "generic tests", include: []string{"test_type:generic"},
			want: "source_not_null_raw_orders_id unique_orders_order_id not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "test name", include: []string{"test_name:not_null"},
			want: "source_not_null_raw_orders_id not_null_customers_customer_id"},
		{name: "intersection", include: []string{"tag:nightly,config.materialized:table"},
			want: "orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		// Each criterion takes its tests before the intersection, as in dbt.
		{name: "intersection keeps indirect tests", include: []string{"tag:nightly,resource_type:model"},
			want: "stg_orders orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "intersection with tests of other nodes", include: []string{"resource_type:test,tag:finance"},
			want: "unique_orders_order_id relationships_orders_customer_id assert_positive_totals"},
		{name: "union in one value", include: []string{"orders customers_snapshot"}, want: ordersAndTests + " customers_snapshot"},
		{name: "repeated select", include: []string{"orders", "country_codes"}, want: "country_codes " + ordersAndTests},
		{name: "exclude removes a model and its tests", exclude: []string{"orders"},
			want: "country_codes stg_orders stg_customers stg_payments source_not_null_raw_orders_id customers " +
				"not_null_customers_customer_id order_facts assert_positive_totals customers_snapshot"},
		{name: "exclude a tag", include: []string{"+customers"}, exclude: []string{"tag:staging"},
			want: "country_codes source_not_null_raw_orders_id orders unique_orders_order_id customers " +
				"not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "excluded tests stay excluded", include: []string{"orders"}, exclude: []string{"test_name:unique"},
			want: "orders relationships_orders_customer_id"},
		{name: "exclude with graph operator", include: []string{"stg_orders+"}, exclude: []string{"order_facts+"},
			want: "stg_orders orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		{name: "resource type filter", include: []string{"+orders"}, kinds: []manifest.Kind{manifest.Model},
			want: "stg_orders stg_payments orders"},
		{name: "resource type filter without select", kinds: []manifest.Kind{manifest.Test, manifest.Seed},
			want: "country_codes source_not_null_raw_orders_id unique_orders_order_id not_null_customers_customer_id " +
				"relationships_orders_customer_id assert_positive_totals"},
		{name: "resources martlet lacks", include: []string{"exposure:weekly resource_type:analysis test_type:unit"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ds := SelectWith(shop(), tc.include, tc.exclude, Options{ResourceTypes: tc.kinds})
			if ds.HasErrors() {
				t.Fatalf("unexpected errors: %v", ds)
			}
			assertIDs(t, got, tc.want)
		})
	}
}

func TestSelectDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name             string
		include, exclude []string
		errors, warnings []string
		want             string
	}{
		{name: "unknown method", include: []string{"tags:nightly"},
			errors: []string{`unknown selection method "tags" (did you mean "tag"?)`}},
		{name: "unknown method far from any", include: []string{"zzzzzzzzzz:x"},
			errors: []string{`unknown selection method "zzzzzzzzzz"`}},
		{name: "unsupported method", include: []string{"result:fail"},
			errors: []string{`the selection method "result" is not supported by martlet`}},
		{name: "state without --state", include: []string{"state:modified+"},
			errors: []string{"state: selection needs --state DIR"}},
		{name: "at and plus", include: []string{"@+orders"},
			errors: []string{`invalid selection term "@+orders": "@" and a leading "+" cannot both be used`}},
		{name: "stray comma", include: []string{"orders,"}, errors: []string{"empty selection term (a stray comma?)"}},
		{name: "no value", include: []string{"tag:"}, errors: []string{`invalid selection term "tag:": nothing to select`}},
		{name: "only operators", include: []string{"2+"}, errors: []string{`invalid selection term "2+": nothing to select`}},
		{name: "empty method word", include: []string{"config..x:y"},
			errors: []string{`invalid selection method "config..x" in "config..x:y"`}},
		{name: "argument to a method without", include: []string{"tag.x:y"},
			errors: []string{`invalid selection term "tag.x:y": the tag method takes no ".x" argument`}},
		{name: "config without key", include: []string{"config:table"},
			errors: []string{`invalid selection term "config:table": name the key, e.g. config.materialized:table`}},
		{name: "bad resource type", include: []string{"resource_type:modle"},
			errors: []string{`unknown resource type "modle" in "resource_type:modle" (did you mean "model"?)`}},
		{name: "bad test type", include: []string{"test_type:sigular"},
			errors: []string{`invalid selection term "test_type:sigular": the test type is generic, singular or unit`}},
		{name: "bad source", include: []string{"source:a.b.c.d"},
			errors: []string{`invalid selection term "source:a.b.c.d": use source:source_name, source:source_name.table or source:package.source_name.table`}},
		{name: "absolute path", include: []string{"path:/etc"},
			errors: []string{`invalid selection term "path:/etc": the path must be relative to the project root`}},
		{name: "errors in exclude too", exclude: []string{"tags:x"},
			errors: []string{`unknown selection method "tags" (did you mean "tag"?)`}},
		{name: "every error, once", include: []string{"tags:a tags:a", "tagz:b"},
			errors: []string{`unknown selection method "tags" (did you mean "tag"?)`, `unknown selection method "tagz" (did you mean "tag"?)`}},
		{name: "term matching nothing", include: []string{"orders ordrs"},
			warnings: []string{`the selection term "ordrs" matches no node`}, want: ordersAndTests},
		{name: "empty intersection warns with the whole term", include: []string{"tag:nightly,resource_type:seed"},
			warnings: []string{`the selection term "tag:nightly,resource_type:seed" matches no node`}},
		{name: "exclude matching nothing", include: []string{"orders"}, exclude: []string{"nosuch nosuch"},
			warnings: []string{`the selection term "nosuch" matches no node`}, want: ordersAndTests},
		{name: "source match is not empty", include: []string{"raw.customers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ds := Select(shop(), tc.include, tc.exclude)
			if e := messages(ds, diag.Error); !slices.Equal(e, tc.errors) {
				t.Errorf("errors = %q, want %q", e, tc.errors)
			}
			if w := messages(ds, diag.Warning); !slices.Equal(w, tc.warnings) {
				t.Errorf("warnings = %q, want %q", w, tc.warnings)
			}
			if len(tc.errors) > 0 && got != nil {
				t.Errorf("got IDs %v with errors, want none", got)
			}
			if len(tc.errors) == 0 {
				assertIDs(t, got, tc.want)
			}
		})
	}
}

func TestSelectGraphOrder(t *testing.T) {
	// The compiler adds nodes to the graph in another order than the
	// manifest lists them; the result must still be in manifest order.
	nodes := buildNodes(shopSpecs)
	m := manifest.New("shop", manifest.TargetInfo{}, nodes, compilerGraph(nodes))
	for _, expr := range []string{"+orders", "@stg_customers", "tag:nightly+", "raw.orders+", "path:models/marts"} {
		want, _ := Select(shop(), []string{expr}, nil)
		got, ds := Select(m, []string{expr}, nil)
		if len(ds) > 0 || len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: got %v (%v), want %v", expr, got, ds, want)
		}
	}
}

func TestSelectNilManifest(t *testing.T) {
	if got, ds := Select(nil, []string{"x"}, nil); got != nil || ds != nil {
		t.Errorf("Select(nil) = %v, %v; want nothing", got, ds)
	}
}

func TestSelectWithoutGraph(t *testing.T) {
	// A manifest literal has no graph; selection builds one from DependsOn.
	m := &manifest.Manifest{Project: "shop", Nodes: buildNodes(shopSpecs)}
	got, ds := Select(m, []string{"+orders"}, nil)
	if len(ds) > 0 {
		t.Fatalf("unexpected diagnostics: %v", ds)
	}
	assertIDs(t, got, "country_codes stg_orders stg_payments source_not_null_raw_orders_id "+ordersAndTests)
}

// FuzzSelect checks that no expression makes selection panic, and that
// what it selects is a subsequence of the project's non-source nodes.
func FuzzSelect(f *testing.F) {
	for _, seed := range []string{"+orders", "@stg_*+2", "tag:night*,config.meta.owner:a?a", "path:models/**/[a-o]*",
		"source:raw.*+", "state:modified+", "fqn:shop.*.x", "[", "x,,y", "1+2+3", "config.a.b.c:[!x]"} {
		f.Add(seed, "orders")
	}
	m, state := shop(), shopState()
	var order []string
	for _, n := range m.Nodes {
		if n.Kind != manifest.Source {
			order = append(order, n.ID)
		}
	}
	f.Fuzz(func(t *testing.T, include, exclude string) {
		got, ds := SelectWith(m, []string{include}, []string{exclude}, Options{State: state})
		if ds.HasErrors() && got != nil {
			t.Fatalf("IDs %v alongside errors %v", got, ds)
		}
		rest := order
		for _, id := range got {
			k := slices.Index(rest, id)
			if k < 0 {
				t.Fatalf("%q is not a node, a source, or out of order in %v", id, got)
			}
			rest = rest[k+1:]
		}
	})
}
