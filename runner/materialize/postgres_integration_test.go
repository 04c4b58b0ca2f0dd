package materialize

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"martlet/runner/adapter"
	"martlet/runner/adapter/postgres"
	"martlet/runner/adapter/postgres/pgtest"
)

// pgDatabase is a fresh schema on the test PostgreSQL server, with helpers
// to materialize models the way the runner does: look up what exists, read
// the target's columns for an incremental run, plan, execute.
type pgDatabase struct {
	t      *testing.T
	a      *postgres.Adapter
	schema string
}

func openPostgres(t *testing.T, threads int) *pgDatabase {
	t.Helper()
	a, err := postgres.Open(context.Background(), pgtest.DSN(t), threads)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return &pgDatabase{t: t, a: a, schema: pgtest.Schema(t, a)}
}

// rel returns the relation name in the test schema.
func (d *pgDatabase) rel(name string) adapter.Relation {
	return adapter.Relation{Schema: d.schema, Name: name}
}

// relations returns what is in the test schema.
func (d *pgDatabase) relations() map[adapter.Relation]adapter.RelationKind {
	d.t.Helper()
	rels, err := d.a.Relations(context.Background(), []string{d.schema})
	if err != nil {
		d.t.Fatal(err)
	}
	return rels
}

// plan plans r against the database's current state.
func (d *pgDatabase) plan(r Request) []Step {
	d.t.Helper()
	r.Adapter = "postgres"
	r.Existing = d.relations()[r.Target]
	if r.Kind == Incremental && r.Existing == adapter.KindTable && !r.FullRefresh {
		cols, err := d.a.Columns(context.Background(), r.Target)
		if err != nil {
			d.t.Fatal(err)
		}
		for _, c := range cols {
			r.Columns = append(r.Columns, c.Name)
		}
	}
	steps, err := Plan(r)
	if err != nil {
		d.t.Fatal(err)
	}
	return steps
}

// materialize plans r and executes it, returning the rows reported.
func (d *pgDatabase) materialize(r Request) (int64, error) {
	d.t.Helper()
	return Execute(context.Background(), d.a, d.plan(r))
}

func (d *pgDatabase) mustMaterialize(r Request) {
	d.t.Helper()
	if _, err := d.materialize(r); err != nil {
		d.t.Fatalf("materialize %s %s: %v", r.Kind, r.Target, err)
	}
}

// rows returns the rows of rel as "id:v" strings ordered by id, v.
func (d *pgDatabase) rows(rel adapter.Relation) []string {
	d.t.Helper()
	res, err := d.a.Query(context.Background(), "SELECT id::text || ':' || v::text FROM "+rel.String()+" ORDER BY id, v", 0)
	if err != nil {
		d.t.Fatal(err)
	}
	out := []string{}
	for _, r := range res.Values {
		out = append(out, r[0].(string))
	}
	return out
}

func TestPostgresTableSwapIsAtomic(t *testing.T) {
	failing := []struct {
		name, sql string
	}{
		{"division by zero", "select 1/0 as id, 1 as v"},
		{"failing cast", "select 'x'::integer as id, 1 as v"},
		{"failure after many rows", "select case when g = 500000 then g/0 else g end as id, 1 as v from generate_series(1, 1000000) g"},
		{"unknown column", "select nope as id, 1 as v"},
	}
	for _, before := range []Kind{Table, View} {
		for _, tt := range failing {
			t.Run(string(before)+"/"+tt.name, func(t *testing.T) {
				d := openPostgres(t, 1)
				model := d.rel("model")
				d.mustMaterialize(Request{Kind: before, Target: model, SQL: values("(1, 10)", "(2, 20)")})
				if _, err := d.materialize(Request{Kind: Table, Target: model, SQL: tt.sql}); err == nil {
					t.Fatal("a failing SELECT materialized")
				}
				if got := d.relations(); len(got) != 1 || got[model].String() != string(before) {
					t.Errorf("relations %v, want only the previous %s", got, before)
				}
				if got, want := d.rows(model), []string{"1:10", "2:20"}; !reflect.DeepEqual(got, want) {
					t.Errorf("rows %v, want the previous %v", got, want)
				}
			})
		}
	}
}

func TestPostgresViewOverTableKeepsTableOnFailure(t *testing.T) {
	d := openPostgres(t, 1)
	model := d.rel("model")
	d.mustMaterialize(Request{Kind: Table, Target: model, SQL: values("(1, 10)")})
	if _, err := d.materialize(Request{Kind: View, Target: model, SQL: "select nope"}); err == nil {
		t.Fatal("a failing view materialized")
	}
	if got := d.relations()[model]; got != adapter.KindTable {
		t.Errorf("relation is now %s, want table", got)
	}
}

func TestPostgresMaterializationSequences(t *testing.T) {
	type run struct {
		req      Request
		wantKind adapter.RelationKind
		wantRows []string
	}
	incremental := func(sql string, key ...string) Request {
		return Request{Kind: Incremental, SQL: sql, UniqueKey: key}
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
		{"incremental ignores a newly added column", []run{
			{incremental(values("(1, 10)"), "id"), adapter.KindTable, []string{"1:10"}},
			{incremental("select 1 as id, 11 as v, 'new' as w", "id"), adapter.KindTable, []string{"1:11"}},
			{incremental("select 2 as id, 20 as v, 'new' as w"), adapter.KindTable, []string{"1:11", "2:20"}},
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
			{Request{Kind: Incremental, SQL: values("(3, 30)"), FullRefresh: true}, adapter.KindTable, []string{"3:30"}},
		}},
		{"incremental over a view rebuilds", []run{
			{Request{Kind: View, SQL: values("(1, 10)")}, adapter.KindView, []string{"1:10"}},
			{incremental(values("(2, 20)"), "id"), adapter.KindTable, []string{"2:20"}},
			{incremental(values("(3, 30)"), "id"), adapter.KindTable, []string{"2:20", "3:30"}},
		}},
		{"view to table to view", []run{
			{Request{Kind: View, SQL: values("(1, 10)")}, adapter.KindView, []string{"1:10"}},
			{Request{Kind: View, SQL: "select 1 as id, 'x' as v"}, adapter.KindView, []string{"1:x"}},
			{Request{Kind: Table, SQL: values("(2, 20)")}, adapter.KindTable, []string{"2:20"}},
			{Request{Kind: Table, SQL: values("(3, 30)")}, adapter.KindTable, []string{"3:30"}},
			{Request{Kind: View, SQL: values("(4, 40)")}, adapter.KindView, []string{"4:40"}},
		}},
		{"incremental table to view", []run{
			{incremental(values("(1, 10)"), "id"), adapter.KindTable, []string{"1:10"}},
			{Request{Kind: View, SQL: values("(5, 50)")}, adapter.KindView, []string{"5:50"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openPostgres(t, 1)
			model := d.rel("model")
			for i, r := range tt.runs {
				r.req.Target = model
				d.mustMaterialize(r.req)
				if got := d.relations(); len(got) != 1 || got[model] != r.wantKind {
					t.Errorf("run %d: relations %v, want only a %s", i+1, got, r.wantKind)
				}
				if got := d.rows(model); !reflect.DeepEqual(got, r.wantRows) {
					t.Errorf("run %d: rows %v, want %v", i+1, got, r.wantRows)
				}
			}
		})
	}
}

func TestPostgresRebuildDropsDependentViews(t *testing.T) {
	d := openPostgres(t, 1)
	model, dependant := d.rel("model"), d.rel("dependant")
	d.mustMaterialize(Request{Kind: Table, Target: model, SQL: values("(1, 10)")})
	d.mustMaterialize(Request{Kind: View, Target: dependant, SQL: "select * from " + model.String(), SchemaExists: true})
	d.mustMaterialize(Request{Kind: Table, Target: model, SQL: values("(2, 20)")})
	want := map[adapter.Relation]adapter.RelationKind{model: adapter.KindTable}
	if got := d.relations(); !reflect.DeepEqual(got, want) {
		t.Errorf("relations %v, want %v: the dependent view goes with CASCADE", got, want)
	}
}

func TestPostgresLongModelName(t *testing.T) {
	d := openPostgres(t, 1)
	model := d.rel(strings.Repeat("m", 63))
	for _, want := range []string{"1:10", "2:20"} {
		d.mustMaterialize(Request{Kind: Table, Target: model, SQL: values("(" + strings.ReplaceAll(want, ":", ", ") + ")")})
		if got := d.rows(model); !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("rows %v, want [%s]", got, want)
		}
	}
	d.mustMaterialize(Request{Kind: Incremental, Target: model, SQL: values("(2, 21)"), UniqueKey: []string{"id"}})
	if got := d.rows(model); !reflect.DeepEqual(got, []string{"2:21"}) {
		t.Errorf("rows %v after an incremental run, want [2:21]", got)
	}
}

func TestPostgresIncrementalUniqueKeyFailureRollsBack(t *testing.T) {
	d := openPostgres(t, 1)
	model := d.rel("model")
	d.mustMaterialize(Request{Kind: Incremental, Target: model, SQL: values("(1, 10)"), UniqueKey: []string{"id"}})
	// The key column is missing from the model: the DELETE fails after the
	// staging table was created.
	if _, err := d.materialize(Request{Kind: Incremental, Target: model, SQL: "select 1 as other, 11 as v", UniqueKey: []string{"id"}}); err == nil {
		t.Fatal("an incremental run with a missing key column succeeded")
	}
	d.mustMaterialize(Request{Kind: Incremental, Target: model, SQL: values("(1, 12)"), UniqueKey: []string{"id"}})
	if got, want := d.rows(model), []string{"1:12"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}

func TestPostgresParallelIncrementalModels(t *testing.T) {
	const models = 8
	d := openPostgres(t, 4)
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, models)
		for i := range models {
			wg.Go(func() {
				r := Request{
					Adapter: "postgres", Kind: Incremental, Target: d.rel(fmt.Sprintf("m%d", i)), SchemaExists: true, UniqueKey: []string{"id"},
					SQL: fmt.Sprintf("select g as id, %d as v from generate_series(%d, %d) g", round, round*50, round*50+99),
				}
				if round > 0 {
					r.Existing = adapter.KindTable
					r.Columns = []string{"id", "v"}
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
		res, err := d.a.Query(context.Background(), fmt.Sprintf("SELECT count(*), count(DISTINCT id), sum(v) FROM %s", d.rel(fmt.Sprintf("m%d", i))), 0)
		if err != nil {
			t.Fatal(err)
		}
		// ids 0..199: 0-49 from round 0, 50-99 from round 1, 100-199 from round 2.
		got := fmt.Sprint(res.Values[0]...)
		if want := fmt.Sprint(200, 200, 0*50+1*50+2*100); got != want {
			t.Errorf("model %d: count, distinct ids, sum(v) = %s, want %s", i, got, want)
		}
	}
}

func TestPostgresExecuteReportsRows(t *testing.T) {
	d := openPostgres(t, 1)
	model := d.rel("model")
	tests := []struct {
		name string
		req  Request
		want int64
	}{
		{"new table", Request{Kind: Table, SQL: "select generate_series(1, 4) as id, 0 as v"}, 4},
		{"table swap", Request{Kind: Table, SQL: "select generate_series(1, 3) as id, 0 as v"}, 3},
		{"incremental append", Request{Kind: Incremental, SQL: "select 9 as id, 0 as v"}, 1},
		{"incremental upsert", Request{Kind: Incremental, SQL: "select generate_series(1, 2) as id, 1 as v", UniqueKey: []string{"id"}}, 2},
		{"view", Request{Kind: View, SQL: "select 1 as id, 1 as v"}, 0},
	}
	for _, tt := range tests {
		tt.req.Target = model
		got, err := d.materialize(tt.req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: %d rows, want %d", tt.name, got, tt.want)
		}
	}
}
