package jinja

import (
	"errors"
	"fmt"
	"reflect"
	"unicode"
	"unicode/utf8"
)

// Attributed is a Go value whose attributes are computed rather than read
// from fields, such as the relation ref() returns, whose schema is known
// only once every model's config is.
type Attributed interface {
	// Attr returns the attribute name, nil when there is none (undefined,
	// as in Jinja), or an error to report at the template's line.
	Attr(name string) (any, error)
}

// sequenceItems returns the items of lists, tuples and Go slices.
func sequenceItems(v any) ([]any, bool) {
	switch x := v.(type) {
	case *List:
		return *x, true
	case Tuple:
		return x, true
	case string, nil:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	items := make([]any, rv.Len())
	for i := range items {
		items[i] = rv.Index(i).Interface()
	}
	return items, true
}

// iterate is Python iteration: the items of a sequence, the characters of
// a string, the keys of a dict. Iterating an undefined value yields
// nothing, as in Jinja.
func iterate(v any) ([]any, error) {
	switch x := unwrap(v).(type) {
	case nil:
		return nil, nil
	case string:
		items := make([]any, 0, len(x))
		for _, r := range x {
			items = append(items, string(r))
		}
		return items, nil
	case *Dict:
		return x.Keys(), nil
	case dictView:
		return x.items, nil
	default:
		if items, ok := sequenceItems(x); ok {
			return items, nil
		}
		rv := reflect.ValueOf(x)
		if rv.Kind() == reflect.Map {
			keys := sortedMapKeys(rv)
			items := make([]any, len(keys))
			for i, k := range keys {
				items[i] = k.Interface()
			}
			return items, nil
		}
		return nil, fmt.Errorf("'%s' object is not iterable", typeName(x))
	}
}

// length is Python's len(); an undefined value has length 0.
func length(v any) (int, error) {
	switch x := unwrap(v).(type) {
	case nil:
		return 0, nil
	case string:
		return utf8.RuneCountInString(x), nil
	case *Dict:
		return x.Len(), nil
	case dictView:
		return len(x.items), nil
	}
	rv := reflect.ValueOf(unwrap(v))
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return rv.Len(), nil
	case reflect.Ptr:
		if l, ok := unwrap(v).(*List); ok {
			return len(*l), nil
		}
	}
	return 0, fmt.Errorf("object of type '%s' has no len()", typeName(v))
}

// mappingKeys returns the keys of a dict or a Go map.
func mappingKeys(v any) ([]any, bool) {
	if d, ok := v.(*Dict); ok {
		return d.Keys(), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	keys := sortedMapKeys(rv)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k.Interface()
	}
	return out, true
}

// mappingGet looks key up in a dict or a Go map.
func mappingGet(m, key any) (any, bool) {
	if d, ok := m.(*Dict); ok {
		return d.Get(key)
	}
	rv := reflect.ValueOf(m)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	kv, ok := mapKey(rv.Type().Key(), key)
	if !ok {
		return nil, false
	}
	val := rv.MapIndex(kv)
	if !val.IsValid() {
		return nil, false
	}
	return val.Interface(), true
}

// mapKey converts key to a Go map's key type when it is of the same kind.
func mapKey(t reflect.Type, key any) (reflect.Value, bool) {
	kv := reflect.ValueOf(unwrap(key))
	if !kv.IsValid() {
		return reflect.Value{}, false
	}
	if kv.Type().AssignableTo(t) {
		return kv, true
	}
	if t.Kind() == reflect.Interface {
		return reflect.Value{}, false
	}
	sameClass := kv.Kind() == reflect.String && t.Kind() == reflect.String ||
		kv.CanInt() && (t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64)
	if !sameClass || !kv.Type().ConvertibleTo(t) {
		return reflect.Value{}, false
	}
	return kv.Convert(t), true
}

// getattr is Jinja's obj.name: an attribute, else an item; a missing one
// is undefined (nil). Reading an attribute of an undefined value fails.
func getattr(obj any, name string) (any, error) {
	switch x := unwrap(obj).(type) {
	case nil:
		return nil, fmt.Errorf("cannot read attribute %q of an undefined value", name)
	case Attributed:
		return x.Attr(name)
	case *Namespace:
		v, _ := x.attrs.Get(name)
		return v, nil
	case *Dict:
		v, _ := x.Get(name)
		return v, nil
	}
	return structOrMapField(unwrap(obj), name), nil
}

// structOrMapField reads a Go map entry or an exported struct field; a
// field "Name" also answers to "name".
func structOrMapField(obj any, name string) any {
	if v, ok := mappingGet(obj, name); ok {
		return v
	}
	rv := reflect.ValueOf(obj)
	for rv.Kind() == reflect.Ptr || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct || name == "" {
		return nil
	}
	for _, candidate := range []string{name, string(unicode.ToUpper(rune(name[0]))) + name[1:]} {
		if f, ok := rv.Type().FieldByName(candidate); ok && f.IsExported() {
			return rv.FieldByIndex(f.Index).Interface()
		}
	}
	return nil
}

// getitem is Jinja's obj[key]: an item, else an attribute.
func getitem(obj, key any) (any, error) {
	obj, key = unwrap(obj), unwrap(key)
	if obj == nil {
		return nil, fmt.Errorf("cannot read item %s of an undefined value", reprValue(key))
	}
	if s, ok := obj.(string); ok {
		if idx, ok := toNumber(key); ok && idx.isInt {
			runes := []rune(s)
			if i, ok := index(int(idx.i), len(runes)); ok {
				return string(runes[i]), nil
			}
			return nil, nil
		}
	}
	if items, ok := sequenceItems(obj); ok {
		if idx, ok := toNumber(key); ok && idx.isInt {
			if i, ok := index(int(idx.i), len(items)); ok {
				return items[i], nil
			}
			return nil, nil
		}
	}
	if v, ok := mappingGet(obj, key); ok {
		return v, nil
	}
	if name, ok := key.(string); ok {
		return getattr(obj, name)
	}
	return nil, nil
}

// index resolves a Python index (negative counts from the end).
func index(i, n int) (int, bool) {
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

// sliceValue is Python's obj[start:stop:step] for strings and sequences.
func sliceValue(obj, start, stop, step any) (any, error) {
	obj = unwrap(obj)
	var items []any
	s, isString := obj.(string)
	var runes []rune
	if isString {
		runes = []rune(s)
	} else if seq, ok := sequenceItems(obj); ok {
		items = seq
	} else {
		return nil, fmt.Errorf("'%s' object is not subscriptable", typeName(obj))
	}
	n := len(items)
	if isString {
		n = len(runes)
	}
	indices, err := sliceIndices(n, start, stop, step)
	if err != nil {
		return nil, err
	}
	if isString {
		out := make([]rune, 0, len(indices))
		for _, i := range indices {
			out = append(out, runes[i])
		}
		return string(out), nil
	}
	out := make(List, 0, len(indices))
	for _, i := range indices {
		out = append(out, items[i])
	}
	if _, ok := obj.(Tuple); ok {
		return Tuple(out), nil
	}
	return &out, nil
}

// sliceIndices lists the indices a Python slice selects from n items.
func sliceIndices(n int, start, stop, step any) ([]int, error) {
	bound := func(v any, name string) (int, bool, error) {
		v = unwrap(v)
		if _, none := v.(NoneType); none || v == nil {
			return 0, false, nil
		}
		x, ok := toNumber(v)
		if !ok || !x.isInt {
			return 0, false, fmt.Errorf("slice %s must be an integer or None", name)
		}
		return int(x.i), true, nil
	}
	st, hasStep, err := bound(step, "step")
	if err != nil {
		return nil, err
	}
	if !hasStep {
		st = 1
	}
	if st == 0 {
		return nil, errors.New("slice step cannot be zero")
	}
	lo, hasLo, err := bound(start, "start")
	if err != nil {
		return nil, err
	}
	hi, hasHi, err := bound(stop, "stop")
	if err != nil {
		return nil, err
	}
	clamp := func(i int, has bool, def int) int {
		if !has {
			return def
		}
		if i < 0 {
			i += n
		}
		if st > 0 {
			return min(max(i, 0), n)
		}
		return min(max(i, -1), n-1)
	}
	var out []int
	if st > 0 {
		for i := clamp(lo, hasLo, 0); i < clamp(hi, hasHi, n); i += st {
			out = append(out, i)
		}
		return out, nil
	}
	for i := clamp(lo, hasLo, n-1); i > clamp(hi, hasHi, -1); i += st {
		out = append(out, i)
	}
	return out, nil
}
