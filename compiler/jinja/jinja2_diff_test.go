package jinja_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/flosch/pongo2/v6"

	"martlet/compiler/jinja"
)

// jinja2Corpus is testdata/jinja2_diff.json: templates with the output
// real Jinja2 3.1.6 renders for them (Environment with the do and
// loopcontrols extensions, autoescape off) in the given context.
type jinja2Corpus struct {
	Context map[string]any `json:"context"`
	Cases   []struct {
		Src  string `json:"src"`
		Want string `json:"want"`
	} `json:"cases"`
}

// TestJinja2Differential checks the package's hard rule on templates that
// real Jinja2 renders without error: each must render exactly what Jinja2
// rendered, or fail with an error. Rendering something else is a bug.
func TestJinja2Differential(t *testing.T) {
	pongo2.SetAutoescape(false)
	data, err := os.ReadFile("testdata/jinja2_diff.json")
	if err != nil {
		t.Fatal(err)
	}
	var corpus jinja2Corpus
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&corpus); err != nil {
		t.Fatal(err)
	}
	for _, c := range corpus.Cases {
		got, ok := renderJinja2Case(c.Src, corpus.Context)
		if ok && got != c.Want {
			t.Errorf("%q\n  Jinja2 renders %q\n  got            %q", c.Src, c.Want, got)
		}
	}
}

// renderJinja2Case translates and renders src; ok is false when any step
// reports an error, which the hard rule allows.
func renderJinja2Case(src string, vars map[string]any) (string, bool) {
	translated, errs := jinja.Translate(src)
	if len(errs) > 0 {
		return "", false
	}
	tpl, err := pongo2.FromString(translated)
	if err != nil {
		return "", false
	}
	ctx := jinja.Globals(nil)
	for k, v := range vars {
		ctx[k] = fromJSON(v)
	}
	out, err := tpl.Execute(ctx)
	return out, err == nil
}

// fromJSON turns decoded JSON into the Go values a template context holds:
// integral numbers become int.
func fromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromJSON(e)
		}
		return out
	}
	return v
}

// TestTranslateInvariantsOnOddInput checks inputs that once broke the line
// structure or were cut short by pongo2 (which reads U+0001 as the end of
// its input): the output keeps the line count, and an input that
// translates without error renders in full.
func TestTranslateInvariantsOnOddInput(t *testing.T) {
	pongo2.SetAutoescape(false)
	tests := []struct {
		name, src, want string
	}{
		{"unclosed raw with a newline in the tag", "{%- \nraw+%}{x\r.", ""},
		{"unclosed raw", "{% raw %}a\nb", ""},
		{"U+0001 in text", "abc\x01def {{ 1 }}", "abc\x01def 1"},
		{"U+0001 in a string", "{{ 'a\x01b' }}|", "a\x01b|"},
		{"U+0001 after a brace", "{\x01{{ 'x' }}", "{\x01x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs := jinja.Translate(tt.src)
			if got, want := strings.Count(out, "\n"), strings.Count(tt.src, "\n"); got != want {
				t.Fatalf("Translate(%q) has %d newlines, want %d:\n%q", tt.src, got, want, out)
			}
			if len(errs) > 0 || tt.want == "" {
				return
			}
			if got, ok := renderJinja2Case(tt.src, nil); ok && got != tt.want {
				t.Errorf("rendered %q, want %q or an error", got, tt.want)
			}
		})
	}
}

// TestHugeOperandsFinish checks that arithmetic with huge operands renders
// what Jinja2 renders or fails, and does so promptly. An empty want means
// Jinja2 cannot render the template either, so only an error is right.
func TestHugeOperandsFinish(t *testing.T) {
	pongo2.SetAutoescape(false)
	tests := []struct{ src, want string }{
		{"{{ 2 ** 1000000000000 }}", ""},
		{"{{ 3 ** 50 }}", "717897987691852588770249"},
		{"{{ 2 ** 62 }}", "4611686018427387904"},
	}
	for _, tt := range tests {
		done := make(chan string, 1)
		failed := "<error>"
		go func() {
			got, ok := renderJinja2Case(tt.src, nil)
			if !ok {
				got = failed
			}
			done <- got
		}()
		select {
		case got := <-done:
			if got != failed && got != tt.want {
				t.Errorf("%s rendered %q, want %q or an error", tt.src, got, tt.want)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s did not finish within 5s", tt.src)
		}
	}
}
