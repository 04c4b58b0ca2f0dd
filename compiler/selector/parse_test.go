package selector

import (
	"slices"
	"testing"
)

func TestParseCriterion(t *testing.T) {
	for _, tc := range []struct {
		raw               string
		method            string
		args              []string
		value             string
		parents, children int
		at                bool
	}{
		{raw: "orders", value: "orders"},
		{raw: "+orders", value: "orders", parents: -1},
		{raw: "orders+", value: "orders", children: -1},
		{raw: "3+orders+12", value: "orders", parents: 3, children: 12},
		{raw: "@orders", value: "orders", at: true},
		{raw: "@orders+", value: "orders", at: true, children: -1},
		{raw: "+tag:nightly+", method: "tag", value: "nightly", parents: -1, children: -1},
		{raw: "config.materialized:table", method: "config", args: []string{"materialized"}, value: "table"},
		{raw: "config.meta.owner:ana", method: "config", args: []string{"meta", "owner"}, value: "ana"},
		{raw: "state:modified.body+", method: "state", value: "modified.body", children: -1},
		{raw: "path:C:/x", method: "path", value: "C:/x"},
		{raw: "models/a:b", value: "models/a:b"},
		{raw: "a+b", value: "a+b"},
		{raw: "c++", value: "c+", children: -1},
		{raw: "99999999999999999999+x", value: "x", parents: -1},
		{raw: "tag:nightly*", method: "tag", value: "nightly*"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			c, err := parseCriterion(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if c.method != tc.method || !slices.Equal(c.args, tc.args) || c.value != tc.value ||
				c.parents != tc.parents || c.children != tc.children || c.childrensParents != tc.at {
				t.Errorf("got method=%q args=%q value=%q parents=%d children=%d @=%v",
					c.method, c.args, c.value, c.parents, c.children, c.childrensParents)
			}
		})
	}
}

func TestParseTermIntersection(t *testing.T) {
	term, err := parseTerm("+tag:a,config.materialized:table,b+")
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, c := range term.criteria {
		values = append(values, c.value)
	}
	if want := []string{"a", "table", "b"}; !slices.Equal(values, want) {
		t.Errorf("values = %q, want %q", values, want)
	}
	if term.criteria[0].parents != -1 || term.criteria[2].children != -1 {
		t.Errorf("graph operators lost: %+v", term.criteria)
	}
}

func TestParseCriterionErrors(t *testing.T) {
	for _, raw := range []string{"", "+", "@", "@2+x", "tag:", "+tag:", ".x:y", "a..b:c"} {
		if _, err := parseCriterion(raw); err == nil {
			t.Errorf("parseCriterion(%q) succeeded, want an error", raw)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"stg_*", "stg_orders", true},
		{"stg_*", "orders", false},
		{"*", "", true},
		{"*", "a.b/c", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"nightly*", "nightly", true},
		{"?at", "cat", true},
		{"?at", "at", false},
		{"[cb]at", "bat", true},
		{"[!cb]at", "bat", false},
		{"[!cb]at", "rat", true},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[]]x", "]x", true},
		{"[x", "[x", true},
		{"[x", "x", false},
		{"é*", "éa", true},
		{"?", "é", true},
		{"[é]", "é", true},
		{"Stg_*", "stg_orders", false},
		{"**", "abc", true},
		{"a*", "b", false},
	} {
		if got := globMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestMatchPath(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"models/marts", "models/marts", true},
		{"models/marts", "models/marts/orders.sql", false},
		{"models/*", "models/marts", true},
		{"models/*.sql", "models/a.sql", true},
		{"models/*.sql", "models/x/a.sql", false},
		{"models/**", "models/x/y/a.sql", true},
		{"models/**/a.sql", "models/a.sql", true},
		{"models/**/a.sql", "models/x/y/a.sql", true},
		{"models/**/a.sql", "models/x/y/b.sql", false},
		{"**/a.sql", "models/a.sql", true},
		{"models/marts", "models", false},
	} {
		if got := matchPath(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchPath(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}
