package jinja

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// filter is a Jinja filter: the value and the call's arguments (keyword
// arguments as Kwarg).
type filter func(v any, args []any) (any, error)

var filters map[string]filter

// filterExists tells whether the translation may emit the filter.
func filterExists(name string) bool {
	_, ok := filters[name]
	return ok
}

func applyFilter(name string, v any, args []any) (any, error) {
	f, ok := filters[name]
	if !ok {
		return nil, fmt.Errorf("unknown filter %q", name)
	}
	out, err := f(v, args)
	if err != nil {
		return nil, fmt.Errorf("filter %s: %w", name, err)
	}
	return out, nil
}

// bound adapts a filter with named parameters.
func bound(names []string, defaults []any, f func(v any, a []any) (any, error)) filter {
	return func(v any, args []any) (any, error) {
		a, err := bind(names, defaults, args)
		if err != nil {
			return nil, err
		}
		return f(v, a)
	}
}

// onString adapts a filter of the value's str().
func onString(f func(s string) string) filter {
	return bound(nil, nil, func(v any, _ []any) (any, error) { return f(strValue(v)), nil })
}

func init() {
	filters = map[string]filter{
		"abs":        bound(nil, nil, func(v any, _ []any) (any, error) { return absValue(v) }),
		"attr":       bound([]string{"name"}, []any{required}, func(v any, a []any) (any, error) { return attrFilter(v, a[0]) }),
		"capitalize": onString(capitalize),
		"count":      bound(nil, nil, func(v any, _ []any) (any, error) { return length(v) }),
		"default":    bound([]string{"default_value", "boolean"}, []any{"", false}, defaultFilter),
		"dictsort":   bound([]string{"case_sensitive", "by", "reverse"}, []any{false, "key", false}, dictSort),
		"escape":     onString(escapeHTML),
		"first":      bound(nil, nil, func(v any, _ []any) (any, error) { return firstOrLast(v, true) }),
		"float":      bound([]string{"default"}, []any{0.0}, floatFilter),
		"format":     formatFilter,
		"indent":     bound([]string{"width", "first", "blank"}, []any{4, false, false}, indent),
		"int":        bound([]string{"default", "base"}, []any{0, 10}, intFilter),
		"items":      bound(nil, nil, itemsFilter),
		"join":       bound([]string{"d", "attribute"}, []any{"", None}, joinFilter),
		"last":       bound(nil, nil, func(v any, _ []any) (any, error) { return firstOrLast(v, false) }),
		"list":       bound(nil, nil, func(v any, _ []any) (any, error) { return listOf(v) }),
		"lower":      onString(strings.ToLower),
		"map":        mapFilter,
		"max":        bound([]string{"case_sensitive", "attribute"}, []any{false, None}, minOrMax(1)),
		"min":        bound([]string{"case_sensitive", "attribute"}, []any{false, None}, minOrMax(-1)),
		"reject":     selectFilter(false, false),
		"rejectattr": selectFilter(true, false),
		"replace": bound([]string{"old", "new", "count"}, []any{required, required, None}, func(v any, a []any) (any, error) {
			return replace(strValue(v), strValue(a[0]), strValue(a[1]), a[2])
		}),
		"reverse":    bound(nil, nil, reverseFilter),
		"round":      bound([]string{"precision", "method"}, []any{0, "common"}, roundFilter),
		"safe":       bound(nil, nil, func(v any, _ []any) (any, error) { return v, nil }),
		"select":     selectFilter(false, true),
		"selectattr": selectFilter(true, true),
		"sort":       bound([]string{"reverse", "case_sensitive", "attribute"}, []any{false, false, None}, sortFilter),
		"string":     onString(func(s string) string { return s }),
		"sum":        bound([]string{"attribute", "start"}, []any{None, 0}, sumFilter),
		"title":      onString(jinjaTitle),
		"tojson":     bound([]string{"indent"}, []any{None}, toJSON),
		"trim": bound([]string{"chars"}, []any{None}, func(v any, a []any) (any, error) {
			set, err := stripSet(a[0])
			if err != nil {
				return nil, err
			}
			return strings.TrimFunc(strValue(v), set), nil
		}),
		"unique": bound([]string{"case_sensitive", "attribute"}, []any{false, None}, uniqueFilter),
		"upper":  onString(strings.ToUpper),
	}
	filters["d"] = filters["default"]
	filters["e"] = filters["escape"]
	filters["length"] = filters["count"]
}

func absValue(v any) (any, error) {
	n, ok := toNumber(v)
	switch {
	case !ok:
		return nil, fmt.Errorf("bad operand type for abs(): '%s'", typeName(v))
	case n.isInt:
		return int(max(n.i, -n.i)), nil
	}
	return math.Abs(n.f), nil
}

// attrFilter reads an attribute only: dict keys are not attributes.
func attrFilter(v, name any) (any, error) {
	n := strValue(name)
	switch x := v.(type) {
	case nil:
		return nil, fmt.Errorf("cannot read attribute %q of an undefined value", n)
	case *Namespace:
		a, _ := x.attrs.Get(n)
		return a, nil
	case *Dict:
		return nil, nil
	}
	if _, ok := mappingKeys(v); ok {
		return nil, nil
	}
	return structOrMapField(v, n), nil
}

func defaultFilter(v any, a []any) (any, error) {
	if v == nil || truthy(a[1]) && !truthy(v) {
		return a[0], nil
	}
	return v, nil
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func firstOrLast(v any, first bool) (any, error) {
	items, err := iterate(v)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	if first {
		return items[0], nil
	}
	return items[len(items)-1], nil
}

func listOf(v any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	l := append(List{}, items...)
	return &l, nil
}

func floatFilter(v any, a []any) (any, error) {
	if v == nil {
		return nil, errors.New("cannot convert an undefined value to float")
	}
	if n, ok := toNumber(v); ok {
		return n.float(), nil
	}
	if s, ok := v.(string); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f, nil
		}
	}
	return a[0], nil
}

func intFilter(v any, a []any) (any, error) {
	if v == nil {
		return nil, errors.New("cannot convert an undefined value to int")
	}
	if n, ok := toNumber(v); ok {
		if n.isInt {
			return int(n.i), nil
		}
		if math.IsInf(n.f, 0) || math.IsNaN(n.f) {
			return nil, errors.New("cannot convert float infinity or NaN to integer")
		}
		return int(n.f), nil
	}
	s, ok := v.(string)
	if !ok {
		return a[0], nil
	}
	base, err := argInt(a[1], "base")
	if err != nil {
		return nil, err
	}
	if i, ok := parsePyInt(s, base); ok {
		return i, nil
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return int(f), nil
	}
	return a[0], nil
}

// parsePyInt parses a string the way Python's int(s, base) does.
func parsePyInt(s string, base int) (int, bool) {
	s = strings.TrimSpace(s)
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	if len(s) > 2 && s[0] == '0' {
		prefix := map[int]byte{16: 'x', 8: 'o', 2: 'b'}[base]
		if prefix != 0 && s[1]|0x20 == prefix {
			s = s[2:]
		}
	}
	if strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return 0, false
	}
	n, err := strconv.ParseInt(sign+strings.ReplaceAll(s, "_", ""), base, 64)
	return int(n), err == nil
}

func itemsFilter(v any, _ []any) (any, error) {
	if v == nil {
		return &List{}, nil
	}
	if _, ok := mappingKeys(v); !ok {
		return nil, fmt.Errorf("can only get item pairs from a mapping, not '%s'", typeName(v))
	}
	l := List(view(v, "items").items)
	return &l, nil
}

func joinFilter(v any, a []any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if attr := noneToNil(a[1]); attr != nil {
		if items, err = mapAttribute(items, attr, absent, false); err != nil {
			return nil, err
		}
	}
	return joinStrings(items, strValue(a[0])), nil
}

func indent(v any, a []any) (any, error) {
	prefix := strValue(a[0])
	if n, ok := toNumber(a[0]); ok && n.isInt {
		if n.i > maxWidth {
			return nil, fmt.Errorf("indent width %d is too large", n.i)
		}
		prefix = strings.Repeat(" ", max(int(n.i), 0))
	}
	lines := splitLines(strValue(v) + "\n")
	if len(prefix)*len(lines) > maxRepeat {
		return nil, fmt.Errorf("indent result too large (over %d characters)", maxRepeat)
	}
	var out string
	if truthy(a[2]) {
		out = strings.Join(lines, "\n"+prefix)
	} else {
		out = lines[0]
		for _, line := range lines[1:] {
			out += "\n"
			if line != "" {
				out += prefix + line
			}
		}
	}
	if truthy(a[1]) {
		out = prefix + out
	}
	return out, nil
}

// splitLines is Python's str.splitlines for \n, \r\n and \r.
func splitLines(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// jinjaTitle is Jinja's title filter: every word starts upper case, the
// rest is lower case; words begin after whitespace, "-", "(", "{", "[", "<".
func jinjaTitle(s string) string {
	isSep := func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("-({[<", r) }
	var b strings.Builder
	start := true
	prevSep := false
	for _, r := range s {
		sep := isSep(r)
		if sep != prevSep {
			start = true
		}
		prevSep = sep
		if start {
			b.WriteString(strings.ToUpper(string(r)))
			start = false
		} else {
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

func reverseFilter(v any, _ []any) (any, error) {
	if s, ok := v.(string); ok {
		r := []rune(s)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r), nil
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	out := make(List, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return &out, nil
}

func roundFilter(v any, a []any) (any, error) {
	n, ok := toNumber(v)
	if !ok {
		return nil, fmt.Errorf("type %s doesn't define __round__ method", typeName(v))
	}
	precision, err := argInt(a[0], "precision")
	if err != nil {
		return nil, err
	}
	scale := math.Pow(10, float64(precision))
	switch a[1] {
	case "common":
		if n.isInt {
			if precision >= 0 {
				return int(n.i), nil
			}
			return int(math.RoundToEven(float64(n.i)*scale) / scale), nil
		}
		if precision < 0 {
			return math.RoundToEven(n.f*scale) / scale, nil
		}
		f, _ := strconv.ParseFloat(strconv.FormatFloat(n.f, 'f', precision, 64), 64)
		return f, nil
	case "ceil":
		return math.Ceil(n.float()*scale) / scale, nil
	case "floor":
		return math.Floor(n.float()*scale) / scale, nil
	}
	return nil, errors.New("method must be common, ceil or floor")
}

func sumFilter(v any, a []any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if attr := noneToNil(a[0]); attr != nil {
		if items, err = mapAttribute(items, attr, absent, false); err != nil {
			return nil, err
		}
	}
	total := a[1]
	for _, it := range items {
		if total, err = add(total, it); err != nil {
			return nil, err
		}
	}
	return total, nil
}

// sortKeys computes the sort key of every item: the item or its
// attribute(s), lower-cased unless case sensitive.
func sortKeys(items []any, attribute any, caseSensitive bool) ([]any, error) {
	attr := noneToNil(attribute)
	if attr == nil {
		keys := make([]any, len(items))
		for i, it := range items {
			keys[i] = foldCase(it, caseSensitive)
		}
		return keys, nil
	}
	names := strings.Split(strValue(attr), ",")
	if len(names) == 1 {
		return mapAttribute(items, attr, absent, !caseSensitive)
	}
	keys := make([]any, len(items))
	for i := range keys {
		keys[i] = Tuple{}
	}
	for _, name := range names {
		col, err := mapAttribute(items, strings.TrimSpace(name), absent, !caseSensitive)
		if err != nil {
			return nil, err
		}
		for i := range keys {
			keys[i] = append(keys[i].(Tuple), col[i])
		}
	}
	return keys, nil
}

func foldCase(v any, caseSensitive bool) any {
	if s, ok := v.(string); ok && !caseSensitive {
		return strings.ToLower(s)
	}
	return v
}

// sortByKeys sorts items stably by keys, like Python's sorted.
func sortByKeys(items, keys []any, reverse bool) ([]any, error) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var sortErr error
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := keys[idx[i]], keys[idx[j]]
		if reverse {
			a, b = b, a
		}
		c, err := order(unwrap(a), unwrap(b), "<")
		if err != nil && sortErr == nil {
			sortErr = err
		}
		return c < 0
	})
	out := make([]any, len(items))
	for i, j := range idx {
		out[i] = items[j]
	}
	return out, sortErr
}

func sortFilter(v any, a []any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	keys, err := sortKeys(items, a[2], truthy(a[1]))
	if err != nil {
		return nil, err
	}
	sorted, err := sortByKeys(items, keys, truthy(a[0]))
	l := List(sorted)
	return &l, err
}

func dictSort(v any, a []any) (any, error) {
	if _, ok := mappingKeys(v); !ok {
		return nil, fmt.Errorf("dictsort requires a mapping, not '%s'", typeName(v))
	}
	pairs := view(v, "items").items
	pos := 0
	switch a[1] {
	case "key":
	case "value":
		pos = 1
	default:
		return nil, errors.New("you can only sort by either \"key\" or \"value\"")
	}
	keys := make([]any, len(pairs))
	for i, p := range pairs {
		keys[i] = foldCase(p.(Tuple)[pos], truthy(a[0]))
	}
	sorted, err := sortByKeys(pairs, keys, truthy(a[2]))
	l := List(sorted)
	return &l, err
}

func uniqueFilter(v any, a []any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	keys, err := sortKeys(items, a[1], truthy(a[0]))
	if err != nil {
		return nil, err
	}
	out := List{}
	var seen []any
	for i, it := range items {
		if !containsItem(seen, keys[i]) {
			seen = append(seen, keys[i])
			out = append(out, it)
		}
	}
	return &out, nil
}

// minOrMax returns the filter picking the smallest (-1) or largest (1) item.
func minOrMax(want int) func(v any, a []any) (any, error) {
	return func(v any, a []any) (any, error) {
		items, err := iterate(v)
		if err != nil || len(items) == 0 {
			return nil, err
		}
		keys, err := sortKeys(items, a[1], truthy(a[0]))
		if err != nil {
			return nil, err
		}
		best := 0
		for i := 1; i < len(items); i++ {
			c, err := order(keys[i], keys[best], "<")
			if err != nil {
				return nil, err
			}
			if c == want {
				best = i
			}
		}
		return items[best], nil
	}
}
