package jinja

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// formatFilter is Jinja's format: value % args, or value % kwargs.
func formatFilter(v any, args []any) (any, error) {
	var pos List
	kw := NewDict()
	for _, a := range args {
		if k, ok := a.(Kwarg); ok {
			if err := kw.Set(k.Name, unwrap(k.Value)); err != nil {
				return nil, err
			}
			continue
		}
		pos = append(pos, a)
	}
	switch {
	case len(pos) > 0 && kw.Len() > 0:
		return nil, errors.New("can't handle positional and keyword arguments at the same time")
	case kw.Len() > 0:
		return percentFormat(strValue(v), kw)
	}
	return percentFormat(strValue(v), Tuple(pos))
}

// percentFormat is Python's printf-style "format % args" for the
// conversions s, r, a, d, i, f, F, x, X, o, e, E, g, G and %.
func percentFormat(format string, arg any) (any, error) {
	args := []any{arg}
	if t, ok := arg.(Tuple); ok {
		args = t
	}
	_, byName := mappingKeys(arg)
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		spec, end, err := scanPercentSpec(format, i+1)
		if err != nil {
			return nil, err
		}
		i = end
		if spec.verb == '%' {
			b.WriteByte('%')
			continue
		}
		var value any
		switch {
		case spec.name != "":
			if !byName {
				return nil, errors.New("format requires a mapping")
			}
			v, ok := mappingGet(arg, spec.name)
			if !ok {
				return nil, fmt.Errorf("key %q not found", spec.name)
			}
			value = v
		case byName:
			value = arg
		case next < len(args):
			value = args[next]
			next++
		default:
			return nil, errors.New("not enough arguments for format string")
		}
		s, err := spec.apply(value)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	if !byName && next < len(args) {
		return nil, errors.New("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// percentSpec is one parsed %-conversion.
type percentSpec struct {
	name      string
	flags     string
	width     string
	precision string // with its leading "." when present
	verb      byte
}

func scanPercentSpec(f string, i int) (percentSpec, int, error) {
	var s percentSpec
	if i < len(f) && f[i] == '(' {
		end := strings.IndexByte(f[i:], ')')
		if end < 0 {
			return s, 0, errors.New("incomplete format key")
		}
		s.name, i = f[i+1:i+end], i+end+1
	}
	start := i
	for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
		i++
	}
	s.flags = f[start:i]
	start = i
	for i < len(f) && isDigit(f[i]) {
		i++
	}
	s.width = f[start:i]
	if i < len(f) && f[i] == '.' {
		start = i
		for i++; i < len(f) && isDigit(f[i]); i++ {
		}
		s.precision = f[start:i]
	}
	for i < len(f) && strings.IndexByte("hlL", f[i]) >= 0 {
		i++
	}
	if i >= len(f) {
		return s, 0, errors.New("incomplete format")
	}
	s.verb = f[i]
	return s, i, nil
}

func (s percentSpec) apply(v any) (string, error) {
	if tooWide(s.width) || tooWide(strings.TrimPrefix(s.precision, ".")) {
		return "", fmt.Errorf("format width or precision over %d", maxWidth)
	}
	pad := "%" + s.flags + s.width
	switch s.verb {
	case 's', 'r', 'a':
		text := strValue(v)
		if s.verb != 's' {
			text = reprValue(v)
		}
		return fmt.Sprintf(pad+s.precision+"s", text), nil
	}
	n, ok := toNumber(v)
	if !ok {
		return "", fmt.Errorf("%%%c format: a real number is required, not %s", s.verb, typeName(v))
	}
	switch s.verb {
	case 'd', 'i', 'u', 'x', 'X', 'o':
		i := n.i
		if !n.isInt {
			i = int64(n.f)
		}
		verb := string(s.verb)
		if verb == "i" || verb == "u" {
			verb = "d"
		}
		return fmt.Sprintf(pad+verb, i), nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		precision := s.precision
		if precision == "" {
			precision = ".6"
		}
		return fmt.Sprintf(pad+precision+string(s.verb), n.float()), nil
	}
	return "", fmt.Errorf("unsupported format character %q", s.verb)
}

// braceFormat is Python's str.format for plain fields: {}, {0}, {name},
// with the conversions !s and !r; format specs are not supported.
func braceFormat(format string, args []any) (any, error) {
	var pos []any
	named := map[string]any{}
	for _, a := range args {
		if k, ok := a.(Kwarg); ok {
			named[k.Name] = unwrap(k.Value)
		} else {
			pos = append(pos, a)
		}
	}
	var b strings.Builder
	auto := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '}' && i+1 < len(format) && format[i+1] == '}', c == '{' && i+1 < len(format) && format[i+1] == '{':
			b.WriteByte(c)
			i++
			continue
		case c == '}':
			return nil, errors.New("single '}' encountered in format string")
		case c != '{':
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(format[i:], '}')
		if end < 0 {
			return nil, errors.New("single '{' encountered in format string")
		}
		field := format[i+1 : i+end]
		i += end
		field, conversion, _ := strings.Cut(field, "!")
		if strings.ContainsAny(field, ":.[") || strings.ContainsRune(conversion, ':') {
			return nil, fmt.Errorf("format field {%s} is not supported", field)
		}
		var value any
		switch n, err := strconv.Atoi(field); {
		case field == "":
			if auto >= len(pos) {
				return nil, fmt.Errorf("replacement index %d out of range", auto)
			}
			value = pos[auto]
			auto++
		case err == nil:
			if n >= len(pos) {
				return nil, fmt.Errorf("replacement index %d out of range", n)
			}
			value = pos[n]
		default:
			v, ok := named[field]
			if !ok {
				return nil, fmt.Errorf("missing format argument %q", field)
			}
			value = v
		}
		if conversion == "r" {
			b.WriteString(reprValue(value))
		} else {
			b.WriteString(strValue(value))
		}
	}
	return b.String(), nil
}

// toJSON is Jinja's tojson: json.dumps with sorted keys, made safe for
// HTML by escaping <, >, & and '.
func toJSON(v any, a []any) (any, error) {
	indent := -1
	if n := noneToNil(a[0]); n != nil {
		i, err := argInt(n, "indent")
		if err != nil {
			return nil, err
		}
		indent = i
	}
	if indent > maxWidth {
		return nil, fmt.Errorf("tojson indent %d is too large", indent)
	}
	var b strings.Builder
	if err := writeJSON(&b, v, indent, 0); err != nil {
		return nil, err
	}
	r := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`)
	return r.Replace(b.String()), nil
}

func writeJSON(b *strings.Builder, v any, indent, level int) error {
	if level > maxNesting {
		return errors.New("circular reference detected")
	}
	v = unwrap(v)
	switch x := v.(type) {
	case nil:
		return errors.New("object of type Undefined is not JSON serializable")
	case NoneType:
		b.WriteString("null")
		return nil
	case bool:
		b.WriteString(strconv.FormatBool(x))
		return nil
	case string:
		writeJSONString(b, x)
		return nil
	}
	if n, ok := toNumber(v); ok {
		switch {
		case n.isInt:
			b.WriteString(strconv.FormatInt(n.i, 10))
		case math.IsNaN(n.f):
			b.WriteString("NaN")
		case math.IsInf(n.f, 1):
			b.WriteString("Infinity")
		case math.IsInf(n.f, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(formatFloat(n.f))
		}
		return nil
	}
	if items, ok := sequenceItems(v); ok {
		return writeJSONContainer(b, "[", "]", len(items), indent, level, func(i int) error {
			return writeJSON(b, items[i], indent, level+1)
		})
	}
	if keys, ok := mappingKeys(v); ok {
		if err := sortJSONKeys(keys); err != nil {
			return err
		}
		return writeJSONContainer(b, "{", "}", len(keys), indent, level, func(i int) error {
			k, err := jsonKey(keys[i])
			if err != nil {
				return err
			}
			writeJSONString(b, k)
			b.WriteString(": ")
			val, _ := mappingGet(v, keys[i])
			return writeJSON(b, val, indent, level+1)
		})
	}
	return fmt.Errorf("object of type %s is not JSON serializable", typeName(v))
}

func writeJSONContainer(b *strings.Builder, open, closing string, n, indent, level int, item func(int) error) error {
	b.WriteString(open)
	if n == 0 {
		b.WriteString(closing)
		return nil
	}
	sep := ", "
	if indent >= 0 {
		sep = ","
	}
	for i := range n {
		if i > 0 {
			b.WriteString(sep)
		}
		if indent >= 0 {
			b.WriteString("\n" + strings.Repeat(" ", indent*(level+1)))
		}
		if err := item(i); err != nil {
			return err
		}
	}
	if indent >= 0 {
		b.WriteString("\n" + strings.Repeat(" ", indent*level))
	}
	b.WriteString(closing)
	return nil
}

func sortJSONKeys(keys []any) error {
	var err error
	sort.SliceStable(keys, func(i, j int) bool {
		c, e := order(keys[i], keys[j], "<")
		if e != nil && err == nil {
			err = e
		}
		return c < 0
	})
	return err
}

// jsonKey converts a dict key the way json.dumps does.
func jsonKey(k any) (string, error) {
	switch x := k.(type) {
	case string:
		return x, nil
	case NoneType:
		return "null", nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	if _, ok := toNumber(k); ok {
		return strValue(k), nil
	}
	return "", fmt.Errorf("keys must be str, int, float, bool or None, not %s", typeName(k))
}

// writeJSONString writes s with json.dumps' ensure_ascii escaping.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r > 0x7e && r < 0x10000:
			fmt.Fprintf(b, `\u%04x`, r)
		case r >= 0x10000:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
