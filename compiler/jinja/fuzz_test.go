package jinja

import (
	"strings"
	"testing"

	"github.com/flosch/pongo2/v6"
)

// FuzzTranslate checks that Translate never panics, keeps the line count,
// and that whatever it accepts pongo2 compiles.
func FuzzTranslate(f *testing.F) {
	f.Add("select {{ ref('a') }} from t\n")
	f.Add("{% for x in [1, 2] %}{{ loop.index }}{% endfor %}")
	f.Add("{% macro m(a, b=2) -%}\n{{ a ~ b }}\n{%- endmacro %}{{ m(1, b=3) }}")
	f.Fuzz(func(t *testing.T, src string) {
		out, errs := Translate(src)
		if got, want := strings.Count(out, "\n"), strings.Count(src, "\n"); got != want {
			t.Fatalf("translated %q into %d lines, want %d: %q", src, got, want, out)
		}
		if errs != nil {
			return
		}
		rest, macros, errs := ExtractMacros(out)
		if errs != nil {
			t.Fatalf("ExtractMacros(%q): %v", out, errs)
		}
		if _, err := pongo2.FromString(rest); err != nil {
			t.Fatalf("pongo2 rejects the translation of %q: %v\n%s", src, err, rest)
		}
		for _, m := range macros {
			if _, err := pongo2.FromString(m.Body); err != nil {
				t.Fatalf("pongo2 rejects macro %s of %q: %v\n%s", m.Name, src, err, m.Body)
			}
		}
	})
}
