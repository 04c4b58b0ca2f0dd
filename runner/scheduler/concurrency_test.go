package scheduler

import (
	"context"
	"errors"
	"hash/fnv"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"martlet/compiler/dag"
)

// layered returns an acyclic graph of n nodes in which each node after the
// first few depends on one to three recent ones.
func layered(n int, seed uint64) *dag.Graph {
	rng := rand.New(rand.NewPCG(seed, seed))
	g := dag.New()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "n" + strconv.Itoa(i)
		g.AddNode(ids[i])
		if i < 5 {
			continue
		}
		for range 1 + rng.IntN(3) {
			g.AddEdge(ids[i-1-rng.IntN(min(i, 50))], ids[i])
		}
	}
	return g
}

// runOrder returns the nodes of g in topological order, leaving out every
// skipEvery-th one (none if skipEvery is 0).
func runOrder(t testing.TB, g *dag.Graph, skipEvery int) []string {
	t.Helper()
	order, err := g.TopoOrder()
	if err != nil {
		t.Fatalf("TopoOrder() error: %v", err)
	}
	if skipEvery == 0 {
		return order
	}
	var ids []string
	for k, id := range order {
		if k%skipEvery != 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

func TestRunStartsNodesOnlyAfterTheirRunAncestors(t *testing.T) {
	g := layered(300, 3)
	for _, threads := range []int{1, 3, 8} {
		for _, skipEvery := range []int{0, 3} {
			t.Run("threads="+strconv.Itoa(threads)+"/skipEvery="+strconv.Itoa(skipEvery), func(t *testing.T) {
				ids := runOrder(t, g, skipEvery)
				rec := newRecorder(nil)
				rec.hook = func(context.Context, string) { runtime.Gosched() }
				if err := Run(context.Background(), g, ids, Options{Threads: threads}, rec); err != nil {
					t.Fatalf("Run() error: %v", err)
				}
				rec.assertEachReportedOnce(t, ids)
				inRun := map[string]bool{}
				for _, id := range ids {
					inRun[id] = true
				}
				for _, child := range ids {
					for _, parent := range g.Ancestors(child, -1) {
						if inRun[parent] && rec.ended[parent] >= rec.started[child] {
							t.Fatalf("%s started at %d before its ancestor %s ended at %d",
								child, rec.started[child], parent, rec.ended[parent])
						}
					}
				}
			})
		}
	}
}

func TestRunWaitsForAncestorThroughNodeOutsideRun(t *testing.T) {
	g := graphOf(nil, [][2]string{{"a", "u"}, {"u", "c"}})
	rec := newRecorder(nil)
	rec.hook = func(_ context.Context, id string) {
		if id == "a" {
			time.Sleep(20 * time.Millisecond)
		}
	}
	ids := []string{"a", "c"}
	if err := Run(context.Background(), g, ids, Options{Threads: 2}, rec); err != nil {
		t.Fatalf("Run() error: %v", err)
	}
	if rec.ended["a"] >= rec.started["c"] {
		t.Errorf("c started at %d, before a ended at %d", rec.started["c"], rec.ended["a"])
	}
}

func TestRunRespectsThreads(t *testing.T) {
	g := graphOf(nil, nil)
	var ids []string
	for i := range 40 {
		ids = append(ids, "w"+strconv.Itoa(i))
		g.AddNode(ids[i])
	}
	for _, threads := range []int{1, 2, 4, 8} {
		t.Run(strconv.Itoa(threads), func(t *testing.T) {
			var running, maxRunning atomic.Int32
			full := make(chan struct{})
			var fullOnce sync.Once
			giveUp, stop := context.WithTimeout(context.Background(), 5*time.Second)
			defer stop()
			v := &funcVisitor{execute: func(context.Context, string) Outcome {
				now := running.Add(1)
				defer running.Add(-1)
				for {
					seen := maxRunning.Load()
					if now <= seen || maxRunning.CompareAndSwap(seen, now) {
						break
					}
				}
				if now == int32(threads) {
					fullOnce.Do(func() { close(full) })
				}
				// Hold every node until the pool has been seen full once, so
				// a pool smaller than threads shows up as a timeout.
				select {
				case <-full:
					return Succeeded
				case <-giveUp.Done():
					return Failed
				}
			}}
			if err := Run(context.Background(), g, ids, Options{Threads: threads}, v); err != nil {
				t.Fatalf("Run() error: %v", err)
			}
			if got := maxRunning.Load(); got != int32(threads) {
				t.Errorf("max concurrent Execute calls = %d, want %d", got, threads)
			}
			if v.failed.Load() != 0 || v.skipped.Load() != 0 {
				t.Errorf("%d nodes timed out waiting for a full pool, %d skipped",
					v.failed.Load(), v.skipped.Load())
			}
		})
	}
}

func TestRunCancellation(t *testing.T) {
	g := graphOf(nil, [][2]string{{"n0", "n5"}})
	ids := []string{"n0", "n1", "n2", "n3", "n4", "n5"}
	for _, id := range ids {
		g.AddNode(id)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sawCancelled atomic.Int32
	rec := newRecorder(map[string]Outcome{"n0": Failed, "n1": Failed})
	rec.hook = func(ctx context.Context, id string) {
		if id == "n1" {
			cancel()
		}
		<-ctx.Done() // both running nodes see the cancellation
		sawCancelled.Add(1)
	}
	err := Run(ctx, g, ids, Options{Threads: 2}, rec)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run() error = %v, want context.Canceled", err)
	}
	slices.Sort(rec.executed)
	if want := []string{"n0", "n1"}; !slices.Equal(rec.executed, want) {
		t.Errorf("executed %v, want %v", rec.executed, want)
	}
	if got := sawCancelled.Load(); got != 2 {
		t.Errorf("%d running Execute calls saw the cancelled context, want 2", got)
	}
	want := []skipEvent{{"n5", "n0"}, {"n2", CauseCancelled}, {"n3", CauseCancelled}, {"n4", CauseCancelled}}
	if !slices.Equal(rec.skips, want) {
		t.Errorf("skipped %v, want %v", rec.skips, want)
	}
	rec.assertEachReportedOnce(t, ids)
}

func TestRunAlreadyCancelled(t *testing.T) {
	g := graphOf([]string{"a", "b"}, [][2]string{{"a", "b"}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := newRecorder(nil)
	err := Run(ctx, g, []string{"a", "b"}, Options{Threads: 2}, rec)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run() error = %v, want context.Canceled", err)
	}
	if len(rec.executed) != 0 {
		t.Errorf("executed %v, want nothing", rec.executed)
	}
	if want := []skipEvent{{"a", CauseCancelled}, {"b", CauseCancelled}}; !slices.Equal(rec.skips, want) {
		t.Errorf("skipped %v, want %v", rec.skips, want)
	}
}

func TestRunLeavesNoGoroutines(t *testing.T) {
	g := layered(500, 5)
	ids := runOrder(t, g, 4)
	before := runtime.NumGoroutine()
	for round := range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		v := &funcVisitor{execute: func(_ context.Context, id string) Outcome {
			h := fnv.New32a()
			h.Write([]byte(id))
			switch sum := h.Sum32(); {
			case round%2 == 1 && sum%97 == 0:
				cancel()
				return Failed
			case sum%13 == 0:
				return Failed
			}
			return Succeeded
		}}
		if err := Run(ctx, g, ids, Options{Threads: 4, FailFast: round%3 == 0}, v); err != nil &&
			!errors.Is(err, context.Canceled) {
			t.Fatalf("round %d: Run() error: %v", round, err)
		}
		cancel()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before the runs, %d after", before, after)
	}
}

// funcVisitor is a Visitor around an Execute function that counts failed
// and skipped nodes.
type funcVisitor struct {
	execute func(ctx context.Context, id string) Outcome
	failed  atomic.Int32
	skipped atomic.Int32
}

func (f *funcVisitor) Execute(ctx context.Context, id string) Outcome {
	out := f.execute(ctx, id)
	if out == Failed {
		f.failed.Add(1)
	}
	return out
}

func (f *funcVisitor) Skip(string, string) {
	f.skipped.Add(1)
}

func BenchmarkRunNoop10k(b *testing.B) {
	const n = 10_000
	g := layered(n, 1)
	ids := runOrder(b, g, 0)
	v := &funcVisitor{execute: func(context.Context, string) Outcome { return Succeeded }}
	for _, threads := range []int{1, 4} {
		b.Run("threads="+strconv.Itoa(threads), func(b *testing.B) {
			for b.Loop() {
				if err := Run(context.Background(), g, ids, Options{Threads: threads}, v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/node")
		})
	}
}
