package runner

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"martlet/compiler/manifest"
)

// snapshotProject is a source table model, a check-strategy snapshot of it
// and a test on the snapshot, on DuckDB.
func snapshotProject(t *testing.T, source string) (*manifest.Manifest, []string) {
	t.Helper()
	m, ids := build(
		model("orders_src", "table", source),
		snapshot("orders_snapshot", `select * from "main"."orders_src"`, "orders_src"),
		test("one_current_row_per_id", "", `select id from "snapshots"."orders_snapshot" where dbt_valid_to is null group by id having count(*) > 1`, "orders_snapshot"),
	)
	snap := m.Node(ids[1])
	snap.Config.UniqueKey = []string{"id"}
	snap.Config.Other = map[string]any{"strategy": "check", "check_cols": "all"}
	return m, ids
}

// executeTo runs the mode with progress written to out.
func (p *duckProject) executeTo(t *testing.T, m *manifest.Manifest, ids []string, mode Mode, out *strings.Builder) *Results {
	t.Helper()
	res, err := Execute(context.Background(), Options{Mode: mode, Manifest: m, Selected: ids, Adapter: p.db, ProjectRoot: p.root, Threads: 1, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// result returns the result of the node named name.
func result(t *testing.T, res *Results, name string) Result {
	t.Helper()
	for _, r := range res.Results {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no result for %s in %+v", name, res.Results)
	return Result{}
}

func TestDuckDBSnapshotInBuildAndSnapshotModes(t *testing.T) {
	p := newDuckProject(t)
	history := `select id, status, dbt_valid_to is null as current from "snapshots"."orders_snapshot" order by id, dbt_valid_from`

	m, ids := snapshotProject(t, `select * from (values (1, 'placed'), (2, 'placed')) as t(id, status)`)
	var out strings.Builder
	res := p.executeTo(t, m, ids, ModeBuild, &out)
	want := map[string]Status{"orders_src": StatusSuccess, "orders_snapshot": StatusSuccess, "one_current_row_per_id": StatusPass}
	if got := statuses(res); !reflect.DeepEqual(got, want) {
		t.Fatalf("first build: %v, want %v", got, want)
	}
	text := mask(out.String())
	for _, line := range []string{
		"2 of 3 START snapshot snapshots.orders_snapshot ......",
		"2 of 3 OK snapshotted snapshots.orders_snapshot ......",
		"Finished running 1 table model, 1 snapshot, 1 test in",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("progress output lacks %q:\n%s", line, text)
		}
	}
	if got := p.rows(t, history); !reflect.DeepEqual(got, []string{"1 placed true", "2 placed true"}) {
		t.Errorf("after the first build: %v", got)
	}

	m, ids = snapshotProject(t, `select * from (values (1, 'shipped'), (2, 'placed'), (3, 'placed')) as t(id, status)`)
	res = p.execute(t, m, ids, ModeBuild, false)
	snap := result(t, res, "orders_snapshot")
	if snap.Status != StatusSuccess || snap.Rows != 2 || snap.Materialized != "snapshot" || snap.Relation != `"snapshots"."orders_snapshot"` {
		t.Errorf("second build's snapshot result: %+v, want success with 2 rows", snap)
	}
	wantHistory := []string{"1 placed false", "1 shipped true", "2 placed true", "3 placed true"}
	if got := p.rows(t, history); !reflect.DeepEqual(got, wantHistory) {
		t.Errorf("after the second build: %v, want %v", got, wantHistory)
	}
	path := filepath.Join(p.root, "target", "run_results.json")
	if err := res.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	wantEntry := map[string]any{"unique_id": "snapshot.shop.orders_snapshot", "resource_type": "snapshot", "status": "success", "rows_affected": 2.0}
	if len(doc.Results) != 3 {
		t.Fatalf("run_results.json has %d results, want 3", len(doc.Results))
	}
	for k, v := range wantEntry {
		if doc.Results[1][k] != v {
			t.Errorf("run_results.json snapshot %s = %v, want %v", k, doc.Results[1][k], v)
		}
	}

	// snapshot runs snapshots only; run runs none.
	m, ids = snapshotProject(t, `select * from (values (1, 'returned')) as t(id, status)`)
	res = p.execute(t, m, ids, ModeSnapshot, false)
	if got := statuses(res); !reflect.DeepEqual(got, map[string]Status{"orders_snapshot": StatusSuccess}) {
		t.Errorf("snapshot mode ran %v", got)
	}
	if got := p.rows(t, history); !reflect.DeepEqual(got, wantHistory) {
		t.Errorf("the snapshot saw a source that snapshot mode must not have rebuilt: %v", got)
	}
	res = p.execute(t, m, ids, ModeRun, false)
	if got := statuses(res); !reflect.DeepEqual(got, map[string]Status{"orders_src": StatusSuccess}) {
		t.Errorf("run mode ran %v", got)
	}
}

func TestDuckDBSnapshotTimestampAndHardDeletes(t *testing.T) {
	p := newDuckProject(t)
	run := func(rows string) Result {
		m, ids := build(snapshot("customers", `select id, name, cast(updated_at as timestamp) as updated_at from (values `+rows+`) as t(id, name, updated_at)`))
		n := m.Node(ids[0])
		n.Config.UniqueKey = []string{"id"}
		n.Config.Other = map[string]any{"strategy": "timestamp", "updated_at": "updated_at", "hard_deletes": "invalidate"}
		return p.execute(t, m, ids, ModeSnapshot, false).Results[0]
	}
	run(`(1, 'ann', '2024-01-01'), (2, 'bob', '2024-01-01')`)
	if res := run(`(1, 'anne', '2024-02-01')`); res.Status != StatusSuccess || res.Rows != 1 {
		t.Errorf("second snapshot: %+v", res)
	}
	got := p.rows(t, `select id, name, strftime(dbt_valid_from, '%Y-%m-%d'), dbt_valid_to is null from "snapshots"."customers" order by id, dbt_valid_from`)
	want := []string{"1 ann 2024-01-01 false", "1 anne 2024-02-01 true", "2 bob 2024-01-01 false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
}

func TestSnapshotConfigErrors(t *testing.T) {
	p := newDuckProject(t)
	for _, tt := range []struct {
		other map[string]any
		want  string
	}{
		{map[string]any{"strategy": "check", "check_cols": "some"}, `check_cols must be "all" or a list of columns, not "some"`},
		{map[string]any{"strategy": "check", "check_cols": []any{"a", 1}}, "check_cols must list column names, not 1"},
		{map[string]any{"strategy": "check", "check_cols": "all", "invalidate_hard_deletes": "yes"}, "invalidate_hard_deletes must be true or false"},
		{map[string]any{"strategy": "check", "check_cols": "all", "hard_deletes": "new_record"}, `hard_deletes "new_record" is not supported`},
		{map[string]any{"strategy": "hourly"}, `unknown strategy "hourly"`},
	} {
		m, ids := build(snapshot("s", "select 1 as id"))
		m.Node(ids[0]).Config.UniqueKey = []string{"id"}
		m.Node(ids[0]).Config.Other = tt.other
		res := p.execute(t, m, ids, ModeSnapshot, false).Results[0]
		if res.Status != StatusError || !strings.Contains(res.Message, tt.want) {
			t.Errorf("%v: %s %q, want an error saying %q", tt.other, res.Status, res.Message, tt.want)
		}
	}
}
