package project

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// renderEnvVars renders the narrow templating dbt profiles use:
// `{{ env_var('NAME') }}` and `{{ env_var('NAME', 'default') }}`, with the
// filters as_number, int, float, as_text, as_native, as_bool and string.
// Text outside `{{ }}` is kept as is. Any other Jinja is an error naming
// it, so that a profile never silently renders something else.
func renderEnvVars(s string) (string, error) {
	if !strings.Contains(s, "{") {
		return s, nil
	}
	var out strings.Builder
	for {
		i := strings.Index(s, "{{")
		for _, tag := range []string{"{%", "{#"} {
			if j := strings.Index(s, tag); j >= 0 && (i < 0 || j < i) {
				return "", fmt.Errorf("unsupported template tag %q: only {{ env_var(...) }} is supported here", tag)
			}
		}
		if i < 0 {
			out.WriteString(s)
			return out.String(), nil
		}
		text := s[:i]
		s = s[i+2:]
		if strings.HasPrefix(s, "-") {
			text = strings.TrimRight(text, " \t\r\n")
			s = s[1:]
		}
		out.WriteString(text)
		end := strings.Index(s, "}}")
		if end < 0 {
			return "", fmt.Errorf("unclosed {{ in %q", "{{"+s)
		}
		expr, trimNext := s[:end], false
		if strings.HasSuffix(expr, "-") {
			expr, trimNext = expr[:len(expr)-1], true
		}
		s = s[end+2:]
		if trimNext {
			s = strings.TrimLeft(s, " \t\r\n")
		}
		v, err := evalEnvVar(strings.TrimSpace(expr))
		if err != nil {
			return "", err
		}
		out.WriteString(v)
	}
}

// envExpr is a cursor over one `{{ }}` expression.
type envExpr struct {
	s string
}

// evalEnvVar evaluates `env_var(name[, default]) [| filter]...`.
func evalEnvVar(src string) (string, error) {
	e := &envExpr{s: src}
	unsupported := fmt.Errorf("unsupported expression {{ %s }}: only env_var('NAME') or env_var('NAME', 'default') is supported here", src)
	if e.ident() != "env_var" || !e.take("(") {
		return "", unsupported
	}
	name, ok := e.literal()
	if !ok {
		return "", unsupported
	}
	var def string
	hasDef := false
	if e.take(",") {
		if rest := strings.TrimLeft(e.s, " \t"); strings.HasPrefix(rest, "default") {
			e.s = rest[len("default"):]
			if !e.take("=") {
				return "", unsupported
			}
		}
		if def, hasDef = e.literal(); !hasDef {
			return "", unsupported
		}
	}
	if !e.take(")") {
		return "", unsupported
	}
	v, set := os.LookupEnv(name)
	if !set {
		if !hasDef {
			return "", fmt.Errorf("environment variable %q is not set (env_var() without a default)", name)
		}
		v = def
	}
	for e.take("|") {
		f := e.ident()
		var err error
		if v, err = applyEnvFilter(f, name, v); err != nil {
			return "", err
		}
	}
	if strings.TrimSpace(e.s) != "" {
		return "", unsupported
	}
	return v, nil
}

// applyEnvFilter applies one filter to the value of environment variable
// name. Where Jinja would turn a bad number into 0, this is an error.
func applyEnvFilter(filter, name, v string) (string, error) {
	switch filter {
	case "as_text", "as_native", "as_bool", "string":
		return v, nil
	case "as_number", "float":
		t := strings.TrimSpace(v)
		if _, err := strconv.ParseFloat(t, 64); err != nil {
			return "", fmt.Errorf("env_var(%q) is %q, not a number (| %s)", name, v, filter)
		}
		return t, nil
	case "int":
		t := strings.TrimSpace(v)
		if _, err := strconv.ParseInt(t, 10, 64); err == nil {
			return t, nil
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return "", fmt.Errorf("env_var(%q) is %q, not a number (| int)", name, v)
		}
		return strconv.FormatInt(int64(f), 10), nil
	case "":
		return "", fmt.Errorf("missing filter name after | in {{ env_var(%q) }}", name)
	}
	return "", fmt.Errorf("unsupported filter %q on env_var(%q): use as_number, int, float, as_text, as_bool or string", filter, name)
}

// take consumes tok after optional spaces.
func (e *envExpr) take(tok string) bool {
	rest := strings.TrimLeft(e.s, " \t")
	if !strings.HasPrefix(rest, tok) {
		return false
	}
	e.s = rest[len(tok):]
	return true
}

// ident consumes an identifier after optional spaces ("" if none).
func (e *envExpr) ident() string {
	e.s = strings.TrimLeft(e.s, " \t")
	n := 0
	for n < len(e.s) && (e.s[n] == '_' || e.s[n] >= 'a' && e.s[n] <= 'z' || e.s[n] >= 'A' && e.s[n] <= 'Z' || n > 0 && e.s[n] >= '0' && e.s[n] <= '9') {
		n++
	}
	id := e.s[:n]
	e.s = e.s[n:]
	return id
}

// literal consumes a quoted string or a number, returning its text.
func (e *envExpr) literal() (string, bool) {
	e.s = strings.TrimLeft(e.s, " \t")
	if e.s == "" {
		return "", false
	}
	if q := e.s[0]; q == '\'' || q == '"' {
		var b strings.Builder
		for i := 1; i < len(e.s); i++ {
			switch c := e.s[i]; {
			case c == q:
				e.s = e.s[i+1:]
				return b.String(), true
			case c == '\\' && i+1 < len(e.s):
				i++
				b.WriteByte(unescape(e.s[i]))
			default:
				b.WriteByte(c)
			}
		}
		return "", false
	}
	n := 0
	for n < len(e.s) && strings.IndexByte("+-.0123456789eE", e.s[n]) >= 0 {
		n++
	}
	if _, err := strconv.ParseFloat(e.s[:n], 64); n == 0 || err != nil {
		return "", false
	}
	lit := e.s[:n]
	e.s = e.s[n:]
	return lit, true
}

// unescape maps the character after a backslash in a Jinja string.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	}
	return c
}
