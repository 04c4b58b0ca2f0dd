package materialize

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"martlet/runner/adapter"
	"martlet/runner/adapter/duckdb"
	"martlet/runner/adapter/postgres"
	"martlet/runner/adapter/postgres/pgtest"
)

// openLiveDuckDB opens a fresh DuckDB database and returns it with the
// schema to build in.
func openLiveDuckDB(t *testing.T) (adapter.Adapter, string) {
	a, err := duckdb.Open(filepath.Join(t.TempDir(), "live.duckdb"), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, "mart"
}

// openLivePostgres connects to the test PostgreSQL server (skipping t
// without one) and returns it with a fresh schema to build in.
func openLivePostgres(t *testing.T) (adapter.Adapter, string) {
	a, err := postgres.Open(context.Background(), pgtest.DSN(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, pgtest.Schema(t, a)
}

// runLive materializes r on a the way the runner does: look up what
// exists; on a later incremental or snapshot run, describe the model's
// SELECT and read the table's columns; plan; execute. It returns the rows
// affected.
func runLive(t *testing.T, a adapter.Adapter, r Request) (int64, error) {
	t.Helper()
	ctx := context.Background()
	r.Adapter = a.Type()
	rels, err := a.Relations(ctx, []string{r.Target.Schema})
	if err != nil {
		t.Fatal(err)
	}
	r.Existing = rels[r.Target]
	later := r.Existing == adapter.KindTable && !r.FullRefresh && (r.Kind == Incremental || r.Kind == Snapshot)
	if later || r.Contract != nil {
		if r.ModelColumns, err = Describe(ctx, a, r.SQL); err != nil {
			return 0, err
		}
	}
	if later {
		if r.TargetColumns, err = a.Columns(ctx, r.Target); err != nil {
			t.Fatal(err)
		}
	}
	steps, err := Plan(r)
	if err != nil {
		return 0, err
	}
	return Execute(ctx, a, steps)
}

// mustRunLive is runLive failing t on an error.
func mustRunLive(t *testing.T, a adapter.Adapter, r Request) int64 {
	t.Helper()
	n, err := runLive(t, a, r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Kind, r.Target, err)
	}
	return n
}

// queryRows returns the rows of query, each as its values joined by "|",
// NULL as "-".
func queryRows(t *testing.T, a adapter.Adapter, query string) []string {
	t.Helper()
	res, err := a.Query(context.Background(), query, 0)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	out := []string{}
	for _, row := range res.Values {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = "-"
			if v != nil {
				cells[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

// columnList returns "name type, ..." for rel's columns, types normalized.
func columnList(t *testing.T, a adapter.Adapter, rel adapter.Relation) string {
	t.Helper()
	cols, err := a.Columns(context.Background(), rel)
	if err != nil {
		t.Fatal(err)
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.Name + " " + normalizeType(a.Type(), c.Type)
	}
	return strings.Join(parts, ", ")
}
