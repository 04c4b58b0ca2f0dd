package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
	"martlet/runner/adapter"
	"martlet/runner/materialize"
)

// relationOf converts a manifest relation to the adapter's.
func relationOf(n *manifest.Node) adapter.Relation {
	return adapter.Relation{Schema: n.Relation.Schema, Name: n.Relation.Name}
}

// fail sets res to an error result.
func fail(res *Result, err error) {
	res.Status = StatusError
	res.Message = err.Error()
}

// seed loads a seed's CSV file, between its hooks.
func (r *run) seed(ctx context.Context, n *manifest.Node) Result {
	res := newResult(n)
	rel := relationOf(n)
	csvPath := filepath.Join(r.opts.ProjectRoot, n.SeedPath)
	res.Started = time.Now()
	err := r.withHooks(ctx, n, func() error {
		rows, err := r.opts.Adapter.LoadSeed(ctx, rel, csvPath, n.Config.ColumnTypes)
		res.Rows = rows
		return err
	})
	res.Duration = time.Since(res.Started)
	if err != nil {
		var seedErr *adapter.SeedError
		if errors.As(err, &seedErr) {
			located := *seedErr
			located.Path = n.SeedPath
			err = &located
		}
		fail(&res, err)
		return res
	}
	r.catalog.built(rel, adapter.KindTable)
	res.Status = StatusSuccess
	res.Message = fmt.Sprintf("INSERT %d", res.Rows)
	return res
}

// model materializes a view, table or incremental model, between its hooks.
func (r *run) model(ctx context.Context, n *manifest.Node) Result {
	res := newResult(n)
	rel := relationOf(n)
	existing := r.catalog.kind(rel)
	fullRefresh := r.fullRefresh(n)
	kind := materialize.Kind(n.Config.Materialized)
	incremental := kind == materialize.Incremental && existing == adapter.KindTable && !fullRefresh
	sql := n.CompiledSQL
	if incremental && n.IncrementalSQL != "" {
		sql = n.IncrementalSQL
	}
	res.Started = time.Now()
	rows, err := r.build(ctx, n, materialize.Request{
		Adapter:        r.opts.Adapter.Type(),
		Kind:           kind,
		Target:         rel,
		SQL:            sql,
		Existing:       existing,
		FullRefresh:    fullRefresh,
		UniqueKey:      uniqueKey(n),
		SchemaExists:   true,
		OnSchemaChange: n.Config.OnSchemaChange,
		RebuildSQL:     n.CompiledSQL,
		Contract:       contract(n),
	}, incremental)
	res.Rows = rows
	res.Duration = time.Since(res.Started)
	if err != nil {
		fail(&res, err)
		return res
	}
	built := adapter.KindTable
	if kind == materialize.View {
		built = adapter.KindView
	}
	r.catalog.built(rel, built)
	res.Status = StatusSuccess
	res.Message = "OK"
	return res
}

// build materializes req between n's hooks; Execute has created its
// schema. A later run (incremental or snapshot: its table exists) and an
// enforced contract first describe the columns Plan compares.
func (r *run) build(ctx context.Context, n *manifest.Node, req materialize.Request, later bool) (int64, error) {
	var rows int64
	err := r.withHooks(ctx, n, func() error {
		if err := r.describe(ctx, &req, later); err != nil {
			return err
		}
		steps, err := materialize.Plan(req)
		if err != nil {
			return err
		}
		rows, err = materialize.Execute(ctx, r.opts.Adapter, steps)
		return err
	})
	return rows, err
}

// fullRefresh reports whether n is rebuilt from scratch: a full_refresh
// config wins over the --full-refresh flag, as in dbt.
func (r *run) fullRefresh(n *manifest.Node) bool {
	if n.Config.FullRefresh != nil {
		return *n.Config.FullRefresh
	}
	return r.opts.FullRefresh
}

// describe reads the columns Plan compares: on a later run, the target's
// and the model's (so that on_schema_change and snapshots see new and
// removed columns); with an enforced contract, the model's.
func (r *run) describe(ctx context.Context, req *materialize.Request, later bool) error {
	var err error
	if later {
		if req.TargetColumns, err = r.opts.Adapter.Columns(ctx, req.Target); err != nil {
			return err
		}
	}
	if later || req.Contract != nil {
		if req.ModelColumns, err = materialize.Describe(ctx, r.opts.Adapter, req.SQL); err != nil {
			return fmt.Errorf("describing the model's columns: %w", err)
		}
	}
	return nil
}

// uniqueKey is the key an incremental model's new rows replace old rows
// by: none with the append strategy, which inserts them all.
func uniqueKey(n *manifest.Node) []string {
	if n.Config.IncrementalStrategy == project.StrategyAppend {
		return nil
	}
	return n.Config.UniqueKey
}

// contract returns n's enforced contract, the columns its properties
// declare with their data_type, or nil when n enforces none. The contract
// is not nil even without columns: every model column is then extra.
func contract(n *manifest.Node) []adapter.Column {
	if !n.Config.ContractEnforced {
		return nil
	}
	cols := make([]adapter.Column, 0, len(n.Columns))
	for _, c := range n.Columns {
		if c.Declared {
			cols = append(cols, adapter.Column{Name: c.Name, Type: c.DataType})
		}
	}
	return cols
}

// withHooks runs n's pre-hooks, body and post-hooks in order, stopping at
// the first error.
func (r *run) withHooks(ctx context.Context, n *manifest.Node, body func() error) error {
	for i, sql := range n.PreHook {
		if _, err := r.opts.Adapter.Exec(ctx, sql); err != nil {
			return fmt.Errorf("pre-hook %d: %w", i+1, err)
		}
	}
	if err := body(); err != nil {
		return err
	}
	for i, sql := range n.PostHook {
		if _, err := r.opts.Adapter.Exec(ctx, sql); err != nil {
			return fmt.Errorf("post-hook %d: %w", i+1, err)
		}
	}
	return nil
}

// test runs a test's query, which returns the failing rows, through its
// fail_calc (count(*) unless configured) and judges the result against its
// thresholds as dbt does: fail when its severity is error and error_if
// holds, else warn when warn_if holds, else pass.
func (r *run) test(ctx context.Context, n *manifest.Node) Result {
	res := newResult(n)
	res.Started = time.Now()
	rows, err := r.opts.Adapter.Query(ctx, testQuery(n), 1)
	res.Duration = time.Since(res.Started)
	var failures float64
	if err == nil {
		failures, err = failureCount(rows)
	}
	if err != nil {
		fail(&res, err)
		return res
	}
	res.Rows = int64(failures)
	warnIf, errorIf := project.DefaultThreshold, project.DefaultThreshold
	if n.Config.WarnIf != nil {
		warnIf = *n.Config.WarnIf
	}
	if n.Config.ErrorIf != nil {
		errorIf = *n.Config.ErrorIf
	}
	got := strconv.FormatFloat(failures, 'f', -1, 64) + " results"
	if failures == 1 {
		got = "1 result"
	}
	switch {
	case n.Config.Severity != "warn" && errorIf.Holds(failures):
		res.Status = StatusFail
		res.Message = fmt.Sprintf("Got %s, configured to fail if %s", got, errorIf)
	case warnIf.Holds(failures):
		res.Status = StatusWarn
		res.Message = fmt.Sprintf("Got %s, configured to warn if %s", got, warnIf)
	default:
		res.Status = StatusPass
	}
	return res
}

// testQuery is the query that computes a test's failures: its fail_calc
// over its failing rows, at most limit of them when a limit is set.
func testQuery(n *manifest.Node) string {
	rows := trimStatement(n.CompiledSQL)
	if n.Config.Limit > 0 {
		rows = "SELECT * FROM (\n" + rows + "\n) AS martlet_failures LIMIT " + strconv.Itoa(n.Config.Limit)
	}
	calc := n.Config.FailCalc
	if calc == "" {
		calc = "count(*)"
	}
	return "SELECT " + calc + " FROM (\n" + rows + "\n) AS martlet_test"
}

// trimStatement removes what may end a statement but cannot stand inside a
// subquery: trailing semicolons, and whole-line "--" comments after them.
func trimStatement(sql string) string {
	for {
		sql = strings.TrimRight(sql, "; \t\r\n")
		i := strings.LastIndexByte(sql, '\n')
		if !strings.HasPrefix(strings.TrimSpace(sql[i+1:]), "--") {
			return sql
		}
		sql = sql[:max(i, 0)]
	}
}

// failureCount reads the single number of a test's result; NULL (a sum
// over no rows) is no failure.
func failureCount(rows *adapter.Rows) (float64, error) {
	if rows == nil || len(rows.Values) != 1 || len(rows.Values[0]) != 1 {
		return 0, errors.New("test query did not return a single value")
	}
	switch v := rows.Values[0][0].(type) {
	case nil:
		return 0, nil
	case int64:
		return float64(v), nil
	case int32:
		return float64(v), nil
	case int:
		return float64(v), nil
	case uint64:
		return float64(v), nil
	case float64:
		return v, nil
	case float32:
		return float64(v), nil
	default:
		if f, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil {
			return f, nil
		}
	}
	return 0, fmt.Errorf("test query returned %v (%T), not a number", rows.Values[0][0], rows.Values[0][0])
}

// hooks runs the project hooks of one event ("on-run-start" or
// "on-run-end") in order, recording a result for each, and reports whether
// all succeeded. It stops at the first failure.
func (r *run) hooks(ctx context.Context, event string, sqls []string) bool {
	if len(sqls) == 0 {
		return true
	}
	for i, sql := range sqls {
		name := fmt.Sprintf("%s.%d", event, i)
		start := HookStart{
			Phase: event,
			ID:    "operation." + r.opts.Manifest.Project + "." + name,
			Name:  name,
			Index: i + 1,
			Total: len(sqls),
		}
		res := Result{
			NodeID:       start.ID,
			Name:         name,
			Kind:         KindOperation,
			Materialized: "hook",
			Started:      time.Now(),
		}
		r.report.HookStart(start)
		_, err := r.opts.Adapter.Exec(ctx, sql)
		res.Duration = time.Since(res.Started)
		if err != nil {
			fail(&res, err)
		} else {
			res.Status = StatusSuccess
			res.Message = "OK"
		}
		r.mu.Lock()
		r.results = append(r.results, res)
		r.mu.Unlock()
		r.report.HookFinish(HookFinish{HookStart: start, Result: res})
		if err != nil {
			return false
		}
	}
	return true
}
