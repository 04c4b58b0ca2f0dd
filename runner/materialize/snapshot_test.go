package materialize

import (
	"reflect"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

var ordersSnapshot = adapter.Relation{Schema: "snapshots", Name: "orders_snapshot"}

// snapshotTable returns the columns of a snapshot table over cols.
func snapshotTable(cols ...adapter.Column) []adapter.Column {
	return append(cols,
		adapter.Column{Name: "dbt_scd_id", Type: "VARCHAR"}, adapter.Column{Name: "dbt_updated_at", Type: "TIMESTAMP"},
		adapter.Column{Name: "dbt_valid_from", Type: "TIMESTAMP"}, adapter.Column{Name: "dbt_valid_to", Type: "TIMESTAMP"})
}

func TestSnapshotFirstRunSQL(t *testing.T) {
	steps, err := Plan(Request{
		Adapter: "duckdb", Kind: Snapshot, Target: ordersSnapshot, SQL: "select * from raw.orders;", UniqueKey: []string{"id"},
		Snapshot: &SnapshotConfig{Strategy: SnapshotCheck},
	})
	if err != nil {
		t.Fatal(err)
	}
	now := "current_timestamp::TIMESTAMP"
	want := []Step{
		statements(`CREATE SCHEMA IF NOT EXISTS "snapshots"`),
		statements(`CREATE TABLE "snapshots"."orders_snapshot" AS
SELECT *, md5(coalesce(CAST(id AS VARCHAR), '') || '|' || coalesce(CAST(` + now + ` AS VARCHAR), '')) AS dbt_scd_id, ` +
			now + ` AS dbt_updated_at, ` + now + ` AS dbt_valid_from,
nullif(` + now + `, ` + now + `) AS dbt_valid_to
FROM (
select * from raw.orders
) AS snapshot_query`),
	}
	if !reflect.DeepEqual(steps, want) {
		t.Errorf("steps:\n%s\nwant:\n%s", stepsText(steps), stepsText(want))
	}

	steps, err = Plan(Request{
		Adapter: "postgres", Kind: Snapshot, Target: ordersSnapshot, SQL: "select * from raw.orders", UniqueKey: []string{"id"},
		Snapshot: &SnapshotConfig{Strategy: SnapshotTimestamp, UpdatedAt: "updated_at"}, SchemaExists: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := stepsText(steps); !strings.Contains(got, "SELECT *, md5(coalesce(CAST(id AS VARCHAR), '') || '|' || coalesce(CAST(updated_at AS VARCHAR), '')) AS dbt_scd_id, "+
		"updated_at AS dbt_updated_at, updated_at AS dbt_valid_from,\nnullif(updated_at, updated_at) AS dbt_valid_to") {
		t.Errorf("timestamp first run stamps rows with other than updated_at:\n%s", got)
	}
}

func TestSnapshotLaterRunSQL(t *testing.T) {
	steps, err := Plan(Request{
		Adapter: "duckdb", Kind: Snapshot, Target: ordersSnapshot, SQL: "select * from raw.orders", UniqueKey: []string{"id", "region"},
		Existing: adapter.KindTable,
		Snapshot: &SnapshotConfig{Strategy: SnapshotTimestamp, UpdatedAt: "updated_at", InvalidateHardDeletes: true},
		ModelColumns: []adapter.Column{{Name: "id", Type: "INTEGER"}, {Name: "region", Type: "VARCHAR"},
			{Name: "updated_at", Type: "TIMESTAMP"}, {Name: "note", Type: "VARCHAR"}},
		TargetColumns: snapshotTable(adapter.Column{Name: "id", Type: "INTEGER"}, adapter.Column{Name: "region", Type: "VARCHAR"},
			adapter.Column{Name: "updated_at", Type: "TIMESTAMP"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	const (
		cols  = `source_data."id", source_data."region", source_data."updated_at", source_data."note"`
		match = `snapshotted_data.dbt_unique_key_1 = source_data.dbt_unique_key_1 AND snapshotted_data.dbt_unique_key_2 = source_data.dbt_unique_key_2`
		stage = `"orders_snapshot__martlet_snapshot"`
	)
	want := []Step{transaction(
		`ALTER TABLE "snapshots"."orders_snapshot" ADD COLUMN "note" VARCHAR`,
		`CREATE OR REPLACE TEMP TABLE `+stage+` AS
WITH source_data AS (
SELECT *, id AS dbt_unique_key_1, region AS dbt_unique_key_2, updated_at AS dbt_updated_at, `+
			`md5(coalesce(CAST(id AS VARCHAR), '') || '|' || coalesce(CAST(region AS VARCHAR), '') || '|' || coalesce(CAST(updated_at AS VARCHAR), '')) AS dbt_scd_id
FROM (
select * from raw.orders
) AS snapshot_query
),
snapshotted_data AS (
SELECT *, id AS dbt_unique_key_1, region AS dbt_unique_key_2 FROM "snapshots"."orders_snapshot" WHERE dbt_valid_to IS NULL
)
SELECT 'insert' AS dbt_change_type, `+cols+`, source_data.dbt_updated_at,
nullif(source_data.dbt_updated_at, source_data.dbt_updated_at) AS dbt_valid_to, source_data.dbt_scd_id
FROM source_data LEFT JOIN snapshotted_data ON `+match+`
WHERE snapshotted_data.dbt_unique_key_1 IS NULL OR snapshotted_data.dbt_valid_from < source_data.dbt_updated_at
UNION ALL
SELECT 'update', `+cols+`, source_data.dbt_updated_at, source_data.dbt_updated_at, snapshotted_data.dbt_scd_id
FROM source_data JOIN snapshotted_data ON `+match+`
WHERE snapshotted_data.dbt_valid_from < source_data.dbt_updated_at
UNION ALL
SELECT 'delete', `+cols+`, current_timestamp::TIMESTAMP, current_timestamp::TIMESTAMP, snapshotted_data.dbt_scd_id
FROM snapshotted_data LEFT JOIN source_data ON `+match+`
WHERE source_data.dbt_unique_key_1 IS NULL`,
		`UPDATE "snapshots"."orders_snapshot" AS snapshot SET dbt_valid_to = staged.dbt_valid_to
FROM `+stage+` AS staged
WHERE staged.dbt_scd_id = snapshot.dbt_scd_id AND staged.dbt_change_type IN ('update', 'delete')
AND snapshot.dbt_valid_to IS NULL`,
		`INSERT INTO "snapshots"."orders_snapshot" ("id", "region", "updated_at", "note", dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to)
SELECT "id", "region", "updated_at", "note", dbt_scd_id, dbt_updated_at, dbt_updated_at, NULL
FROM `+stage+` WHERE dbt_change_type = 'insert'`,
		`DROP TABLE `+stage,
	)}
	if !reflect.DeepEqual(steps, want) {
		t.Errorf("steps:\n%s\nwant:\n%s", stepsText(steps), stepsText(want))
	}
}

func TestSnapshotCheckStrategySQL(t *testing.T) {
	req := func(adapterType string, checkCols ...string) Request {
		return Request{
			Adapter: adapterType, Kind: Snapshot, Target: ordersSnapshot, SQL: "select * from raw.orders", UniqueKey: []string{"id"},
			Existing: adapter.KindTable, Snapshot: &SnapshotConfig{Strategy: SnapshotCheck, CheckCols: checkCols},
			ModelColumns:  []adapter.Column{{Name: "id", Type: "integer"}, {Name: "Status", Type: "text"}, {Name: "amount", Type: "numeric"}},
			TargetColumns: snapshotTable(adapter.Column{Name: "id", Type: "integer"}, adapter.Column{Name: "Status", Type: "text"}),
		}
	}
	tests := []struct {
		name string
		req  Request
		// want are substrings of the steps' text, unwanted must not be.
		want     []string
		unwanted []string
	}{
		{"postgres, listed columns", req("postgres", "Status"), []string{
			`CREATE TEMP TABLE "orders_snapshot__martlet_snapshot" ON COMMIT DROP AS`,
			`now()::timestamp without time zone AS dbt_updated_at, md5(coalesce(CAST(id AS VARCHAR), '') || '|' || coalesce(CAST(now()::timestamp without time zone AS VARCHAR), '')) AS dbt_scd_id`,
			`WHERE snapshotted_data.dbt_unique_key_1 IS NULL OR (snapshotted_data."Status" IS DISTINCT FROM source_data."Status")`,
			`ALTER TABLE "snapshots"."orders_snapshot" ADD COLUMN "amount" numeric`,
		}, []string{"DROP TABLE", "SELECT 'delete'", "TRUE"}},
		{"duckdb, listed column names fold case", req("duckdb", "status", "id"), []string{
			`(snapshotted_data."Status" IS DISTINCT FROM source_data."Status" OR snapshotted_data."id" IS DISTINCT FROM source_data."id")`,
		}, nil},
		{"all columns, one new: every row changed, as in dbt", req("duckdb"), []string{
			`WHERE snapshotted_data.dbt_unique_key_1 IS NULL OR TRUE`,
		}, []string{"IS DISTINCT FROM"}},
		{"listed column new: every row changed", req("postgres", "amount"), []string{
			`WHERE TRUE`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := Plan(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != 1 || !steps[0].Tx {
				t.Fatalf("a later run must be one transaction, got %d steps", len(steps))
			}
			got := stepsText(steps)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
			for _, u := range tt.unwanted {
				if strings.Contains(got, u) {
					t.Errorf("unexpected %q in:\n%s", u, got)
				}
			}
		})
	}
}

func TestSnapshotPlanErrors(t *testing.T) {
	later := func(edit func(r *Request)) Request {
		r := Request{
			Adapter: "duckdb", Kind: Snapshot, Target: ordersSnapshot, SQL: "select 1 as id", UniqueKey: []string{"id"},
			Existing: adapter.KindTable, Snapshot: &SnapshotConfig{Strategy: SnapshotCheck},
			ModelColumns: []adapter.Column{{Name: "id", Type: "INTEGER"}}, TargetColumns: snapshotTable(adapter.Column{Name: "id", Type: "INTEGER"}),
		}
		edit(&r)
		return r
	}
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"no configuration", later(func(r *Request) { r.Snapshot = nil }), "no snapshot configuration"},
		{"no unique key", later(func(r *Request) { r.UniqueKey = nil }), "needs a unique_key"},
		{"unknown strategy", later(func(r *Request) { r.Snapshot.Strategy = "hourly" }), `unknown strategy "hourly"`},
		{"timestamp without updated_at", later(func(r *Request) { r.Snapshot.Strategy = SnapshotTimestamp }), "needs updated_at"},
		{"a view under the name", later(func(r *Request) { r.Existing = adapter.KindView }), "a view stands under the name"},
		{"columns not described", later(func(r *Request) { r.ModelColumns = nil }), "needs the columns"},
		{"not a snapshot table", later(func(r *Request) { r.TargetColumns = r.TargetColumns[:2] }), "has no dbt_updated_at, dbt_valid_from, dbt_valid_to column"},
		{"check column not in the query", later(func(r *Request) { r.Snapshot.CheckCols = []string{"nope"} }), "check_cols names nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Plan(tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// stepsText renders steps for failure messages.
func stepsText(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString("--- step, transaction: ")
		b.WriteString(map[bool]string{true: "yes", false: "no"}[s.Tx])
		b.WriteString("\n")
		for _, q := range s.SQL {
			b.WriteString(q + ";\n")
		}
	}
	return b.String()
}
