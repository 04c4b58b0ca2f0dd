package manifest

import "testing"

func TestNormalizeSQL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"select  1\n\tfrom t", "select 1 from t"},
		{"select 1 -- trailing\nfrom t", "select 1 from t"},
		{"select 1 /* a\nblock */ from t", "select 1 from t"},
		{"select {# jinja #} 1", "select 1"},
		{"select '-- not a comment' as x", "select '-- not a comment' as x"},
		{`select "a/*b" from t`, `select "a/*b" from t`},
		{"select 'it''s -- text' -- comment", "select 'it''s -- text'"},
		{"select 1 /* unclosed", "select 1"},
		{"select 'unclosed -- x", "select 'unclosed -- x"},
		{"", ""},
	} {
		if got := NormalizeSQL(tc.in); got != tc.want {
			t.Errorf("NormalizeSQL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
