package jinja

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/flosch/pongo2/v6"
)

var (
	valuePtrType   = reflect.TypeOf((*pongo2.Value)(nil))
	execCtxPtrType = reflect.TypeOf((*pongo2.ExecutionContext)(nil))
	errorType      = reflect.TypeOf((*error)(nil)).Elem()
)

// callMethod implements obj.name(args) for __.method(obj, path, name, args...).
// It applies the Python method of strings, lists and dicts; otherwise it
// calls the attribute or dict entry when that is a function; otherwise,
// when obj is undefined or a Go object, it hands the dotted path to the
// NamespaceCall bound in the context.
func callMethod(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
	if len(args) < 3 {
		return nil, errors.New("__.method takes an object, a path and a name")
	}
	recv, path, name, callArgs := unwrap(args[0]), args[1].String(), args[2].String(), args[3:]
	if m, ok := lookupMethod(recv, name); ok {
		vals := make([]any, len(callArgs))
		for i, a := range callArgs {
			vals[i] = unwrapArg(a)
		}
		v, err := m(recv, vals)
		if err != nil {
			return nil, fmt.Errorf("%s(): %w", name, err)
		}
		return pongo2.AsValue(v), nil
	}
	if recv != nil {
		if fn := memberOf(recv, name); fn != nil {
			return callValue(ctx, fn, callArgs)
		}
	}
	if path != "" && !isDataValue(recv) {
		if resolve, ok := namespaceCall(ctx); ok {
			return resolve(path, callArgs)
		}
		return nil, fmt.Errorf("%q is undefined", path)
	}
	if recv == nil {
		return nil, fmt.Errorf("cannot call method %q of an undefined value", name)
	}
	if _, ok := listMethods[name]; ok {
		if _, isList := sequenceItems(recv); isList {
			return nil, fmt.Errorf("cannot %s: the list comes from Go and cannot change; copy it with |list first", name)
		}
	}
	return nil, fmt.Errorf("'%s' object has no attribute '%s'", typeName(recv), name)
}

// memberOf returns a computed attribute, dict entry, namespace attribute,
// Go map entry or exported struct field named name, or nil.
func memberOf(recv any, name string) any {
	switch x := recv.(type) {
	case Attributed:
		v, _ := x.Attr(name)
		return v
	case *Dict:
		v, _ := x.Get(name)
		return v
	case *Namespace:
		v, _ := x.attrs.Get(name)
		return v
	}
	return structOrMapField(recv, name)
}

// isDataValue tells whether v is a plain template value (as opposed to an
// undefined name or a Go object standing for a namespace).
func isDataValue(v any) bool {
	switch v.(type) {
	case nil:
		return false
	case string, bool, NoneType, *List, Tuple, *Dict, *Namespace, dictView:
		return true
	}
	if _, ok := toNumber(v); ok {
		return true
	}
	k := reflect.ValueOf(v).Kind()
	return k == reflect.Slice || k == reflect.Array || k == reflect.Map
}

func namespaceCall(ctx *pongo2.ExecutionContext) (NamespaceCall, bool) {
	for _, c := range []pongo2.Context{ctx.Private, ctx.Public} {
		switch f := unwrap(c[NamespaceCallKey]).(type) {
		case NamespaceCall:
			return f, true
		case func(string, []*pongo2.Value) (*pongo2.Value, error):
			return f, true
		}
	}
	return nil, false
}

// callValue calls a Go function held by a template value, converting the
// arguments like pongo2 does for its own calls.
func callValue(ctx *pongo2.ExecutionContext, fn any, args []*pongo2.Value) (*pongo2.Value, error) {
	fn = unwrap(fn)
	switch f := fn.(type) {
	case nil:
		return nil, errors.New("cannot call an undefined value")
	case func(...*pongo2.Value) (*pongo2.Value, error):
		return nonNil(f(args...))
	case helper:
		return nonNil(f(args...))
	case func(...*pongo2.Value) *pongo2.Value:
		return nonNil(f(args...), nil)
	}
	rv := reflect.ValueOf(fn)
	if rv.Kind() != reflect.Func {
		return nil, fmt.Errorf("'%s' object is not callable", typeName(fn))
	}
	t := rv.Type()
	var in []reflect.Value
	if t.NumIn() > 0 && t.In(0) == execCtxPtrType {
		in = append(in, reflect.ValueOf(ctx))
	}
	fixed := t.NumIn() - len(in)
	if t.IsVariadic() {
		fixed--
	}
	if len(args) < fixed || !t.IsVariadic() && len(args) > fixed {
		return nil, fmt.Errorf("function takes %d arguments, got %d", fixed, len(args))
	}
	for i, a := range args {
		pt := t.In(min(len(in), t.NumIn()-1))
		if t.IsVariadic() && len(in) >= t.NumIn()-1 {
			pt = pt.Elem()
		}
		v, err := argValue(pt, a)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		in = append(in, v)
	}
	out := rv.Call(in)
	switch {
	case t.NumOut() == 2 && t.Out(1).Implements(errorType):
		err, _ := out[1].Interface().(error)
		if err != nil {
			return nil, err
		}
		return resultValue(out[0]), nil
	case t.NumOut() == 1:
		return resultValue(out[0]), nil
	}
	return nil, errors.New("a called function must return a value, or a value and an error")
}

func nonNil(v *pongo2.Value, err error) (*pongo2.Value, error) {
	if v == nil {
		v = pongo2.AsValue(nil)
	}
	return v, err
}

func resultValue(rv reflect.Value) *pongo2.Value {
	if rv.Type() == valuePtrType {
		v, _ := nonNil(rv.Interface().(*pongo2.Value), nil)
		return v
	}
	return pongo2.AsValue(rv.Interface())
}

// argValue converts a template value to a Go parameter of type pt.
func argValue(pt reflect.Type, a *pongo2.Value) (reflect.Value, error) {
	if pt == valuePtrType {
		return reflect.ValueOf(a), nil
	}
	v := unwrap(a)
	if v == nil {
		switch pt.Kind() {
		case reflect.Interface, reflect.Ptr, reflect.Slice, reflect.Map, reflect.Func:
			return reflect.Zero(pt), nil
		}
		return reflect.Value{}, fmt.Errorf("cannot use an undefined value as %s", pt)
	}
	rv := reflect.ValueOf(v)
	if rv.Type().AssignableTo(pt) {
		return rv, nil
	}
	if rv.Kind() == pt.Kind() && rv.Type().ConvertibleTo(pt) {
		return rv.Convert(pt), nil
	}
	return reflect.Value{}, fmt.Errorf("cannot use %s value as %s", typeName(v), pt)
}

// required marks a parameter without a default in bind.
var required = &struct{ name string }{"required"}

// absent is the value bind gives an optional parameter without a default.
var absent = &struct{ name string }{"absent"}

// bind matches positional and keyword arguments (Kwarg values) to the
// parameters names; defaults holds a default per parameter, required or
// absent.
func bind(names []string, defaults []any, args []any) ([]any, error) {
	out := make([]any, len(names))
	copy(out, defaults)
	given := make([]bool, len(names))
	n := 0
	for _, a := range args {
		kw, ok := a.(Kwarg)
		if !ok {
			if n >= len(names) {
				return nil, fmt.Errorf("takes at most %d arguments", len(names))
			}
			out[n], given[n] = a, true
			n++
			continue
		}
		i := indexOf(names, kw.Name)
		switch {
		case i < 0:
			return nil, fmt.Errorf("unexpected keyword argument %q", kw.Name)
		case given[i]:
			return nil, fmt.Errorf("got multiple values for argument %q", kw.Name)
		}
		out[i], given[i] = unwrap(kw.Value), true
	}
	for i, v := range out {
		if v == required {
			return nil, fmt.Errorf("missing required argument %q", names[i])
		}
	}
	return out, nil
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// noneToNil treats an explicit None argument like an omitted one.
func noneToNil(v any) any {
	if _, ok := v.(NoneType); ok {
		return nil
	}
	return v
}

// argString requires a string argument.
func argString(v any, what string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string, not '%s'", what, typeName(v))
	}
	return s, nil
}

// argInt requires an integer argument.
func argInt(v any, what string) (int, error) {
	n, ok := toNumber(v)
	if !ok || !n.isInt {
		return 0, fmt.Errorf("%s must be an integer, not '%s'", what, typeName(v))
	}
	return int(n.i), nil
}

// stripSet strips the characters of chars (whitespace when nil).
func stripSet(chars any) (func(rune) bool, error) {
	if chars = noneToNil(chars); chars == nil {
		return isPySpace, nil
	}
	s, err := argString(chars, "chars")
	if err != nil {
		return nil, err
	}
	return func(r rune) bool { return strings.ContainsRune(s, r) }, nil
}
