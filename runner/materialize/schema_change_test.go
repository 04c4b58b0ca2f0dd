package materialize

import (
	"reflect"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

func cols(pairs ...string) []adapter.Column {
	out := make([]adapter.Column, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, adapter.Column{Name: pairs[i], Type: pairs[i+1]})
	}
	return out
}

func TestDiffSchemas(t *testing.T) {
	table := cols("id", "INTEGER", "Name", "VARCHAR", "amount", "DECIMAL(12,2)", "gone", "DATE")
	model := cols("ID", "BIGINT", "name", "TEXT", "amount", "DECIMAL", "new", "BOOLEAN")
	d := diffSchemas("duckdb", model, table)
	if want := cols("new", "BOOLEAN"); !reflect.DeepEqual(d.added, want) {
		t.Errorf("added %v, want %v", d.added, want)
	}
	if want := cols("gone", "DATE"); !reflect.DeepEqual(d.removed, want) {
		t.Errorf("removed %v, want %v", d.removed, want)
	}
	if want := cols("id", "BIGINT"); !reflect.DeepEqual(d.retyped, want) {
		t.Errorf("retyped %v, want %v (the table's name, the model's type)", d.retyped, want)
	}
	if want := []string{"id", "Name", "amount"}; !reflect.DeepEqual(d.kept, want) {
		t.Errorf("kept %v, want %v", d.kept, want)
	}
	if got, want := d.String(), "added columns new (BOOLEAN); removed columns gone; changed types: id to BIGINT"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	// PostgreSQL names are exact.
	d = diffSchemas("postgres", cols("Name", "text"), cols("name", "character varying(20)"))
	if len(d.added) != 1 || len(d.removed) != 1 || !d.changed() {
		t.Errorf("postgres diff of Name and name = %+v, want one added and one removed", d)
	}
	if d := diffSchemas("postgres", cols("a", "numeric", "b", "text"), cols("a", "numeric(12,2)", "b", "character varying(20)")); d.changed() {
		t.Errorf("unconstrained numeric and text differ from numeric(12,2) and varchar(20): %s", d)
	}
}

func TestSchemaChangePlans(t *testing.T) {
	table := cols("id", "INTEGER", "name", "VARCHAR")
	added := cols("id", "INTEGER", "name", "VARCHAR", "amount", "DECIMAL(12,2)")
	later := func(adapterType, setting string, model []adapter.Column, key ...string) Request {
		return Request{
			Adapter: adapterType, Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable,
			UniqueKey: key, OnSchemaChange: setting, ModelColumns: model, TargetColumns: table,
			RebuildSQL: "select 0 as id;",
		}
	}
	const projected = "SELECT \"id\", \"name\" FROM (\n" + selectSQL + "\n) AS martlet_model"
	tests := []struct {
		name string
		req  Request
		want []Step
	}{
		{"duckdb ignore projects the table's columns", later("duckdb", "", added),
			[]Step{statements(`INSERT INTO "mart"."orders" BY NAME SELECT * FROM (` + "\n" + projected + "\n)")}},
		{"duckdb unchanged leaves the SQL alone", later("duckdb", SchemaFail, table),
			[]Step{statements(`INSERT INTO "mart"."orders" BY NAME SELECT * FROM (` + "\n" + selectSQL + "\n)")}},
		{"postgres ignore inserts the table's columns", later("postgres", SchemaIgnore, added),
			[]Step{statements(`INSERT INTO "mart"."orders" ("id", "name") SELECT "id", "name" FROM (` + "\n" + projected + "\n) AS martlet_staged")}},
		{"postgres ignore without a lost column", later("postgres", SchemaIgnore, cols("id", "integer")),
			[]Step{statements(`INSERT INTO "mart"."orders" ("id") SELECT "id" FROM (` + "\n" + selectSQL + "\n) AS martlet_staged")}},
		{"duckdb append with a unique key, one transaction", later("duckdb", SchemaAppend, added, "id"),
			[]Step{transaction(
				`ALTER TABLE "mart"."orders" ADD COLUMN "amount" DECIMAL(12,2)`,
				"CREATE OR REPLACE TEMP TABLE \"orders__martlet_stage\" AS\n"+selectSQL,
				`DELETE FROM "mart"."orders" AS martlet_target USING "orders__martlet_stage" AS martlet_staged WHERE martlet_target."id" = martlet_staged."id"`,
				`INSERT INTO "mart"."orders" BY NAME SELECT * FROM "orders__martlet_stage"`,
				`DROP TABLE "orders__martlet_stage"`,
			)}},
		{"postgres sync adds, drops and retypes in one transaction", later("postgres", SchemaSync, cols("id", "bigint", "amount", "numeric(12,2)")),
			[]Step{transaction(
				`ALTER TABLE "mart"."orders" ADD COLUMN "amount" numeric(12,2)`,
				`ALTER TABLE "mart"."orders" DROP COLUMN "name"`,
				`ALTER TABLE "mart"."orders" ALTER COLUMN "id" TYPE bigint USING CAST("id" AS bigint)`,
				`INSERT INTO "mart"."orders" ("id", "amount") SELECT "id", "amount" FROM (`+"\n"+selectSQL+"\n) AS martlet_staged",
			)}},
		{"full refresh on a change rebuilds from the rebuild SQL", later("duckdb", SchemaFullRefresh, added),
			[]Step{statements("CREATE OR REPLACE TABLE \"mart\".\"orders\" AS\nselect 0 as id")}},
		{"full refresh without a change inserts", later("duckdb", SchemaFullRefresh, table),
			[]Step{statements(`INSERT INTO "mart"."orders" BY NAME SELECT * FROM (` + "\n" + selectSQL + "\n)")}},
		{"first run ignores the setting", Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL, SchemaExists: true,
			OnSchemaChange: SchemaFail, ModelColumns: added},
			[]Step{statements("CREATE OR REPLACE TABLE \"mart\".\"orders\" AS\n" + selectSQL)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := Plan(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(steps, tt.want) {
				t.Errorf("steps:\n%s\nwant:\n%s", stepsText(steps), stepsText(tt.want))
			}
		})
	}
}

func TestSchemaChangeErrors(t *testing.T) {
	req := Request{
		Adapter: "postgres", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable,
		ModelColumns: cols("id", "bigint", "amount", "integer"), TargetColumns: cols("id", "integer", "name", "text"),
	}
	tests := []struct {
		setting, want string
		model         []adapter.Column
	}{
		{SchemaFail, `the columns of incremental model "mart"."orders" changed (added columns amount (integer); removed columns name; changed types: id to bigint) and on_schema_change is fail`, nil},
		{"sometimes", `unknown on_schema_change "sometimes"`, nil},
		{SchemaIgnore, "has no column in common with its table", cols("other", "integer")},
	}
	for _, tt := range tests {
		r := req
		r.OnSchemaChange = tt.setting
		if tt.model != nil {
			r.ModelColumns = tt.model
		}
		steps, err := Plan(r)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Plan = %v, %v; want an error saying %q", tt.setting, steps, err, tt.want)
		}
	}
}
