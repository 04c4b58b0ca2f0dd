package jinja

import (
	"errors"
	"fmt"
	"math"
)

// errIntOverflow reports an integer result outside 64 bits. Python's ints
// are unbounded, so wrapping around would render a wrong number.
var errIntOverflow = errors.New("integer result does not fit in 64 bits")

// maxRepeat bounds the length of seq * n, which would otherwise let a
// template exhaust memory.
const maxRepeat = 1 << 24

// addInt, subInt and mulInt are checked int64 arithmetic.
func addInt(a, b int64) (int64, error) {
	c := a + b
	if (a >= 0) == (b >= 0) && (c >= 0) != (a >= 0) {
		return 0, errIntOverflow
	}
	return c, nil
}

func subInt(a, b int64) (int64, error) {
	c := a - b
	if (a >= 0) != (b >= 0) && (c >= 0) != (a >= 0) {
		return 0, errIntOverflow
	}
	return c, nil
}

func mulInt(a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, errIntOverflow
	}
	return c, nil
}

// powInt is a ** b for b >= 0, by repeated squaring.
func powInt(a, b int64) (int64, error) {
	result := int64(1)
	for b > 0 {
		if b&1 == 1 {
			r, err := mulInt(result, a)
			if err != nil {
				return 0, err
			}
			result = r
		}
		b >>= 1
		if b > 0 {
			sq, err := mulInt(a, a)
			if err != nil {
				return 0, err
			}
			a = sq
		}
	}
	return result, nil
}

// floorDivInt is Python's a // b for b != 0.
func floorDivInt(a, b int64) (int64, error) {
	if a == math.MinInt64 && b == -1 {
		return 0, errIntOverflow
	}
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q, nil
}

// floorDivFloat is Python's a // b for floats and b != 0. It divides
// a - fmod(a, b) rather than flooring a / b, whose rounding can be off by
// one: 1 // 0.1 is 9.0.
func floorDivFloat(a, b float64) float64 {
	m := math.Mod(a, b)
	div := (a - m) / b
	if m != 0 && (b < 0) != (m < 0) {
		div--
	}
	if div == 0 {
		return math.Copysign(0, a/b)
	}
	q := math.Floor(div)
	if div-q > 0.5 {
		q++
	}
	return q
}

// modFloat is Python's a % b for floats and b != 0: the result has the
// sign of b.
func modFloat(a, b float64) float64 {
	m := math.Mod(a, b)
	if m == 0 {
		return math.Copysign(0, b)
	}
	if (m < 0) != (b < 0) {
		m += b
	}
	return m
}

// repeatCount checks the length of a sequence of n items repeated count
// times and returns count, or 0 for a negative count.
func repeatCount(n, count int) (int, error) {
	count = max(count, 0)
	if n > 0 && count > maxRepeat/n {
		return 0, fmt.Errorf("repetition result too large (over %d items)", maxRepeat)
	}
	return count, nil
}

// intResult turns a checked int64 result into a template int.
func intResult(v int64, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return int(v), nil
}

// maxWidth bounds field widths, precisions and indents, as Go's fmt does.
const maxWidth = 1_000_000

// tooWide reports whether a field width or precision written in decimal
// digits is over maxWidth.
func tooWide(digits string) bool {
	return len(digits) > 7 || (digits != "" && atoiDigits(digits) > maxWidth)
}

// atoiDigits converts a string of at most 7 decimal digits.
func atoiDigits(digits string) int {
	n := 0
	for _, c := range digits {
		n = n*10 + int(c-'0')
	}
	return n
}
