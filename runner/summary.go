package runner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"martlet/compiler/manifest"
)

// describe returns how progress lines name node n when it starts (such as
// "sql table model main.orders") and when it finishes (the same, except
// that, as in dbt, "snapshot snaps.orders" becomes "snaps.orders" after
// the verb "snapshotted"), and the verbs for success and error.
func describe(n NodeInfo) (started, finished, done, failed string) {
	rel := n.Relation.Schema + "." + n.Relation.Name
	switch n.Kind {
	case manifest.Seed:
		return "seed file " + rel, "seed file " + rel, "OK loaded", "ERROR loading"
	case manifest.Test:
		return "test " + n.Name, "test " + n.Name, "PASS", "ERROR"
	case manifest.Snapshot:
		return "snapshot " + rel, rel, "OK snapshotted", "ERROR snapshotting"
	}
	what := "sql " + n.Materialized + " model " + rel
	return what, what, "OK created", "ERROR creating"
}

// nodeStart returns the START line of a node.
func (f textFormat) nodeStart(e NodeStart) string {
	what, _, _, _ := describe(e.Node)
	return f.progress(e.Index, e.Total, "", "START", what, "RUN", "")
}

// nodeFinish returns the line that reports how a node finished: none for
// a node skipped because the run was cancelled or an on-run-start hook
// failed, which the summary accounts for.
func (f textFormat) nodeFinish(e NodeFinish) []string {
	n, res := e.Node, e.Result
	_, what, done, failed := describe(n)
	timing := " in " + seconds(res.Duration)
	var line string
	switch res.Status {
	case StatusSuccess:
		status := "OK"
		if n.Kind == manifest.Seed {
			status = fmt.Sprintf("INSERT %d", res.Rows)
		}
		line = f.progress(e.Index, e.Total, green, done, what, status, timing)
	case StatusPass:
		line = f.progress(e.Index, e.Total, green, "PASS", n.Name, "PASS", timing)
	case StatusWarn:
		line = f.progress(e.Index, e.Total, yellow, fmt.Sprintf("WARN %d", res.Rows), n.Name, fmt.Sprintf("WARN %d", res.Rows), timing)
	case StatusFail:
		line = f.progress(e.Index, e.Total, red, fmt.Sprintf("FAIL %d", res.Rows), n.Name, fmt.Sprintf("FAIL %d", res.Rows), timing)
	case StatusSkipped:
		if e.SkipCause != SkipUpstream && e.SkipCause != SkipFailFast {
			return nil
		}
		what = "relation " + n.Relation.Schema + "." + n.Relation.Name
		if n.Kind == manifest.Test {
			what = "test " + n.Name
		}
		line = f.progress(e.Index, e.Total, yellow, "SKIP", what, "SKIP", "")
	default:
		if n.Kind == manifest.Test {
			what = n.Name
		}
		line = f.progress(e.Index, e.Total, red, failed, what, "ERROR", timing)
	}
	return []string{line}
}

// runEnd returns the closing block: what ran, how long it took, every
// error, failure and warning, and the counts; nothing when there was
// nothing to do.
func (f textFormat) runEnd(e RunEnd) []string {
	if e.Nodes == 0 {
		return nil
	}
	res := e.Results
	out := []string{
		f.line(""),
		f.line(fmt.Sprintf("Finished running %s in %s (%s).", statLine(res.Results), clock(res.Elapsed), seconds(res.Elapsed))),
		f.line(""),
	}
	c := res.Counts()
	switch {
	case c.Error == 0 && c.Warn == 0:
		out = append(out, f.line(f.paint(green, "Completed successfully")))
	default:
		colour := red
		if c.Error == 0 {
			colour = yellow
		}
		out = append(out, f.line(f.paint(colour, fmt.Sprintf("Completed with %s and %s:", plural(c.Error, "error"), plural(c.Warn, "warning")))))
		for _, res := range res.Results {
			out = append(out, f.problem(res)...)
		}
	}
	return append(out, f.line(""), f.line(fmt.Sprintf("Done. PASS=%d WARN=%d ERROR=%d SKIP=%d TOTAL=%d", c.Pass, c.Warn, c.Error, c.Skip, c.Total)))
}

// problem returns the heading and message of a failed, erroring or
// warning result; other results have none.
func (f textFormat) problem(res Result) []string {
	var colour, heading string
	switch res.Status {
	case StatusError:
		colour, heading = red, "Error in"
	case StatusFail:
		colour, heading = red, "Failure in"
	case StatusWarn:
		colour, heading = yellow, "Warning in"
	default:
		return nil
	}
	kind := string(res.Kind)
	if res.Kind == KindOperation {
		kind = "hook"
	}
	heading = fmt.Sprintf("%s %s %s", heading, kind, res.Name)
	if res.Path != "" {
		heading += " (" + res.Path + ")"
	}
	out := []string{f.line(""), f.line(f.paint(colour, heading))}
	for _, l := range strings.Split(res.Message, "\n") {
		out = append(out, f.line("  "+l))
	}
	return out
}

// statLine counts results by what they are: "3 table models, 2 seeds,
// 5 tests".
func statLine(results []Result) string {
	order := []string{"view model", "table model", "incremental model", "snapshot", "seed", "test", "hook"}
	counts := map[string]int{}
	for _, res := range results {
		label := string(res.Kind)
		switch res.Kind {
		case manifest.Model:
			label = res.Materialized + " model"
		case KindOperation:
			label = "hook"
		}
		if counts[label] == 0 && !slices.Contains(order, label) {
			order = append(order, label)
		}
		counts[label]++
	}
	var parts []string
	for _, label := range order {
		if counts[label] > 0 {
			parts = append(parts, plural(counts[label], label))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// plural returns "1 seed" or "2 seeds".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// clock formats d as dbt does: "0 hours 0 minutes and 1.23 seconds".
func clock(d time.Duration) string {
	hours := int(d.Hours())
	minutes := int(d.Minutes()) % 60
	secs := d.Seconds() - float64(hours*3600+minutes*60)
	return fmt.Sprintf("%d hours %d minutes and %.2f seconds", hours, minutes, secs)
}
