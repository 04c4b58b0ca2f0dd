package materialize

import (
	"context"
	"fmt"

	"martlet/runner/adapter"
)

// Describe returns the columns of the SELECT sql in order, typed as the
// database names them in its catalog, without reading any row: with
// DuckDB's DESCRIBE, or from the result description of the query with
// LIMIT 0 on PostgreSQL. Trailing semicolons in sql are ignored.
func Describe(ctx context.Context, a adapter.Adapter, sql string) ([]adapter.Column, error) {
	query := "SELECT * FROM " + subquery(statementBody(sql)) + " AS martlet_describe"
	switch a.Type() {
	case "duckdb":
		rows, err := a.Query(ctx, "DESCRIBE "+query, 0)
		if err != nil {
			return nil, err
		}
		cols := make([]adapter.Column, len(rows.Values))
		for i, row := range rows.Values {
			if len(row) < 2 {
				return nil, fmt.Errorf("DESCRIBE returned a row of %d values", len(row))
			}
			name, nameOK := row[0].(string)
			typ, typeOK := row[1].(string)
			if !nameOK || !typeOK {
				return nil, fmt.Errorf("DESCRIBE returned an unexpected row %v", row)
			}
			cols[i] = adapter.Column{Name: name, Type: typ}
		}
		return cols, nil
	case "postgres":
		rows, err := a.Query(ctx, query+" LIMIT 0", 0)
		if err != nil {
			return nil, err
		}
		return rows.Columns, nil
	}
	return nil, fmt.Errorf("cannot describe a query on adapter type %q", a.Type())
}
