package materialize

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"martlet/runner/adapter"
)

// Snapshot strategies: type 2 slowly changing dimensions with dbt's
// columns. A snapshot table holds the snapshot query's columns followed by
// dbt_scd_id (the md5 of the unique key and dbt_updated_at), dbt_updated_at,
// dbt_valid_from and dbt_valid_to (null on a key's current row).

// The snapshot strategies of SnapshotConfig.Strategy.
const (
	// SnapshotTimestamp: a row changed when its updated_at column is
	// later than the current row's dbt_valid_from; the versions are
	// stamped with updated_at.
	SnapshotTimestamp = "timestamp"
	// SnapshotCheck: a row changed when one of its check columns differs
	// from the current row's; the versions are stamped with the snapshot
	// run's time.
	SnapshotCheck = "check"
)

// SnapshotConfig is a snapshot's configuration (Request.Snapshot). Its
// unique key is Request.UniqueKey: as in dbt, each element is an SQL
// expression (usually a column name) written as is.
type SnapshotConfig struct {
	// Strategy is SnapshotTimestamp or SnapshotCheck.
	Strategy string
	// UpdatedAt is the timestamp strategy's column (an SQL expression, as
	// in dbt).
	UpdatedAt string
	// CheckCols are the check strategy's columns; nil means all the
	// snapshot query's columns (check_cols: all).
	CheckCols []string
	// InvalidateHardDeletes closes the current row of keys that are no
	// longer in the snapshot query.
	InvalidateHardDeletes bool
}

// snapshotColumns are the columns a snapshot adds to its query's, in order.
var snapshotColumns = []string{"dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"}

// snapshotDialect is what a snapshot's statements need from an adapter.
type snapshotDialect struct {
	// now is the snapshot run's time, constant within a transaction.
	now string
	// stage names the temporary table of a later run and returns the
	// statement that creates it from a SELECT, and the statement that
	// drops it ("" when it is dropped at commit).
	stage func(target adapter.Relation, sql string) (name, create, drop string)
}

// duckdbSnapshot plans a snapshot on DuckDB.
func duckdbSnapshot(r Request, sql string) ([]Step, error) {
	return planSnapshot(snapshotDialect{
		now: "current_timestamp::TIMESTAMP",
		stage: func(target adapter.Relation, sql string) (string, string, string) {
			name := adapter.QuoteIdent(target.Name + snapshotStageSuffix)
			return name, "CREATE OR REPLACE TEMP TABLE " + name + " AS\n" + sql, "DROP TABLE " + name
		},
	}, r, sql)
}

// postgresSnapshot plans a snapshot on PostgreSQL.
func postgresSnapshot(r Request, sql string) ([]Step, error) {
	return planSnapshot(snapshotDialect{
		now: "now()::timestamp without time zone",
		stage: func(target adapter.Relation, sql string) (string, string, string) {
			name := adapter.QuoteIdent(postgresName(target.Name, snapshotStageSuffix))
			return name, "CREATE TEMP TABLE " + name + " ON COMMIT DROP AS\n" + sql, ""
		},
	}, r, sql)
}

// snapshotStageSuffix names the temporary table that holds a later
// snapshot run's source rows.
const snapshotStageSuffix = "__martlet_snapshot"

// planSnapshot plans a snapshot in dialect d. The first run creates the
// table from the query plus dbt's columns. A later run, in one
// transaction: adds the query's new columns to the table, stages the
// changes (see changes), closes the current row of every changed key (and,
// with hard deletes invalidated, of every vanished key), and inserts the
// new versions of changed and new keys. It reports the rows inserted, or
// when there are none the rows closed.
func planSnapshot(d snapshotDialect, r Request, sql string) ([]Step, error) {
	c := r.Snapshot
	if c == nil {
		return nil, fmt.Errorf("snapshot %s has no snapshot configuration", r.Target)
	}
	if len(r.UniqueKey) == 0 {
		return nil, fmt.Errorf("snapshot %s needs a unique_key", r.Target)
	}
	var updatedAt string
	switch c.Strategy {
	case SnapshotTimestamp:
		if strings.TrimSpace(c.UpdatedAt) == "" {
			return nil, fmt.Errorf("snapshot %s: the timestamp strategy needs updated_at", r.Target)
		}
		updatedAt = c.UpdatedAt
	case SnapshotCheck:
		updatedAt = d.now
	default:
		return nil, fmt.Errorf("snapshot %s: unknown strategy %q (want timestamp or check)", r.Target, c.Strategy)
	}
	scdID := scdHash(append(append([]string(nil), r.UniqueKey...), updatedAt))
	if r.Existing == adapter.KindNone {
		return []Step{statements(lines(
			"CREATE TABLE "+r.Target.String()+" AS",
			"SELECT *, "+scdID+" AS dbt_scd_id, "+updatedAt+" AS dbt_updated_at, "+updatedAt+" AS dbt_valid_from,",
			"nullif("+updatedAt+", "+updatedAt+") AS dbt_valid_to",
			"FROM "+subquery(sql)+" AS snapshot_query",
		))}, nil
	}
	if err := checkSnapshotTable(r); err != nil {
		return nil, err
	}
	changed, err := rowChanged(r)
	if err != nil {
		return nil, err
	}
	stage, create, drop := d.stage(r.Target, changes(r, sql, updatedAt, scdID, changed, d.now))
	target := r.Target.String()
	cols := strings.Join(quotedNames(r.ModelColumns), ", ")
	stmts := addColumns(r.Target, diffSchemas(r.Adapter, r.ModelColumns, r.TargetColumns).added)
	stmts = append(stmts, create,
		lines(
			"UPDATE "+target+" AS snapshot SET dbt_valid_to = staged.dbt_valid_to",
			"FROM "+stage+" AS staged",
			"WHERE staged.dbt_scd_id = snapshot.dbt_scd_id AND staged.dbt_change_type IN ('update', 'delete')",
			"AND snapshot.dbt_valid_to IS NULL",
		),
		lines(
			"INSERT INTO "+target+" ("+cols+", "+strings.Join(snapshotColumns, ", ")+")",
			"SELECT "+cols+", dbt_scd_id, dbt_updated_at, dbt_updated_at, NULL",
			"FROM "+stage+" WHERE dbt_change_type = 'insert'",
		))
	if drop != "" {
		stmts = append(stmts, drop)
	}
	return []Step{transaction(stmts...)}, nil
}

// changes returns the SELECT of a later run's changes, as dbt stages them:
// an 'insert' row for each new version (of a new key, or of a changed
// one), with its dbt_scd_id and dbt_updated_at; an 'update' row for each
// changed key and a 'delete' row for each vanished key (with hard deletes
// invalidated), with the dbt_scd_id of the current row to close and its
// dbt_valid_to. Every column of the query is listed, so that the branches
// line up.
func changes(r Request, sql, updatedAt, scdID, changed, now string) string {
	keys := keyColumns(r.UniqueKey)
	match := keysMatch("snapshotted_data", "source_data", len(r.UniqueKey))
	cols := make([]string, len(r.ModelColumns))
	for i, c := range quotedNames(r.ModelColumns) {
		cols[i] = "source_data." + c
	}
	source := strings.Join(cols, ", ")
	out := lines(
		"WITH source_data AS (",
		"SELECT *, "+keys+", "+updatedAt+" AS dbt_updated_at, "+scdID+" AS dbt_scd_id",
		"FROM "+subquery(sql)+" AS snapshot_query",
		"),",
		"snapshotted_data AS (",
		"SELECT *, "+keys+" FROM "+r.Target.String()+" WHERE dbt_valid_to IS NULL",
		")",
		"SELECT 'insert' AS dbt_change_type, "+source+", source_data.dbt_updated_at,",
		"nullif(source_data.dbt_updated_at, source_data.dbt_updated_at) AS dbt_valid_to, source_data.dbt_scd_id",
		"FROM source_data LEFT JOIN snapshotted_data ON "+match,
		"WHERE snapshotted_data."+keyColumn(0)+" IS NULL OR "+changed,
		"UNION ALL",
		"SELECT 'update', "+source+", source_data.dbt_updated_at, source_data.dbt_updated_at, snapshotted_data.dbt_scd_id",
		"FROM source_data JOIN snapshotted_data ON "+match,
		"WHERE "+changed,
	)
	if r.Snapshot.InvalidateHardDeletes {
		out += "\n" + lines(
			"UNION ALL",
			"SELECT 'delete', "+source+", "+now+", "+now+", snapshotted_data.dbt_scd_id",
			"FROM snapshotted_data LEFT JOIN source_data ON "+match,
			"WHERE source_data."+keyColumn(0)+" IS NULL",
		)
	}
	return out
}

// lines joins SQL lines.
func lines(ls ...string) string { return strings.Join(ls, "\n") }

// checkSnapshotTable checks that the request describes the snapshot query
// and a snapshot table to run against.
func checkSnapshotTable(r Request) error {
	if r.Existing != adapter.KindTable {
		return fmt.Errorf("snapshot %s: a %s stands under the name, not a snapshot table", r.Target, r.Existing)
	}
	if r.ModelColumns == nil || r.TargetColumns == nil {
		return fmt.Errorf("snapshot %s: a later run needs the columns of the query and of the table", r.Target)
	}
	var missing []string
	for _, col := range snapshotColumns {
		if findColumn(r.Adapter, r.TargetColumns, col) < 0 {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s is not a snapshot table: it has no %s column", r.Target, strings.Join(missing, ", "))
	}
	return nil
}

// rowChanged returns the condition under which the staged row of a key
// differs from its current snapshotted row, as dbt's strategies define it.
// For the check strategy, a check column the table does not have yet
// makes every row changed.
func rowChanged(r Request) (string, error) {
	if r.Snapshot.Strategy == SnapshotTimestamp {
		return "snapshotted_data.dbt_valid_from < source_data.dbt_updated_at", nil
	}
	var checks []adapter.Column
	if r.Snapshot.CheckCols == nil {
		checks = r.ModelColumns
	}
	for _, name := range r.Snapshot.CheckCols {
		i := findColumn(r.Adapter, r.ModelColumns, name)
		if i < 0 {
			return "", fmt.Errorf("snapshot %s: check_cols names %s, which the snapshot query does not return", r.Target, name)
		}
		checks = append(checks, r.ModelColumns[i])
	}
	if len(checks) == 0 {
		return "", errors.New("snapshot " + r.Target.String() + ": the check strategy has no column to check")
	}
	conds := make([]string, len(checks))
	for i, c := range checks {
		if findColumn(r.Adapter, r.TargetColumns, c.Name) < 0 {
			return "TRUE", nil
		}
		col := adapter.QuoteIdent(c.Name)
		conds[i] = "snapshotted_data." + col + " IS DISTINCT FROM source_data." + col
	}
	return "(" + strings.Join(conds, " OR ") + ")", nil
}

// keyColumns returns the select list that names the unique key
// expressions dbt_unique_key_1, dbt_unique_key_2, ...
func keyColumns(key []string) string {
	cols := make([]string, len(key))
	for i, k := range key {
		cols[i] = k + " AS " + keyColumn(i)
	}
	return strings.Join(cols, ", ")
}

// keyColumn names the i-th (from 0) unique key column.
func keyColumn(i int) string { return "dbt_unique_key_" + strconv.Itoa(i+1) }

// keysMatch returns the condition that a's and b's unique key columns are
// equal.
func keysMatch(a, b string, n int) string {
	conds := make([]string, n)
	for i := range n {
		conds[i] = a + "." + keyColumn(i) + " = " + b + "." + keyColumn(i)
	}
	return strings.Join(conds, " AND ")
}

// scdHash returns dbt's dbt_scd_id expression: the md5 of the arguments
// cast to text, nulls as empty strings, joined by '|'.
func scdHash(args []string) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = "coalesce(CAST(" + a + " AS VARCHAR), '')"
	}
	return "md5(" + strings.Join(parts, " || '|' || ") + ")"
}
