package runner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"martlet/compiler/manifest"
)

// describe returns how progress lines name node n: what it is (such as
// "sql table model main.orders"), and the verbs for success and error.
func describe(n *manifest.Node) (what, done, failed string) {
	rel := n.Relation.Schema + "." + n.Relation.Name
	switch n.Kind {
	case manifest.Seed:
		return "seed file " + rel, "OK loaded", "ERROR loading"
	case manifest.Test:
		return "test " + n.Name, "PASS", "ERROR"
	}
	return "sql " + n.Config.Materialized + " model " + rel, "OK created", "ERROR creating"
}

// printStart prints the START line of node n.
func (r *run) printStart(index int, n *manifest.Node) {
	what, _, _ := describe(n)
	r.print.progress(index, len(r.ids), "", "START", what, "RUN", "")
}

// printDone prints the line that reports how node n finished.
func (r *run) printDone(index int, n *manifest.Node, res Result) {
	what, done, failed := describe(n)
	timing := " in " + seconds(res.Duration)
	total := len(r.ids)
	switch res.Status {
	case StatusSuccess:
		status := "OK"
		if n.Kind == manifest.Seed {
			status = fmt.Sprintf("INSERT %d", res.Rows)
		}
		r.print.progress(index, total, green, done, what, status, timing)
	case StatusPass:
		r.print.progress(index, total, green, "PASS", n.Name, "PASS", timing)
	case StatusWarn:
		r.print.progress(index, total, yellow, fmt.Sprintf("WARN %d", res.Rows), n.Name, fmt.Sprintf("WARN %d", res.Rows), timing)
	case StatusFail:
		r.print.progress(index, total, red, fmt.Sprintf("FAIL %d", res.Rows), n.Name, fmt.Sprintf("FAIL %d", res.Rows), timing)
	default:
		if n.Kind == manifest.Test {
			what = n.Name
		}
		r.print.progress(index, total, red, failed, what, "ERROR", timing)
	}
}

// printSkip prints the SKIP line of node n.
func (r *run) printSkip(index int, n *manifest.Node) {
	what := "relation " + n.Relation.Schema + "." + n.Relation.Name
	if n.Kind == manifest.Test {
		what = "test " + n.Name
	}
	r.print.progress(index, len(r.ids), yellow, "SKIP", what, "SKIP", "")
}

// printHook prints the line that reports how a project hook finished.
func (r *run) printHook(index, total int, res Result) {
	timing := " in " + seconds(res.Duration)
	if res.Status == StatusSuccess {
		r.print.progress(index, total, green, "OK", "hook: "+res.Name, "OK", timing)
		return
	}
	r.print.progress(index, total, red, "ERROR", "hook: "+res.Name, "ERROR", timing)
}

// summary prints the closing block: what ran, how long it took, every
// error, failure and warning, and the counts.
func (r *run) summary(res *Results) {
	p := r.print
	p.line("")
	p.line(fmt.Sprintf("Finished running %s in %s (%s).", statLine(res.Results), clock(res.Elapsed), seconds(res.Elapsed)))
	p.line("")
	c := res.Counts()
	switch {
	case c.Error == 0 && c.Warn == 0:
		p.line(p.paint(green, "Completed successfully"))
	default:
		colour := red
		if c.Error == 0 {
			colour = yellow
		}
		p.line(p.paint(colour, fmt.Sprintf("Completed with %s and %s:", plural(c.Error, "error"), plural(c.Warn, "warning"))))
		for _, res := range res.Results {
			r.problem(res)
		}
	}
	p.line("")
	p.line(fmt.Sprintf("Done. PASS=%d WARN=%d ERROR=%d SKIP=%d TOTAL=%d", c.Pass, c.Warn, c.Error, c.Skip, c.Total))
}

// problem prints the heading and message of a failed, erroring or warning
// result; other results print nothing.
func (r *run) problem(res Result) {
	var colour, heading string
	switch res.Status {
	case StatusError:
		colour, heading = red, "Error in"
	case StatusFail:
		colour, heading = red, "Failure in"
	case StatusWarn:
		colour, heading = yellow, "Warning in"
	default:
		return
	}
	kind := string(res.Kind)
	if res.Kind == KindOperation {
		kind = "hook"
	}
	heading = fmt.Sprintf("%s %s %s", heading, kind, res.Name)
	if res.Path != "" {
		heading += " (" + res.Path + ")"
	}
	r.print.line("")
	r.print.line(r.print.paint(colour, heading))
	for _, l := range strings.Split(res.Message, "\n") {
		r.print.line("  " + l)
	}
}

// statLine counts results by what they are: "3 table models, 2 seeds,
// 5 tests".
func statLine(results []Result) string {
	order := []string{"view model", "table model", "incremental model", "seed", "test", "hook"}
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
