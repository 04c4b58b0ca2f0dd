package jinja

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/flosch/pongo2/v6"
)

// List is a Jinja list. Templates hold lists as *List, so that
// {% do xs.append(x) %} mutates the list every holder sees.
type List []any

// Tuple is a Jinja tuple: an immutable sequence.
type Tuple []any

// NoneType is the type of Jinja's none. An undefined name is a nil value,
// which is distinct from None: `x is defined` is true for None.
type NoneType struct{}

// None is Jinja's none (also spelled None).
var None = NoneType{}

// String renders None the way Jinja prints it.
func (NoneType) String() string { return "None" }

// String renders the list the way Jinja prints it: ['a', 1].
func (l *List) String() string { return reprValue(l) }

// String renders the tuple the way Jinja prints it: ('a', 1).
func (t Tuple) String() string { return reprValue(t) }

// Dict is a Jinja dict. Its keys keep their insertion order, like Python's.
type Dict struct {
	entries []dictEntry
	index   map[any]int
}

type dictEntry struct {
	key, value any
}

// NewDict returns an empty dict.
func NewDict() *Dict {
	return &Dict{index: map[any]int{}}
}

// Len is the number of keys.
func (d *Dict) Len() int { return len(d.entries) }

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []any {
	keys := make([]any, len(d.entries))
	for i, e := range d.entries {
		keys[i] = e.key
	}
	return keys
}

// Get returns the value stored under key.
func (d *Dict) Get(key any) (any, bool) {
	hk, err := hashKey(key)
	if err != nil {
		return nil, false
	}
	i, ok := d.index[hk]
	if !ok {
		return nil, false
	}
	return d.entries[i].value, true
}

// Set stores value under key; it fails for unhashable keys (lists, dicts).
func (d *Dict) Set(key, value any) error {
	hk, err := hashKey(key)
	if err != nil {
		return err
	}
	if i, ok := d.index[hk]; ok {
		d.entries[i].value = value
		return nil
	}
	d.index[hk] = len(d.entries)
	d.entries = append(d.entries, dictEntry{key: key, value: value})
	return nil
}

// remove deletes key and reports whether it was present.
func (d *Dict) remove(key any) (any, bool) {
	hk, err := hashKey(key)
	if err != nil {
		return nil, false
	}
	i, ok := d.index[hk]
	if !ok {
		return nil, false
	}
	value := d.entries[i].value
	d.entries = append(d.entries[:i], d.entries[i+1:]...)
	delete(d.index, hk)
	for j := i; j < len(d.entries); j++ {
		k, _ := hashKey(d.entries[j].key)
		d.index[k] = j
	}
	return value, true
}

// String renders the dict the way Jinja prints it: {'a': 1}.
func (d *Dict) String() string { return reprValue(d) }

// Namespace is the object made by namespace(...): the one value whose
// attributes {% set ns.attr = value %} may assign, also from inside loops.
type Namespace struct {
	attrs *Dict
}

// String renders the namespace the way Jinja prints it.
func (n *Namespace) String() string { return "<Namespace " + reprValue(n.attrs) + ">" }

// Kwarg is a keyword argument value passed to a function: the translation
// turns f(a, k=v) into f(a, __.kw("k", v)).
type Kwarg struct {
	Name  string
	Value *pongo2.Value
}

// dictView is what dict.keys(), .values() and .items() return.
type dictView struct {
	kind  string
	items []any
}

func (v dictView) String() string {
	return "dict_" + v.kind + "(" + reprValue(List(v.items)) + ")"
}

// SplitArgs separates positional arguments and keyword arguments of a call
// received by a Go function.
func SplitArgs(args []*pongo2.Value) (positional []*pongo2.Value, kwargs map[string]*pongo2.Value) {
	for _, a := range args {
		if kw, ok := a.Interface().(Kwarg); ok {
			if kwargs == nil {
				kwargs = map[string]*pongo2.Value{}
			}
			kwargs[kw.Name] = kw.Value
			continue
		}
		positional = append(positional, a)
	}
	return positional, kwargs
}

// maxNesting bounds the recursion into nested lists and dicts, which a
// template can make contain themselves ({% do xs.append(xs) %}).
const maxNesting = 100

// ToGo converts a template value into plain Go data: lists and tuples
// become []any, dicts become map[string]any (non-string keys formatted with
// Jinja's str), None becomes nil, and *pongo2.Value is unwrapped. Other
// values are returned unchanged; containers nested deeper than 100 levels
// (a list that contains itself) become nil.
func ToGo(v any) any {
	return toGo(v, 0)
}

func toGo(v any, depth int) any {
	if depth > maxNesting {
		return nil
	}
	switch x := unwrap(v).(type) {
	case NoneType:
		return nil
	case *List:
		return sliceToGo(*x, depth)
	case Tuple:
		return sliceToGo(x, depth)
	case dictView:
		return sliceToGo(x.items, depth)
	case *Dict:
		m := make(map[string]any, x.Len())
		for _, e := range x.entries {
			m[strValue(e.key)] = toGo(e.value, depth+1)
		}
		return m
	case *Namespace:
		return toGo(x.attrs, depth)
	default:
		return x
	}
}

func sliceToGo(items []any, depth int) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = toGo(it, depth+1)
	}
	return out
}

// unwrap turns a *pongo2.Value into the Go value it holds.
func unwrap(v any) any {
	for {
		pv, ok := v.(*pongo2.Value)
		if !ok {
			return v
		}
		if pv == nil {
			return nil
		}
		v = pv.Interface()
	}
}

// hashKey returns the map key a dict uses for k, so that 1, 1.0 and True
// find the same entry as in Python.
func hashKey(k any) (any, error) {
	switch x := unwrap(k).(type) {
	case nil, NoneType, string:
		return x, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case *List, *Dict, dictView:
		return nil, fmt.Errorf("unhashable type: '%s'", typeName(x))
	case Tuple:
		parts := make([]string, len(x))
		for i, it := range x {
			hk, err := hashKey(it)
			if err != nil {
				return nil, err
			}
			parts[i] = fmt.Sprintf("%T:%v", hk, hk)
		}
		return "\x00tuple:" + strings.Join(parts, "\x00"), nil
	default:
		if n, ok := toNumber(x); ok {
			if !n.isInt && n.f == math.Trunc(n.f) && math.Abs(n.f) < 1<<62 {
				return int64(n.f), nil
			}
			if n.isInt {
				return n.i, nil
			}
			return n.f, nil
		}
		rv := reflect.ValueOf(x)
		if rv.IsValid() && rv.Type().Comparable() && rv.Kind() != reflect.Slice && rv.Kind() != reflect.Map {
			return x, nil
		}
		return nil, fmt.Errorf("unhashable type: '%s'", typeName(x))
	}
}

// number is a Jinja int (isInt) or float.
type number struct {
	isInt bool
	i     int64
	f     float64
}

func (n number) float() float64 {
	if n.isInt {
		return float64(n.i)
	}
	return n.f
}

func (n number) value() any {
	if n.isInt {
		return int(n.i)
	}
	return n.f
}

// toNumber reads Go numbers and booleans (Python's bool is an int).
func toNumber(v any) (number, bool) {
	switch x := v.(type) {
	case int:
		return number{isInt: true, i: int64(x)}, true
	case int64:
		return number{isInt: true, i: x}, true
	case float64:
		return number{f: x}, true
	case bool:
		if x {
			return number{isInt: true, i: 1}, true
		}
		return number{isInt: true}, true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return number{isInt: true, i: rv.Int()}, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return number{isInt: true, i: int64(rv.Uint())}, true
	case reflect.Float32, reflect.Float64:
		return number{f: rv.Float()}, true
	}
	return number{}, false
}

// truthy is Python truthiness.
func truthy(v any) bool {
	switch x := unwrap(v).(type) {
	case nil, NoneType:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case *List:
		return len(*x) > 0
	case Tuple:
		return len(x) > 0
	case *Dict:
		return x.Len() > 0
	case dictView:
		return len(x.items) > 0
	default:
		if n, ok := toNumber(x); ok {
			return n.float() != 0
		}
		rv := reflect.ValueOf(x)
		switch rv.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			return rv.Len() > 0
		case reflect.Ptr, reflect.Interface, reflect.Func:
			return !rv.IsNil()
		}
		return true
	}
}

// typeName is the Python type name used in error messages.
func typeName(v any) string {
	switch x := unwrap(v).(type) {
	case nil:
		return "Undefined"
	case NoneType:
		return "NoneType"
	case bool:
		return "bool"
	case string:
		return "str"
	case *List:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case *Namespace:
		return "Namespace"
	case dictView:
		return "dict_" + x.kind
	case Kwarg:
		return "keyword argument"
	}
	if n, ok := toNumber(unwrap(v)); ok {
		if n.isInt {
			return "int"
		}
		return "float"
	}
	rv := reflect.ValueOf(unwrap(v))
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map:
		return "dict"
	case reflect.Func:
		return "function"
	}
	return rv.Type().String()
}

// strValue is Python's str(): what {{ v }} and ~ render.
func strValue(v any) string {
	switch x := unwrap(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatFloat(x)
	case NoneType:
		return "None"
	case *Namespace:
		return x.String()
	case dictView:
		return x.String()
	case *List, Tuple, *Dict:
		return reprValue(x)
	case fmt.Stringer:
		return x.String()
	default:
		if n, ok := toNumber(x); ok {
			if n.isInt {
				return strconv.FormatInt(n.i, 10)
			}
			return formatFloat(n.f)
		}
		rv := reflect.ValueOf(x)
		switch rv.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			return reprValue(x)
		}
		return fmt.Sprint(x)
	}
}

// formatFloat is Python's repr of a float: shortest round-trip digits,
// always with a fraction or an exponent.
func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expPart, _ := strings.Cut(sci, "e")
	exp, _ := strconv.Atoi(expPart)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		digits := strconv.Itoa(exp)
		if len(digits) < 2 {
			digits = "0" + digits
		}
		return mant + "e" + sign + digits
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// reprValue is Python's repr().
func reprValue(v any) string {
	var b strings.Builder
	writeRepr(&b, v, nil)
	return b.String()
}

// writeRepr writes the repr of v; path holds the lists and dicts being
// written, so that one containing itself is written [...] as in Python.
func writeRepr(b *strings.Builder, v any, path []any) {
	v = unwrap(v)
	switch v.(type) {
	case *List, *Dict:
		for _, o := range path {
			if o == v {
				if _, ok := v.(*List); ok {
					b.WriteString("[...]")
				} else {
					b.WriteString("{...}")
				}
				return
			}
		}
		path = append(path, v)
	}
	if len(path) > maxNesting {
		b.WriteString("...")
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("Undefined")
	case string:
		b.WriteString(reprString(x))
	case *List:
		writeSeq(b, "[", "]", *x, false, path)
	case Tuple:
		writeSeq(b, "(", ")", x, len(x) == 1, append(path, nil))
	case *Dict:
		b.WriteByte('{')
		for i, e := range x.entries {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e.key, path)
			b.WriteString(": ")
			writeRepr(b, e.value, path)
		}
		b.WriteByte('}')
	case NoneType, *Namespace, dictView, bool:
		b.WriteString(strValue(x))
	default:
		rv := reflect.ValueOf(x)
		switch rv.Kind() {
		case reflect.Slice, reflect.Array:
			items := make([]any, rv.Len())
			for i := range items {
				items[i] = rv.Index(i).Interface()
			}
			writeSeq(b, "[", "]", items, false, append(path, nil))
		case reflect.Map:
			keys := sortedMapKeys(rv)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteString(", ")
				}
				writeRepr(b, k.Interface(), path)
				b.WriteString(": ")
				writeRepr(b, rv.MapIndex(k).Interface(), append(path, nil))
			}
			b.WriteByte('}')
		default:
			b.WriteString(strValue(x))
		}
	}
}

func writeSeq(b *strings.Builder, opening, closing string, items []any, trailingComma bool, path []any) {
	b.WriteString(opening)
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(b, it, path)
	}
	if trailingComma {
		b.WriteByte(',')
	}
	b.WriteString(closing)
}

// reprString quotes s the way Python's repr does.
func reprString(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			switch {
			case r < 0x100:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// sortedMapKeys orders the keys of a Go map, which has no order of its own.
func sortedMapKeys(rv reflect.Value) []reflect.Value {
	keys := rv.MapKeys()
	sort.Slice(keys, func(i, j int) bool {
		return strValue(keys[i].Interface()) < strValue(keys[j].Interface())
	})
	return keys
}
