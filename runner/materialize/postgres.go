package materialize

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"martlet/runner/adapter"
)

// PostgreSQL strategies. DDL is transactional in PostgreSQL, so a relation is
// replaced by dropping and recreating it inside one transaction. As in dbt,
// replacing a relation drops the views that depend on it (CASCADE); the
// runner rebuilds those that are selected. Drops say IF EXISTS because such a
// cascade may already have removed a relation seen at the start of the run.

// postgresMaxIdent is PostgreSQL's identifier length limit in bytes
// (NAMEDATALEN - 1); longer names are silently truncated.
const postgresMaxIdent = 63

// postgresView creates the view, dropping whatever relation stands under the
// name in the same transaction. CREATE OR REPLACE VIEW is not used: it fails
// when a column is removed, renamed or retyped.
func postgresView(r Request, sql string) ([]Step, error) {
	create := "CREATE VIEW " + r.Target.String() + " AS\n" + sql
	if r.Existing == adapter.KindNone {
		return []Step{statements(create)}, nil
	}
	return []Step{transaction(dropStatement(r.Existing, r.Target, " CASCADE"), create)}, nil
}

// postgresTable creates the table directly when nothing exists under the
// name; otherwise it builds `<name>__martlet_tmp`, drops the old relation and
// renames the new table into place, in one transaction.
func postgresTable(r Request, sql string) ([]Step, error) {
	if r.Existing == adapter.KindNone {
		return []Step{statements("CREATE TABLE " + r.Target.String() + " AS\n" + sql)}, nil
	}
	tmpName := postgresName(r.Target.Name, "__martlet_tmp")
	tmp := adapter.Relation{Schema: r.Target.Schema, Name: tmpName}
	return []Step{transaction(
		"DROP TABLE IF EXISTS "+tmp.String(),
		"CREATE TABLE "+tmp.String()+" AS\n"+sql,
		dropStatement(r.Existing, r.Target, " CASCADE"),
		"ALTER TABLE "+tmp.String()+" RENAME TO "+adapter.QuoteIdent(r.Target.Name),
	)}, nil
}

// postgresIncremental builds like a table on the first run, on full refresh
// and over a view. Later runs insert the new rows into the target's existing
// columns (r.Columns; the model's other columns are ignored); with a unique
// key, the rows are staged once in a temporary table dropped at commit, rows
// with matching keys deleted, and the staged rows inserted, in one
// transaction.
func postgresIncremental(r Request, sql string) ([]Step, error) {
	if r.Existing != adapter.KindTable || r.FullRefresh {
		return postgresTable(r, sql)
	}
	if len(r.Columns) == 0 {
		return nil, fmt.Errorf("incremental model %s on postgres: the target's columns are needed for the insert column list", r.Target)
	}
	cols := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		cols[i] = adapter.QuoteIdent(c)
	}
	colList := strings.Join(cols, ", ")
	insert := "INSERT INTO " + r.Target.String() + " (" + colList + ") SELECT " + colList + " FROM "
	if len(r.UniqueKey) == 0 {
		return []Step{statements(insert + subquery(sql) + " AS " + stagedAlias)}, nil
	}
	staged := adapter.QuoteIdent(postgresName(r.Target.Name, stagingSuffix))
	return []Step{transaction(
		"CREATE TEMP TABLE "+staged+" ON COMMIT DROP AS\n"+sql,
		"DELETE FROM "+r.Target.String()+" AS "+targetAlias+" USING "+staged+" AS "+stagedAlias+
			" WHERE "+keyMatch(targetAlias, stagedAlias, r.UniqueKey),
		insert+staged,
	)}, nil
}

// postgresName returns name+suffix, cutting name (at a UTF-8 boundary) so
// that the result fits PostgreSQL's identifier limit and keeps its suffix.
func postgresName(name, suffix string) string {
	limit := postgresMaxIdent - len(suffix)
	for len(name) > limit {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name + suffix
}
