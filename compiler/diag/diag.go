// Package diag owns martlet's error type for problems in project files: a
// message tied to a file, line and column, printed compiler-style
// (`models/marts/orders.sql:12:8: message`), and a list type so that a
// compile reports every problem at once rather than only the first.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a diagnostic stops the command.
type Severity int

const (
	// Error makes the command fail with exit code 1.
	Error Severity = iota
	// Warning is printed but does not fail the command.
	Warning
)

// Diagnostic is one problem in a project file. Line and Col are 1-based;
// zero means unknown (the file as a whole, or the line as a whole).
type Diagnostic struct {
	File     string
	Line     int
	Col      int
	Msg      string
	Severity Severity
}

// Error prints the diagnostic compiler-style: `file:line:col: msg`, with
// `warning: ` in front of the message of a warning.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Col > 0 {
				fmt.Fprintf(&b, ":%d", d.Col)
			}
		}
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	return b.String()
}

// At builds an error diagnostic.
func At(file string, line, col int, format string, args ...any) *Diagnostic {
	return &Diagnostic{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// WarnAt builds a warning diagnostic.
func WarnAt(file string, line, col int, format string, args ...any) *Diagnostic {
	d := At(file, line, col, format, args...)
	d.Severity = Warning
	return d
}

// List is a set of diagnostics collected during one command.
type List []*Diagnostic

// Add appends diagnostics, ignoring nil ones.
func (l *List) Add(ds ...*Diagnostic) {
	for _, d := range ds {
		if d != nil {
			*l = append(*l, d)
		}
	}
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns the error diagnostics.
func (l List) Errors() List { return l.filter(Error) }

// Warnings returns the warning diagnostics.
func (l List) Warnings() List { return l.filter(Warning) }

func (l List) filter(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by file, line and column, keeping the order of
// diagnostics at the same place, so output is deterministic whatever order
// parallel work found them in, and drops exact repeats (a folder setting
// of martlet.yml is checked once for every node it applies to).
func (l *List) Sort() {
	sort.SliceStable(*l, func(i, j int) bool {
		a, b := (*l)[i], (*l)[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	seen := make(map[Diagnostic]bool, len(*l))
	out := (*l)[:0]
	for _, d := range *l {
		if !seen[*d] {
			seen[*d] = true
			out = append(out, d)
		}
	}
	*l = out
}

// Err returns the error diagnostics as one error (nil when there are none).
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Error prints every diagnostic, one per line.
func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// From extracts the diagnostics carried by err: a List, a *Diagnostic, or
// any error wrapping one. Other errors give nil.
func From(err error) List {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var d *Diagnostic
	if errors.As(err, &d) {
		return List{d}
	}
	return nil
}

// Suggest returns the candidate closest to name by edit distance, or "" if
// none is close enough to be a plausible typo.
func Suggest(name string, candidates []string) string {
	best, bestDist := "", len(name)/2+2
	for _, c := range candidates {
		if d := distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
