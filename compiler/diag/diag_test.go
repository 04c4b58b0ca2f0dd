package diag

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestDiagnosticError(t *testing.T) {
	tests := []struct {
		name string
		d    Diagnostic
		want string
	}{
		{"file line col", Diagnostic{File: "models/orders.sql", Line: 12, Col: 8, Msg: "boom"}, "models/orders.sql:12:8: boom"},
		{"file line", Diagnostic{File: "martlet.yml", Line: 3, Msg: "boom"}, "martlet.yml:3: boom"},
		{"col without line is dropped", Diagnostic{File: "a.yml", Col: 4, Msg: "boom"}, "a.yml: boom"},
		{"file only", Diagnostic{File: "martlet.yml", Msg: "boom"}, "martlet.yml: boom"},
		{"no file", Diagnostic{Line: 3, Col: 4, Msg: "boom"}, "boom"},
		{"warning", Diagnostic{File: "a.yml", Line: 1, Col: 2, Msg: "odd", Severity: Warning}, "a.yml:1:2: warning: odd"},
		{"warning without file", Diagnostic{Msg: "odd", Severity: Warning}, "warning: odd"},
	}
	for _, tt := range tests {
		if got := tt.d.Error(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAtAndWarnAt(t *testing.T) {
	d := At("f.sql", 2, 5, "unknown model %q", "ordres")
	want := &Diagnostic{File: "f.sql", Line: 2, Col: 5, Msg: `unknown model "ordres"`, Severity: Error}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("At = %#v, want %#v", d, want)
	}
	w := WarnAt("f.yml", 1, 1, "%d%%", 50)
	if w.Severity != Warning || w.Msg != "50%" || w.Error() != "f.yml:1:1: warning: 50%" {
		t.Errorf("WarnAt = %#v (%q)", w, w.Error())
	}
	// A message is not a format string when no args are given through %s.
	if got := At("f", 1, 1, "%s", "100%").Msg; got != "100%" {
		t.Errorf("Msg = %q", got)
	}
}

func TestListAddAndFilter(t *testing.T) {
	var l List
	e1 := At("a", 1, 1, "e1")
	w1 := WarnAt("a", 2, 1, "w1")
	e2 := At("b", 1, 1, "e2")
	l.Add(e1, nil, w1)
	l.Add(nil)
	l.Add(e2)
	if len(l) != 3 {
		t.Fatalf("Add kept %d diagnostics, want 3 (nil ones ignored)", len(l))
	}
	if !l.HasErrors() {
		t.Error("HasErrors = false with two errors")
	}
	if got := l.Errors(); !reflect.DeepEqual(got, List{e1, e2}) {
		t.Errorf("Errors = %v", got)
	}
	if got := l.Warnings(); !reflect.DeepEqual(got, List{w1}) {
		t.Errorf("Warnings = %v", got)
	}
	warnOnly := List{w1}
	if warnOnly.HasErrors() || warnOnly.Err() != nil || warnOnly.Errors() != nil {
		t.Error("a list of warnings has no errors")
	}
	var empty List
	if empty.HasErrors() || empty.Err() != nil || empty.Error() != "" {
		t.Error("empty list must have no errors and print nothing")
	}
}

func TestListErrAndError(t *testing.T) {
	l := List{At("a.yml", 1, 2, "first"), WarnAt("a.yml", 3, 0, "careful"), At("", 0, 0, "second")}
	if got, want := l.Error(), "a.yml:1:2: first\na.yml:3: warning: careful\nsecond"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	err := l.Err()
	if err == nil {
		t.Fatal("Err() = nil with errors")
	}
	if got, want := err.Error(), "a.yml:1:2: first\nsecond"; got != want {
		t.Errorf("Err().Error() = %q, want %q (warnings left out)", got, want)
	}
	if got := From(err); len(got) != 2 {
		t.Errorf("From(Err()) = %v, want the two errors", got)
	}
}

func TestListSort(t *testing.T) {
	a := At("b.yml", 2, 1, "a")
	b := At("a.yml", 9, 9, "b")
	c := At("b.yml", 1, 5, "c")
	d := At("b.yml", 1, 5, "d") // same place as c: keeps its order
	e := At("b.yml", 1, 2, "e")
	f := At("", 0, 0, "f")
	repeat := At("b.yml", 2, 1, "a") // a again: dropped
	warning := WarnAt("b.yml", 2, 1, "a")
	l := List{a, b, c, d, e, f, repeat, warning}
	l.Sort()
	if want := (List{f, b, e, c, d, a, warning}); !reflect.DeepEqual(l, want) {
		t.Errorf("Sort = %q\nwant %q", l.Error(), want.Error())
	}
}

func TestFrom(t *testing.T) {
	d := At("x.sql", 1, 1, "bad")
	l := List{d, At("y.sql", 2, 2, "worse")}
	tests := []struct {
		name string
		err  error
		want List
	}{
		{"nil", nil, nil},
		{"plain error", errors.New("plain"), nil},
		{"diagnostic", d, List{d}},
		{"list", l, l},
		{"wrapped diagnostic", fmt.Errorf("compiling: %w", d), List{d}},
		{"wrapped list", fmt.Errorf("compiling: %w", l), l},
		{"joined", errors.Join(errors.New("x"), d), List{d}},
	}
	for _, tt := range tests {
		if got := From(tt.err); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: From = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	candidates := []string{"orders", "customers", "order_items", "payments"}
	tests := []struct {
		name  string
		cands []string
		want  string
	}{
		{"ordres", candidates, "orders"},
		{"order", candidates, "orders"},
		{"customer", candidates, "customers"},
		{"ORDERS", candidates, ""}, // case matters: six edits
		{"xyz", candidates, ""},
		{"", candidates, ""},
		{"orders", nil, ""},
		{"orders", candidates, "orders"},
		// Threshold: len/2+2 edits are too many; "ab" allows at most 2.
		{"ab", []string{"abcde"}, ""},
		{"ab", []string{"abcd"}, "abcd"},
		// Ties go to the first candidate.
		{"cat", []string{"bat", "hat"}, "bat"},
		// Distance counts runes, not bytes.
		{"été", []string{"ete"}, "ete"},
		{"materialised", []string{"materialized", "meta"}, "materialized"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, tt.cands); got != tt.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.name, tt.cands, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"orders", "ordres", 2},
		{"été", "ete", 2},
		{"日本語", "日本", 1},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := distance(tt.b, tt.a); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}
