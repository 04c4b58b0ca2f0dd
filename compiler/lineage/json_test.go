package lineage

import "testing"

func TestTape(t *testing.T) {
	tests := []struct {
		src, key, want string
		ok             bool
	}{
		{`{"a":"x"}`, "a", "x", true},
		{` { "a" : [ 1 , 2 ] , "b" : "y" } `, "b", "y", true},
		{`{"a":"\"\\\/\b\f\n\r\t"}`, "a", "\"\\/\b\f\n\r\t", true},
		{`{"a":"\u00e9\ud83d\ude00"}`, "a", "é😀", true},
		{`{"a":"\ud83d"}`, "a", "\ufffd", true},
		{`{"a\u0041":-1.5e3}`, "aA", "-1.5e3", true},
		{`{"a":true,"b":false,"c":null}`, "c", "", true},
		{`{"a":{},"b":[]}`, "b", "", true},
		{`"s"`, "", "", true},
		{`{"a":1,}`, "", "", false},
		{`{"a":1`, "", "", false},
		{`{"a" 1}`, "", "", false},
		{`{1:1}`, "", "", false},
		{`[1]]`, "", "", false},
		{`{"a":"\u12"}`, "", "", false},
		{`{"a":"x`, "", "", false},
		{`{"a":"x\`, "", "", false},
		{`[tru]`, "", "", false},
		{`{]`, "", "", false},
		{``, "", "", false},
	}
	for _, tc := range tests {
		var tp tape
		err := tp.parse(tc.src)
		if (err == nil) != tc.ok {
			t.Errorf("parse(%q): error %v, want ok %v", tc.src, err, tc.ok)
			continue
		}
		if tc.ok && tc.key != "" {
			if got := tp.getStr(0, tc.key); got != tc.want {
				t.Errorf("parse(%q): %s = %q, want %q", tc.src, tc.key, got, tc.want)
			}
		}
	}
	var tp tape
	if err := tp.parse(`{"a":[1,{"b":2}],"c":3}`); err != nil {
		t.Fatal(err)
	}
	if n := len(tp.vals); n != 6 {
		t.Errorf("%d values on the tape, want 6", n)
	}
	a := tp.get(0, "a")
	var got []string
	for c := range tp.elems(a) {
		got = append(got, tp.str(c)+tp.getStr(c, "b"))
	}
	if len(got) != 2 || got[0] != "1" || got[1] != "2" {
		t.Errorf("elements of a: %q, want [1 2]", got)
	}
	if tp.get(a, "b") != -1 || tp.get(-1, "a") != -1 || tp.first(99) != -1 || tp.str(99) != "" {
		t.Error("lookups outside the tape do not return nothing")
	}
}
