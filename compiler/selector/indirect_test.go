package selector

import (
	"slices"
	"strings"
	"testing"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// relations is a small project for indirect selection:
//
//	raw.events -> events -> sessions <- users -> user_days
//
// with tests on users, on events and users (relationships between two
// independent models), on sessions and users (users is an ancestor of
// sessions), on users and the source raw.events, and a singular test on
// sessions.
func relations() *manifest.Manifest {
	nodes := []struct {
		kind manifest.Kind
		name string
		deps []string
	}{
		{manifest.Source, "raw.events", nil},
		{manifest.Model, "users", nil},
		{manifest.Model, "events", []string{"raw.events"}},
		{manifest.Test, "not_null_users_id", []string{"users"}},
		{manifest.Test, "relationships_events_user_id", []string{"events", "users"}},
		{manifest.Test, "relationships_users_first_event", []string{"users", "raw.events"}},
		{manifest.Model, "sessions", []string{"events", "users"}},
		{manifest.Test, "relationships_sessions_user_id", []string{"sessions", "users"}},
		{manifest.Test, "assert_sessions_positive", []string{"sessions"}},
		{manifest.Model, "user_days", []string{"users"}},
	}
	id := func(name string) string {
		for _, n := range nodes {
			if n.name == name {
				return string(n.kind) + ".rel." + name
			}
		}
		return "unknown." + name
	}
	var out []*manifest.Node
	for _, n := range nodes {
		node := &manifest.Node{ID: id(n.name), Name: n.name, Kind: n.kind, Path: "models/" + n.name + ".sql",
			Config: project.NewConfig(), DependsOn: []string{}}
		if n.kind == manifest.Test {
			node.Test = &manifest.TestInfo{Name: strings.SplitN(n.name, "_", 2)[0]}
		}
		for _, d := range n.deps {
			node.DependsOn = append(node.DependsOn, id(d))
		}
		out = append(out, node)
	}
	return manifest.New("rel", manifest.TargetInfo{}, out, nil)
}

// names returns the names of the nodes with the IDs, space-separated.
func names(m *manifest.Manifest, ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = m.Node(id).Name
	}
	return strings.Join(out, " ")
}

const (
	usersTests = "not_null_users_id relationships_events_user_id relationships_users_first_event " +
		"relationships_sessions_user_id"
	relationsAll = "users events not_null_users_id relationships_events_user_id relationships_users_first_event " +
		"sessions relationships_sessions_user_id assert_sessions_positive user_days"
)

func TestSelectIndirect(t *testing.T) {
	for _, tc := range []struct {
		name             string
		mode             IndirectSelection
		include, exclude []string
		want             string
	}{
		// eager, the default: any parent selected.
		{name: "default is eager", include: []string{"users"},
			want: "users not_null_users_id relationships_events_user_id relationships_users_first_event relationships_sessions_user_id"},
		{name: "eager one parent", mode: IndirectEager, include: []string{"events"},
			want: "events relationships_events_user_id"},
		{name: "eager exclude removes every test of the model", mode: IndirectEager, exclude: []string{"users"},
			want: "events sessions assert_sessions_positive user_days"},

		// cautious: every parent selected.
		{name: "cautious one of two parents", mode: IndirectCautious, include: []string{"users"},
			want: "users not_null_users_id"},
		{name: "cautious other parent", mode: IndirectCautious, include: []string{"events"}, want: "events"},
		{name: "cautious neither parent", mode: IndirectCautious, include: []string{"user_days"}, want: "user_days"},
		{name: "cautious both parents in one term", mode: IndirectCautious, include: []string{"[eu]*[rt]s"},
			want: "users events not_null_users_id relationships_events_user_id"},
		{name: "cautious both parents in two terms", mode: IndirectCautious, include: []string{"users events"},
			want: "users events not_null_users_id relationships_events_user_id"},
		{name: "cautious both parents in two selects", mode: IndirectCautious, include: []string{"events", "users"},
			want: "users events not_null_users_id relationships_events_user_id"},
		{name: "cautious source parent selected", mode: IndirectCautious, include: []string{"users raw.events"},
			want: "users not_null_users_id relationships_users_first_event"},
		{name: "cautious ancestors", mode: IndirectCautious, include: []string{"+sessions"},
			want: "users events not_null_users_id relationships_events_user_id relationships_users_first_event " +
				"sessions relationships_sessions_user_id assert_sessions_positive"},
		{name: "cautious single parent", mode: IndirectCautious, include: []string{"sessions"},
			want: "sessions assert_sessions_positive"},
		{name: "cautious graph operator reaches tests", mode: IndirectCautious, include: []string{"users+1"},
			want: "users " + usersTests + " sessions assert_sessions_positive user_days"},
		{name: "cautious intersection", mode: IndirectCautious, include: []string{"+sessions,resource_type:model"},
			want: "users events not_null_users_id relationships_events_user_id sessions relationships_sessions_user_id " +
				"assert_sessions_positive"},
		{name: "cautious direct test", mode: IndirectCautious, include: []string{"relationships_events_user_id"},
			want: "relationships_events_user_id"},

		// buildable: every parent selected, upstream of the selection or a source.
		{name: "buildable other parent upstream", mode: IndirectBuildable, include: []string{"sessions"},
			want: "sessions relationships_sessions_user_id assert_sessions_positive"},
		{name: "buildable other parent downstream", mode: IndirectBuildable, include: []string{"users"},
			want: "users not_null_users_id relationships_users_first_event"},
		{name: "buildable other parent unrelated", mode: IndirectBuildable, include: []string{"events"}, want: "events"},
		{name: "buildable both parents in two terms", mode: IndirectBuildable, include: []string{"events users"},
			want: "users events not_null_users_id relationships_events_user_id relationships_users_first_event"},
		{name: "buildable with ancestors", mode: IndirectBuildable, include: []string{"+sessions"},
			want: "users events not_null_users_id relationships_events_user_id relationships_users_first_event " +
				"sessions relationships_sessions_user_id assert_sessions_positive"},
		{name: "buildable parent upstream of another term", mode: IndirectBuildable, include: []string{"events user_days"},
			want: "events relationships_events_user_id user_days"},
		{name: "buildable descendants", mode: IndirectBuildable, include: []string{"events+"},
			want: "events relationships_events_user_id sessions relationships_sessions_user_id assert_sessions_positive"},

		// empty: no indirect tests.
		{name: "empty", mode: IndirectEmpty, include: []string{"users"}, want: "users"},
		{name: "empty ancestors", mode: IndirectEmpty, include: []string{"+sessions"}, want: "users events sessions"},
		{name: "empty direct tests", mode: IndirectEmpty, include: []string{"test_name:relationships"},
			want: "relationships_events_user_id relationships_users_first_event relationships_sessions_user_id"},
		{name: "empty without select is everything", mode: IndirectEmpty, want: relationsAll},

		// --exclude takes in tests by the same mode.
		{name: "cautious exclude keeps tests with another parent", mode: IndirectCautious, exclude: []string{"users"},
			want: "events relationships_events_user_id relationships_users_first_event sessions " +
				"relationships_sessions_user_id assert_sessions_positive user_days"},
		{name: "cautious exclude both parents", mode: IndirectCautious, exclude: []string{"users events"},
			want: "relationships_users_first_event sessions relationships_sessions_user_id assert_sessions_positive user_days"},
		{name: "cautious exclude one of the parents", mode: IndirectCautious, include: []string{"users events"},
			exclude: []string{"events"}, want: "users not_null_users_id relationships_events_user_id"},
		{name: "cautious excluded test stays excluded", mode: IndirectCautious, include: []string{"users events"},
			exclude: []string{"relationships_events_user_id"}, want: "users events not_null_users_id"},
		{name: "buildable exclude", mode: IndirectBuildable, include: []string{"+sessions"}, exclude: []string{"sessions"},
			want: "users events not_null_users_id relationships_events_user_id relationships_users_first_event"},
		{name: "empty exclude leaves the tests", mode: IndirectEmpty, exclude: []string{"users"},
			want: "events " + usersTests + " sessions assert_sessions_positive user_days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := relations()
			got, ds := SelectWith(m, tc.include, tc.exclude, Options{IndirectSelection: tc.mode})
			if len(ds) > 0 {
				t.Fatalf("unexpected diagnostics: %v", ds)
			}
			// want lists names in any order; the result is in manifest order.
			var want []string
			for _, n := range m.Nodes {
				if slices.Contains(strings.Fields(tc.want), n.Name) {
					want = append(want, n.ID)
				}
			}
			if len(want) != len(strings.Fields(tc.want)) {
				t.Fatalf("want names a node twice or an unknown node: %s", tc.want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("selected\n  %s\nwant\n  %s", names(m, got), names(m, want))
			}
		})
	}
}

// TestSelectIndirectModesNest checks on the shop project that, without
// --exclude, every mode selects the same nodes other than tests, and that
// empty, cautious, buildable and eager select ever more tests.
func TestSelectIndirectModesNest(t *testing.T) {
	modes := []IndirectSelection{IndirectEmpty, IndirectCautious, IndirectBuildable, IndirectEager}
	m := shop()
	for _, expr := range []string{"orders", "customers", "+customers", "orders+", "stg_orders+1", "@stg_customers",
		"tag:nightly", "orders customers", "raw.orders+", "tag:nightly,resource_type:model", "country_codes stg_customers",
		"resource_type:test", "order_facts"} {
		var prev []string
		for k, mode := range modes {
			got, ds := SelectWith(m, []string{expr}, nil, Options{IndirectSelection: mode})
			if ds.HasErrors() {
				t.Fatalf("%s, %s: %v", expr, mode, ds)
			}
			for _, id := range prev {
				if !slices.Contains(got, id) {
					t.Errorf("%s: %s selects %s but %s does not", expr, modes[k-1], id, mode)
				}
			}
			for _, id := range got {
				if !slices.Contains(prev, id) && k > 0 && m.Node(id).Kind != manifest.Test {
					t.Errorf("%s: %s selects the %s %s but %s does not", expr, mode, m.Node(id).Kind, id, modes[k-1])
				}
			}
			prev = got
		}
	}
}

func TestSelectIndirectShop(t *testing.T) {
	// The relationships test between orders and customers, on the shop
	// project, where orders is upstream of customers.
	for _, tc := range []struct {
		mode    IndirectSelection
		include string
		want    string
	}{
		{IndirectCautious, "orders", "orders unique_orders_order_id"},
		{IndirectCautious, "orders customers",
			"orders unique_orders_order_id customers not_null_customers_customer_id relationships_orders_customer_id"},
		{IndirectBuildable, "orders", "orders unique_orders_order_id"},
		{IndirectBuildable, "customers", "customers not_null_customers_customer_id relationships_orders_customer_id"},
		{IndirectEmpty, "orders", "orders"},
		{IndirectEager, "customers", "customers not_null_customers_customer_id relationships_orders_customer_id"},
	} {
		got, ds := SelectWith(shop(), []string{tc.include}, nil, Options{IndirectSelection: tc.mode})
		if len(ds) > 0 {
			t.Fatalf("%s %s: unexpected diagnostics: %v", tc.mode, tc.include, ds)
		}
		if !slices.Equal(got, ids(tc.want)) {
			t.Errorf("%s %s: selected\n  %s\nwant\n  %s", tc.mode, tc.include, shortNames(got), tc.want)
		}
	}
}

func TestParseIndirectSelection(t *testing.T) {
	for name, want := range map[string]IndirectSelection{
		"": IndirectEager, "eager": IndirectEager, "cautious": IndirectCautious,
		"Buildable": IndirectBuildable, "EMPTY": IndirectEmpty,
	} {
		if got, err := ParseIndirectSelection(name); err != nil || got != want {
			t.Errorf("ParseIndirectSelection(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	const msg = `invalid value "lazy"; the valid values are eager, cautious, buildable and empty`
	if got, err := ParseIndirectSelection("lazy"); err == nil || err.Error() != msg || got != "" {
		t.Errorf("ParseIndirectSelection(lazy) = %q, %v; want the error %q", got, err, msg)
	}
}

func TestSelectInvalidIndirectSelection(t *testing.T) {
	got, ds := SelectWith(shop(), []string{"orders"}, nil, Options{IndirectSelection: "lazy"})
	want := []string{`indirect selection: invalid value "lazy"; the valid values are eager, cautious, buildable and empty`}
	if e := messages(ds, diag.Error); !slices.Equal(e, want) || got != nil {
		t.Errorf("got %v, errors %q; want no IDs and errors %q", got, e, want)
	}
}
