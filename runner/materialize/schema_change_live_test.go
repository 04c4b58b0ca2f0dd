package materialize

import (
	"reflect"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

func TestDuckDBSchemaChanges(t *testing.T) { forEachSchemaChangeCase(t, openLiveDuckDB) }

func TestPostgresSchemaChanges(t *testing.T) { forEachSchemaChangeCase(t, openLivePostgres) }

// The first run of every schema-change case builds (id integer, name
// varchar) with one row, 1|a.
const firstRun = `SELECT * FROM (VALUES (1, 'a')) AS t(id, name)`

// Later runs' SELECTs.
const (
	sameColumns  = `SELECT * FROM (VALUES (2, 'b')) AS t(id, name)`
	addedColumn  = `SELECT * FROM (VALUES (2, 'b', 10)) AS t(id, name, amount)`
	lostColumn   = `SELECT 3 AS id`
	failingQuery = `SELECT id, name, CAST(amount AS INTEGER) AS amount FROM (VALUES (2, 'b', 'x')) AS t(id, name, amount)`
)

var schemaChangeCases = []struct {
	name, setting, sql, rebuild string
	key                         []string
	// wantErr lists, separated by "|", substrings of which the error must
	// hold one; the table must then be as the first run left it.
	wantErr  string
	wantCols string
	wantRows []string
}{
	{name: "default ignores a new column", sql: addedColumn,
		wantCols: "id integer, name varchar", wantRows: []string{"1|a", "2|b"}},
	{name: "ignore leaves a lost column empty", setting: SchemaIgnore, sql: lostColumn,
		wantCols: "id integer, name varchar", wantRows: []string{"1|a", "3|-"}},
	{name: "ignore with a unique key", setting: SchemaIgnore, sql: `SELECT * FROM (VALUES (1, 'a2', 10)) AS t(id, name, amount)`, key: []string{"id"},
		wantCols: "id integer, name varchar", wantRows: []string{"1|a2"}},
	{name: "fail on a new column", setting: SchemaFail, sql: addedColumn, wantErr: "added columns amount ("},
	{name: "fail on a lost column", setting: SchemaFail, sql: lostColumn, wantErr: "removed columns name"},
	{name: "fail without a change", setting: SchemaFail, sql: sameColumns,
		wantCols: "id integer, name varchar", wantRows: []string{"1|a", "2|b"}},
	{name: "append new columns", setting: SchemaAppend, sql: addedColumn,
		wantCols: "id integer, name varchar, amount integer", wantRows: []string{"1|a|-", "2|b|10"}},
	{name: "append with a unique key", setting: SchemaAppend, sql: `SELECT * FROM (VALUES (1, 'a2', 10), (2, 'b', 20)) AS t(id, name, amount)`, key: []string{"id"},
		wantCols: "id integer, name varchar, amount integer", wantRows: []string{"1|a2|10", "2|b|20"}},
	{name: "append keeps a lost column", setting: SchemaAppend, sql: lostColumn,
		wantCols: "id integer, name varchar", wantRows: []string{"1|a", "3|-"}},
	{name: "sync adds, drops and retypes", setting: SchemaSync, sql: `SELECT * FROM (VALUES (CAST(2 AS BIGINT), 10)) AS t(id, amount)`,
		wantCols: "id bigint, amount integer", wantRows: []string{"1|-", "2|10"}},
	{name: "sync rolls back when the insert fails", setting: SchemaSync, sql: failingQuery, wantErr: "to INT32|type integer"},
	{name: "full refresh on a change", setting: SchemaFullRefresh, sql: addedColumn, rebuild: `SELECT * FROM (VALUES (0, 'z', 0)) AS t(id, name, amount)`,
		wantCols: "id integer, name varchar, amount integer", wantRows: []string{"0|z|0"}},
	{name: "full refresh without a change inserts", setting: SchemaFullRefresh, sql: sameColumns, rebuild: `SELECT 0 AS id, 'z' AS name`,
		wantCols: "id integer, name varchar", wantRows: []string{"1|a", "2|b"}},
}

// forEachSchemaChangeCase runs every on_schema_change case on a database
// open gives.
func forEachSchemaChangeCase(t *testing.T, open func(t *testing.T) (adapter.Adapter, string)) {
	for _, tt := range schemaChangeCases {
		t.Run(tt.name, func(t *testing.T) {
			a, schema := open(t)
			rel := adapter.Relation{Schema: schema, Name: "events"}
			req := Request{Kind: Incremental, Target: rel, UniqueKey: tt.key, OnSchemaChange: tt.setting}
			first := req
			first.SQL = firstRun
			mustRunLive(t, a, first)
			req.SQL, req.RebuildSQL = tt.sql, tt.rebuild
			_, err := runLive(t, a, req)
			wantCols, wantRows := tt.wantCols, tt.wantRows
			if tt.wantErr != "" {
				if err == nil || !containsAny(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)

				}
				wantCols, wantRows = "id integer, name varchar", []string{"1|a"}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := columnList(t, a, rel); got != wantCols {
				t.Errorf("columns %s, want %s", got, wantCols)
			}
			if got := queryRows(t, a, "SELECT * FROM "+rel.String()+" ORDER BY 1"); !reflect.DeepEqual(got, wantRows) {
				t.Errorf("rows %q, want %q", got, wantRows)
			}
		})
	}
}

// containsAny reports whether s contains one of the "|"-separated
// substrings of alternatives.
func containsAny(s, alternatives string) bool {
	for _, sub := range strings.Split(alternatives, "|") {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
