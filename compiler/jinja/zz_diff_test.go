package jinja

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/flosch/pongo2/v6"
)

func devRender(src string, ctx pongo2.Context) (string, error) {
	out, errs := Translate(src)
	if len(errs) > 0 {
		return "", errs[0]
	}
	rest, macros, errs := ExtractMacros(out)
	if len(errs) > 0 {
		return "", errs[0]
	}
	c := Globals()
	c.Update(ctx)
	for _, m := range macros {
		m := m
		tpl, err := pongo2.FromString(m.Body)
		if err != nil {
			return "", err
		}
		c[m.Name] = func(args ...*pongo2.Value) (*pongo2.Value, error) {
			pos, kw := SplitArgs(args)
			local := pongo2.Context{}
			local.Update(c)
			for i, p := range m.Params {
				switch {
				case i < len(pos):
					local[p.Name] = pos[i]
				case kw[p.Name] != nil:
					local[p.Name] = kw[p.Name]
				case p.HasDefault:
					v, err := EvalExpr(p.Default, local)
					if err != nil {
						return nil, err
					}
					local[p.Name] = v
				}
			}
			s, err := tpl.Execute(local)
			return pongo2.AsSafeValue(s), err
		}
	}
	tpl, err := pongo2.FromString(rest)
	if err != nil {
		return "", err
	}
	return tpl.Execute(c)
}

func TestZZDiff(t *testing.T) {
	data, err := os.ReadFile("/tmp/jdiff/cases.txt")
	if err != nil {
		t.Skip()
	}
	cases := strings.Split(string(data), "\n=====\n")
	var want []map[string]string
	raw, _ := os.ReadFile("/tmp/jdiff/want.json")
	json.Unmarshal(raw, &want)
	ctx := pongo2.Context{"target": map[string]any{"name": "dev", "schema": "main"}, "cols": []any{"a", "b", "c"}, "n": 3, "s": "Hello World", "empty": []any{}}
	for i, c := range cases {
		got, err := devRender(c, ctx)
		w := want[i]
		if err != nil {
			if w["err"] == "" {
				t.Errorf("case %d %q:\n  jinja: %q\n  ours ERROR: %v\n  translated: %s", i, c, w["out"], err, func() string { s, _ := Translate(c); return s }())
			} else {
				t.Logf("case %d both error: jinja %s | ours %v", i, w["err"], err)
			}
			continue
		}
		if w["err"] != "" {
			t.Errorf("case %d %q: jinja error %s, ours %q", i, c, w["err"], got)
			continue
		}
		if got != w["out"] {
			t.Errorf("case %d %q:\n  jinja: %q\n  ours:  %q\n  translated: %s", i, c, w["out"], got, func() string { s, _ := Translate(c); return s }())
		}
	}
}
