package jinja

import (
	"errors"
	"fmt"
	"strings"

	"github.com/flosch/pongo2/v6"
)

// NamespaceCallKey is the context name under which the caller binds a
// NamespaceCall.
const NamespaceCallKey = "__call"

// NamespaceCall resolves a dotted call the template makes on something
// that is not a string, list or dict, such as dbt.current_timestamp() or
// adapter.dispatch("m"): name is the dotted name ("dbt.current_timestamp")
// and args are the call's arguments (keyword arguments as Kwarg values, see
// SplitArgs). A call of the result, adapter.dispatch("m")(x), invokes the
// returned Go function.
type NamespaceCall func(name string, args []*pongo2.Value) (*pongo2.Value, error)

// LookupKey is the context name under which the caller may bind a Lookup.
const LookupKey = "__lookup"

// Lookup finds a function that a template calls by a name its context
// does not hold, such as a project macro, or returns nil. It lets a caller
// offer many functions without putting each in every render context.
type Lookup func(name string) any

// slotKey is the private context entry of the lazy-evaluation helpers.
const slotKey = "__stashed"

// helper is the signature of the helpers the translated source calls.
type helper func(args ...*pongo2.Value) (*pongo2.Value, error)

// ctxHelper is a helper that also receives the execution context, which
// pongo2 passes to functions whose first parameter is one.
type ctxHelper func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error)

// HelpersKey is the context name of the helper namespace: the translated
// source calls __.add(x, y), __.str(v) and so on. One entry for them all
// keeps pongo2's per-render copy of a template set's globals short.
const HelpersKey = "__"

// namesKey is the context name of the names every template may read
// (range, dict, namespace and the caller's), which __var and __fn consult
// after the render's own context.
const namesKey = "__names"

var (
	helpers     map[string]any
	globalNames map[string]any
)

// Globals returns the globals of a template set: the helper functions the
// translated source calls (__.kw, literal constructors, operators, filters,
// tests, ...) and the names templates read: Jinja's global functions range,
// dict and namespace, and names, the caller's own (names wins on a clash).
// Functions the caller adds are called like pongo2 calls them: parameters
// of type *pongo2.Value get the template value, others the Go value, a
// leading *pongo2.ExecutionContext parameter gets the context, and a second
// result of type error fails the render.
func Globals(names map[string]any) pongo2.Context {
	all := make(map[string]any, len(globalNames)+len(names))
	for k, v := range globalNames {
		all[k] = v
	}
	for k, v := range names {
		all[k] = v
	}
	return pongo2.Context{HelpersKey: helpers, namesKey: all}
}

func init() {
	helpers = map[string]any{
		"none":      None,
		"undefined": nil,
		"nl":        "\n",
		"soh":       "\x01",
		"kw": helper(func(args ...*pongo2.Value) (*pongo2.Value, error) {
			if len(args) != 2 {
				return nil, errors.New("__kw takes a name and a value")
			}
			return pongo2.AsValue(Kwarg{Name: args[0].String(), Value: args[1]}), nil
		}),
		"list":  values(func(a []any) (any, error) { l := List(a); return &l, nil }),
		"tuple": values(func(a []any) (any, error) { return Tuple(a), nil }),
		"dict":  values(makeDict),
		"lines": values(func(a []any) (any, error) { return joinStrings(a, "\n"), nil }),
		"str": helper(func(args ...*pongo2.Value) (*pongo2.Value, error) {
			return pongo2.AsSafeValue(strValue(args[0])), nil
		}),
		"concat":   values(func(a []any) (any, error) { return joinStrings(a, ""), nil }),
		"bool":     values(func(a []any) (any, error) { return truthy(a[0]), nil }),
		"lnot":     values(func(a []any) (any, error) { return !truthy(a[0]), nil }),
		"neg":      values(func(a []any) (any, error) { return negate(a[0]) }),
		"pos":      values(func(a []any) (any, error) { return positive(a[0]) }),
		"add":      binary(add),
		"sub":      binary(sub),
		"mul":      binary(mul),
		"div":      binary(div),
		"floordiv": binary(floorDiv),
		"mod":      binary(mod),
		"pow":      binary(pow),
		"cmp": values(func(a []any) (any, error) {
			return compare(a[0], strValue(a[1]), a[2])
		}),
		"is":      values(func(a []any) (any, error) { return applyTest(strValue(a[0]), a[1], a[2:]) }),
		"filter":  values(func(a []any) (any, error) { return applyFilter(strValue(a[0]), a[1], a[2:]) }),
		"getattr": values(func(a []any) (any, error) { return getattr(a[0], strValue(a[1])) }),
		"path": values(func(a []any) (any, error) {
			v := a[0]
			for _, name := range a[1:] {
				if v == nil {
					return nil, nil
				}
				var err error
				if v, err = getattr(v, strValue(name)); err != nil {
					return nil, err
				}
			}
			return v, nil
		}),
		"getitem": values(func(a []any) (any, error) { return getitem(a[0], a[1]) }),
		"slice":   values(func(a []any) (any, error) { return sliceValue(a[0], a[1], a[2], a[3]) }),
		"iter": values(func(a []any) (any, error) {
			items, err := iterate(a[0])
			if items == nil {
				items = []any{}
			}
			return items, err
		}),
		"unpack":  values(unpack),
		"setattr": values(setNamespaceAttr),
		"cycle": values(func(a []any) (any, error) {
			if len(a) < 2 {
				return nil, errors.New("loop.cycle() needs at least one value")
			}
			i, _ := toNumber(a[0])
			return a[1+int(i.i)%(len(a)-1)], nil
		}),
		"var": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			return lookupVar(ctx, args[0].String()), nil
		}),
		"fn": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			name := args[0].String()
			fn := lookupVar(ctx, name)
			if fn.IsNil() {
				if lookup, ok := unwrap(lookupVar(ctx, LookupKey)).(Lookup); ok {
					if f := lookup(name); f != nil {
						return callValue(ctx, f, args[1:])
					}
				}
				return nil, fmt.Errorf("%q is undefined", name)
			}
			return callValue(ctx, fn, args[1:])
		}),
		"method": ctxHelper(callMethod),
		"invoke": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			return callValue(ctx, args[0].Interface(), args[1:])
		}),
		"stash": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			ctx.Private[slotKey] = args[0].Interface()
			return pongo2.AsValue(true), nil
		}),
		"keep": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			ctx.Private[slotKey] = args[0].Interface()
			return args[0], nil
		}),
		"keep_if_true": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			ctx.Private[slotKey] = args[0].Interface()
			return pongo2.AsValue(truthy(args[0])), nil
		}),
		"keep_if_false": ctxHelper(func(ctx *pongo2.ExecutionContext, args ...*pongo2.Value) (*pongo2.Value, error) {
			ctx.Private[slotKey] = args[0].Interface()
			return pongo2.AsValue(!truthy(args[0])), nil
		}),
		"take": ctxHelper(func(ctx *pongo2.ExecutionContext, _ ...*pongo2.Value) (*pongo2.Value, error) {
			return pongo2.AsValue(ctx.Private[slotKey]), nil
		}),
		"slot": ctxHelper(func(ctx *pongo2.ExecutionContext, _ ...*pongo2.Value) (*pongo2.Value, error) {
			return pongo2.AsValue(ctx.Private[slotKey]), nil
		}),
	}
	globalNames = map[string]any{
		"range":     values(rangeList),
		"dict":      values(func(a []any) (any, error) { return kwargsDict("dict", a) }),
		"namespace": values(func(a []any) (any, error) { d, err := kwargsDict("namespace", a); return &Namespace{attrs: d}, err }),
	}
	registerTags()
}

// lookupVar reads a name the way pongo2 does, without calling functions.
func lookupVar(ctx *pongo2.ExecutionContext, name string) *pongo2.Value {
	v, ok := ctx.Private[name]
	if !ok {
		v, ok = ctx.Public[name]
	}
	if !ok {
		if names, isMap := ctx.Public[namesKey].(map[string]any); isMap {
			v = names[name]
		}
	}
	if pv, ok := v.(*pongo2.Value); ok && pv != nil {
		return pv
	}
	return pongo2.AsValue(v)
}

// values adapts a function of plain Go values into a helper.
func values(f func(args []any) (any, error)) helper {
	return func(args ...*pongo2.Value) (*pongo2.Value, error) {
		vals := make([]any, len(args))
		for i, a := range args {
			vals[i] = unwrapArg(a)
		}
		v, err := f(vals)
		if err != nil {
			return pongo2.AsValue(nil), err
		}
		return pongo2.AsValue(v), nil
	}
}

// unwrapArg unwraps an argument but keeps a Kwarg's value as a Go value.
func unwrapArg(a *pongo2.Value) any {
	v := unwrap(a)
	if kw, ok := v.(Kwarg); ok {
		return Kwarg{Name: kw.Name, Value: pongo2.AsValue(unwrap(kw.Value))}
	}
	return v
}

func binary(op func(a, b any) (any, error)) helper {
	return values(func(a []any) (any, error) { return op(a[0], a[1]) })
}

func joinStrings(items []any, sep string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = strValue(it)
	}
	return strings.Join(parts, sep)
}

func makeDict(pairs []any) (any, error) {
	d := NewDict()
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := d.Set(pairs[i], pairs[i+1]); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// kwargsDict builds a dict from keyword arguments, for dict() and namespace().
func kwargsDict(fn string, args []any) (*Dict, error) {
	d := NewDict()
	for _, a := range args {
		kw, ok := a.(Kwarg)
		if !ok {
			return nil, fmt.Errorf("%s() takes keyword arguments only", fn)
		}
		if err := d.Set(kw.Name, unwrap(kw.Value)); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// unpack returns item i of a value unpacked into n names.
func unpack(a []any) (any, error) {
	items, err := iterate(a[0])
	if err != nil {
		return nil, fmt.Errorf("cannot unpack non-iterable %s object", typeName(a[0]))
	}
	i, _ := toNumber(a[1])
	n, _ := toNumber(a[2])
	switch {
	case int64(len(items)) > n.i:
		return nil, fmt.Errorf("too many values to unpack (expected %d)", n.i)
	case int64(len(items)) < n.i:
		return nil, fmt.Errorf("not enough values to unpack (expected %d, got %d)", n.i, len(items))
	}
	return items[i.i], nil
}

func setNamespaceAttr(a []any) (any, error) {
	ns, ok := a[0].(*Namespace)
	if !ok {
		return nil, fmt.Errorf("cannot assign attribute on non-namespace object of type '%s'", typeName(a[0]))
	}
	return nil, ns.attrs.Set(strValue(a[1]), a[2])
}

// maxRange is the length limit of range(), as in Jinja's sandbox.
const maxRange = 100000

func rangeList(a []any) (any, error) {
	bounds := make([]int64, 0, 3)
	for _, v := range a {
		n, ok := toNumber(v)
		if !ok || !n.isInt {
			return nil, fmt.Errorf("range() argument must be an integer, not '%s'", typeName(v))
		}
		bounds = append(bounds, n.i)
	}
	var start, stop, step int64 = 0, 0, 1
	switch len(bounds) {
	case 1:
		stop = bounds[0]
	case 2:
		start, stop = bounds[0], bounds[1]
	case 3:
		start, stop, step = bounds[0], bounds[1], bounds[2]
	default:
		return nil, fmt.Errorf("range() takes 1 to 3 arguments, got %d", len(a))
	}
	if step == 0 {
		return nil, errors.New("range() step must not be zero")
	}
	out := List{}
	for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
		if len(out) >= maxRange {
			return nil, fmt.Errorf("range() is limited to %d items", maxRange)
		}
		out = append(out, int(i))
	}
	return &out, nil
}
