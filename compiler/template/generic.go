package template

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/flosch/pongo2/v6"

	"martlet/compiler/diag"
	"martlet/compiler/jinja"
)

// testBlockTag finds dbt's {% test name(args) %} and {% endtest %} tags,
// which define custom generic tests.
var testBlockTag = regexp.MustCompile(`\{%(-?)(\s*)test(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*\()|\{%(-?)(\s*)endtest(\s*-?)%\}`)

// testMacroPrefix names the macro that holds a generic test's body, as dbt
// does.
const testMacroPrefix = "test_"

// HasTestBlocks reports whether src defines custom generic tests.
func HasTestBlocks(src string) bool { return testBlockTag.MatchString(src) }

// rewriteTestBlocks turns {% test name(...) %} ... {% endtest %} into
// {% macro test_name(...) %} ... {% endmacro %}, keeping every line.
func rewriteTestBlocks(src string) string {
	return testBlockTag.ReplaceAllStringFunc(src, func(tag string) string {
		m := testBlockTag.FindStringSubmatch(tag)
		if m[4] != "" {
			return "{%" + m[1] + m[2] + "macro" + m[3] + testMacroPrefix + m[4] + m[5]
		}
		return "{%" + m[6] + m[7] + "endmacro" + m[8] + "%}"
	})
}

// HasGenericTest reports whether the project defines a custom generic
// test of that name.
func (e *Env) HasGenericTest(name string) bool { return e.macros[testMacroPrefix+name] != nil }

// GenericTests lists the custom generic tests the project defines.
func (e *Env) GenericTests() []string {
	var out []string
	for name := range e.macros {
		if len(name) > len(testMacroPrefix) && name[:len(testMacroPrefix)] == testMacroPrefix {
			out = append(out, name[len(testMacroPrefix):])
		}
	}
	sort.Strings(out)
	return out
}

// RenderGenericTest renders a custom generic test's query: its macro is
// called with model (the tested relation), column_name when the test sits
// on a column, and the test's arguments, all by keyword.
func (e *Env) RenderGenericTest(name string, args map[string]any, r Resolver) (string, *diag.Diagnostic) {
	if e.macros[testMacroPrefix+name] == nil {
		return "", diag.At("", 0, 0, "no generic test %q", name)
	}
	return e.CallMacro(testMacroPrefix+name, "test "+name, args, r)
}

// CallMacro calls the project macro name with args by keyword and returns
// what it renders (or returns); errors name the macro's file and line and
// start with what, such as "test unique".
func (e *Env) CallMacro(name, what string, args map[string]any, r Resolver) (string, *diag.Diagnostic) {
	m := e.macros[name]
	if m == nil {
		return "", diag.At("", 0, 0, "no macro %q", name)
	}
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	values := make([]*pongo2.Value, 0, len(keys))
	for _, k := range keys {
		values = append(values, pongo2.AsValue(jinja.Kwarg{Name: k, Value: pongo2.AsValue(args[k])}))
	}
	s := &renderState{env: e, tmpl: &Template{}, resolver: r, macrosUsed: map[string]bool{}, varsUsed: map[string]bool{}}
	out, err := s.macroFunc(m)(values...)
	if err != nil {
		if s.located != nil {
			return "", s.located
		}
		return "", diag.At(m.file, m.Line, m.Col, "%s: %v", what, err)
	}
	return fmt.Sprint(out.Interface()), nil
}
