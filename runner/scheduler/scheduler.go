// Package scheduler owns the order in which a run executes its nodes: a node
// starts once every node it depends on within the run has finished, at most
// a fixed number of nodes run at once, and a failure skips the failed node's
// dependants while independent branches go on. What executing a node means
// (building a model, loading a seed, running a test) is up to the caller's
// Visitor.
package scheduler

import (
	"context"
	"errors"
	"slices"
	"sync"

	"martlet/compiler/dag"
)

// Outcome is the result of executing one node.
type Outcome int

const (
	// Succeeded means the node ran successfully.
	Succeeded Outcome = iota
	// Warned means the node reported a problem that does not block its
	// dependants, such as a failing test of severity warn; dependants run as
	// after Succeeded.
	Warned
	// Failed means the node failed; every node that depends on it in the run
	// is skipped. Any Outcome value other than Succeeded and Warned counts as
	// Failed.
	Failed
)

// String returns "succeeded", "warned" or "failed".
func (o Outcome) String() string {
	switch o {
	case Succeeded:
		return "succeeded"
	case Warned:
		return "warned"
	default:
		return "failed"
	}
}

// Skip causes reported for nodes that were not run for a reason other than
// a failed ancestor (whose cause is that ancestor's ID).
const (
	// CauseCancelled: the run's context was cancelled before the node started.
	CauseCancelled = "cancelled"
	// CauseFailFast: Options.FailFast stopped the run after a failure.
	CauseFailFast = "fail-fast"
)

// Visitor executes and reports the nodes of a run.
//
// Execute is called from the worker goroutines, so up to Options.Threads
// calls run concurrently. Skip is called from the goroutine that called Run,
// possibly while Execute calls are in progress, but never concurrently with
// another Skip. Each run node gets exactly one Execute or one Skip call, and
// none after Run returns.
type Visitor interface {
	// Execute runs the node id. ctx is the context given to Run; it is
	// cancelled when the run is cancelled, and Execute should then return
	// promptly.
	Execute(ctx context.Context, id string) Outcome
	// Skip reports that the node id will not run. cause is the ID of the
	// failed node it depends on, CauseCancelled or CauseFailFast.
	Skip(id string, cause string)
}

// Options controls a run.
type Options struct {
	// Threads is the number of nodes that may execute at once; at least 1.
	Threads int
	// FailFast stops starting nodes after the first failure; nodes not
	// started by then are skipped with cause CauseFailFast (or the failed
	// node's ID, for its dependants).
	FailFast bool
}

// Run executes the nodes ids, a subset of g's nodes normally given in
// topological order, and returns once every started Execute call has
// returned. The order of ids only ranks nodes that are ready at the same
// time; dependencies are always taken from g.
//
// A node starts once every run node it depends on has finished, directly or
// through nodes of g outside the run: if run node c depends on b, outside
// the run, which depends on run node a, then c waits for a, and a failure of
// a skips c. Among ready nodes, the one earliest in ids starts first, so
// with one thread the execution order is fully deterministic. A Failed node
// skips all its transitive dependants in the run; Warned skips nothing.
// Execution uses a fixed pool of Options.Threads goroutines.
//
// When ctx is cancelled, Run starts no more nodes, lets running Execute calls
// finish (they see the cancelled context), reports every node not started as
// skipped with CauseCancelled and returns ctx.Err(). Node failures are
// reported through the Visitor, not as an error. Run returns an error
// without calling the Visitor if Threads is below 1, if an ID is not in g or
// listed twice, or if the run's nodes depend on each other in a cycle.
func Run(ctx context.Context, g *dag.Graph, ids []string, opts Options, v Visitor) error {
	if opts.Threads < 1 {
		return errors.New("scheduler: threads must be at least 1")
	}
	p, err := newPlan(g, ids)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	workers := min(opts.Threads, len(ids))
	d := &dispatcher{
		plan:     p,
		visitor:  v,
		failFast: opts.FailFast,
		workers:  workers,
		state:    make([]nodeState, g.Len()),
		jobs:     make(chan int),
		results:  make(chan result, workers),
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for pos := range d.jobs {
				d.results <- result{position: pos, outcome: v.Execute(ctx, ids[pos])}
			}
		})
	}
	d.dispatch(ctx)
	close(d.jobs)
	wg.Wait()
	return d.skipUnstarted(ctx)
}

// nodeState tracks a plan node through the run.
type nodeState uint8

const (
	waiting  nodeState = iota // not started or skipped yet
	started                   // handed to a worker
	finished                  // done, and its dependants may start
	skipped                   // will not run
)

// result is a worker's report for the run node at position.
type result struct {
	position int
	outcome  Outcome
}

// dispatcher hands ready nodes to the workers and records their outcomes. It
// is used only from the goroutine that called Run.
type dispatcher struct {
	*plan
	visitor  Visitor
	failFast bool
	workers  int
	state    []nodeState
	ready    dag.MinHeap
	jobs     chan int
	results  chan result
	// stopCause is set once no more nodes may start: CauseCancelled or
	// CauseFailFast.
	stopCause string
}

// dispatch runs the scheduling loop until no node is running and none can
// start.
func (d *dispatcher) dispatch(ctx context.Context) {
	for pos, i := range d.nodes {
		if d.pending[i] == 0 {
			d.ready.Push(pos)
		}
	}
	running := 0
	for {
		for running < d.workers && d.ready.Len() > 0 {
			if d.stopCause == "" && ctx.Err() != nil {
				d.stopCause = CauseCancelled
			}
			if d.stopCause != "" {
				break
			}
			pos := d.ready.Pop()
			d.state[d.nodes[pos]] = started
			d.jobs <- pos
			running++
		}
		if running == 0 {
			return
		}
		r := <-d.results
		running--
		d.record(r)
	}
}

// record applies the outcome of a finished node.
func (d *dispatcher) record(r result) {
	i := d.nodes[r.position]
	switch r.outcome {
	case Succeeded, Warned:
		d.finish(i)
	default:
		d.skipDependants(i)
		if d.failFast && d.stopCause == "" {
			d.stopCause = CauseFailFast
		}
	}
}

// finish marks node i finished and releases its dependants: run nodes whose
// last pending parent this was become ready, and pass-through nodes finish
// in turn.
func (d *dispatcher) finish(i int) {
	d.state[i] = finished
	stack := []int{i}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range d.g.ChildIndices(u) {
			if !d.inPlan[c] || d.state[c] == skipped {
				continue
			}
			d.pending[c]--
			if d.pending[c] > 0 {
				continue
			}
			if pos := d.position[c]; pos >= 0 {
				d.ready.Push(pos)
				continue
			}
			d.state[c] = finished
			stack = append(stack, c)
		}
	}
}

// skipDependants marks every plan node that depends on the failed node i as
// skipped and reports the run nodes among them, in run order, with i's ID as
// the cause. Such nodes are always still waiting: none can have started
// before i finished.
func (d *dispatcher) skipDependants(i int) {
	d.state[i] = finished
	var reported []int
	stack := []int{i}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range d.g.ChildIndices(u) {
			if !d.inPlan[c] || d.state[c] != waiting {
				continue
			}
			d.state[c] = skipped
			if pos := d.position[c]; pos >= 0 {
				reported = append(reported, pos)
			}
			stack = append(stack, c)
		}
	}
	slices.Sort(reported)
	cause := d.g.ID(i)
	for _, pos := range reported {
		d.visitor.Skip(d.ids[pos], cause)
	}
}

// skipUnstarted reports every run node that neither ran nor was skipped as
// skipped with the stop cause, in run order. It returns ctx.Err() if the
// run was cut short by cancellation.
func (d *dispatcher) skipUnstarted(ctx context.Context) error {
	cancelled := false
	for pos, i := range d.nodes {
		if d.state[i] != waiting {
			continue
		}
		d.state[i] = skipped
		d.visitor.Skip(d.ids[pos], d.stopCause)
		cancelled = cancelled || d.stopCause == CauseCancelled
	}
	if cancelled {
		return ctx.Err()
	}
	return nil
}
