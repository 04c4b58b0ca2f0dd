package sqlcheck

import "testing"

func TestErrorAt(t *testing.T) {
	tests := []struct {
		sql       string
		off       int
		line, col int
	}{
		{"select 1", 0, 1, 1},
		{"select 1", 7, 1, 8},
		{"select 1", 8, 1, 9},
		{"select 1", 99, 1, 9},
		{"select 1", -5, 1, 1},
		{"a\nbc\nd", 3, 2, 2},
		{"a\nbc\nd", 5, 3, 1},
		{"a\n", 2, 2, 1},
		{"é😀x", len("é😀"), 1, 3},
		{"a\r\nb", 3, 2, 1},
	}
	for _, tc := range tests {
		e := errorAt(tc.sql, tc.off, "m")
		if e.Line != tc.line || e.Col != tc.col || e.Msg != "m" {
			t.Errorf("errorAt(%q, %d) = %v, want %d:%d: m", tc.sql, tc.off, e, tc.line, tc.col)
		}
	}
}

func TestParserErrorAtTrimsTrailingSpace(t *testing.T) {
	tests := []struct {
		sql       string
		off       int
		line, col int
	}{
		{"select 1 from\n\n", 15, 1, 14},
		{"select 1 from \t", 15, 1, 14},
		{"select x y\n", 9, 1, 10},
		{"\n\n", 2, 1, 1},
	}
	for _, tc := range tests {
		e := parserErrorAt(tc.sql, tc.off, "m")
		if e.Line != tc.line || e.Col != tc.col {
			t.Errorf("parserErrorAt(%q, %d) = %v, want %d:%d", tc.sql, tc.off, e, tc.line, tc.col)
		}
	}
}

func TestByteOffset(t *testing.T) {
	sql := "aé😀b"
	tests := []struct{ runes, want int }{{-1, 0}, {0, 0}, {1, 1}, {2, 3}, {3, 7}, {4, 8}, {9, 8}}
	for _, tc := range tests {
		if got := byteOffset(sql, tc.runes); got != tc.want {
			t.Errorf("byteOffset(%q, %d) = %d, want %d", sql, tc.runes, got, tc.want)
		}
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		sql       string
		line, col int
		msg       string
	}{
		{"select '\uFFFD'", 0, 0, ""},
		{"select 1\x00", 1, 9, "NUL character in SQL text"},
		{"select\n'é\xffx'", 2, 3, "invalid UTF-8 byte in SQL text"},
		{"\xe2\x82", 1, 1, "invalid UTF-8 byte in SQL text"},
	}
	for _, tc := range tests {
		e := checkText(tc.sql)
		switch {
		case tc.msg == "" && e != nil:
			t.Errorf("checkText(%q) = %v, want nil", tc.sql, e)
		case tc.msg == "":
		case e == nil || e.Line != tc.line || e.Col != tc.col || e.Msg != tc.msg:
			t.Errorf("checkText(%q) = %v, want %d:%d: %s", tc.sql, e, tc.line, tc.col, tc.msg)
		}
	}
}

func TestGuessOffset(t *testing.T) {
	tests := []struct {
		name, sql, msg string
		want           int // -1: nothing found
	}{
		{"near token", "select a,\n b c", `syntax error at or near "c"`, 13},
		{"near token not in comment", "-- x\nselect x", `syntax error at or near "x"`, 12},
		{"near text", "select 'ab", `unterminated quoted string at or near "'ab"`, 7},
		{"line hint", "select 1\nfrom t\nwhere", "Parser Error: boom\n\nLINE 3: where\n        ^", 16},
		{"line hint out of range", "select 1", "Parser Error: boom\n\nLINE 7: where", -1},
		{"select into", "select 1 into x", "SELECT INTO not supported!", 9},
		{"locking", "select 1 for update", "SELECT locking clause is not supported!", 9},
		{"interval", "select interval '1' day to second", "DAY TO HOUR is not supported", 20},
		{"similar escape", "select 'a' similar to 'b' escape 'c'", "Custom escape in SIMILAR TO", 26},
		{"empty select list", "from t select", "SELECT clause without selection list", 7},
		{"empty select list in parens", "select * from (from t select)", "SELECT clause without selection list", 22},
		{"order using", "select 1 order by 1 using <", "Unimplemented order by type", 20},
		{"positional", "select #0", "Positional reference node needs to be >= 1", 7},
		{"unicode", "select U&'x'", "pg_verifymbstr NOT IMPLEMENTED", 7},
		{"dynamic pivot", "select * from (pivot t on x using sum(y))", onlySelectMsg, 15},
		{"quoted name", "select Sum(x) within group (order by y)", `Unknown ordered aggregate "sum".`, 7},
		{"unknown message", "select 1", "errhint NOT IMPLEMENTED", -1},
		{"rule finds nothing", "select 1", "SELECT INTO not supported!", -1},
	}
	for _, tc := range tests {
		off, ok := guessOffset(tc.sql, tc.msg)
		if tc.want < 0 && ok || tc.want >= 0 && (!ok || off != tc.want) {
			t.Errorf("%s: guessOffset(%q, %q) = %d, %v; want %d", tc.name, tc.sql, tc.msg, off, ok, tc.want)
		}
	}
}

func TestDuckDBMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Parser Error: syntax error at or near \"x\"\n\nLINE 1: x\n        ^", `syntax error at or near "x"`},
		{"Not implemented Error: Unimplemented order by type", "Unimplemented order by type"},
		{"plain: message", "plain: message"},
	}
	for _, tc := range tests {
		if got := duckdbMessage(tc.in); got != tc.want {
			t.Errorf("duckdbMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
