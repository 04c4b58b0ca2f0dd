package materialize

import (
	"reflect"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

func TestDuckDBSnapshots(t *testing.T) { forEachSnapshotCase(t, openLiveDuckDB) }

func TestPostgresSnapshots(t *testing.T) { forEachSnapshotCase(t, openLivePostgres) }

// snapshotCases are the snapshot behaviours both adapters must show, each
// run against a fresh database and schema.
var snapshotCases = []struct {
	name string
	test func(t *testing.T, s *snapshotter)
}{
	{"check strategy closes changed rows and adds new keys", testSnapshotCheck},
	{"hard deletes", testSnapshotHardDeletes},
	{"timestamp strategy", testSnapshotTimestamp},
	{"composite key, check columns and a new column", testSnapshotCompositeKeyNewColumn},
	{"check all with a new column changes every row", testSnapshotCheckAllNewColumn},
	{"failure rolls back", testSnapshotRollback},
}

// forEachSnapshotCase runs every snapshot case on a database open gives.
func forEachSnapshotCase(t *testing.T, open func(t *testing.T) (adapter.Adapter, string)) {
	for _, c := range snapshotCases {
		t.Run(c.name, func(t *testing.T) {
			a, schema := open(t)
			c.test(t, &snapshotter{t: t, a: a, rel: adapter.Relation{Schema: schema, Name: "orders_snapshot"}})
		})
	}
}

// snapshotter runs one snapshot and reads it back.
type snapshotter struct {
	t   *testing.T
	a   adapter.Adapter
	rel adapter.Relation
}

// run snapshots sql with the configuration and unique key, and returns
// the rows affected.
func (s *snapshotter) run(sql string, c SnapshotConfig, key ...string) (int64, error) {
	s.t.Helper()
	return runLive(s.t, s.a, Request{Kind: Snapshot, Target: s.rel, SQL: sql, UniqueKey: key, Snapshot: &c})
}

func (s *snapshotter) mustRun(sql string, c SnapshotConfig, key ...string) int64 {
	s.t.Helper()
	n, err := s.run(sql, c, key...)
	if err != nil {
		s.t.Fatalf("snapshot: %v", err)
	}
	return n
}

// rows returns the given columns of every row, in key and version order,
// followed by whether the row is current.
func (s *snapshotter) rows(cols string) []string {
	s.t.Helper()
	return queryRows(s.t, s.a, "SELECT "+cols+", dbt_valid_to IS NULL FROM "+s.rel.String()+" ORDER BY id, dbt_valid_from")
}

// count returns the number of rows where cond holds.
func (s *snapshotter) count(cond string) string {
	s.t.Helper()
	return queryRows(s.t, s.a, "SELECT count(*) FROM "+s.rel.String()+" AS snap WHERE "+cond)[0]
}

func (s *snapshotter) want(what string, got, want []string) {
	s.t.Helper()
	if !reflect.DeepEqual(got, want) {
		s.t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func testSnapshotCheck(t *testing.T, s *snapshotter) {
	check := SnapshotConfig{Strategy: SnapshotCheck}
	s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) AS t(id, name)`, check, "id")
	s.want("first run", s.rows("id, name"), []string{"1|a|true", "2|b|true", "3|c|true"})
	if got := s.count("dbt_valid_from = dbt_updated_at AND dbt_valid_to IS NULL"); got != "3" {
		t.Errorf("%s rows with dbt_valid_from = dbt_updated_at and no dbt_valid_to, want 3", got)
	}

	n := s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'B'), (4, 'd')) AS t(id, name)`, check, "id")
	s.want("second run", s.rows("id, name"), []string{"1|a|true", "2|b|false", "2|B|true", "3|c|true", "4|d|true"})
	if n != 2 {
		t.Errorf("second run affected %d rows, want 2 (the new version of 2 and key 4)", n)
	}
	// The closed row ends when its new version starts, at the second run's
	// time, which is later than the first run's.
	if got := s.count(`EXISTS (SELECT 1 FROM ` + s.rel.String() + ` AS next
		WHERE next.id = snap.id AND next.dbt_valid_from = snap.dbt_valid_to AND next.dbt_valid_from > snap.dbt_valid_from)`); got != "1" {
		t.Errorf("%s closed rows end where a later version starts, want 1", got)
	}
	if got := s.count("dbt_scd_id = md5(CAST(id AS VARCHAR) || '|' || CAST(dbt_updated_at AS VARCHAR))"); got != "5" {
		t.Errorf("%s rows have dbt's dbt_scd_id, want all 5", got)
	}
	if n := s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'B'), (4, 'd')) AS t(id, name)`, check, "id"); n != 0 {
		t.Errorf("an unchanged source affected %d rows", n)
	}
	if got := s.count("true"); got != "5" {
		t.Errorf("an unchanged source left %s rows, want 5", got)
	}
}

func testSnapshotHardDeletes(t *testing.T, s *snapshotter) {
	check := SnapshotConfig{Strategy: SnapshotCheck, CheckCols: []string{"name"}, InvalidateHardDeletes: true}
	s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) AS t(id, name)`, check, "id")
	s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'B')) AS t(id, name)`, check, "id")
	s.want("deleted key closed", s.rows("id, name"), []string{"1|a|true", "2|b|false", "2|B|true", "3|c|false"})
	if got := s.count("id = 3 AND dbt_valid_to > dbt_valid_from"); got != "1" {
		t.Errorf("the deleted row's dbt_valid_to is not after its dbt_valid_from")
	}
	s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'B'), (3, 'c')) AS t(id, name)`, check, "id")
	s.want("key back", s.rows("id, name"), []string{"1|a|true", "2|b|false", "2|B|true", "3|c|false", "3|c|true"})
}

func testSnapshotTimestamp(t *testing.T, s *snapshotter) {
	ts := SnapshotConfig{Strategy: SnapshotTimestamp, UpdatedAt: "updated_at"}
	s.mustRun(`SELECT id, name, CAST(updated_at AS TIMESTAMP) AS updated_at
		FROM (VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01')) AS t(id, name, updated_at)`, ts, "id")
	// Key 1 changed a value but not its updated_at: not a change.
	n := s.mustRun(`SELECT id, name, CAST(updated_at AS TIMESTAMP) AS updated_at
		FROM (VALUES (1, 'a2', '2024-01-01'), (2, 'b2', '2024-01-05'), (3, 'c', '2024-01-03')) AS t(id, name, updated_at)`, ts, "id")
	if n != 2 {
		t.Errorf("second run affected %d rows, want 2", n)
	}
	s.want("versions", s.rows(`id, name, CAST(dbt_valid_from AS VARCHAR), coalesce(CAST(dbt_valid_to AS VARCHAR), '-')`), []string{
		"1|a|2024-01-01 00:00:00|-|true",
		"2|b|2024-01-01 00:00:00|2024-01-05 00:00:00|false",
		"2|b2|2024-01-05 00:00:00|-|true",
		"3|c|2024-01-03 00:00:00|-|true",
	})
	if got := s.count("dbt_updated_at = updated_at AND dbt_valid_from = updated_at AND dbt_scd_id = md5(CAST(id AS VARCHAR) || '|' || CAST(updated_at AS VARCHAR))"); got != "4" {
		t.Errorf("%s rows are stamped with their updated_at and its dbt_scd_id, want 4", got)
	}
}

func testSnapshotCompositeKeyNewColumn(t *testing.T, s *snapshotter) {
	check := SnapshotConfig{Strategy: SnapshotCheck, CheckCols: []string{"name"}}
	s.mustRun(`SELECT * FROM (VALUES (1, 'x', 'a'), (1, 'y', 'b')) AS t(id, region, name)`, check, "id", "region")
	s.mustRun(`SELECT * FROM (VALUES (1, 'x', 'a', 'n1'), (1, 'y', 'B', 'n2'), (2, 'x', 'c', 'n3')) AS t(id, region, name, note)`, check, "id", "region")
	if got, want := columnList(t, s.a, s.rel), "id integer, region varchar, name varchar, dbt_scd_id varchar, dbt_updated_at timestamp, dbt_valid_from timestamp, dbt_valid_to timestamp, note varchar"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	got := queryRows(t, s.a, "SELECT id, region, name, note, dbt_valid_to IS NULL FROM "+s.rel.String()+" ORDER BY id, region, dbt_valid_from")
	s.want("versions", got, []string{"1|x|a|-|true", "1|y|b|-|false", "1|y|B|n2|true", "2|x|c|n3|true"})
}

func testSnapshotCheckAllNewColumn(t *testing.T, s *snapshotter) {
	check := SnapshotConfig{Strategy: SnapshotCheck}
	s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)`, check, "id")
	n := s.mustRun(`SELECT * FROM (VALUES (1, 'a', 'n1'), (2, 'b', 'n2')) AS t(id, name, note)`, check, "id")
	if n != 2 {
		t.Errorf("affected %d rows, want both keys' new versions", n)
	}
	s.want("versions", s.rows("id, name, note"), []string{"1|a|-|false", "1|a|n1|true", "2|b|-|false", "2|b|n2|true"})
}

func testSnapshotRollback(t *testing.T, s *snapshotter) {
	check := SnapshotConfig{Strategy: SnapshotCheck}
	s.mustRun(`SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)`, check, "id")
	// The query fails after the new column was added and the changed rows
	// were closed: nothing of it may stay.
	_, err := s.run(`SELECT id, name, note FROM (VALUES (1, 'A', 'x'), (2, 'b', 'y')) AS t(id, name, note)
		WHERE CAST(CASE WHEN id = 2 THEN 'not a number' ELSE '1' END AS INTEGER) = 1`, check, "id")
	if err == nil {
		t.Fatal("a failing snapshot query succeeded")
	}
	s.want("after the failed run", s.rows("id, name"), []string{"1|a|true", "2|b|true"})
	if got := columnList(t, s.a, s.rel); strings.Contains(got, "note") {
		t.Errorf("the failed run's new column stayed: %s", got)
	}
}
