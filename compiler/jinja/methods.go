package jinja

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// method is a Python method of a template value.
type method func(recv any, args []any) (any, error)

// lookupMethod finds the Python method name of the value's type.
func lookupMethod(recv any, name string) (method, bool) {
	var m method
	switch recv.(type) {
	case string:
		m = stringMethods[name]
	case *List:
		m = listMethods[name]
	case *Dict:
		m = dictMethods[name]
	default:
		if _, ok := sequenceItems(recv); ok {
			m = sequenceMethods[name]
		} else if _, ok := mappingKeys(recv); ok {
			m = mappingMethods[name]
		}
	}
	return m, m != nil
}

func isPySpace(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f }

// strMethod adapts a string method with bound parameters.
func strMethod(names []string, defaults []any, f func(s string, a []any) (any, error)) method {
	return func(recv any, args []any) (any, error) {
		a, err := bind(names, defaults, args)
		if err != nil {
			return nil, err
		}
		return f(recv.(string), a)
	}
}

var stringMethods map[string]method

func init() {
	noArgs := func(f func(string) any) method {
		return strMethod(nil, nil, func(s string, _ []any) (any, error) { return f(s), nil })
	}
	strip := func(trim func(string, func(rune) bool) string) method {
		return strMethod([]string{"chars"}, []any{nil}, func(s string, a []any) (any, error) {
			set, err := stripSet(a[0])
			if err != nil {
				return nil, err
			}
			return trim(s, set), nil
		})
	}
	affix := func(has func(string, string) bool) method {
		return strMethod([]string{"prefix"}, []any{required}, func(s string, a []any) (any, error) {
			return matchAffix(s, a[0], has)
		})
	}
	stringMethods = map[string]method{
		"upper":      noArgs(func(s string) any { return strings.ToUpper(s) }),
		"lower":      noArgs(func(s string) any { return strings.ToLower(s) }),
		"title":      noArgs(func(s string) any { return pyTitle(s) }),
		"capitalize": noArgs(func(s string) any { return capitalize(s) }),
		"isdigit": noArgs(func(s string) any {
			return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
		}),
		"isalpha": noArgs(func(s string) any {
			return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
		}),
		"isalnum": noArgs(func(s string) any {
			return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0
		}),
		"isspace": noArgs(func(s string) any {
			return s != "" && strings.IndexFunc(s, func(r rune) bool { return !isPySpace(r) }) < 0
		}),
		"islower":    noArgs(func(s string) any { return hasCased(s) && s == strings.ToLower(s) }),
		"isupper":    noArgs(func(s string) any { return hasCased(s) && s == strings.ToUpper(s) }),
		"strip":      strip(strings.TrimFunc),
		"lstrip":     strip(strings.TrimLeftFunc),
		"rstrip":     strip(strings.TrimRightFunc),
		"startswith": affix(strings.HasPrefix),
		"endswith":   affix(strings.HasSuffix),
		"split": strMethod([]string{"sep", "maxsplit"}, []any{nil, -1}, func(s string, a []any) (any, error) {
			return pySplit(s, a[0], a[1])
		}),
		"replace": strMethod([]string{"old", "new", "count"}, []any{required, required, -1}, func(s string, a []any) (any, error) {
			return replace(s, a[0], a[1], a[2])
		}),
		"removeprefix": strMethod([]string{"prefix"}, []any{required}, func(s string, a []any) (any, error) {
			p, err := argString(a[0], "prefix")
			return strings.TrimPrefix(s, p), err
		}),
		"removesuffix": strMethod([]string{"suffix"}, []any{required}, func(s string, a []any) (any, error) {
			p, err := argString(a[0], "suffix")
			return strings.TrimSuffix(s, p), err
		}),
		"find": strMethod([]string{"sub"}, []any{required}, func(s string, a []any) (any, error) {
			sub, err := argString(a[0], "sub")
			if err != nil {
				return nil, err
			}
			i := strings.Index(s, sub)
			if i < 0 {
				return -1, nil
			}
			return len([]rune(s[:i])), nil
		}),
		"count": strMethod([]string{"sub"}, []any{required}, func(s string, a []any) (any, error) {
			sub, err := argString(a[0], "sub")
			return strings.Count(s, sub), err
		}),
		"join": strMethod([]string{"iterable"}, []any{required}, func(s string, a []any) (any, error) {
			items, err := iterate(a[0])
			if err != nil {
				return nil, err
			}
			parts := make([]string, len(items))
			for i, it := range items {
				if parts[i], err = argString(it, fmt.Sprintf("sequence item %d", i)); err != nil {
					return nil, err
				}
			}
			return strings.Join(parts, s), nil
		}),
		"format": func(recv any, args []any) (any, error) {
			return braceFormat(recv.(string), args)
		},
	}
}

func hasCased(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) }) >= 0
}

// matchAffix is startswith/endswith with a string or a tuple of strings.
func matchAffix(s string, affix any, has func(string, string) bool) (any, error) {
	if t, ok := affix.(Tuple); ok {
		for _, it := range t {
			p, err := argString(it, "tuple item")
			if err != nil {
				return nil, err
			}
			if has(s, p) {
				return true, nil
			}
		}
		return false, nil
	}
	p, err := argString(affix, "prefix")
	return has(s, p), err
}

// pyTitle is Python's str.title: a letter after a non-letter is upper case.
func pyTitle(s string) string {
	var b strings.Builder
	prevLetter := false
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r):
			b.WriteRune(r)
			prevLetter = false
		case prevLetter:
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(unicode.ToTitle(r))
			prevLetter = true
		}
	}
	return b.String()
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToTitle(r)) + strings.ToLower(s[i+len(string(r)):])
	}
	return s
}

// pySplit is Python's str.split.
func pySplit(s string, sepArg, maxArg any) (any, error) {
	maxsplit, err := argInt(maxArg, "maxsplit")
	if err != nil {
		return nil, err
	}
	var parts []string
	if sepArg = noneToNil(sepArg); sepArg == nil {
		parts = splitWhitespace(s, maxsplit)
	} else {
		sep, err := argString(sepArg, "sep")
		if err != nil {
			return nil, err
		}
		if sep == "" {
			return nil, errors.New("empty separator")
		}
		n := -1
		if maxsplit >= 0 {
			n = maxsplit + 1
		}
		parts = strings.SplitN(s, sep, n)
	}
	out := make(List, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return &out, nil
}

// splitWhitespace splits at runs of whitespace, at most maxsplit times.
func splitWhitespace(s string, maxsplit int) []string {
	var parts []string
	for {
		s = strings.TrimLeftFunc(s, isPySpace)
		if s == "" {
			return parts
		}
		if maxsplit >= 0 && len(parts) == maxsplit {
			return append(parts, s)
		}
		end := strings.IndexFunc(s, isPySpace)
		if end < 0 {
			return append(parts, s)
		}
		parts = append(parts, s[:end])
		s = s[end:]
	}
}

func replace(s string, oldArg, newArg, countArg any) (any, error) {
	old, err := argString(oldArg, "old")
	if err != nil {
		return nil, err
	}
	repl, err := argString(newArg, "new")
	if err != nil {
		return nil, err
	}
	count := -1
	if countArg = noneToNil(countArg); countArg != nil {
		if count, err = argInt(countArg, "count"); err != nil {
			return nil, err
		}
	}
	return strings.Replace(s, old, repl, count), nil
}

var listMethods, sequenceMethods, dictMethods, mappingMethods map[string]method

func init() {
	sequenceMethods = map[string]method{
		"index": func(recv any, args []any) (any, error) {
			a, err := bind([]string{"value"}, []any{required}, args)
			if err != nil {
				return nil, err
			}
			items, _ := sequenceItems(recv)
			for i, it := range items {
				if equal(it, a[0]) {
					return i, nil
				}
			}
			return nil, fmt.Errorf("%s is not in list", reprValue(a[0]))
		},
		"count": func(recv any, args []any) (any, error) {
			a, err := bind([]string{"value"}, []any{required}, args)
			if err != nil {
				return nil, err
			}
			items, _ := sequenceItems(recv)
			n := 0
			for _, it := range items {
				if equal(it, a[0]) {
					n++
				}
			}
			return n, nil
		},
	}
	listMethods = map[string]method{
		"index": sequenceMethods["index"],
		"count": sequenceMethods["count"],
		"append": listMethod([]string{"object"}, []any{required}, func(l *List, a []any) (any, error) {
			*l = append(*l, a[0])
			return None, nil
		}),
		"extend": listMethod([]string{"iterable"}, []any{required}, func(l *List, a []any) (any, error) {
			items, err := iterate(a[0])
			*l = append(*l, items...)
			return None, err
		}),
		"insert": listMethod([]string{"index", "object"}, []any{required, required}, func(l *List, a []any) (any, error) {
			i, err := argInt(a[0], "index")
			if err != nil {
				return nil, err
			}
			if i < 0 {
				i = max(i+len(*l), 0)
			}
			i = min(i, len(*l))
			*l = append((*l)[:i], append(List{a[1]}, (*l)[i:]...)...)
			return None, nil
		}),
		"pop": listMethod([]string{"index"}, []any{-1}, func(l *List, a []any) (any, error) {
			i, err := argInt(a[0], "index")
			if err != nil {
				return nil, err
			}
			j, ok := index(i, len(*l))
			if !ok {
				return nil, errors.New("pop index out of range")
			}
			v := (*l)[j]
			*l = append((*l)[:j], (*l)[j+1:]...)
			return v, nil
		}),
		"remove": listMethod([]string{"value"}, []any{required}, func(l *List, a []any) (any, error) {
			for i, it := range *l {
				if equal(it, a[0]) {
					*l = append((*l)[:i], (*l)[i+1:]...)
					return None, nil
				}
			}
			return nil, fmt.Errorf("%s is not in list", reprValue(a[0]))
		}),
		"reverse": listMethod(nil, nil, func(l *List, _ []any) (any, error) {
			for i, j := 0, len(*l)-1; i < j; i, j = i+1, j-1 {
				(*l)[i], (*l)[j] = (*l)[j], (*l)[i]
			}
			return None, nil
		}),
		"clear": listMethod(nil, nil, func(l *List, _ []any) (any, error) {
			*l = (*l)[:0]
			return None, nil
		}),
		"copy": listMethod(nil, nil, func(l *List, _ []any) (any, error) {
			c := append(List{}, *l...)
			return &c, nil
		}),
	}
	mappingMethods = map[string]method{
		"keys":   mapMethod(nil, nil, func(m any, _ []any) (any, error) { return view(m, "keys"), nil }),
		"values": mapMethod(nil, nil, func(m any, _ []any) (any, error) { return view(m, "values"), nil }),
		"items":  mapMethod(nil, nil, func(m any, _ []any) (any, error) { return view(m, "items"), nil }),
		"get": mapMethod([]string{"key", "default"}, []any{required, None}, func(m any, a []any) (any, error) {
			if v, ok := mappingGet(m, a[0]); ok {
				return v, nil
			}
			return a[1], nil
		}),
	}
	dictMethods = map[string]method{
		"update":     dictUpdate,
		"pop":        dictMethod([]string{"key", "default"}, []any{required, absent}, dictPop),
		"setdefault": dictMethod([]string{"key", "default"}, []any{required, None}, dictSetDefault),
		"copy": dictMethod(nil, nil, func(d *Dict, _ []any) (any, error) {
			c := NewDict()
			for _, e := range d.entries {
				_ = c.Set(e.key, e.value)
			}
			return c, nil
		}),
	}
	for name, m := range mappingMethods {
		dictMethods[name] = m
	}
}

func listMethod(names []string, defaults []any, f func(*List, []any) (any, error)) method {
	return func(recv any, args []any) (any, error) {
		a, err := bind(names, defaults, args)
		if err != nil {
			return nil, err
		}
		return f(recv.(*List), a)
	}
}

func mapMethod(names []string, defaults []any, f func(any, []any) (any, error)) method {
	return func(recv any, args []any) (any, error) {
		a, err := bind(names, defaults, args)
		if err != nil {
			return nil, err
		}
		return f(recv, a)
	}
}

func dictMethod(names []string, defaults []any, f func(*Dict, []any) (any, error)) method {
	return mapMethod(names, defaults, func(m any, a []any) (any, error) { return f(m.(*Dict), a) })
}

// view builds the keys, values or items view of a dict or Go map.
func view(m any, kind string) dictView {
	keys, _ := mappingKeys(m)
	items := make([]any, len(keys))
	for i, k := range keys {
		v, _ := mappingGet(m, k)
		switch kind {
		case "keys":
			items[i] = k
		case "values":
			items[i] = v
		default:
			items[i] = Tuple{k, v}
		}
	}
	return dictView{kind: kind, items: items}
}

func dictUpdate(recv any, args []any) (any, error) {
	d := recv.(*Dict)
	positional := 0
	for _, a := range args {
		if kw, ok := a.(Kwarg); ok {
			if err := d.Set(kw.Name, unwrap(kw.Value)); err != nil {
				return nil, err
			}
			continue
		}
		if positional++; positional > 1 {
			return nil, errors.New("update expected at most 1 positional argument")
		}
		if keys, ok := mappingKeys(a); ok {
			for _, k := range keys {
				v, _ := mappingGet(a, k)
				if err := d.Set(k, v); err != nil {
					return nil, err
				}
			}
		} else if err := updateFromPairs(d, a); err != nil {
			return nil, err
		}
	}
	return None, nil
}

func updateFromPairs(d *Dict, pairs any) error {
	items, err := iterate(pairs)
	if err != nil {
		return err
	}
	for _, it := range items {
		kv, ok := sequenceItems(it)
		if !ok || len(kv) != 2 {
			return errors.New("dictionary update sequence element has the wrong length; 2 is required")
		}
		if err := d.Set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

func dictPop(d *Dict, a []any) (any, error) {
	if v, ok := d.remove(a[0]); ok {
		return v, nil
	}
	if a[1] == absent {
		return nil, fmt.Errorf("key %s not found", reprValue(a[0]))
	}
	return a[1], nil
}

func dictSetDefault(d *Dict, a []any) (any, error) {
	if v, ok := d.Get(a[0]); ok {
		return v, nil
	}
	return a[1], d.Set(a[0], a[1])
}
