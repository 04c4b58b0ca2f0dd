package materialize

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"martlet/runner/adapter"
	"martlet/runner/adapter/duckdb"
)

// database is a temp-file DuckDB database with helpers to materialize models
// the way the runner does: look up what exists, plan, execute.
type database struct {
	t *testing.T
	a *duckdb.Adapter
}

func openDatabase(t *testing.T, threads int) *database {
	t.Helper()
	a, err := duckdb.Open(filepath.Join(t.TempDir(), "mart.duckdb"), threads)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return &database{t: t, a: a}
}

// existing returns what is in the database under rel.
func (d *database) existing(rel adapter.Relation) adapter.RelationKind {
	d.t.Helper()
	rels, err := d.a.Relations(context.Background(), []string{rel.Schema})
	if err != nil {
		d.t.Fatal(err)
	}
	return rels[rel]
}

// materialize plans r against the database's current state and executes it.
func (d *database) materialize(r Request) error {
	d.t.Helper()
	r.Adapter = "duckdb"
	r.Existing = d.existing(r.Target)
	steps, err := Plan(r)
	if err != nil {
		d.t.Fatal(err)
	}
	_, err = Execute(context.Background(), d.a, steps)
	return err
}

func (d *database) mustMaterialize(r Request) {
	d.t.Helper()
	if err := d.materialize(r); err != nil {
		d.t.Fatalf("materialize %s %s: %v", r.Kind, r.Target, err)
	}
}

// rows returns the rows of rel as "id:v" strings ordered by id, v.
func (d *database) rows(rel adapter.Relation) []string {
	d.t.Helper()
	res, err := d.a.Query(context.Background(), "SELECT id::VARCHAR || ':' || v::VARCHAR FROM "+rel.String()+" ORDER BY id, v", 0)
	if err != nil {
		d.t.Fatal(err)
	}
	out := []string{}
	for _, r := range res.Values {
		out = append(out, r[0].(string))
	}
	return out
}

var (
	model  = adapter.Relation{Schema: "mart", Name: "model"}
	values = func(rows ...string) string {
		return "SELECT * FROM (VALUES " + strings.Join(rows, ", ") + ") AS v(id, v)"
	}
)

func TestDuckDBTableSwapIsAtomic(t *testing.T) {
	failing := []struct {
		name, sql string
	}{
		{"error()", "select error('boom') as id, 1 as v"},
		{"failing cast", "select 'x'::INTEGER as id, 1 as v"},
		{"failure after many rows", "select case when range = 500000 then error('boom') else range end as id, 1 as v from range(1000000)"},
		{"unknown column", "select nope as id, 1 as v"},
	}
	for _, before := range []Kind{Table, View} {
		for _, tt := range failing {
			t.Run(string(before)+"/"+tt.name, func(t *testing.T) {
				d := openDatabase(t, 1)
				d.mustMaterialize(Request{Kind: before, Target: model, SQL: values("(1, 10)", "(2, 20)")})
				err := d.materialize(Request{Kind: Table, Target: model, SQL: tt.sql})
				if err == nil {
					t.Fatal("a failing SELECT materialized")
				}
				if got := d.existing(model); got.String() != string(before) {
					t.Errorf("relation is now a %s, want the previous %s", got, before)
				}
				if got, want := d.rows(model), []string{"1:10", "2:20"}; !reflect.DeepEqual(got, want) {
					t.Errorf("rows %v, want the previous %v", got, want)
				}
			})
		}
	}
}

func TestDuckDBViewOverTableKeepsTableOnFailure(t *testing.T) {
	d := openDatabase(t, 1)
	d.mustMaterialize(Request{Kind: Table, Target: model, SQL: values("(1, 10)")})
	if err := d.materialize(Request{Kind: View, Target: model, SQL: "select nope"}); err == nil {
		t.Fatal("a failing view materialized")
	}
	if got := d.existing(model); got != adapter.KindTable {
		t.Errorf("relation is now %s, want table", got)
	}
}

func TestDuckDBMaterializationSequences(t *testing.T) {
	type run struct {
		req      Request
		wantKind adapter.RelationKind
		wantRows []string
	}
	incremental := func(sql string, key ...string) Request {
		return Request{Kind: Incremental, Target: model, SQL: sql, UniqueKey: key}
	}
	tests := []struct {
		name string
		runs []run
	}{
		{"incremental append", []run{
			{incremental(values("(1, 10)", "(2, 20)")), adapter.KindTable, []string{"1:10", "2:20"}},
			{incremental(values("(2, 21)", "(3, 30)")), adapter.KindTable, []string{"1:10", "2:20", "2:21", "3:30"}},
		}},
		{"incremental by name with reordered columns", []run{
			{incremental(values("(1, 10)")), adapter.KindTable, []string{"1:10"}},
			{incremental("select 20 as v, 2 as id"), adapter.KindTable, []string{"1:10", "2:20"}},
		}},
		{"incremental single unique key", []run{
			{incremental(values("(1, 10)", "(2, 20)"), "id"), adapter.KindTable, []string{"1:10", "2:20"}},
			{incremental(values("(2, 21)", "(3, 30)"), "id"), adapter.KindTable, []string{"1:10", "2:21", "3:30"}},
		}},
		{"incremental composite unique key", []run{
			{incremental("SELECT * FROM (VALUES (1, 'a', 10), (1, 'b', 11), (2, 'a', 20)) AS t(id, k, v)", "id", "k"),
				adapter.KindTable, []string{"1:10", "1:11", "2:20"}},
			{incremental("SELECT * FROM (VALUES (1, 'b', 12), (2, 'b', 21), (3, 'a', 30)) AS t(id, k, v)", "id", "k"),
				adapter.KindTable, []string{"1:10", "1:12", "2:20", "2:21", "3:30"}},
		}},
		{"incremental full refresh", []run{
			{incremental(values("(1, 10)")), adapter.KindTable, []string{"1:10"}},
			{incremental(values("(2, 20)")), adapter.KindTable, []string{"1:10", "2:20"}},
			{Request{Kind: Incremental, Target: model, SQL: values("(3, 30)"), FullRefresh: true}, adapter.KindTable, []string{"3:30"}},
		}},
		{"incremental over a view rebuilds", []run{
			{Request{Kind: View, Target: model, SQL: values("(1, 10)")}, adapter.KindView, []string{"1:10"}},
			{incremental(values("(2, 20)"), "id"), adapter.KindTable, []string{"2:20"}},
			{incremental(values("(3, 30)"), "id"), adapter.KindTable, []string{"2:20", "3:30"}},
		}},
		{"view to table to view", []run{
			{Request{Kind: View, Target: model, SQL: values("(1, 10)")}, adapter.KindView, []string{"1:10"}},
			{Request{Kind: View, Target: model, SQL: values("(1, 11)")}, adapter.KindView, []string{"1:11"}},
			{Request{Kind: Table, Target: model, SQL: values("(2, 20)")}, adapter.KindTable, []string{"2:20"}},
			{Request{Kind: Table, Target: model, SQL: values("(3, 30)")}, adapter.KindTable, []string{"3:30"}},
			{Request{Kind: View, Target: model, SQL: values("(4, 40)")}, adapter.KindView, []string{"4:40"}},
		}},
		{"incremental table to view", []run{
			{incremental(values("(1, 10)"), "id"), adapter.KindTable, []string{"1:10"}},
			{Request{Kind: View, Target: model, SQL: values("(5, 50)")}, adapter.KindView, []string{"5:50"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openDatabase(t, 1)
			for i, r := range tt.runs {
				d.mustMaterialize(r.req)
				if got := d.existing(model); got != r.wantKind {
					t.Errorf("run %d: relation is a %s, want %s", i+1, got, r.wantKind)
				}
				if got := d.rows(model); !reflect.DeepEqual(got, r.wantRows) {
					t.Errorf("run %d: rows %v, want %v", i+1, got, r.wantRows)
				}
			}
		})
	}
}

func TestDuckDBIncrementalUniqueKeyFailureRollsBack(t *testing.T) {
	d := openDatabase(t, 1)
	d.mustMaterialize(Request{Kind: Incremental, Target: model, SQL: values("(1, 10)"), UniqueKey: []string{"id"}})
	// The key column is missing from the model: the DELETE fails after the
	// staging table was created.
	err := d.materialize(Request{Kind: Incremental, Target: model, SQL: "select 1 as other, 11 as v", UniqueKey: []string{"id"}})
	if err == nil {
		t.Fatal("an incremental run with a missing key column succeeded")
	}
	d.mustMaterialize(Request{Kind: Incremental, Target: model, SQL: values("(1, 12)"), UniqueKey: []string{"id"}})
	if got, want := d.rows(model), []string{"1:12"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

func TestDuckDBParallelIncrementalModels(t *testing.T) {
	const models = 8
	d := openDatabase(t, 4)
	if _, err := d.a.Exec(context.Background(), `CREATE SCHEMA "mart"`); err != nil {
		t.Fatal(err)
	}
	target := func(i int) adapter.Relation {
		return adapter.Relation{Schema: "mart", Name: fmt.Sprintf("m%d", i)}
	}
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, models)
		for i := range models {
			wg.Go(func() {
				r := Request{
					Adapter: "duckdb", Kind: Incremental, Target: target(i), SchemaExists: true, UniqueKey: []string{"id"},
					SQL: fmt.Sprintf("select range as id, %d as v from range(%d, %d)", round, round*50, round*50+100),
				}
				if round > 0 {
					r.Existing = adapter.KindTable
				}
				steps, err := Plan(r)
				if err == nil {
					_, err = Execute(context.Background(), d.a, steps)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d model %d: %v", round, i, err)
			}
		}
	}
	for i := range models {
		res, err := d.a.Query(context.Background(), "SELECT count(*), count(DISTINCT id), sum(v) FROM "+target(i).String(), 0)
		if err != nil {
			t.Fatal(err)
		}
		// ids 0..199: 0-49 from round 0, 50-99 from round 1, 100-199 from round 2.
		got := fmt.Sprint(res.Values[0]...)
		if want := fmt.Sprint(int64(200), int64(200), 0*50+1*50+2*100); got != want {
			t.Errorf("model %d: count, distinct ids, sum(v) = %s, want %s", i, got, want)
		}
	}
}

func TestExecuteReportsRows(t *testing.T) {
	d := openDatabase(t, 1)
	tests := []struct {
		name  string
		steps []Step
		want  int64
	}{
		{"statements", []Step{statements("CREATE TABLE t (id INTEGER)", "INSERT INTO t VALUES (1), (2)", "CREATE VIEW v AS SELECT 1")}, 2},
		{"transaction after statements", []Step{statements("INSERT INTO t VALUES (3)"), transaction("INSERT INTO t VALUES (4), (5), (6)", "DROP VIEW v")}, 3},
	}
	for _, tt := range tests {
		got, err := Execute(context.Background(), d.a, tt.steps)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: %d rows, want %d", tt.name, got, tt.want)
		}
	}
	if _, err := Execute(context.Background(), d.a, []Step{statements("SELECT error('boom')", "DROP TABLE t")}); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error %v, want DuckDB's boom", err)
	}
	if got := d.existing(adapter.Relation{Schema: "main", Name: "t"}); got != adapter.KindTable {
		t.Error("Execute ran a statement after a failed one")
	}
}
