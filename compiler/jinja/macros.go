package jinja

import (
	"strings"
)

// Param is a macro parameter; Default is a pongo2 expression source ("" when none).
type Param struct {
	Name, Default string
	HasDefault    bool
}

// Macro is one {% macro name(params) %}...{% endmacro %} definition. Line
// and Col locate its {% macro %} tag (the column in the translated source,
// which equals the original one when the tag starts its line).
type Macro struct {
	Name      string
	Params    []Param
	Body      string
	Line, Col int
}

// ExtractMacros takes TRANSLATED source and removes its top-level macro
// blocks, returning the rest (the removed text replaced so line numbers of
// the rest are unchanged) and the macros. Each Body is pongo2 source padded
// with leading newlines (and spaces) so that a line number inside Body
// equals the line number in the original file; the padding is inside a
// {% comment %}, so it renders nothing.
func ExtractMacros(src string) (rest string, macros []Macro, errs []*Error) {
	li := newLineIndex(src)
	fail := func(pos int, msg string) {
		line, col := li.position(pos)
		errs = append(errs, &Error{Line: line, Col: col, Msg: msg})
	}
	var out strings.Builder
	copied := 0
	open := -1 // index in macros of the macro being read
	bodyStart, blockStart := 0, 0
	seen := map[string]bool{}
	for pos := 0; ; {
		start, end, inner, ok := nextTag(src, pos)
		if !ok {
			break
		}
		pos = end
		switch {
		case strings.HasPrefix(inner, "macro "):
			if open >= 0 {
				fail(start, "\"{% macro %}\" inside another macro")
				continue
			}
			m, msg := parseMacroHeader(strings.TrimPrefix(inner, "macro "))
			if msg != "" {
				fail(start, msg)
				continue
			}
			if seen[m.Name] {
				fail(start, "macro \""+m.Name+"\" is defined twice in this file")
			}
			seen[m.Name] = true
			m.Line, m.Col = li.position(start)
			macros = append(macros, m)
			open, bodyStart, blockStart = len(macros)-1, end, start
		case inner == "endmacro":
			if open < 0 {
				fail(start, "\"{% endmacro %}\" without \"{% macro %}\"")
				continue
			}
			macros[open].Body = padTo(src, bodyStart) + src[bodyStart:start]
			out.WriteString(src[copied:blockStart])
			if n := strings.Count(src[blockStart:end], "\n"); n > 0 {
				out.WriteString("{% comment %}" + strings.Repeat("\n", n) + "{% endcomment %}")
			}
			copied, open = end, -1
		}
	}
	if open >= 0 {
		fail(blockStart, "unclosed \"{% macro %}\": missing \"{% endmacro %}\"")
		macros = macros[:open]
	}
	out.WriteString(src[copied:])
	return out.String(), macros, errs
}

// padTo returns what puts text at offset off of src on the same line:
// the newlines before it, hidden in a comment that ends, where the line
// leaves room for it, right before the same column.
func padTo(src string, off int) string {
	const open, closing = "{% comment %}", "{% endcomment %}"
	lines := strings.Count(src[:off], "\n")
	if lines == 0 {
		return ""
	}
	col := off - (strings.LastIndexByte(src[:off], '\n') + 1)
	return open + strings.Repeat("\n", lines) + strings.Repeat(" ", max(col-len(closing), 0)) + closing
}

// nextTag finds the next {{ }} or {% %} tag of pongo2 source at or after
// pos and returns its span and its trimmed inside.
func nextTag(src string, pos int) (start, end int, inner string, ok bool) {
	for {
		k := strings.IndexByte(src[pos:], '{')
		if k < 0 || pos+k+1 >= len(src) {
			return 0, 0, "", false
		}
		start = pos + k
		closer := ""
		switch src[start+1] {
		case '{':
			closer = "}}"
		case '%':
			closer = "%}"
		default:
			pos = start + 1
			continue
		}
		for j := start + 2; j < len(src); j++ {
			switch c := src[j]; {
			case c == '"' || c == '\'':
				j = skipQuoted(src, j)
			case strings.HasPrefix(src[j:], closer):
				return start, j + 2, strings.TrimSpace(src[start+2 : j]), true
			}
		}
		return 0, 0, "", false
	}
}

// skipQuoted returns the offset of the closing quote of the string at j.
func skipQuoted(src string, j int) int {
	quote := src[j]
	for j++; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case quote:
			return j
		}
	}
	return len(src)
}

// parseMacroHeader reads "name(a, b=default)" as written by Translate.
func parseMacroHeader(s string) (Macro, string) {
	open := strings.IndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") {
		return Macro{}, "malformed \"{% macro %}\" tag"
	}
	m := Macro{Name: strings.TrimSpace(s[:open])}
	if !isIdentifier(m.Name) {
		return Macro{}, "malformed macro name \"" + m.Name + "\""
	}
	for _, part := range splitTopLevel(s[open+1 : len(s)-1]) {
		name, def, hasDefault := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !isIdentifier(name) {
			return Macro{}, "malformed parameter \"" + strings.TrimSpace(part) + "\" of macro \"" + m.Name + "\""
		}
		m.Params = append(m.Params, Param{Name: name, Default: strings.TrimSpace(def), HasDefault: hasDefault})
	}
	return m, ""
}

func isIdentifier(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameStart(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// splitTopLevel splits s at commas outside brackets and strings.
func splitTopLevel(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var parts []string
	depth, last := 0, 0
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '"', '\'':
			j = skipQuoted(s, j)
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[last:j])
				last = j + 1
			}
		}
	}
	return append(parts, s[last:])
}
