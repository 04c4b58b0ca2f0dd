package runner

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// lineWidth is the width, before the bracketed status, to which progress
// lines are padded with dots (dbt's layout).
const lineWidth = 80

// ANSI colours for statuses.
const (
	green  = "\x1b[32m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	reset  = "\x1b[0m"
)

// textReporter writes dbt-style progress lines and a summary. Every line is
// one Write under one mutex, so lines from concurrent nodes never
// interleave.
type textReporter struct {
	mu  sync.Mutex
	out io.Writer
	f   textFormat
}

// write writes lines, one Write each.
func (r *textReporter) write(lines ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range lines {
		// Progress output is best effort: a broken terminal must not
		// fail the run, so write errors are ignored.
		_, _ = io.WriteString(r.out, l)
	}
}

// RunStart implements Reporter.
func (r *textReporter) RunStart(e RunStart) { r.write(r.f.runStart(e)...) }

// HookStart implements Reporter.
func (r *textReporter) HookStart(e HookStart) {
	r.write(append(r.f.hookHeader(e), r.f.hookStart(e))...)
}

// HookFinish implements Reporter.
func (r *textReporter) HookFinish(e HookFinish) { r.write(r.f.hookFinish(e)...) }

// NodeStart implements Reporter.
func (r *textReporter) NodeStart(e NodeStart) { r.write(r.f.nodeStart(e)) }

// NodeFinish implements Reporter.
func (r *textReporter) NodeFinish(e NodeFinish) { r.write(r.f.nodeFinish(e)...) }

// RunEnd implements Reporter.
func (r *textReporter) RunEnd(e RunEnd) { r.write(r.f.runEnd(e)...) }

// textFormat renders events as dbt-style lines, each ending in a newline;
// the text and live reporters share it. It holds no state.
type textFormat struct {
	color bool
	now   func() time.Time
}

// paint wraps s in colour c when colour is on.
func (f textFormat) paint(c, s string) string {
	if !f.color || c == "" {
		return s
	}
	return c + s + reset
}

// line returns text with a timestamp prefix and a newline.
func (f textFormat) line(text string) string {
	if text == "" {
		return "\n"
	}
	return f.now().Format("15:04:05") + "  " + text + "\n"
}

// progress returns "i of n <verb> <what> ..... [<status><timing>]", with
// verb and status coloured with c when colour is on; the padding is
// computed on the uncoloured text.
func (f textFormat) progress(index, total int, c, verb, what, status, timing string) string {
	plain := fmt.Sprintf("%d of %d %s %s ", index, total, verb, what)
	dots := strings.Repeat(".", max(lineWidth-len(plain), 3))
	return f.line(fmt.Sprintf("%d of %d %s %s %s [%s%s]", index, total, f.paint(c, verb), what, dots, f.paint(c, status), timing))
}

// runStart returns the lines that open a run.
func (f textFormat) runStart(e RunStart) []string {
	if e.Nodes == 0 {
		return []string{f.line("Nothing to do: no selected node is one this command runs.")}
	}
	return []string{f.line(fmt.Sprintf("Concurrency: %d threads (target='%s')", e.Threads, e.Target)), f.line("")}
}

// hookHeader returns the line that introduces a phase's hooks, before its
// first hook.
func (f textFormat) hookHeader(e HookStart) []string {
	if e.Index != 1 {
		return nil
	}
	return []string{f.line(fmt.Sprintf("Running %s", plural(e.Total, e.Phase+" hook")))}
}

// hookStart returns the START line of a hook.
func (f textFormat) hookStart(e HookStart) string {
	return f.progress(e.Index, e.Total, "", "START", "hook: "+e.Name, "RUN", "")
}

// hookFinish returns the line that reports how a hook finished, and a
// blank line after the last hook of its phase or a failure, which ends
// the phase.
func (f textFormat) hookFinish(e HookFinish) []string {
	timing := " in " + seconds(e.Result.Duration)
	ok := e.Result.Status == StatusSuccess
	var out []string
	if ok {
		out = append(out, f.progress(e.Index, e.Total, green, "OK", "hook: "+e.Name, "OK", timing))
	} else {
		out = append(out, f.progress(e.Index, e.Total, red, "ERROR", "hook: "+e.Name, "ERROR", timing))
	}
	if !ok || e.Index == e.Total {
		out = append(out, f.line(""))
	}
	return out
}

// seconds formats d as dbt does in status brackets: "0.12s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2fs", d.Seconds())
}
