package materialize

import "martlet/runner/adapter"

// DuckDB strategies. Every single DuckDB statement is atomic, and
// CREATE OR REPLACE TABLE ... AS swaps the new table in only once its SELECT
// has succeeded, so a table needs one statement unless a view stands in
// its place.

// duckdbView replaces the view; a table under the name is dropped in the
// same transaction.
func duckdbView(r Request, sql string) ([]Step, error) {
	if r.Existing == adapter.KindTable {
		return []Step{transaction(
			dropStatement(adapter.KindTable, r.Target, ""),
			"CREATE VIEW "+r.Target.String()+" AS\n"+sql,
		)}, nil
	}
	return []Step{statements("CREATE OR REPLACE VIEW " + r.Target.String() + " AS\n" + sql)}, nil
}

// duckdbTable replaces the table in one statement; a view under the name is
// dropped in the same transaction.
func duckdbTable(r Request, sql string) ([]Step, error) {
	if r.Existing == adapter.KindView {
		return []Step{transaction(
			dropStatement(adapter.KindView, r.Target, ""),
			"CREATE TABLE "+r.Target.String()+" AS\n"+sql,
		)}, nil
	}
	return []Step{statements("CREATE OR REPLACE TABLE " + r.Target.String() + " AS\n" + sql)}, nil
}

// duckdbIncremental builds like a table on the first run, on full refresh and
// over a view. Later runs insert the new rows by column name; with a unique
// key, the rows are staged once in a temporary table, rows with matching keys
// deleted, and the staged rows inserted, in one transaction.
func duckdbIncremental(r Request, sql string) ([]Step, error) {
	if r.Existing != adapter.KindTable || r.FullRefresh {
		return duckdbTable(r, sql)
	}
	target := r.Target.String()
	if len(r.UniqueKey) == 0 {
		return []Step{statements("INSERT INTO " + target + " BY NAME SELECT * FROM " + subquery(sql))}, nil
	}
	staged := adapter.QuoteIdent(r.Target.Name + stagingSuffix)
	return []Step{transaction(
		"CREATE OR REPLACE TEMP TABLE "+staged+" AS\n"+sql,
		"DELETE FROM "+target+" AS "+targetAlias+" USING "+staged+" AS "+stagedAlias+
			" WHERE "+keyMatch(targetAlias, stagedAlias, r.UniqueKey),
		"INSERT INTO "+target+" BY NAME SELECT * FROM "+staged,
		"DROP TABLE "+staged,
	)}, nil
}
