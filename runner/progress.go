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

// printer writes progress lines. Every line is one Write under one mutex, so
// lines from concurrent nodes never interleave.
type printer struct {
	mu    sync.Mutex
	out   io.Writer
	color bool
	now   func() time.Time
}

// paint wraps s in colour c when colour is on.
func (p *printer) paint(c, s string) string {
	if !p.color || c == "" {
		return s
	}
	return c + s + reset
}

// line writes text with a timestamp prefix.
func (p *printer) line(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	stamp := ""
	if text != "" {
		stamp = p.now().Format("15:04:05") + "  "
	}
	// Progress output is best effort: a broken terminal must not fail the
	// run, so write errors are ignored.
	_, _ = io.WriteString(p.out, stamp+text+"\n")
}

// progress writes "i of n <verb> <what> ..... [<status><timing>]", with
// verb and status coloured with c when colour is on; the padding is
// computed on the uncoloured text.
func (p *printer) progress(index, total int, c, verb, what, status, timing string) {
	plain := fmt.Sprintf("%d of %d %s %s ", index, total, verb, what)
	dots := strings.Repeat(".", max(lineWidth-len(plain), 3))
	p.line(fmt.Sprintf("%d of %d %s %s %s [%s%s]", index, total, p.paint(c, verb), what, dots, p.paint(c, status), timing))
}

// seconds formats d as dbt does in status brackets: "0.12s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2fs", d.Seconds())
}
