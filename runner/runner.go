// Package runner owns executing a selected part of a compiled project
// against a target database: it loads seeds, materializes models, runs data
// tests and the project's hooks in dependency order (through
// runner/scheduler), reports its progress as events to a Reporter (dbt-style
// lines and a summary, JSON lines, or a live status line on a terminal), and
// records every node's outcome for target/run_results.json.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"martlet/compiler/manifest"
	"martlet/runner/adapter"
	"martlet/runner/scheduler"
)

// Mode is what a command executes: seeds, models, tests, snapshots, or all
// of them (build).
type Mode int

// The modes.
const (
	// ModeSeed loads seeds.
	ModeSeed Mode = iota
	// ModeRun materializes models.
	ModeRun
	// ModeTest runs data tests.
	ModeTest
	// ModeBuild loads seeds, materializes models, takes snapshots and
	// runs tests in one pass, in dependency order.
	ModeBuild
	// ModeSnapshot takes snapshots.
	ModeSnapshot
)

// executes reports whether the mode executes node n. Ephemeral models are
// never executed: they have no relation, and the scheduler still orders
// their dependants after their own parents.
func (m Mode) executes(n *manifest.Node) bool {
	switch n.Kind {
	case manifest.Seed:
		return m == ModeSeed || m == ModeBuild
	case manifest.Model:
		return (m == ModeRun || m == ModeBuild) && !n.Ephemeral()
	case manifest.Test:
		return m == ModeTest || m == ModeBuild
	case manifest.Snapshot:
		return m == ModeSnapshot || m == ModeBuild
	}
	return false
}

// Options configures a run.
type Options struct {
	// Mode selects the kinds of nodes to execute.
	Mode Mode
	// Manifest is the compiled project.
	Manifest *manifest.Manifest
	// Selected are the IDs of the nodes to execute, in dependency order, as
	// selected by the command line; nodes of kinds the Mode does not
	// execute are dropped.
	Selected []string
	// Adapter is the target database.
	Adapter adapter.Adapter
	// ProjectRoot is the directory seeds' CSV paths are relative to.
	ProjectRoot string
	// Threads is how many nodes may run at once; below 1 means 1.
	Threads int
	// FailFast stops starting nodes after the first failure.
	FailFast bool
	// FullRefresh rebuilds incremental models from scratch, except those
	// configured with full_refresh: false.
	FullRefresh bool
	// Out receives the progress output; nil discards it.
	Out io.Writer
	// LogFormat is LogFormatText (the default when empty) or
	// LogFormatJSON.
	LogFormat string
	// Live, with the text format, keeps a status line at the bottom of
	// Out, redrawn in place: for a terminal only.
	Live bool
	// Width is the terminal's width in columns, to which the live status
	// line is truncated; below 1 means 80.
	Width int
	// Color colours statuses with ANSI escapes, in the text format.
	Color bool
	// Reporter, when set, receives the run's events instead of the
	// reporter that LogFormat and Live choose, which then write nothing.
	Reporter Reporter
}

// Execute runs the selected nodes: on-run-start hooks, then the nodes in
// dependency order with independent nodes in parallel, then on-run-end
// hooks (also after failures). A failed node's dependants are skipped; a
// failing on-run-start hook skips every node. Node failures are reported in
// the results, not as an error.
//
// When ctx is cancelled, running statements are interrupted, nodes not
// started are recorded as skipped, on-run-end hooks do not run, and Execute
// returns the results with ctx.Err(). Any other error means the run could
// not be carried out: bad options or an unreadable catalog (with nil
// results), a schema to build in that cannot be created (with nil
// results), or a scheduling error such as a dependency cycle (with the
// results of the hooks that ran).
func Execute(ctx context.Context, opts Options) (*Results, error) {
	if opts.Manifest == nil || opts.Adapter == nil {
		return nil, errors.New("runner: a manifest and an adapter are required")
	}
	ids, err := runNodes(opts)
	if err != nil {
		return nil, err
	}
	rep, err := newReporter(opts)
	if err != nil {
		return nil, err
	}
	r := &run{opts: opts, ids: ids, report: rep}
	start := time.Now()
	threads := max(opts.Threads, 1)
	runStart := RunStart{Project: opts.Manifest.Project, Target: opts.Manifest.Target.Name, Threads: threads, Nodes: len(ids)}
	if len(ids) == 0 {
		rep.RunStart(runStart)
		res := &Results{Elapsed: time.Since(start), GeneratedAt: time.Now()}
		rep.RunEnd(RunEnd{Results: res})
		return res, nil
	}
	schemas := r.schemas()
	r.catalog, err = loadCatalog(ctx, opts.Adapter, schemas)
	if err != nil {
		return nil, fmt.Errorf("reading the catalog: %w", err)
	}
	// As in dbt, the schemas exist before on-run-start hooks run, so
	// that hooks can create relations in {{ target.schema }}.
	for _, schema := range schemas {
		if err := r.catalog.ensureSchema(ctx, schema); err != nil {
			return nil, fmt.Errorf("creating schema %s: %w", schema, err)
		}
	}
	rep.RunStart(runStart)
	runErr := r.execute(ctx, threads)
	res := &Results{Results: r.results, Elapsed: time.Since(start), GeneratedAt: time.Now()}
	rep.RunEnd(RunEnd{Nodes: len(ids), Results: res})
	return res, runErr
}

// runNodes returns the selected IDs the mode executes, in the given order.
func runNodes(opts Options) ([]string, error) {
	var ids []string
	for _, id := range opts.Selected {
		n := opts.Manifest.Node(id)
		if n == nil {
			return nil, fmt.Errorf("runner: selected node %q is not in the manifest", id)
		}
		if opts.Mode.executes(n) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// run is one execution of Execute. It is the scheduler's Visitor.
type run struct {
	opts    Options
	ids     []string
	report  Reporter
	catalog *catalog

	mu      sync.Mutex
	results []Result
	// started counts the nodes started or skipped so far, for "i of n".
	started int
}

// schemas returns the schemas of the relations that seeds, models and
// snapshots build, sorted.
func (r *run) schemas() []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range r.ids {
		n := r.opts.Manifest.Node(id)
		if (n.Kind == manifest.Seed || n.Kind == manifest.Model || n.Kind == manifest.Snapshot) && !seen[n.Relation.Schema] {
			seen[n.Relation.Schema] = true
			out = append(out, n.Relation.Schema)
		}
	}
	sort.Strings(out)
	return out
}

// execute runs the hooks and the nodes.
func (r *run) execute(ctx context.Context, threads int) error {
	m := r.opts.Manifest
	if !r.hooks(ctx, "on-run-start", m.OnRunStart) {
		for _, id := range r.ids {
			r.skip(id, SkipRunStartHook, "skipped because an on-run-start hook failed")
		}
		return ctx.Err()
	}
	g := m.Graph()
	if r.opts.Mode == ModeBuild {
		g = buildGraph(m)
	}
	err := scheduler.Run(ctx, g, r.ids, scheduler.Options{Threads: threads, FailFast: r.opts.FailFast}, r)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return err
	}
	r.hooks(ctx, "on-run-end", m.OnRunEnd)
	return nil
}

// Execute runs node id and records its result; it implements
// scheduler.Visitor.
func (r *run) Execute(ctx context.Context, id string) scheduler.Outcome {
	n := r.opts.Manifest.Node(id)
	slot, index := r.reserve()
	start := NodeStart{Node: nodeInfo(n), Index: index, Total: len(r.ids)}
	r.report.NodeStart(start)
	var res Result
	switch n.Kind {
	case manifest.Seed:
		res = r.seed(ctx, n)
	case manifest.Test:
		res = r.test(ctx, n)
	case manifest.Snapshot:
		res = r.snapshot(ctx, n)
	default:
		res = r.model(ctx, n)
	}
	r.store(slot, res)
	r.report.NodeFinish(NodeFinish{NodeStart: start, Result: res})
	switch res.Status {
	case StatusSuccess, StatusPass:
		return scheduler.Succeeded
	case StatusWarn:
		return scheduler.Warned
	}
	return scheduler.Failed
}

// Skip records that node id did not run; it implements scheduler.Visitor.
func (r *run) Skip(id, cause string) {
	switch cause {
	case scheduler.CauseCancelled:
		r.skip(id, SkipCancelled, "skipped because the run was cancelled")
	case scheduler.CauseFailFast:
		r.skip(id, SkipFailFast, "skipped by --fail-fast after a failure")
	default:
		name := cause
		if n := r.opts.Manifest.Node(cause); n != nil {
			name = string(n.Kind) + " " + n.Name
		}
		r.skip(id, SkipUpstream, "skipped because upstream "+name+" failed")
	}
}

// skip records and reports node id as skipped for cause, with message.
func (r *run) skip(id string, cause SkipCause, message string) {
	n := r.opts.Manifest.Node(id)
	slot, index := r.reserve()
	res := newResult(n)
	res.Status = StatusSkipped
	res.Message = message
	r.store(slot, res)
	r.report.NodeFinish(NodeFinish{
		NodeStart: NodeStart{Node: nodeInfo(n), Index: index, Total: len(r.ids)},
		Result:    res,
		SkipCause: cause,
	})
}

// reserve appends an empty result slot, in start order, and returns it with
// the node's progress index.
func (r *run) reserve() (slot, index int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results = append(r.results, Result{})
	r.started++
	return len(r.results) - 1, r.started
}

// store fills a reserved slot.
func (r *run) store(slot int, res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.results[slot] = res
}

// newResult returns a result naming n, with no outcome yet.
func newResult(n *manifest.Node) Result {
	res := Result{NodeID: n.ID, Name: n.Name, Kind: n.Kind, Path: n.Path, Materialized: nodeInfo(n).Materialized}
	if n.Relation.Name != "" {
		res.Relation = n.Relation.String()
	}
	return res
}
