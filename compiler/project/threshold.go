package project

import (
	"fmt"
	"strconv"
	"strings"
)

// Threshold is a test's warn_if or error_if: a comparison of the test's
// failure count (its fail_calc) with a number, such as `!=0` or `>10`.
type Threshold struct {
	// Op is one of = == != <> > >= < <=.
	Op string
	N  float64
}

// DefaultThreshold is dbt's warn_if and error_if: any failure.
var DefaultThreshold = Threshold{Op: "!=", N: 0}

// ParseThreshold reads a threshold as dbt writes it: an operator and a
// number, spaces allowed (`!= 0`, `>10`).
func ParseThreshold(s string) (Threshold, error) {
	t := strings.TrimSpace(s)
	for _, op := range []string{"!=", "<>", ">=", "<=", "==", "=", ">", "<"} {
		if rest, ok := strings.CutPrefix(t, op); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				break
			}
			return Threshold{Op: op, N: n}, nil
		}
	}
	return Threshold{}, fmt.Errorf("%q is not a comparison with a number such as \"!=0\" or \">10\"", s)
}

// Holds reports whether x satisfies the threshold.
func (t Threshold) Holds(x float64) bool {
	switch t.Op {
	case "=", "==":
		return x == t.N
	case "!=", "<>":
		return x != t.N
	case ">":
		return x > t.N
	case ">=":
		return x >= t.N
	case "<":
		return x < t.N
	case "<=":
		return x <= t.N
	}
	return false
}

// String writes the threshold as dbt's messages do: `!= 0`.
func (t Threshold) String() string {
	return t.Op + " " + strconv.FormatFloat(t.N, 'f', -1, 64)
}
