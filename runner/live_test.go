package runner

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"martlet/compiler/manifest"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// chunks records every Write as one string.
type chunks struct {
	mu     sync.Mutex
	writes []string
}

func (c *chunks) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

// take returns the writes since the last take.
func (c *chunks) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := c.writes
	c.writes = nil
	return w
}

// liveFixture is a live reporter on a fake clock and a fake ticker.
type liveFixture struct {
	r       *liveReporter
	out     *chunks
	clock   *fakeClock
	ticks   chan time.Time
	stopped chan struct{}
}

func newLiveFixture(width int, color bool) *liveFixture {
	fx := &liveFixture{
		out:     &chunks{},
		clock:   &fakeClock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		ticks:   make(chan time.Time),
		stopped: make(chan struct{}),
	}
	fx.r = newLiveReporter(fx.out, color, width, fx.clock.now)
	fx.r.newTicker = func() (<-chan time.Time, func()) {
		return fx.ticks, func() { close(fx.stopped) }
	}
	return fx
}

// maskLive masks the clock and durations in live output, in which lines
// may begin after an erase sequence.
func maskLive(s string) string {
	parts := strings.Split(s, eraseLine)
	for i, p := range parts {
		parts[i] = mask(p)
	}
	return strings.Join(parts, eraseLine)
}

// liveNode returns the start event of table model name, index i of 10.
func liveNode(name string, i int) NodeStart {
	return NodeStart{
		Node:  NodeInfo{ID: "model.shop." + name, Name: name, Kind: manifest.Model, Materialized: "table", Relation: manifest.Relation{Schema: "main", Name: name}},
		Index: i, Total: 10,
	}
}

// finish returns the finish event of start, with status, taking d.
func (fx *liveFixture) finish(start NodeStart, status Status, d time.Duration) NodeFinish {
	return NodeFinish{NodeStart: start, Result: Result{Status: status, Started: fx.clock.now().Add(-d), Duration: d}}
}

func TestLiveStatusLineShowsProgressRunningNodesAndETA(t *testing.T) {
	fx := newLiveFixture(120, false)
	fx.r.RunStart(RunStart{Project: "shop", Target: "dev", Threads: 2, Nodes: 10})
	if got := fx.out.take(); len(got) != 1 || !strings.HasSuffix(got[0], "Concurrency: 2 threads (target='dev')\n\n0/10 | 0s elapsed") {
		t.Errorf("run start wrote %q", got)
	}
	var starts []NodeStart
	for i, name := range []string{"a", "b", "c", "d", "e"} {
		starts = append(starts, liveNode(name, i+1))
		fx.r.NodeStart(starts[i])
	}
	if got := fx.out.take(); len(got) != 5 || got[4] != eraseLine+"0/10 | 0s elapsed | running: a, b, c, d, e" {
		t.Errorf("node starts wrote %q; want one redraw each", got)
	}
	for _, s := range starts[:3] {
		fx.clock.advance(2 * time.Second)
		fx.r.NodeFinish(fx.finish(s, StatusSuccess, 2*time.Second))
	}
	got := fx.out.take()
	if len(got) != 3 {
		t.Fatalf("three finishes wrote %d times: %q", len(got), got)
	}
	// Average 2s × 7 nodes left / 2 threads = 7s.
	want := eraseLine + "HH:MM:SS  3 of 10 OK created sql table model main.c " + strings.Repeat(".", 38) + " [OK in N.NNs]\n" +
		"3/10 | 6s elapsed | ETA 7s | running: d, e"
	if got := maskLive(got[2]); got != want {
		t.Errorf("third finish wrote\n%q\nwant\n%q", got, want)
	}
	if strings.Contains(got[1], "ETA") {
		t.Errorf("ETA shown after two nodes: %q", got[1])
	}
	if strings.Contains(strings.Join(got, ""), "START") {
		t.Error("the live reporter printed a START line")
	}

	fx.clock.advance(50 * time.Millisecond)
	fx.r.tick()
	fx.clock.advance(time.Second)
	fx.r.tick()
	fx.r.tick()
	if got := fx.out.take(); len(got) != 1 || got[0] != eraseLine+"3/10 | 7s elapsed | ETA 7s | running: d, e" {
		t.Errorf("ticks wrote %q; want one redraw, when the elapsed time changed", got)
	}

	fx.r.NodeFinish(fx.finish(starts[3], StatusError, time.Second))
	if got := fx.out.take(); len(got) != 1 || !strings.HasSuffix(got[0], "\n4/10 | 1 failed | 7s elapsed | ETA 5s | running: e") {
		t.Errorf("a failure wrote %q", got)
	}
}

func TestLiveLineIsClearedBeforeTheSummaryAndTheTickerStops(t *testing.T) {
	fx := newLiveFixture(80, false)
	fx.r.RunStart(RunStart{Target: "dev", Threads: 1, Nodes: 1})
	start := liveNode("a", 1)
	start.Total = 1
	fx.r.NodeStart(start)
	fx.out.take()
	fx.clock.advance(3 * time.Second)
	fx.ticks <- fx.clock.now()
	res := &Results{Results: []Result{{Name: "a", Kind: manifest.Model, Materialized: "table", Status: StatusSuccess}}, Elapsed: 3 * time.Second}
	fx.r.RunEnd(RunEnd{Nodes: 1, Results: res})
	select {
	case <-fx.stopped:
	default:
		t.Error("RunEnd returned with the ticker running")
	}
	got := fx.out.take()
	if len(got) != 2 || got[0] != eraseLine+"0/1 | 3s elapsed | running: a" {
		t.Fatalf("tick and run end wrote %q", got)
	}
	want := eraseLine + "\nHH:MM:SS  Finished running 1 table model in 0 hours 0 minutes and N.NN seconds (N.NNs).\n\nHH:MM:SS  Completed successfully\n\nHH:MM:SS  Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1\n"
	if got := maskLive(got[1]); got != want {
		t.Errorf("run end wrote\n%q\nwant\n%q", got, want)
	}
	fx.r.tick()
	if got := fx.out.take(); len(got) != 0 {
		t.Errorf("a tick after the run ended wrote %q", got)
	}
}

func TestLiveLineIsTruncatedToTheWidthAndColouredOnlyWhenAsked(t *testing.T) {
	for _, color := range []bool{false, true} {
		fx := newLiveFixture(40, color)
		fx.r.RunStart(RunStart{Threads: 8, Nodes: 10})
		for i := range 6 {
			fx.r.NodeStart(liveNode(fmt.Sprintf("model_with_a_long_name_%d", i), i+1))
		}
		fx.r.NodeFinish(fx.finish(liveNode("model_with_a_long_name_0", 1), StatusError, time.Second))
		all := fx.out.take()
		last := all[len(all)-1]
		line := last[strings.LastIndex(last, "\n")+1:]
		plain := strings.NewReplacer(red, "", reset, "").Replace(line)
		if !strings.HasSuffix(plain, "…") || len([]rune(plain)) != 39 {
			t.Errorf("colour %v: status %q (%d columns), want 39 ending in …", color, plain, len([]rune(plain)))
		}
		hasColour := strings.Contains(line, red+"1 failed"+reset)
		if hasColour != color || (!color && strings.Contains(strings.Join(all, ""), "\x1b[3")) {
			t.Errorf("colour %v: status %q", color, line)
		}
	}
	if got := truncate("abcdef", 4); got != "abc…" {
		t.Errorf("truncate = %q", got)
	}
	for d, want := range map[time.Duration]string{9 * time.Second: "9s", 65 * time.Second: "1m05s", 2*time.Hour + 3*time.Minute: "2h03m"} {
		if got := short(d); got != want {
			t.Errorf("short(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestLiveRunThroughExecute(t *testing.T) {
	m, ids := build(
		model("a", "table", "select 1"),
		model("b", "view", "select * from a", "a"),
	)
	out := &chunks{}
	if _, err := Execute(context.Background(), Options{Mode: ModeRun, Manifest: m, Selected: ids, Adapter: newFake(), Out: out, Live: true, Width: 100}); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(out.take(), "")
	summary := strings.Index(all, "Finished running")
	if strings.Contains(all, "START") || !strings.Contains(all, "OK created sql view model main.b") || summary < 0 {
		t.Fatalf("live output:\n%q", all)
	}
	if before := all[:summary]; !strings.HasSuffix(strings.TrimRight(before, "0123456789: "), eraseLine+"\n") {
		t.Errorf("the status line was not erased before the summary:\n%q", all)
	}
	if tail := all[summary:]; strings.Contains(tail, eraseLine) || !strings.HasSuffix(tail, "TOTAL=2\n") {
		t.Errorf("output after the summary began:\n%q", tail)
	}
}
