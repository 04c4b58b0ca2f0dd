package selector

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// criterion is one comma-separated part of a selection term: a method and
// value with optional graph operators, such as `2+tag:nightly+`.
type criterion struct {
	raw string
	// method is the selection method, "" when the part names none.
	method string
	// args are the dotted words after the method, e.g. [materialized] in
	// config.materialized:table.
	args  []string
	value string
	// parents and children are the ancestor and descendant depths of the
	// `N+` prefix and `+N` suffix: 0 none, -1 unlimited.
	parents, children int
	// childrensParents is the `@` prefix: descendants and all their
	// ancestors.
	childrensParents bool
	match            matcher
}

// term is one space-separated selection term: the intersection of its
// comma-separated criteria.
type term struct {
	raw      string
	criteria []criterion
}

// parseTerm splits a term at its commas and parses each part.
func parseTerm(raw string) (term, error) {
	t := term{raw: raw}
	for part := range strings.SplitSeq(raw, ",") {
		c, err := parseCriterion(part)
		if err != nil {
			return t, err
		}
		t.criteria = append(t.criteria, c)
	}
	return t, nil
}

// parseCriterion parses `[@][N+][method[.arg...]:]value[+N]` the way dbt's
// selection syntax reads it.
func parseCriterion(raw string) (criterion, error) {
	c := criterion{raw: raw}
	if raw == "" {
		return c, fmt.Errorf("empty selection term (a stray comma?)")
	}
	s := raw
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		c.childrensParents = true
		s = rest
	}
	if depth, rest, ok := cutParents(s); ok {
		if c.childrensParents {
			return c, fmt.Errorf("invalid selection term %q: \"@\" and a leading \"+\" cannot both be used", raw)
		}
		c.parents = depth
		s = rest
	}
	if i := strings.LastIndexByte(s, '+'); i >= 0 && allDigits(s[i+1:]) {
		c.children = parseDepth(s[i+1:])
		s = s[:i]
	}
	if i := strings.IndexByte(s, ':'); i > 0 && isMethod(s[:i]) {
		words := strings.Split(s[:i], ".")
		for _, w := range words {
			if w == "" {
				return c, fmt.Errorf("invalid selection method %q in %q", s[:i], raw)
			}
		}
		c.method, c.args = words[0], words[1:]
		s = s[i+1:]
	}
	if s == "" {
		return c, fmt.Errorf("invalid selection term %q: nothing to select", raw)
	}
	c.value = s
	return c, nil
}

// cutParents removes a leading `+` or `N+` and returns its depth.
func cutParents(s string) (depth int, rest string, ok bool) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i >= len(s) || s[i] != '+' {
		return 0, s, false
	}
	return parseDepth(s[:i]), s[i+1:], true
}

// parseDepth turns the digits of a graph operator into a depth: -1, no
// limit, when there are none (or too many to be a limit).
func parseDepth(digits string) int {
	n, err := strconv.Atoi(digits)
	if err != nil {
		return -1
	}
	return n
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isMethod reports whether s can be a method with its arguments: word
// characters and dots, as in dbt's grammar.
func isMethod(s string) bool {
	for _, r := range s {
		if r != '.' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
