package jinja

import (
	"os"
	"testing"

	"github.com/flosch/pongo2/v6"
)

// TestRenderModel renders a dbt model the way Jinja2 renders it
// (testdata/bench_model.rendered), with stand-ins for dbt's functions.
func TestRenderModel(t *testing.T) {
	src, err := os.ReadFile("testdata/bench_model.sql")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/bench_model.rendered")
	if err != nil {
		t.Fatal(err)
	}
	ctx := pongo2.Context{
		"ref":            func(name string) string { return `"main"."` + name + `"` },
		"this":           `"marts"."revenue"`,
		"is_incremental": func() bool { return true },
		"var": func(args ...*pongo2.Value) *pongo2.Value {
			if len(args) < 2 {
				return pongo2.AsValue(nil)
			}
			return args[1]
		},
		"config": func(...*pongo2.Value) string { return "" },
		"target": map[string]any{"name": "dev"},
	}
	got, err := render(string(src), ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("rendered\n%s\nJinja renders\n%s", got, want)
	}
}
