package materialize

import (
	"reflect"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

var orders = adapter.Relation{Schema: "mart", Name: "orders"}

const selectSQL = "select 1 as id, 2 as v"

func TestPlanGolden(t *testing.T) {
	createSchema := statements(`CREATE SCHEMA IF NOT EXISTS "mart"`)
	tests := []struct {
		name string
		req  Request
		want []Step
	}{
		// DuckDB.
		{
			name: "duckdb view, nothing there, schema unknown",
			req:  Request{Adapter: "duckdb", Kind: View, Target: orders, SQL: selectSQL + ";\n"},
			want: []Step{createSchema, statements("CREATE OR REPLACE VIEW \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "duckdb view over view",
			req:  Request{Adapter: "duckdb", Kind: View, Target: orders, SQL: selectSQL, Existing: adapter.KindView},
			want: []Step{statements("CREATE OR REPLACE VIEW \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "duckdb view over table",
			req:  Request{Adapter: "duckdb", Kind: View, Target: orders, SQL: selectSQL, Existing: adapter.KindTable},
			want: []Step{transaction(
				`DROP TABLE IF EXISTS "mart"."orders"`,
				"CREATE VIEW \"mart\".\"orders\" AS\n"+selectSQL,
			)},
		},
		{
			name: "duckdb table, schema known",
			req:  Request{Adapter: "duckdb", Kind: Table, Target: orders, SQL: selectSQL, SchemaExists: true},
			want: []Step{statements("CREATE OR REPLACE TABLE \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "duckdb table over table",
			req:  Request{Adapter: "duckdb", Kind: Table, Target: orders, SQL: selectSQL, Existing: adapter.KindTable},
			want: []Step{statements("CREATE OR REPLACE TABLE \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "duckdb table over view",
			req:  Request{Adapter: "duckdb", Kind: Table, Target: orders, SQL: selectSQL, Existing: adapter.KindView},
			want: []Step{transaction(
				`DROP VIEW IF EXISTS "mart"."orders"`,
				"CREATE TABLE \"mart\".\"orders\" AS\n"+selectSQL,
			)},
		},
		{
			name: "duckdb incremental first run",
			req:  Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL, UniqueKey: []string{"id"}},
			want: []Step{createSchema, statements("CREATE OR REPLACE TABLE \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "duckdb incremental full refresh",
			req:  Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable, FullRefresh: true},
			want: []Step{statements("CREATE OR REPLACE TABLE \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "duckdb incremental over view",
			req:  Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindView},
			want: []Step{transaction(
				`DROP VIEW IF EXISTS "mart"."orders"`,
				"CREATE TABLE \"mart\".\"orders\" AS\n"+selectSQL,
			)},
		},
		{
			name: "duckdb incremental append",
			req:  Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL + " -- trailing comment", Existing: adapter.KindTable, Columns: []string{"ignored"}},
			want: []Step{statements("INSERT INTO \"mart\".\"orders\" BY NAME SELECT * FROM (\n" + selectSQL + " -- trailing comment\n)")},
		},
		{
			name: "duckdb incremental composite unique key",
			req:  Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable, UniqueKey: []string{"id", `o"k`}},
			want: []Step{transaction(
				"CREATE OR REPLACE TEMP TABLE \"orders__martlet_stage\" AS\n"+selectSQL,
				`DELETE FROM "mart"."orders" AS martlet_target USING "orders__martlet_stage" AS martlet_staged`+
					` WHERE martlet_target."id" = martlet_staged."id" AND martlet_target."o""k" = martlet_staged."o""k"`,
				`INSERT INTO "mart"."orders" BY NAME SELECT * FROM "orders__martlet_stage"`,
				`DROP TABLE "orders__martlet_stage"`,
			)},
		},
		{
			name: "duckdb ephemeral",
			req:  Request{Adapter: "duckdb", Kind: Ephemeral, Target: orders, SQL: selectSQL},
			want: nil,
		},
		// PostgreSQL.
		{
			name: "postgres view, nothing there",
			req:  Request{Adapter: "postgres", Kind: View, Target: orders, SQL: selectSQL},
			want: []Step{createSchema, statements("CREATE VIEW \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "postgres view over view",
			req:  Request{Adapter: "postgres", Kind: View, Target: orders, SQL: selectSQL, Existing: adapter.KindView},
			want: []Step{transaction(
				`DROP VIEW IF EXISTS "mart"."orders" CASCADE`,
				"CREATE VIEW \"mart\".\"orders\" AS\n"+selectSQL,
			)},
		},
		{
			name: "postgres view over table",
			req:  Request{Adapter: "postgres", Kind: View, Target: orders, SQL: selectSQL, Existing: adapter.KindTable},
			want: []Step{transaction(
				`DROP TABLE IF EXISTS "mart"."orders" CASCADE`,
				"CREATE VIEW \"mart\".\"orders\" AS\n"+selectSQL,
			)},
		},
		{
			name: "postgres table, nothing there, schema known",
			req:  Request{Adapter: "postgres", Kind: Table, Target: orders, SQL: selectSQL, SchemaExists: true},
			want: []Step{statements("CREATE TABLE \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "postgres table over table",
			req:  Request{Adapter: "postgres", Kind: Table, Target: orders, SQL: selectSQL, Existing: adapter.KindTable},
			want: []Step{transaction(
				`DROP TABLE IF EXISTS "mart"."orders__martlet_tmp"`,
				"CREATE TABLE \"mart\".\"orders__martlet_tmp\" AS\n"+selectSQL,
				`DROP TABLE IF EXISTS "mart"."orders" CASCADE`,
				`ALTER TABLE "mart"."orders__martlet_tmp" RENAME TO "orders"`,
			)},
		},
		{
			name: "postgres table over view",
			req:  Request{Adapter: "postgres", Kind: Table, Target: orders, SQL: selectSQL, Existing: adapter.KindView},
			want: []Step{transaction(
				`DROP TABLE IF EXISTS "mart"."orders__martlet_tmp"`,
				"CREATE TABLE \"mart\".\"orders__martlet_tmp\" AS\n"+selectSQL,
				`DROP VIEW IF EXISTS "mart"."orders" CASCADE`,
				`ALTER TABLE "mart"."orders__martlet_tmp" RENAME TO "orders"`,
			)},
		},
		{
			name: "postgres incremental first run",
			req:  Request{Adapter: "postgres", Kind: Incremental, Target: orders, SQL: selectSQL, SchemaExists: true},
			want: []Step{statements("CREATE TABLE \"mart\".\"orders\" AS\n" + selectSQL)},
		},
		{
			name: "postgres incremental full refresh",
			req:  Request{Adapter: "postgres", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable, FullRefresh: true, UniqueKey: []string{"id"}},
			want: []Step{transaction(
				`DROP TABLE IF EXISTS "mart"."orders__martlet_tmp"`,
				"CREATE TABLE \"mart\".\"orders__martlet_tmp\" AS\n"+selectSQL,
				`DROP TABLE IF EXISTS "mart"."orders" CASCADE`,
				`ALTER TABLE "mart"."orders__martlet_tmp" RENAME TO "orders"`,
			)},
		},
		{
			name: "postgres incremental append",
			req:  Request{Adapter: "postgres", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable, Columns: []string{"id", "v"}},
			want: []Step{statements("INSERT INTO \"mart\".\"orders\" (\"id\", \"v\") SELECT \"id\", \"v\" FROM (\n" + selectSQL + "\n) AS martlet_staged")},
		},
		{
			name: "postgres incremental composite unique key",
			req:  Request{Adapter: "postgres", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable, UniqueKey: []string{"id", "v"}, Columns: []string{"id", "v"}},
			want: []Step{transaction(
				"CREATE TEMP TABLE \"orders__martlet_stage\" ON COMMIT DROP AS\n"+selectSQL,
				`DELETE FROM "mart"."orders" AS martlet_target USING "orders__martlet_stage" AS martlet_staged`+
					` WHERE martlet_target."id" = martlet_staged."id" AND martlet_target."v" = martlet_staged."v"`,
				`INSERT INTO "mart"."orders" ("id", "v") SELECT "id", "v" FROM "orders__martlet_stage"`,
			)},
		},
		{
			name: "postgres ephemeral",
			req:  Request{Adapter: "postgres", Kind: Ephemeral, Target: orders},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Plan(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Plan =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name    string
		req     Request
		wantErr string
	}{
		{"unknown adapter", Request{Adapter: "mysql", Kind: Table, Target: orders, SQL: selectSQL}, `no materializations for adapter type "mysql" (have duckdb, postgres)`},
		{"unknown kind", Request{Adapter: "duckdb", Kind: "seed", Target: orders, SQL: selectSQL}, `unknown materialization "seed" on duckdb (want view, table, incremental, ephemeral or snapshot)`},
		{"empty kind", Request{Adapter: "postgres", Target: orders, SQL: selectSQL}, `unknown materialization "" on postgres`},
		{"empty name", Request{Adapter: "duckdb", Kind: Table, Target: adapter.Relation{Schema: "main"}, SQL: selectSQL}, "empty schema or name"},
		{"empty SQL", Request{Adapter: "duckdb", Kind: View, Target: orders, SQL: " ;\n"}, `model "mart"."orders" has no SQL`},
		{"empty key column", Request{Adapter: "duckdb", Kind: Incremental, Target: orders, SQL: selectSQL, UniqueKey: []string{"id", ""}}, "unique_key names an empty column"},
		{
			"postgres incremental without columns",
			Request{Adapter: "postgres", Kind: Incremental, Target: orders, SQL: selectSQL, Existing: adapter.KindTable},
			"the target's columns are needed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := Plan(tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Plan = %v, %v; want error containing %q", steps, err, tt.wantErr)
			}
		})
	}
}

func TestPostgresName(t *testing.T) {
	tests := []struct {
		name, suffix, want string
	}{
		{"orders", "__martlet_tmp", "orders__martlet_tmp"},
		{strings.Repeat("a", 63), "__martlet_tmp", strings.Repeat("a", 50) + "__martlet_tmp"},
		{strings.Repeat("a", 49) + "éé", "__martlet_tmp", strings.Repeat("a", 49) + "__martlet_tmp"},
	}
	for _, tt := range tests {
		got := postgresName(tt.name, tt.suffix)
		if got != tt.want {
			t.Errorf("postgresName(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if len(got) > postgresMaxIdent {
			t.Errorf("postgresName(%q) is %d bytes", tt.name, len(got))
		}
	}
}
