package template

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/flosch/pongo2/v6"
)

// A macro whose body only prints its parameters through pure helpers
// (no function or method calls, no tags that change state) renders the
// same text for the same arguments in every model. Such macros, like the
// common `{% macro cents(col) %}round({{ col }} / 100, 2){% endmacro %}`,
// are rendered once per distinct argument list and cached, which saves a
// template execution per call.

// pureHelpers are the translated-source helpers that read and compute
// without calling out or changing anything.
var pureHelpers = map[string]bool{
	"str": true, "var": true, "concat": true, "bool": true, "getattr": true, "getitem": true,
	"filter": true, "cmp": true, "add": true, "sub": true, "mul": true, "div": true,
	"floordiv": true, "mod": true, "pow": true, "neg": true, "lnot": true, "pos": true,
	"is": true, "list": true, "tuple": true, "dict": true, "none": true, "nl": true,
	"soh": true, "slice": true,
}

var (
	helperCall = regexp.MustCompile(`\b__\.([a-z_]+)\(`)
	varRead    = regexp.MustCompile(`\b__\.var\("((?:[^"\\]|\\.)*)"\)`)
	tagOpen    = regexp.MustCompile(`\{%-?\s*([a-z_]+)`)
)

// isPure reports whether a translated macro body is a function of its
// parameters alone.
func isPure(body string, params []string) bool {
	for _, m := range helperCall.FindAllStringSubmatch(body, -1) {
		if !pureHelpers[m[1]] {
			return false
		}
	}
	allowed := map[string]bool{"target": true}
	for _, p := range params {
		allowed[p] = true
	}
	for _, m := range varRead.FindAllStringSubmatch(body, -1) {
		name, err := strconv.Unquote(`"` + m[1] + `"`)
		if err != nil || !allowed[name] {
			return false
		}
	}
	for _, m := range tagOpen.FindAllStringSubmatch(body, -1) {
		switch m[1] {
		case "if", "elif", "else", "endif", "for", "endfor", "comment", "endcomment":
		default:
			return false
		}
	}
	return true
}

// cacheKey renders call arguments as a key, or reports false when an
// argument is not a plain string, number, boolean or nil.
func cacheKey(name string, args []*pongo2.Value) (string, bool) {
	var b strings.Builder
	b.WriteString(name)
	for _, a := range args {
		b.WriteByte(0)
		switch v := a.Interface().(type) {
		case nil:
			b.WriteString("n")
		case string:
			b.WriteString("s" + v)
		case int:
			b.WriteString("i" + strconv.Itoa(v))
		case int64:
			b.WriteString("i" + strconv.FormatInt(v, 10))
		case float64:
			b.WriteString("f" + strconv.FormatFloat(v, 'g', -1, 64))
		case bool:
			b.WriteString("b" + strconv.FormatBool(v))
		default:
			return "", false
		}
	}
	return b.String(), true
}
