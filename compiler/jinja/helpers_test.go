package jinja

import (
	"testing"

	"github.com/flosch/pongo2/v6"
)

// renderContext is the context the render tables use; Jinja2 rendered the
// expected outputs with the same values.
func renderContext() pongo2.Context {
	return pongo2.Context{
		"target": map[string]any{"name": "dev", "schema": "main"},
		"cols":   []string{"a", "b", "c"},
		"n":      3,
		"s":      "Hello World",
		"empty":  []any{},
	}
}

// render translates src, binds its macros as functions and renders it
// with pongo2, the way the compiler does.
func render(src string, ctx pongo2.Context) (string, error) {
	translated, errs := Translate(src)
	if len(errs) > 0 {
		return "", errs[0]
	}
	rest, macros, errs := ExtractMacros(translated)
	if len(errs) > 0 {
		return "", errs[0]
	}
	full := Globals(nil)
	full.Update(ctx)
	for _, m := range macros {
		fn, err := macroFunc(m, full)
		if err != nil {
			return "", err
		}
		full[m.Name] = fn
	}
	tpl, err := pongo2.FromString(rest)
	if err != nil {
		return "", err
	}
	return tpl.Execute(full)
}

// macroFunc makes a macro callable: arguments bind to parameters by
// position or keyword, missing ones take their default.
func macroFunc(m Macro, ctx pongo2.Context) (func(args ...*pongo2.Value) (*pongo2.Value, error), error) {
	tpl, err := pongo2.FromString(m.Body)
	if err != nil {
		return nil, err
	}
	return func(args ...*pongo2.Value) (*pongo2.Value, error) {
		positional, kwargs := SplitArgs(args)
		local := pongo2.Context{}
		local.Update(ctx)
		for i, p := range m.Params {
			switch {
			case i < len(positional):
				local[p.Name] = positional[i]
			case kwargs[p.Name] != nil:
				local[p.Name] = kwargs[p.Name]
			case p.HasDefault:
				v, err := EvalExpr(p.Default, local)
				if err != nil {
					return nil, err
				}
				local[p.Name] = v
			}
		}
		out, err := tpl.Execute(local)
		return pongo2.AsSafeValue(out), err
	}, nil
}

type renderCase struct {
	name, src, want string
}

func runRenderCases(t *testing.T, cases []renderCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := render(tc.src, renderContext())
			if err != nil {
				translated, _ := Translate(tc.src)
				t.Fatalf("render failed: %v\ntranslated: %s", err, translated)
			}
			if got != tc.want {
				translated, _ := Translate(tc.src)
				t.Errorf("rendered %q, Jinja renders %q\ntranslated: %s", got, tc.want, translated)
			}
		})
	}
}
