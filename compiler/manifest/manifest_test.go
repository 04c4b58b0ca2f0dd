package manifest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"martlet/compiler/dag"
	"martlet/compiler/project"
)

func TestQuoteIdentAndRelation(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"orders", `"orders"`},
		{"", `""`},
		{`we"ird`, `"we""ird"`},
		{`""`, `""""""`},
		{"Mixed Case", `"Mixed Case"`},
		{"été", `"été"`},
	}
	for _, tt := range tests {
		if got := QuoteIdent(tt.in); got != tt.want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	r := Relation{Schema: "main", Name: `my"model`}
	if got, want := r.String(), `"main"."my""model"`; got != want {
		t.Errorf("Relation.String() = %s, want %s", got, want)
	}
}

func TestNodeHelpers(t *testing.T) {
	n := &Node{Kind: Model, Config: project.Config{Materialized: "ephemeral"},
		Columns: []Column{{Name: "id"}, {Name: "Amount"}}}
	if !n.Ephemeral() {
		t.Error("ephemeral model not Ephemeral()")
	}
	for _, other := range []*Node{
		{Kind: Model, Config: project.Config{Materialized: "view"}},
		{Kind: Seed, Config: project.Config{Materialized: "ephemeral"}},
	} {
		if other.Ephemeral() {
			t.Errorf("%s/%s reported ephemeral", other.Kind, other.Config.Materialized)
		}
	}
	if c := n.Column("Amount"); c == nil || c != &n.Columns[1] {
		t.Errorf("Column(Amount) = %v, want a pointer into Columns", c)
	}
	if c := n.Column("amount"); c != nil {
		t.Errorf("Column is case-sensitive; got %v", c)
	}
	if c := n.Column("missing"); c != nil {
		t.Errorf("Column(missing) = %v", c)
	}
}

func sampleNodes() []*Node {
	full := true
	return []*Node{
		{ID: "seed.shop.raw", Name: "raw", Kind: Seed, Path: "seeds/raw.csv", SeedPath: "seeds/raw.csv",
			Relation: Relation{Schema: "main", Name: "raw"}, DependsOn: []string{}, Columns: []Column{}, Checksum: "c1"},
		{ID: "model.shop.orders", Name: "orders", Kind: Model, Path: "models/orders.sql",
			Config: project.Config{Materialized: "incremental", Tags: []string{"nightly"}, UniqueKey: []string{"id"},
				Enabled: true, FullRefresh: &full, ColumnTypes: map[string]string{"a": "int"},
				Meta: map[string]any{"owner": "data", "n": 3.5}, Other: map[string]any{"strategy": "x"}},
			Relation: Relation{Schema: "main", Name: "orders"}, DependsOn: []string{"seed.shop.raw"},
			Description: "One row per order.",
			Columns: []Column{{Name: "id", Description: "pk", DataType: "integer",
				Upstream: []ColumnRef{{Node: "seed.shop.raw", Column: "id"}}}},
			RawSQL: "select * from {{ ref('raw') }}", CompiledSQL: `select * from "main"."raw"`,
			IncrementalSQL: "select 1", CompiledPath: "target/compiled/orders.sql",
			PreHook: []string{"select 1"}, PostHook: []string{"select 2"}, Checksum: "c2",
			MacrosUsed: []string{"cents"}, VarsUsed: []string{"start_date"}},
		{ID: "test.shop.unique_orders_id", Name: "unique_orders_id", Kind: Test, Path: "models/props.yml",
			DependsOn: []string{"model.shop.orders"}, Columns: []Column{}, Checksum: "c3",
			Test: &TestInfo{Name: "unique", Attached: "model.shop.orders", Column: "id", Args: map[string]any{"column_name": "id"}}},
	}
}

func TestNewIndexesNodesAndKeepsGraph(t *testing.T) {
	nodes := sampleNodes()
	g := dag.New()
	g.AddNode("only")
	m := New("shop", TargetInfo{Name: "dev", Type: "duckdb", Schema: "main"}, nodes, g)
	if m.Graph() != g {
		t.Error("New must keep the given graph")
	}
	for _, n := range nodes {
		if m.Node(n.ID) != n {
			t.Errorf("Node(%s) not indexed", n.ID)
		}
	}
	if m.Node("model.shop.nope") != nil {
		t.Error("unknown ID must give nil")
	}
	if time.Since(m.GeneratedAt) > time.Minute || m.GeneratedAt.Location() != time.UTC {
		t.Errorf("GeneratedAt = %v, want now in UTC", m.GeneratedAt)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	nodes := sampleNodes()
	m := New("shop", TargetInfo{Name: "dev", Type: "duckdb", Schema: "main"}, nodes, nil)
	m.OnRunStart = []string{"create schema if not exists audit"}
	m.OnRunEnd = []string{"select 1"}
	path := filepath.Join(t.TempDir(), "nested", "target", "manifest.json")
	if err := m.Write(path); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got.Project != "shop" || got.Target != m.Target || !got.GeneratedAt.Equal(m.GeneratedAt) {
		t.Errorf("header = %q %+v %v", got.Project, got.Target, got.GeneratedAt)
	}
	// Rendered hooks may hold secrets: they are not written.
	if got.OnRunStart != nil || got.OnRunEnd != nil {
		t.Errorf("project hooks were written: %q / %q", got.OnRunStart, got.OnRunEnd)
	}
	if len(got.Nodes) != len(nodes) {
		t.Fatalf("read %d nodes, want %d", len(got.Nodes), len(nodes))
	}
	for i, orig := range nodes {
		want := *orig
		want.PreHook, want.PostHook = nil, nil
		if !reflect.DeepEqual(got.Nodes[i], &want) {
			t.Errorf("node %d:\n got  %+v\n want %+v", i, got.Nodes[i], want)
		}
		if got.Node(orig.ID) != got.Nodes[i] {
			t.Errorf("Read did not index %s", orig.ID)
		}
	}
	// The graph is rebuilt from depends_on.
	g := got.Graph()
	if g == nil || g.Len() != 3 {
		t.Fatalf("graph = %v", g)
	}
	if p := g.Parents("model.shop.orders"); !reflect.DeepEqual(p, []string{"seed.shop.raw"}) {
		t.Errorf("parents of orders = %v", p)
	}
	if c := g.Children("model.shop.orders"); !reflect.DeepEqual(c, []string{"test.shop.unique_orders_id"}) {
		t.Errorf("children of orders = %v", c)
	}
}

func TestWriteJSONShape(t *testing.T) {
	m := New("shop", TargetInfo{Name: "dev", Type: "duckdb", Schema: "main"}, sampleNodes(), nil)
	m.OnRunStart = []string{"grant secret"}
	path := filepath.Join(t.TempDir(), "manifest.json")
	if err := m.Write(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{
		`"project":"shop"`, `"unique_id":"model.shop.orders"`, `"resource_type":"seed"`,
		`"depends_on":[`, `"materialized":"incremental"`, `"test_name":"unique"`,
		`"upstream":[`, `"checksum":"c2"`, `"relation":{`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("manifest.json lacks %s", want)
		}
	}
	for _, absent := range []string{"byID", "graph", `"Pos"`, "pre_hook", "post_hook", "on_run_start", "select 2", "grant secret"} {
		if strings.Contains(s, absent) {
			t.Errorf("manifest.json must not contain %s", absent)
		}
	}
	if !strings.HasSuffix(s, "}\n") || !strings.HasPrefix(s, `{"project":`) || strings.Count(s, "\n") != 1 {
		t.Errorf("manifest.json is not compact JSON on one line: %.40q", s)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Read(filepath.Join(dir, "missing.json")); !os.IsNotExist(err) {
		t.Errorf("missing file: err = %v, want not-exist", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\"nodes\": 3}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(bad)
	want := bad + ": not a martlet manifest: json: cannot unmarshal number into Go struct field Manifest.nodes of type []*manifest.Node"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	trunc := filepath.Join(dir, "trunc.json")
	if err := os.WriteFile(trunc, []byte("{\"project\": "), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(trunc); err == nil || !strings.HasPrefix(err.Error(), trunc+": not a martlet manifest: ") {
		t.Errorf("truncated: err = %v", err)
	}
}

func TestWriteFailsWhenDirIsAFile(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "target")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	m := New("shop", TargetInfo{}, nil, nil)
	if err := m.Write(filepath.Join(blocker, "manifest.json")); err == nil {
		t.Error("Write under a file must fail")
	}
}
