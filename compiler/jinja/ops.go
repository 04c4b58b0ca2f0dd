package jinja

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
)

var errDivisionByZero = errors.New("division by zero")

func operandError(op string, a, b any) error {
	return fmt.Errorf("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

func add(a, b any) (any, error) {
	if x, ok := toNumber(a); ok {
		if y, ok := toNumber(b); ok {
			if x.isInt && y.isInt {
				return intResult(addInt(x.i, y.i))
			}
			return x.float() + y.float(), nil
		}
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return x + y, nil
		}
	}
	if x, ok := a.(Tuple); ok {
		if y, ok := b.(Tuple); ok {
			return append(append(Tuple{}, x...), y...), nil
		}
	}
	_, aTuple := a.(Tuple)
	_, bTuple := b.(Tuple)
	if !aTuple && !bTuple {
		if x, ok := sequenceItems(a); ok {
			if y, ok := sequenceItems(b); ok {
				l := append(append(List{}, x...), y...)
				return &l, nil
			}
		}
	}
	return nil, operandError("+", a, b)
}

func sub(a, b any) (any, error) {
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	if !ok1 || !ok2 {
		return nil, operandError("-", a, b)
	}
	if x.isInt && y.isInt {
		return intResult(subInt(x.i, y.i))
	}
	return x.float() - y.float(), nil
}

func mul(a, b any) (any, error) {
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	switch {
	case ok1 && ok2:
		if x.isInt && y.isInt {
			return intResult(mulInt(x.i, y.i))
		}
		return x.float() * y.float(), nil
	case ok2 && y.isInt:
		return repeat(a, b, int(y.i))
	case ok1 && x.isInt:
		return repeat(b, a, int(x.i))
	}
	return nil, operandError("*", a, b)
}

// repeat is seq * n for strings, lists and tuples.
func repeat(seq, other any, n int) (any, error) {
	switch s := seq.(type) {
	case string:
		n, err := repeatCount(len(s), n)
		if err != nil {
			return nil, err
		}
		return strings.Repeat(s, n), nil
	case Tuple:
		n, err := repeatCount(len(s), n)
		if err != nil {
			return nil, err
		}
		out := Tuple{}
		for range n {
			out = append(out, s...)
		}
		return out, nil
	}
	if items, ok := sequenceItems(seq); ok {
		n, err := repeatCount(len(items), n)
		if err != nil {
			return nil, err
		}
		out := List{}
		for range n {
			out = append(out, items...)
		}
		return &out, nil
	}
	return nil, operandError("*", seq, other)
}

func div(a, b any) (any, error) {
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	if !ok1 || !ok2 {
		return nil, operandError("/", a, b)
	}
	if y.float() == 0 {
		return nil, errDivisionByZero
	}
	return x.float() / y.float(), nil
}

func floorDiv(a, b any) (any, error) {
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	if !ok1 || !ok2 {
		return nil, operandError("//", a, b)
	}
	if y.float() == 0 {
		return nil, errDivisionByZero
	}
	if x.isInt && y.isInt {
		return intResult(floorDivInt(x.i, y.i))
	}
	return floorDivFloat(x.float(), y.float()), nil
}

func mod(a, b any) (any, error) {
	if s, ok := a.(string); ok {
		return percentFormat(s, b)
	}
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	if !ok1 || !ok2 {
		return nil, operandError("%", a, b)
	}
	if y.float() == 0 {
		return nil, errDivisionByZero
	}
	if x.isInt && y.isInt {
		r := x.i % y.i
		if r != 0 && (r < 0) != (y.i < 0) {
			r += y.i
		}
		return int(r), nil
	}
	return modFloat(x.float(), y.float()), nil
}

func pow(a, b any) (any, error) {
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	if !ok1 || !ok2 {
		return nil, operandError("**", a, b)
	}
	if x.isInt && y.isInt && y.i >= 0 {
		return intResult(powInt(x.i, y.i))
	}
	if x.float() == 0 && y.float() < 0 {
		return nil, errors.New("0.0 cannot be raised to a negative power")
	}
	return math.Pow(x.float(), y.float()), nil
}

func negate(a any) (any, error) {
	x, ok := toNumber(a)
	if !ok {
		return nil, fmt.Errorf("bad operand type for unary -: '%s'", typeName(a))
	}
	if x.isInt {
		return intResult(subInt(0, x.i))
	}
	return -x.f, nil
}

func positive(a any) (any, error) {
	x, ok := toNumber(a)
	if !ok {
		return nil, fmt.Errorf("bad operand type for unary +: '%s'", typeName(a))
	}
	return x.value(), nil
}

// equal is Python's ==.
func equal(a, b any) bool {
	return equalAt(a, b, 0)
}

func equalAt(a, b any, depth int) bool {
	a, b = unwrap(a), unwrap(b)
	switch a.(type) {
	case *List, *Dict:
		if a == b {
			return true
		}
	}
	if depth > maxNesting {
		return false
	}
	if x, ok := toNumber(a); ok {
		y, ok := toNumber(b)
		return ok && x.float() == y.float() && (!x.isInt || !y.isInt || x.i == y.i)
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case NoneType:
		_, ok := b.(NoneType)
		return ok
	case Tuple:
		y, ok := b.(Tuple)
		return ok && equalItems(x, y, depth)
	}
	if _, ok := b.(Tuple); ok {
		return false
	}
	if x, ok := sequenceItems(a); ok {
		y, ok := sequenceItems(b)
		return ok && equalItems(x, y, depth)
	}
	if x, ok := mappingKeys(a); ok {
		y, ok := mappingKeys(b)
		if !ok || len(x) != len(y) {
			return false
		}
		for _, k := range x {
			va, _ := mappingGet(a, k)
			vb, found := mappingGet(b, k)
			if !found || !equalAt(va, vb, depth+1) {
				return false
			}
		}
		return true
	}
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if !ra.IsValid() || !rb.IsValid() || ra.Type() != rb.Type() || !ra.Comparable() || !rb.Comparable() {
		return false
	}
	return ra.Equal(rb)
}

func equalItems(x, y []any, depth int) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equalAt(x[i], y[i], depth+1) {
			return false
		}
	}
	return true
}

// order compares orderable values like Python's <: numbers, strings, and
// lists or tuples element by element.
func order(a, b any, op string) (int, error) {
	return orderAt(a, b, op, 0)
}

func orderAt(a, b any, op string, depth int) (int, error) {
	if depth > maxNesting {
		return 0, errors.New("maximum recursion depth exceeded in comparison")
	}
	if x, ok := toNumber(a); ok {
		if y, ok := toNumber(b); ok {
			switch {
			case x.isInt && y.isInt:
				return cmpInt(x.i, y.i), nil
			case x.float() < y.float():
				return -1, nil
			case x.float() > y.float():
				return 1, nil
			}
			return 0, nil
		}
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	}
	_, aTuple := a.(Tuple)
	_, bTuple := b.(Tuple)
	if aTuple == bTuple {
		if x, ok := sequenceItems(a); ok {
			if y, ok := sequenceItems(b); ok {
				for i := 0; i < len(x) && i < len(y); i++ {
					if equalAt(x[i], y[i], depth+1) {
						continue
					}
					return orderAt(x[i], y[i], op, depth+1)
				}
				return cmpInt(int64(len(x)), int64(len(y))), nil
			}
		}
	}
	return 0, fmt.Errorf("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// compare applies one comparison operator of a Jinja comparison.
func compare(a any, op string, b any) (bool, error) {
	a, b = unwrap(a), unwrap(b)
	switch op {
	case "==":
		return equal(a, b), nil
	case "!=":
		return !equal(a, b), nil
	case "in":
		return contains(b, a)
	case "notin":
		in, err := contains(b, a)
		return !in, err
	}
	if x, ok := toNumber(a); ok && !x.isInt && math.IsNaN(x.f) {
		return false, nil
	}
	if y, ok := toNumber(b); ok && !y.isInt && math.IsNaN(y.f) {
		return false, nil
	}
	c, err := order(a, b, op)
	if err != nil {
		return false, err
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return false, fmt.Errorf("unknown comparison %q", op)
}

// contains is Python's "item in container".
func contains(container, item any) (bool, error) {
	switch c := container.(type) {
	case nil:
		return false, nil
	case string:
		s, ok := item.(string)
		if !ok {
			return false, fmt.Errorf("'in <string>' requires string as left operand, not %s", typeName(item))
		}
		return strings.Contains(c, s), nil
	case dictView:
		return containsItem(c.items, item), nil
	}
	if items, ok := sequenceItems(container); ok {
		return containsItem(items, item), nil
	}
	if _, ok := mappingKeys(container); ok {
		_, found := mappingGet(container, item)
		return found, nil
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", typeName(container))
}

func containsItem(items []any, item any) bool {
	for _, it := range items {
		if equal(it, item) {
			return true
		}
	}
	return false
}
