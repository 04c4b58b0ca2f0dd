package runner

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// eraseLine moves the cursor to the start of the line and erases the line.
const eraseLine = "\r\x1b[2K"

// redrawEvery is the shortest time between two redraws of the live status
// line other than those a hook or node starting or finishing causes.
const redrawEvery = 100 * time.Millisecond

// etaAfter is how many nodes must have run before the live status line
// shows an estimate of the time left.
const etaAfter = 3

// liveReporter writes the text format's lines for finished hooks and nodes
// (not their START lines) and keeps one status line below them, redrawn in
// place: "3/10 | 1 failed | 12s elapsed | ETA 20s | running: a, b". The
// status line is erased before the summary.
type liveReporter struct {
	out   io.Writer
	f     textFormat
	width int
	// newTicker starts the ticker that drives redraws between events,
	// returning its channel and a function that stops it.
	newTicker func() (<-chan time.Time, func())

	// mu guards everything below, and writes to out.
	mu sync.Mutex
	// halt is closed by RunEnd to stop the ticking goroutine, which
	// closes halted when it returns; both nil when it was not started.
	halt, halted chan struct{}
	start        time.Time
	threads      int
	total, done  int
	failed       int
	running      []runningNode
	// busy sums the durations of the ran nodes that finished.
	busy time.Duration
	ran  int
	// shown is the status line on screen, "" when there is none.
	shown   string
	drawnAt time.Time
	ended   bool
}

// runningNode is a hook or node that has started and not finished.
type runningNode struct{ id, name string }

// newLiveReporter returns a live reporter writing to out, whose status line
// fits in width columns (80 when width is below 1).
func newLiveReporter(out io.Writer, color bool, width int, now func() time.Time) *liveReporter {
	if width < 1 {
		width = 80
	}
	return &liveReporter{
		out:   out,
		f:     textFormat{color: color, now: now},
		width: width,
		newTicker: func() (<-chan time.Time, func()) {
			t := time.NewTicker(redrawEvery)
			return t.C, t.Stop
		},
	}
}

// RunStart implements Reporter; it starts the ticker when there are nodes
// to run.
func (r *liveReporter) RunStart(e RunStart) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.start = r.f.now()
	r.threads = max(e.Threads, 1)
	r.total = e.Nodes
	r.draw(r.f.runStart(e))
	if e.Nodes == 0 {
		return
	}
	ticks, stop := r.newTicker()
	r.halt, r.halted = make(chan struct{}), make(chan struct{})
	go func(halt, halted chan struct{}) {
		defer close(halted)
		defer stop()
		for {
			select {
			case <-ticks:
				r.tick()
			case <-halt:
				return
			}
		}
	}(r.halt, r.halted)
}

// tick redraws the status line if it changed and was not drawn in the
// last redrawEvery.
func (r *liveReporter) tick() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.ended && r.f.now().Sub(r.drawnAt) >= redrawEvery {
		r.draw(nil)
	}
}

// HookStart implements Reporter.
func (r *liveReporter) HookStart(e HookStart) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running = append(r.running, runningNode{e.ID, e.Name})
	r.draw(r.f.hookHeader(e))
}

// HookFinish implements Reporter.
func (r *liveReporter) HookFinish(e HookFinish) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished(e.ID)
	r.draw(r.f.hookFinish(e))
}

// NodeStart implements Reporter.
func (r *liveReporter) NodeStart(e NodeStart) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running = append(r.running, runningNode{e.Node.ID, e.Node.Name})
	r.draw(nil)
}

// NodeFinish implements Reporter.
func (r *liveReporter) NodeFinish(e NodeFinish) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished(e.Node.ID)
	r.done++
	if levelOf(e.Result.Status) == LevelError {
		r.failed++
	}
	if !e.Result.Started.IsZero() {
		r.busy += e.Result.Duration
		r.ran++
	}
	r.draw(r.f.nodeFinish(e))
}

// RunEnd implements Reporter: it stops the ticker, erases the status line
// and writes the summary.
func (r *liveReporter) RunEnd(e RunEnd) {
	r.mu.Lock()
	halt, halted := r.halt, r.halted
	r.mu.Unlock()
	if halt != nil {
		// Unlocked: the goroutine may be waiting for mu in tick.
		close(halt)
		<-halted
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = true
	r.draw(r.f.runEnd(e))
}

// finished removes the hook or node id from the running ones. The caller
// holds mu.
func (r *liveReporter) finished(id string) {
	r.running = slices.DeleteFunc(r.running, func(x runningNode) bool { return x.id == id })
}

// draw erases the status line, writes lines, and draws the status line
// again (none once the run ended), in one Write. It writes nothing when
// there are no lines and the status line is unchanged. The caller holds
// mu.
func (r *liveReporter) draw(lines []string) {
	status := ""
	if !r.ended {
		status = r.status()
	}
	if len(lines) == 0 && status == r.shown {
		return
	}
	var b strings.Builder
	if r.shown != "" {
		b.WriteString(eraseLine)
	}
	for _, l := range lines {
		b.WriteString(l)
	}
	b.WriteString(status)
	r.shown = status
	r.drawnAt = r.f.now()
	// Progress output is best effort, as in the text reporter.
	_, _ = io.WriteString(r.out, b.String())
}

// status returns the status line, truncated to one column less than the
// width (so that the terminal does not wrap it), or "" when there are no
// nodes. The caller holds mu.
func (r *liveReporter) status() string {
	if r.total == 0 {
		return ""
	}
	head := fmt.Sprintf("%d/%d", r.done, r.total)
	failed := ""
	if r.failed > 0 {
		failed = fmt.Sprintf("%d failed", r.failed)
	}
	line := head
	if failed != "" {
		line += " | " + failed
	}
	line += " | " + short(r.f.now().Sub(r.start)) + " elapsed"
	if eta, ok := r.eta(); ok {
		line += " | ETA " + short(eta)
	}
	if len(r.running) > 0 {
		names := make([]string, len(r.running))
		for i, x := range r.running {
			names[i] = x.name
		}
		line += " | running: " + strings.Join(names, ", ")
	}
	line = truncate(line, r.width-1)
	colored := head + " | " + failed
	if failed != "" && strings.HasPrefix(line, colored) {
		line = head + " | " + r.f.paint(red, failed) + line[len(colored):]
	}
	return line
}

// eta estimates the time left: the average time of the nodes that ran,
// times the nodes left, divided by the threads that can work on them. It
// reports false until etaAfter nodes ran, and when no node is left. The
// caller holds mu.
func (r *liveReporter) eta() (time.Duration, bool) {
	left := r.total - r.done
	if r.ran < etaAfter || left <= 0 {
		return 0, false
	}
	average := r.busy / time.Duration(r.ran)
	return average * time.Duration(left) / time.Duration(min(r.threads, left)), true
}

// truncate shortens s to at most n characters, ending it in "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return string([]rune(s)[:n-1]) + "…"
}

// short formats d in whole seconds, briefly: "9s", "1m05s", "2h03m".
func short(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
