package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"martlet/compiler/manifest"
	"martlet/runner/adapter"
	"martlet/runner/adapter/duckdb"
)

// duckProject is a temporary project directory with a DuckDB database.
type duckProject struct {
	root string
	db   *duckdb.Adapter
}

func newDuckProject(t *testing.T) *duckProject {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "id,name\n1,ann\n2,bob\n3,cyd\n"
	if err := os.WriteFile(filepath.Join(root, "seeds", "users.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(filepath.Join(root, "target", "dev.duckdb"), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &duckProject{root: root, db: db}
}

func (p *duckProject) execute(t *testing.T, m *manifest.Manifest, ids []string, mode Mode, fullRefresh bool) *Results {
	t.Helper()
	res, err := Execute(context.Background(), Options{
		Mode: mode, Manifest: m, Selected: ids, Adapter: p.db, ProjectRoot: p.root,
		Threads: 4, FullRefresh: fullRefresh,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// rows returns the rows of query as strings, "1 ann".
func (p *duckProject) rows(t *testing.T, query string) []string {
	t.Helper()
	rows, err := p.db.Query(context.Background(), query, 0)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var out []string
	for _, r := range rows.Values {
		out = append(out, strings.TrimSuffix(fmt.Sprintln(r...), "\n"))
	}
	return out
}

func TestDuckDBBuildSeedsModelsAndTests(t *testing.T) {
	p := newDuckProject(t)
	m, ids := build(
		seed("users"),
		model("stg_users", "view", `select id, upper(name) as name from "main"."users"`, "users"),
		model("user_ids", "table", `select id from "main"."stg_users"`, "stg_users"),
		test("unique_user_ids", "", `select id from "main"."user_ids" group by id having count(*) > 1`, "user_ids"),
		test("warn_few_users", "warn", `select * from "main"."user_ids" where id < 3`, "user_ids"),
		test("fail_big_ids", "", `select * from "main"."user_ids" where id > 2`, "user_ids"),
		model("after_warn", "view", `select count(*) as n from "main"."user_ids"`, "warn_few_users"),
	)
	res := p.execute(t, m, ids, ModeBuild, false)
	want := map[string]Status{
		"users": StatusSuccess, "stg_users": StatusSuccess, "user_ids": StatusSuccess,
		"unique_user_ids": StatusPass, "warn_few_users": StatusWarn, "fail_big_ids": StatusFail,
		"after_warn": StatusSuccess,
	}
	if got := statuses(res); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	if !res.Failed() {
		t.Error("Failed() = false with a failing test")
	}
	if got := p.rows(t, `select id, name from "main"."stg_users" order by id`); !reflect.DeepEqual(got, []string{"1 ANN", "2 BOB", "3 CYD"}) {
		t.Errorf("stg_users = %v", got)
	}
	for _, r := range res.Results {
		if r.Name == "users" && r.Rows != 3 {
			t.Errorf("seed rows = %d, want 3", r.Rows)
		}
		if r.Name == "warn_few_users" && r.Rows != 2 {
			t.Errorf("warn test failures = %d, want 2", r.Rows)
		}
	}

	path := filepath.Join(p.root, "target", "run_results.json")
	if err := res.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	checkRunResults(t, path, want)
}

// checkRunResults parses run_results.json and checks every node's status
// and the fields consumers rely on.
func checkRunResults(t *testing.T, path string, want map[string]Status) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		GeneratedAt string   `json:"generated_at"`
		ElapsedTime *float64 `json:"elapsed_time"`
		Results     []struct {
			UniqueID string `json:"unique_id"`
			Status   Status `json:"status"`
			Timing   *struct {
				StartedAt   string `json:"started_at"`
				CompletedAt string `json:"completed_at"`
			} `json:"timing"`
			ExecutionTime *float64 `json:"execution_time"`
			RowsAffected  *int64   `json:"rows_affected"`
			Message       *string  `json:"message"`
			Failures      *int64   `json:"failures"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("run_results.json does not parse: %v", err)
	}
	if doc.GeneratedAt == "" || doc.ElapsedTime == nil {
		t.Errorf("generated_at or elapsed_time missing:\n%s", data)
	}
	got := map[string]Status{}
	for _, r := range doc.Results {
		got[r.UniqueID] = r.Status
		if r.Timing == nil || r.Timing.StartedAt == "" || r.Timing.CompletedAt == "" || r.ExecutionTime == nil || r.RowsAffected == nil || r.Message == nil {
			t.Errorf("%s lacks timing, execution_time, rows_affected or message", r.UniqueID)
		}
		isTest := strings.HasPrefix(r.UniqueID, "test.")
		if isTest != (r.Failures != nil) {
			t.Errorf("%s: failures = %v; tests, and only tests, report failures", r.UniqueID, r.Failures)
		}
	}
	wantByID := map[string]Status{}
	for name, s := range want {
		kind := manifest.Model
		switch name {
		case "users":
			kind = manifest.Seed
		case "unique_user_ids", "warn_few_users", "fail_big_ids":
			kind = manifest.Test
		}
		wantByID[nodeID(kind, name)] = s
	}
	if !reflect.DeepEqual(got, wantByID) {
		t.Errorf("run_results statuses = %v, want %v", got, wantByID)
	}
}

func TestDuckDBFailedModelKeepsTheOldTableAndSkipsDependants(t *testing.T) {
	p := newDuckProject(t)
	good, ids := build(
		model("orders", "table", "select * from (values (1), (2)) as t(id)"),
		model("order_count", "table", `select count(*) as n from "main"."orders"`, "orders"),
	)
	if res := p.execute(t, good, ids, ModeRun, false); res.Failed() {
		t.Fatalf("first run failed: %+v", res.Results)
	}
	bad, ids := build(
		model("orders", "table", "select cast('not a number' as integer) as id"),
		model("order_count", "table", `select count(*) + 100 as n from "main"."orders"`, "orders"),
	)
	res := p.execute(t, bad, ids, ModeRun, false)
	if got := statuses(res); got["orders"] != StatusError || got["order_count"] != StatusSkipped {
		t.Errorf("statuses = %v", got)
	}
	if got := p.rows(t, `select id from "main"."orders" order by id`); !reflect.DeepEqual(got, []string{"1", "2"}) {
		t.Errorf("orders after a failed rebuild = %v, want the old rows", got)
	}
	if got := p.rows(t, `select n from "main"."order_count"`); !reflect.DeepEqual(got, []string{"2"}) {
		t.Errorf("order_count = %v; the skipped dependant must not be rebuilt", got)
	}
}

func TestDuckDBIncrementalModel(t *testing.T) {
	p := newDuckProject(t)
	m, ids := build(model("events", "incremental", "select * from (values (1, 'a'), (2, 'b')) as t(id, v)"))
	n := m.Node(ids[0])
	n.IncrementalSQL = "select * from (values (2, 'b2'), (3, 'c')) as t(id, v)"
	n.Config.UniqueKey = []string{"id"}
	query := `select id, v from "main"."events" order by id`

	p.execute(t, m, ids, ModeRun, false)
	if got := p.rows(t, query); !reflect.DeepEqual(got, []string{"1 a", "2 b"}) {
		t.Errorf("after the first run: %v", got)
	}
	res := p.execute(t, m, ids, ModeRun, false)
	if got := p.rows(t, query); !reflect.DeepEqual(got, []string{"1 a", "2 b2", "3 c"}) {
		t.Errorf("after the incremental run: %v (want key 2 replaced, 3 appended)", got)
	}
	if res.Results[0].Rows != 2 {
		t.Errorf("incremental run affected %d rows, want 2", res.Results[0].Rows)
	}
	p.execute(t, m, ids, ModeRun, true)
	if got := p.rows(t, query); !reflect.DeepEqual(got, []string{"1 a", "2 b"}) {
		t.Errorf("after --full-refresh: %v", got)
	}
	no := false
	n.Config.FullRefresh = &no
	p.execute(t, m, ids, ModeRun, true)
	if got := p.rows(t, query); !reflect.DeepEqual(got, []string{"1 a", "2 b2", "3 c"}) {
		t.Errorf("full_refresh: false with --full-refresh: %v, want an incremental run", got)
	}
}

func TestDuckDBSeedErrorAndRelationKinds(t *testing.T) {
	p := newDuckProject(t)
	if err := os.WriteFile(filepath.Join(p.root, "seeds", "bad.csv"), []byte("a,b\n1,2\n3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, ids := build(seed("bad"), model("v", "view", "select 1 as x"), model("t", "table", "select 1 as x"))
	res := p.execute(t, m, ids, ModeBuild, false)
	for _, r := range res.Results {
		if r.Name == "bad" && (r.Status != StatusError || !strings.HasPrefix(r.Message, "seeds/bad.csv:")) {
			t.Errorf("seed result = %s %q, want an error naming seeds/bad.csv", r.Status, r.Message)
		}
	}
	if got := statuses(res); got["bad"] != StatusError || got["v"] != StatusSuccess || got["t"] != StatusSuccess {
		t.Errorf("statuses = %v; models independent of a failed seed must still build", got)
	}
	rels, err := p.db.Relations(context.Background(), []string{"main"})
	if err != nil {
		t.Fatal(err)
	}
	if rels[adapter.Relation{Schema: "main", Name: "v"}] != adapter.KindView || rels[adapter.Relation{Schema: "main", Name: "t"}] != adapter.KindTable {
		t.Errorf("relations = %v", rels)
	}
	// Swap the kinds: the catalog read at the start must drive the drops.
	m.Node(ids[1]).Config.Materialized = "table"
	m.Node(ids[2]).Config.Materialized = "view"
	if res := p.execute(t, m, ids[1:], ModeRun, false); res.Failed() {
		t.Fatalf("swapping view and table failed: %+v", res.Results)
	}
	rels, _ = p.db.Relations(context.Background(), []string{"main"})
	if rels[adapter.Relation{Schema: "main", Name: "v"}] != adapter.KindTable || rels[adapter.Relation{Schema: "main", Name: "t"}] != adapter.KindView {
		t.Errorf("relations after the swap = %v", rels)
	}
}
