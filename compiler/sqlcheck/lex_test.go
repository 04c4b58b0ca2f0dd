package sqlcheck

import (
	"slices"
	"strings"
	"testing"
)

// texts returns the text of each token.
func texts(sql string, toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = sql[t.start:t.end]
	}
	return out
}

func TestLex(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{"select a1, b_2$x from t;", []string{"select", "a1", ",", "b_2$x", "from", "t", ";"}},
		{"-- c ; \nselect /* a /* b */ ; */ 1", []string{"select", "1"}},
		{"select 'it''s;' ;", []string{"select", "'it''s;'", ";"}},
		{`select E'a\';' ;`, []string{"select", `E'a\';'`, ";"}},
		{`select e'\\' ;`, []string{"select", `e'\\'`, ";"}},
		{`select "a "" ;" ;`, []string{"select", `"a "" ;"`, ";"}},
		{"select $$ ; $$, $q$ $$ ; $q$ ;", []string{"select", "$$ ; $$", ",", "$q$ $$ ; $q$", ";"}},
		{"select $1, $name, ?;", []string{"select", "$1", ",", "$name", ",", "?", ";"}},
		{"select ünï, 'é' from t", []string{"select", "ünï", ",", "'é'", "from", "t"}},
		{"select 'open", []string{"select", "'open"}},
		{"select /* open", []string{"select"}},
		{"select $x$ open", []string{"select", "$x$ open"}},
		{"select x -- end", []string{"select", "x"}},
		{"a::int[]", []string{"a", ":", ":", "int", "[", "]"}},
	}
	for _, tc := range tests {
		if got := texts(tc.sql, lex(tc.sql)); !slices.Equal(got, tc.want) {
			t.Errorf("lex(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}

func TestSingleSelect(t *testing.T) {
	tests := []struct {
		sql       string
		line, col int
		msg       string // "" when the text is a single query
	}{
		{"select 1", 0, 0, ""},
		{"  ((select 1))", 0, 0, ""},
		{"from t", 0, 0, ""},
		{"values (1)", 0, 0, ""},
		{"pivot t on x using sum(y)", 0, 0, ""},
		{"with a as (select 1) select * from a;", 0, 0, ""},
		{"with recursive a(x) using key (x) as not materialized (select 1), b as (select 2) (select * from a)", 0, 0, ""},
		{"with a(\"as\") as (select 1) from a", 0, 0, ""},
		{"select ';'; -- done", 0, 0, ""},
		{"", 1, 1, "found no statement"},
		{" ; ;", 1, 1, "found no statement"},
		{"select 1; select 2; select 3", 1, 11, "found 3 statements"},
		{"delete from t", 1, 1, "found DELETE"},
		{"(update t set a = 1)", 1, 2, "found UPDATE"},
		{"with a as (select 1)\nmerge into t using a on true when matched then delete", 2, 1, "found MERGE"},
		{"with a as (select 1)", 1, 1, "found no query"},
		{"with a", 1, 1, "found no query"},
		{"((", 1, 1, "found no query"},
		{"@x", 1, 1, `found "@"`},
	}
	for _, tc := range tests {
		err := singleSelect(tc.sql, lex(tc.sql))
		switch {
		case tc.msg == "" && err != nil:
			t.Errorf("singleSelect(%q) = %v, want nil", tc.sql, err)
		case tc.msg == "":
		case err == nil:
			t.Errorf("singleSelect(%q) = nil, want %q", tc.sql, tc.msg)
		case err.Line != tc.line || err.Col != tc.col || err.Msg != SingleSelectMsg+", "+tc.msg:
			t.Errorf("singleSelect(%q) = %v, want %d:%d: %s, %s", tc.sql, err, tc.line, tc.col, SingleSelectMsg, tc.msg)
		}
	}
}

func TestBareNonASCII(t *testing.T) {
	tests := []struct {
		sql  string
		want bool
	}{
		{"select a from t", false},
		{`select 'é', "ü", $$😀$$ -- ö`, false},
		{"select /* ö */ 1", false},
		{"select ünï from t", true},
		{"select 1 😀", true},
		{"select 1\u00a0from t", true},
	}
	for _, tc := range tests {
		if got := bareNonASCII(tc.sql, lex(tc.sql)); got != tc.want {
			t.Errorf("bareNonASCII(%q) = %v, want %v", tc.sql, got, tc.want)
		}
	}
}

func TestTooDeep(t *testing.T) {
	chain := func(n int) string { return strings.Repeat(" + 1", n) }
	tests := []struct {
		name string
		sql  string
		want bool
	}{
		{"short", "select 1" + chain(100), false},
		{"at the limit", "select" + chain(9999), false},
		{"over the limit", "select" + chain(10000) + " + 1", true},
		{"chains in sibling elements", "select 1" + chain(8000) + ", 1" + chain(8000), false},
		{"chains in AND operands", "select 1 where 1" + chain(8000) + " = 1 and 1" + chain(8000) + " = 1", false},
		{"chain inside and around a group", "select (1" + chain(6000) + ")" + chain(6000), true},
		{"chain around a nested group", "select 1" + chain(6000) + " + (1" + chain(6000) + ")", true},
		{"left-nested groups", "select " + strings.Repeat("(", 10) + "1" + strings.Repeat(chain(1500)+")", 10), true},
		{"deep parentheses alone", "select " + strings.Repeat("(", 30000) + "1" + strings.Repeat(")", 30000), false},
		{"unbalanced closers", "select 1))))" + chain(100), false},
	}
	for _, tc := range tests {
		if _, got := tooDeep(tc.sql, lex(tc.sql)); got != tc.want {
			t.Errorf("%s: tooDeep = %v, want %v", tc.name, got, tc.want)
		}
	}
}
