package scheduler

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"martlet/compiler/dag"
)

// skipEvent is one Visitor.Skip call.
type skipEvent struct{ id, cause string }

// recorder is a Visitor that logs every call. outcomes overrides the default
// Succeeded per node, and hook, if set, runs inside Execute.
type recorder struct {
	outcomes map[string]Outcome
	hook     func(ctx context.Context, id string)

	mu       sync.Mutex
	clock    int
	started  map[string]int
	ended    map[string]int
	executed []string
	skips    []skipEvent
}

func newRecorder(outcomes map[string]Outcome) *recorder {
	return &recorder{outcomes: outcomes, started: map[string]int{}, ended: map[string]int{}}
}

func (r *recorder) Execute(ctx context.Context, id string) Outcome {
	r.mu.Lock()
	r.clock++
	r.started[id] = r.clock
	r.executed = append(r.executed, id)
	r.mu.Unlock()
	if r.hook != nil {
		r.hook(ctx, id)
	}
	r.mu.Lock()
	r.clock++
	r.ended[id] = r.clock
	r.mu.Unlock()
	return r.outcomes[id]
}

func (r *recorder) Skip(id, cause string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skips = append(r.skips, skipEvent{id, cause})
}

// assertEachReportedOnce checks that every run node got exactly one Execute
// or Skip call, and no other node got any.
func (r *recorder) assertEachReportedOnce(t *testing.T, ids []string) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range r.executed {
		seen[id]++
	}
	for _, s := range r.skips {
		seen[s.id]++
	}
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("node %s reported %d times, want once", id, seen[id])
		}
		delete(seen, id)
	}
	for id := range seen {
		t.Errorf("node %s is not in the run but was reported", id)
	}
}

// graphOf builds a graph from [parent, child] edges after adding nodes in
// order.
func graphOf(nodes []string, edges [][2]string) *dag.Graph {
	g := dag.New()
	for _, n := range nodes {
		g.AddNode(n)
	}
	for _, e := range edges {
		g.AddEdge(e[0], e[1])
	}
	return g
}

func TestRunOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edges    [][2]string
		run      []string
		outcomes map[string]Outcome
		failFast bool
		executed []string
		skips    []skipEvent
	}{
		{
			name:     "ready nodes start in list order",
			edges:    [][2]string{{"a", "b"}},
			run:      []string{"c", "a", "x", "b"},
			executed: []string{"c", "a", "x", "b"},
		},
		{
			name:     "failure skips transitive dependants, independent branch goes on",
			edges:    [][2]string{{"a", "b"}, {"b", "c"}, {"x", "y"}},
			run:      []string{"a", "x", "b", "y", "c"},
			outcomes: map[string]Outcome{"a": Failed},
			executed: []string{"a", "x", "y"},
			skips:    []skipEvent{{"b", "a"}, {"c", "a"}},
		},
		{
			name:     "failure skips through a node outside the run",
			edges:    [][2]string{{"a", "u"}, {"u", "c"}, {"c", "d"}},
			run:      []string{"a", "c", "d"},
			outcomes: map[string]Outcome{"a": Failed},
			executed: []string{"a"},
			skips:    []skipEvent{{"c", "a"}, {"d", "a"}},
		},
		{
			name:     "warned does not skip dependants",
			edges:    [][2]string{{"a", "b"}, {"b", "c"}},
			run:      []string{"a", "b", "c"},
			outcomes: map[string]Outcome{"a": Warned, "b": Warned},
			executed: []string{"a", "b", "c"},
		},
		{
			name:     "diamond with one failed arm",
			edges:    [][2]string{{"a", "b"}, {"a", "c"}, {"b", "d"}, {"c", "d"}, {"c", "e"}},
			run:      []string{"a", "b", "c", "d", "e"},
			outcomes: map[string]Outcome{"b": Failed},
			executed: []string{"a", "b", "c", "e"},
			skips:    []skipEvent{{"d", "b"}},
		},
		{
			name:     "first failed ancestor is the cause",
			edges:    [][2]string{{"a", "c"}, {"b", "c"}},
			run:      []string{"a", "b", "c"},
			outcomes: map[string]Outcome{"a": Failed, "b": Failed},
			executed: []string{"a", "b"},
			skips:    []skipEvent{{"c", "a"}},
		},
		{
			name:     "unknown outcome counts as failed",
			edges:    [][2]string{{"a", "b"}},
			run:      []string{"a", "b"},
			outcomes: map[string]Outcome{"a": Outcome(42)},
			executed: []string{"a"},
			skips:    []skipEvent{{"b", "a"}},
		},
		{
			name:     "nodes outside the run and not between run nodes do not block",
			edges:    [][2]string{{"up", "a"}, {"a", "down"}, {"other", "other2"}},
			run:      []string{"a"},
			outcomes: map[string]Outcome{"up": Failed},
			executed: []string{"a"},
		},
		{
			name:     "fail-fast skips what has not started",
			edges:    [][2]string{{"a", "b"}},
			run:      []string{"a", "x", "b", "y"},
			outcomes: map[string]Outcome{"a": Failed},
			failFast: true,
			executed: []string{"a"},
			skips:    []skipEvent{{"b", "a"}, {"x", CauseFailFast}, {"y", CauseFailFast}},
		},
		{
			name:     "fail-fast without failure runs everything",
			edges:    [][2]string{{"a", "b"}},
			run:      []string{"a", "b"},
			outcomes: map[string]Outcome{"a": Warned},
			failFast: true,
			executed: []string{"a", "b"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := graphOf(tc.run, tc.edges)
			rec := newRecorder(tc.outcomes)
			err := Run(context.Background(), g, tc.run, Options{Threads: 1, FailFast: tc.failFast}, rec)
			if err != nil {
				t.Fatalf("Run() error: %v", err)
			}
			if !slices.Equal(rec.executed, tc.executed) {
				t.Errorf("executed %v, want %v", rec.executed, tc.executed)
			}
			if !slices.Equal(rec.skips, tc.skips) {
				t.Errorf("skipped %v, want %v", rec.skips, tc.skips)
			}
			rec.assertEachReportedOnce(t, tc.run)
		})
	}
}

func TestRunFailureWithFailFastUnderThreads(t *testing.T) {
	// With several threads, nodes already running when the failure lands
	// finish normally; everything else is skipped.
	g := graphOf([]string{"a", "b", "c", "d"}, nil)
	rec := newRecorder(map[string]Outcome{"a": Failed})
	gate := make(chan struct{})
	rec.hook = func(_ context.Context, id string) {
		if id == "b" {
			<-gate // b is running when a fails
		}
		if id == "a" {
			close(gate)
		}
	}
	ids := []string{"a", "b", "c", "d"}
	if err := Run(context.Background(), g, ids, Options{Threads: 2, FailFast: true}, rec); err != nil {
		t.Fatalf("Run() error: %v", err)
	}
	slices.Sort(rec.executed)
	if want := []string{"a", "b"}; !slices.Equal(rec.executed, want) {
		t.Errorf("executed %v, want %v", rec.executed, want)
	}
	if want := []skipEvent{{"c", CauseFailFast}, {"d", CauseFailFast}}; !slices.Equal(rec.skips, want) {
		t.Errorf("skipped %v, want %v", rec.skips, want)
	}
}

func TestRunRejectsInvalidInput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edges   [][2]string
		run     []string
		threads int
		cycle   bool
	}{
		{name: "no threads", run: []string{"a"}, threads: 0},
		{name: "unknown node", edges: [][2]string{{"a", "b"}}, run: []string{"a", "zzz"}, threads: 2},
		{name: "duplicate node", edges: [][2]string{{"a", "b"}}, run: []string{"a", "b", "a"}, threads: 2},
		{
			name:    "cycle among run nodes",
			edges:   [][2]string{{"a", "b"}, {"b", "a"}},
			run:     []string{"a", "b"},
			threads: 2,
			cycle:   true,
		},
		{
			name:    "cycle through a node outside the run",
			edges:   [][2]string{{"a", "u"}, {"u", "a"}},
			run:     []string{"a"},
			threads: 2,
			cycle:   true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := graphOf([]string{"a"}, tc.edges)
			rec := newRecorder(nil)
			err := Run(context.Background(), g, tc.run, Options{Threads: tc.threads}, rec)
			if err == nil {
				t.Fatal("Run() succeeded, want an error")
			}
			var cycleErr *dag.CycleError
			if got := errors.As(err, &cycleErr); got != tc.cycle {
				t.Errorf("error %q is a *dag.CycleError: %v, want %v", err, got, tc.cycle)
			}
			if len(rec.executed)+len(rec.skips) != 0 {
				t.Errorf("visitor called: executed %v, skipped %v", rec.executed, rec.skips)
			}
		})
	}
}

func TestRunEmpty(t *testing.T) {
	rec := newRecorder(nil)
	if err := Run(context.Background(), graphOf([]string{"a"}, nil), nil, Options{Threads: 4}, rec); err != nil {
		t.Fatalf("Run() error: %v", err)
	}
	if len(rec.executed)+len(rec.skips) != 0 {
		t.Errorf("visitor called: executed %v, skipped %v", rec.executed, rec.skips)
	}
}
