package jinja

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// test is a Jinja test, used as "x is name(args)".
type test func(v any, args []any) (bool, error)

var tests map[string]test

// testExists tells whether the translation may emit the test.
func testExists(name string) bool {
	_, ok := tests[name]
	return ok
}

func applyTest(name string, v any, args []any) (any, error) {
	t, ok := tests[name]
	if !ok {
		return nil, fmt.Errorf("unknown test %q", name)
	}
	ok, err := t(v, args)
	if err != nil {
		return nil, fmt.Errorf("test %s: %w", name, err)
	}
	return ok, nil
}

// is adapts a test without arguments.
func is(f func(v any) bool) test {
	return func(v any, args []any) (bool, error) {
		if len(args) > 0 {
			return false, errors.New("takes no arguments")
		}
		return f(v), nil
	}
}

// isWith adapts a test with one argument.
func isWith(f func(v, other any) (bool, error)) test {
	return func(v any, args []any) (bool, error) {
		a, err := bind([]string{"other"}, []any{required}, args)
		if err != nil {
			return false, err
		}
		return f(v, a[0])
	}
}

func comparisonTest(op string) test {
	return isWith(func(v, other any) (bool, error) { return compare(v, op, other) })
}

func init() {
	tests = map[string]test{
		"defined":   is(func(v any) bool { return v != nil }),
		"undefined": is(func(v any) bool { return v == nil }),
		"none":      is(func(v any) bool { _, ok := v.(NoneType); return ok }),
		"boolean":   is(func(v any) bool { _, ok := v.(bool); return ok }),
		"true":      is(func(v any) bool { b, ok := v.(bool); return ok && b }),
		"false":     is(func(v any) bool { b, ok := v.(bool); return ok && !b }),
		"string":    is(func(v any) bool { _, ok := v.(string); return ok }),
		"number":    is(func(v any) bool { _, ok := toNumber(v); return ok }),
		"integer": is(func(v any) bool {
			n, ok := toNumber(v)
			_, isBool := v.(bool)
			return ok && n.isInt && !isBool
		}),
		"float":    is(func(v any) bool { n, ok := toNumber(v); return ok && !n.isInt }),
		"mapping":  is(func(v any) bool { _, ok := mappingKeys(v); return ok }),
		"iterable": is(func(v any) bool { _, err := iterate(v); return err == nil }),
		"sequence": is(func(v any) bool {
			_, isSeq := sequenceItems(v)
			_, isMap := mappingKeys(v)
			_, isStr := v.(string)
			return v == nil || isSeq || isMap || isStr
		}),
		"callable": is(func(v any) bool { return v != nil && reflect.ValueOf(v).Kind() == reflect.Func }),
		"sameas":   isWith(func(v, other any) (bool, error) { return sameAs(v, other), nil }),
		"even":     parity(0),
		"odd":      parity(1),
		"divisibleby": isWith(func(v, other any) (bool, error) {
			r, err := mod(v, other)
			return err == nil && equal(r, 0), err
		}),
		"lower":  is(func(v any) bool { s := strValue(v); return hasCased(s) && s == strings.ToLower(s) }),
		"upper":  is(func(v any) bool { s := strValue(v); return hasCased(s) && s == strings.ToUpper(s) }),
		"in":     isWith(func(v, seq any) (bool, error) { return contains(seq, v) }),
		"filter": is(func(v any) bool { s, ok := v.(string); return ok && filterExists(s) }),
		"test":   is(func(v any) bool { s, ok := v.(string); return ok && testExists(s) }),
	}
	for op, names := range map[string][]string{
		"==": {"eq", "equalto", "=="}, "!=": {"ne", "!="}, "<": {"lt", "lessthan", "<"},
		"<=": {"le", "<="}, ">": {"gt", "greaterthan", ">"}, ">=": {"ge", ">="},
	} {
		for _, name := range names {
			tests[name] = comparisonTest(op)
		}
	}
}

// parity returns the test "value % 2 == want".
func parity(want int) test {
	return func(v any, args []any) (bool, error) {
		if len(args) > 0 {
			return false, errors.New("takes no arguments")
		}
		r, err := mod(v, 2)
		return err == nil && equal(r, want), err
	}
}

// sameAs is Python's "is" for the values templates hold.
func sameAs(a, b any) bool {
	switch x := a.(type) {
	case *List, *Dict, *Namespace:
		return a == b
	case nil, NoneType, bool, string:
		return a == b
	default:
		if _, ok := toNumber(x); ok {
			return reflect.TypeOf(a) == reflect.TypeOf(b) && equal(a, b)
		}
		// Go slices and maps from the context are the same object when
		// they share their storage.
		ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
		if ra.Type() != rb.Type() {
			return false
		}
		switch ra.Kind() {
		case reflect.Slice:
			return ra.Pointer() == rb.Pointer() && ra.Len() == rb.Len()
		case reflect.Map, reflect.Pointer:
			return ra.Pointer() == rb.Pointer()
		}
	}
	return false
}

// attributeParts splits a dotted attribute path; digit parts are indexes.
func attributeParts(attr any) []any {
	if n, ok := toNumber(attr); ok && n.isInt {
		return []any{int(n.i)}
	}
	var parts []any
	for _, p := range strings.Split(strValue(attr), ".") {
		if i, err := strconv.Atoi(p); err == nil {
			parts = append(parts, i)
		} else {
			parts = append(parts, p)
		}
	}
	return parts
}

// mapAttribute reads the attribute (path) attr of every item; undefined
// results become def unless def is absent.
func mapAttribute(items []any, attr, def any, lower bool) ([]any, error) {
	parts := attributeParts(attr)
	out := make([]any, len(items))
	for i, it := range items {
		x := it
		for _, p := range parts {
			var err error
			if x, err = getitem(x, p); err != nil {
				return nil, err
			}
		}
		if x == nil && def != absent {
			x = def
		}
		out[i] = foldCase(x, !lower)
	}
	return out, nil
}

// mapFilter is map(attribute="x", default=d) or map("filter", args...).
func mapFilter(v any, args []any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	var out []any
	if len(args) == 0 || isKwarg(args[0]) {
		a, err := bind([]string{"attribute", "default"}, []any{required, None}, args)
		if err != nil {
			return nil, err
		}
		def := a[1]
		if _, none := def.(NoneType); none {
			def = absent
		}
		out, err = mapAttribute(items, a[0], def, false)
		if err != nil {
			return nil, err
		}
	} else {
		name := strValue(args[0])
		out = make([]any, len(items))
		for i, it := range items {
			if out[i], err = applyFilter(name, it, args[1:]); err != nil {
				return nil, err
			}
		}
	}
	l := List(out)
	return &l, nil
}

func isKwarg(v any) bool {
	_, ok := v.(Kwarg)
	return ok
}

// selectFilter returns select, reject, selectattr or rejectattr: keep the
// items for which the test (truthiness without one) is keep.
func selectFilter(byAttr, keep bool) filter {
	return func(v any, args []any) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		subjects := items
		if byAttr {
			if len(args) == 0 || isKwarg(args[0]) {
				return nil, errors.New("missing parameter for attribute name")
			}
			if subjects, err = mapAttribute(items, args[0], absent, false); err != nil {
				return nil, err
			}
			args = args[1:]
		}
		out := List{}
		for i, it := range items {
			ok := truthy(subjects[i])
			if len(args) > 0 {
				name := strValue(args[0])
				if !testExists(name) {
					return nil, fmt.Errorf("unknown test %q", name)
				}
				res, err := applyTest(name, subjects[i], args[1:])
				if err != nil {
					return nil, err
				}
				ok = res.(bool)
			}
			if ok == keep {
				out = append(out, it)
			}
		}
		return &out, nil
	}
}
