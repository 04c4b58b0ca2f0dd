package materialize

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"martlet/runner/adapter"
	"martlet/runner/adapter/duckdb"
)

const (
	benchModels   = 300
	benchModelSQL = "select range as id, range*2 as v from range(1000)"
)

func benchRelation(i int) adapter.Relation {
	return adapter.Relation{Schema: "main", Name: fmt.Sprintf("model_%03d", i)}
}

// BenchmarkThreeHundredTables builds 300 small table models per iteration
// two ways, alternately so that both see the same machine load:
//
//   - plan: through Plan, Execute and the adapter with threads=1, with one
//     Relations call per run as the runner makes;
//   - direct: the same CREATE OR REPLACE TABLE statements sent directly on
//     one database/sql connection.
//
// It reports the median time of each per run of 300 models and the median
// of their per-iteration ratio.
func BenchmarkThreeHundredTables(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	a, err := duckdb.Open(filepath.Join(dir, "plan.duckdb"), 1)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	db, err := sql.Open("duckdb", filepath.Join(dir, "direct.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()

	planRun := func() {
		existing, err := a.Relations(ctx, []string{"main"})
		if err != nil {
			b.Fatal(err)
		}
		for i := range benchModels {
			rel := benchRelation(i)
			steps, err := Plan(Request{
				Adapter: "duckdb", Kind: Table, Target: rel, SQL: benchModelSQL,
				Existing: existing[rel], SchemaExists: true,
			})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Execute(ctx, a, steps); err != nil {
				b.Fatal(err)
			}
		}
	}
	directRun := func() {
		for i := range benchModels {
			if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+benchRelation(i).String()+" AS\n"+benchModelSQL); err != nil {
				b.Fatal(err)
			}
		}
	}
	timed := func(run func()) time.Duration {
		start := time.Now()
		run()
		return time.Since(start)
	}

	var planTimes, directTimes, ratios []float64
	for n := 0; b.Loop(); n++ {
		var planTime, directTime time.Duration
		if n%2 == 0 {
			planTime = timed(planRun)
			directTime = timed(directRun)
		} else {
			directTime = timed(directRun)
			planTime = timed(planRun)
		}
		planTimes = append(planTimes, float64(planTime.Milliseconds()))
		directTimes = append(directTimes, float64(directTime.Milliseconds()))
		ratios = append(ratios, float64(planTime)/float64(directTime))
	}
	b.ReportMetric(median(planTimes), "plan-ms/run")
	b.ReportMetric(median(directTimes), "direct-ms/run")
	b.ReportMetric(median(ratios), "plan/direct")
}

// median returns the median of xs, robust to the load spikes of a shared
// machine.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
