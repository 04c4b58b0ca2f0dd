package lineage

import (
	"strconv"
	"strings"
)

// duckReader reads DuckDB's json_serialize_sql tree (statements of query
// nodes, table refs and parsed expressions, each object typed by its
// "type" or "class" member) into the dialect-neutral form. DuckDB keeps
// identifiers as written. Expression classes it does not know are
// searched for column references and subqueries all the same.
type duckReader struct {
	t *tape
}

// readDuckDB reads the tree of one SELECT statement; if it cannot, it
// returns why.
func readDuckDB(t *tape) (*query, string) {
	if t.truthy(0, "error") {
		return nil, "DuckDB cannot serialize the parse tree: " + t.getStr(0, "error_message")
	}
	r := &duckReader{t: t}
	node := t.get(t.first(t.get(0, "statements")), "node")
	if t.kind(node) != jObject {
		return nil, "not a SELECT statement"
	}
	return r.query(node), ""
}

// exprs reads an array of expressions.
func (r *duckReader) exprs(i int) []*expr {
	var out []*expr
	for c := range r.t.elems(i) {
		if e := r.expr(c); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// row reads a row of a VALUES list.
func (r *duckReader) row(i int) []*expr {
	var out []*expr
	for c := range r.t.elems(i) {
		out = append(out, orNull(r.expr(c)))
	}
	return out
}

// appendExpr appends the expression at i, if there is one.
func (r *duckReader) appendExpr(es []*expr, i int) []*expr {
	if e := r.expr(i); e != nil {
		return append(es, e)
	}
	return es
}

// strs reads an array of strings.
func (r *duckReader) strs(i int) []string {
	var out []string
	for c := range r.t.elems(i) {
		out = append(out, r.t.str(c))
	}
	return out
}

// query reads a query node.
func (r *duckReader) query(n int) *query {
	t := r.t
	q := &query{}
	for c := range t.elems(t.get(t.get(n, "cte_map"), "map")) {
		v := t.get(c, "value")
		ct := &cte{name: t.getStr(c, "key"), cols: r.strs(t.get(v, "aliases"))}
		body := t.get(t.get(v, "query"), "node")
		if t.getStr(body, "type") == "RECURSIVE_CTE_NODE" {
			q.recursive = true
		}
		ct.q = r.query(body)
		q.ctes = append(q.ctes, ct)
	}
	var reads []*expr
	for m := range t.elems(t.get(n, "modifiers")) {
		for o := range t.elems(t.get(m, "orders")) {
			reads = r.appendExpr(reads, t.get(o, "expression"))
		}
		reads = append(reads, r.exprs(t.get(m, "distinct_on_targets"))...)
		reads = r.appendExpr(reads, t.get(m, "limit"))
		reads = r.appendExpr(reads, t.get(m, "offset"))
	}
	switch typ := t.getStr(n, "type"); typ {
	case "SELECT_NODE":
		q.sel = r.selectNode(n)
		q.sel.reads = append(q.sel.reads, reads...)
	case "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE":
		q.op = "union"
		if setop := t.getStr(n, "setop_type"); setop != "" {
			q.op = strings.ToLower(setop)
		}
		if strings.HasSuffix(q.op, "_by_name") {
			q.op, q.byName = strings.TrimSuffix(q.op, "_by_name"), true
		}
		children := []int{t.get(n, "left"), t.get(n, "right")}
		if c := t.get(n, "children"); c >= 0 {
			children = children[:0]
			for i := range t.elems(c) {
				children = append(children, i)
			}
		}
		if len(children) < 2 {
			return nil
		}
		q.left, q.right = r.query(children[0]), r.query(children[1])
		for _, c := range children[2:] {
			q = &query{ctes: q.ctes, recursive: q.recursive, op: q.op, byName: q.byName, left: &query{op: q.op, byName: q.byName, left: q.left, right: q.right}, right: r.query(c)}
		}
		q.reads = reads
	default:
		return nil
	}
	return q
}

// selectNode reads a SELECT_NODE.
func (r *duckReader) selectNode(n int) *selectStmt {
	t := r.t
	s := &selectStmt{}
	for c := range t.elems(t.get(n, "select_list")) {
		s.targets = append(s.targets, &target{alias: t.getStr(c, "alias"), e: orNull(r.expr(c))})
	}
	if f := t.get(n, "from_table"); t.getStr(f, "type") == "EXPRESSION_LIST" {
		for row := range t.elems(t.get(f, "values")) {
			s.values = append(s.values, r.row(row))
		}
	} else if fi := r.from(f); fi != nil {
		s.from = []*fromItem{fi}
	}
	for _, key := range [...]string{"where_clause", "having", "qualify"} {
		s.reads = r.appendExpr(s.reads, t.get(n, key))
	}
	s.reads = append(s.reads, r.exprs(t.get(n, "group_expressions"))...)
	return s
}

// from reads a table ref.
func (r *duckReader) from(i int) *fromItem {
	t := r.t
	f := &fromItem{alias: t.getStr(i, "alias"), colAliases: r.strs(t.get(i, "column_name_alias"))}
	switch t.getStr(i, "type") {
	case "BASE_TABLE":
		f.kind, f.schema, f.name = fromTable, t.getStr(i, "schema_name"), t.getStr(i, "table_name")
	case "SUBQUERY":
		f.kind, f.q = fromQuery, r.query(t.get(t.get(i, "subquery"), "node"))
	case "JOIN":
		f.kind, f.natural = fromJoin, t.getStr(i, "ref_type") == "NATURAL"
		f.left, f.right = r.from(t.get(i, "left")), r.from(t.get(i, "right"))
		f.using, f.on = r.strs(t.get(i, "using_columns")), r.expr(t.get(i, "condition"))
		switch {
		case f.left == nil:
			return f.right
		case f.right == nil:
			return f.left
		}
	case "EXPRESSION_LIST":
		q := &query{sel: &selectStmt{}}
		for row := range t.elems(t.get(i, "values")) {
			q.sel.values = append(q.sel.values, r.row(row))
		}
		f.kind, f.q = fromQuery, q
	case "EMPTY", "":
		return nil
	default: // TABLE_FUNCTION, PIVOT, ...
		f.kind, f.args = fromFunc, r.generic(i).args
	}
	return f
}

// duckComparisons maps DuckDB's comparison types to operators.
var duckComparisons = map[string]string{
	"COMPARE_EQUAL": "=", "COMPARE_NOTEQUAL": "!=", "COMPARE_LESSTHAN": "<", "COMPARE_GREATERTHAN": ">",
	"COMPARE_LESSTHANOREQUALTO": "<=", "COMPARE_GREATERTHANOREQUALTO": ">=",
	"COMPARE_DISTINCT_FROM": "IS DISTINCT FROM", "COMPARE_NOT_DISTINCT_FROM": "IS NOT DISTINCT FROM",
	"OPERATOR_NOT": "NOT", "OPERATOR_IS_NULL": "IS NULL", "OPERATOR_IS_NOT_NULL": "IS NOT NULL",
	"COMPARE_IN": "IN", "COMPARE_NOT_IN": "NOT IN", "CONJUNCTION_AND": "AND", "CONJUNCTION_OR": "OR",
}

// expr reads a parsed expression, or returns nil for none.
func (r *duckReader) expr(i int) *expr {
	t := r.t
	switch class := t.getStr(i, "class"); class {
	case "":
		return nil
	case "COLUMN_REF":
		parts := r.strs(t.get(i, "column_names"))
		if len(parts) == 0 {
			return nil
		}
		return &expr{kind: eCol, name: parts[len(parts)-1], qual: parts[:len(parts)-1]}
	case "STAR":
		m := &starMods{columns: t.truthy(i, "columns")}
		m.exclude = append(r.strs(t.get(i, "exclude_list")), r.columnNames(t.get(i, "qualified_exclude_list"))...)
		e := &expr{kind: eStar, star: m}
		for c := range t.elems(t.get(i, "rename_list")) {
			if old := r.columnNames(c); len(old) == 1 {
				m.rename = append(m.rename, [2]string{old[0], t.getStr(c, "value")})
			}
		}
		if q := t.getStr(i, "relation_name"); q != "" {
			e.qual = []string{q}
		}
		for c := range t.elems(t.get(i, "replace_list")) {
			if x := r.expr(t.get(c, "value")); x != nil {
				m.replace = append(m.replace, &target{alias: t.getStr(c, "key"), e: x})
			}
		}
		return e
	case "CONSTANT":
		return r.constant(t.get(i, "value"))
	case "FUNCTION", "WINDOW":
		e := newExpr(eFunc, t.getStr(i, "function_name"), r.exprs(t.get(i, "children"))...)
		if t.truthy(i, "is_operator") {
			e.kind = eOp
		}
		e.distinct, e.window = t.truthy(i, "distinct"), class == "WINDOW"
		e.hidden = r.exprs(t.get(i, "partitions"))
		for _, key := range [...]string{"orders", "order_bys"} {
			o := t.get(i, key)
			if t.kind(o) == jObject {
				o = t.get(o, "orders")
			}
			for c := range t.elems(o) {
				e.hidden = r.appendExpr(e.hidden, t.get(c, "expression"))
			}
		}
		e.hidden = r.appendExpr(e.hidden, t.get(i, "filter"))
		e.hidden = r.appendExpr(e.hidden, t.get(i, "filter_expr"))
		return e
	case "CAST":
		ct := t.get(i, "cast_type")
		te := t.get(t.get(ct, "type_info"), "expr")
		e := newExpr(eCast, t.getStr(te, "type_name"), r.expr(t.get(i, "child")))
		if e.name == "" {
			e.name = t.getStr(ct, "id")
		}
		e.hidden = r.exprs(t.get(te, "children"))
		return e
	case "CASE":
		e := newExpr(eCase, "")
		for c := range t.elems(t.get(i, "case_checks")) {
			e.args = append(e.args, r.expr(t.get(c, "when_expr")), r.expr(t.get(c, "then_expr")))
		}
		e.args = append(e.args, r.expr(t.get(i, "else_expr")))
		return e
	case "SUBQUERY":
		e := &expr{kind: eSub, name: strings.ToLower(t.getStr(i, "subquery_type")), sub: r.query(t.get(t.get(i, "subquery"), "node"))}
		if c := r.expr(t.get(i, "child")); c != nil {
			e.args = []*expr{c}
		}
		return e
	case "LAMBDA":
		params, body := r.expr(t.get(i, "lhs")), r.expr(t.get(i, "expr"))
		if l := lambda(params, body); l != nil {
			return l
		}
		return newExpr(eOther, "", orNull(params), orNull(body))
	case "COMPARISON", "CONJUNCTION", "OPERATOR", "BETWEEN":
		typ := t.getStr(i, "type")
		if typ == "OPERATOR_COALESCE" {
			return newExpr(eFunc, "coalesce", r.exprs(t.get(i, "children"))...)
		}
		e := newExpr(eOther, typ, r.exprs(t.get(i, "children"))...)
		if op, ok := duckComparisons[typ]; ok {
			e.kind, e.name = eOp, op
		}
		for _, key := range [...]string{"left", "right", "input", "lower", "upper"} {
			e.args = r.appendExpr(e.args, t.get(i, key))
		}
		if class == "BETWEEN" {
			e.kind, e.name = eOp, "BETWEEN"
		}
		return e
	}
	return r.generic(i)
}

// columnNames reads the column names of an array of qualified names
// ({"table": ..., "column": ...}) or of one ({"key": {...}, ...}).
func (r *duckReader) columnNames(i int) []string {
	var out []string
	add := func(c int) {
		if k := r.t.get(c, "key"); k >= 0 {
			c = k
		}
		if col := r.t.getStr(c, "column"); col != "" {
			out = append(out, col)
		}
	}
	if r.t.kind(i) == jObject {
		add(i)
	}
	for c := range r.t.elems(i) {
		add(c)
	}
	return out
}

// constant reads a CONSTANT's value.
func (r *duckReader) constant(v int) *expr {
	t := r.t
	typ := t.get(v, "type")
	e := &expr{kind: eConst, name: t.str(t.get(v, "value"))}
	switch id := t.getStr(typ, "id"); {
	case t.truthy(v, "is_null"):
		e.name = "NULL"
	case id == "VARCHAR":
		e.name = "'" + strings.ReplaceAll(e.name, "'", "''") + "'"
	case id == "DECIMAL":
		scale, _ := strconv.Atoi(t.str(t.get(t.get(typ, "type_info"), "scale")))
		neg := strings.HasPrefix(e.name, "-")
		digits := strings.TrimPrefix(e.name, "-")
		if scale > 0 && scale < 40 {
			digits = strings.Repeat("0", max(0, scale+1-len(digits))) + digits
			digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
		}
		if e.name = digits; neg {
			e.name = "-" + digits
		}
	case id == "BOOLEAN":
		e.name = "false"
		if t.kind(t.get(v, "value")) == jTrue {
			e.name = "true"
		}
	}
	return e
}

// generic reads an expression or table ref of a type without a case: its
// operands are every expression found in its members, at any depth.
func (r *duckReader) generic(i int) *expr {
	e := newExpr(eOther, "")
	var walk func(i int)
	walk = func(i int) {
		switch r.t.kind(i) {
		case jArray:
			for c := range r.t.elems(i) {
				walk(c)
			}
		case jObject:
			if r.t.getStr(i, "class") != "" {
				if x := r.expr(i); x != nil {
					e.args = append(e.args, x)
				}
				return
			}
			if n := r.t.get(i, "node"); r.t.kind(n) == jObject {
				e.args = append(e.args, &expr{kind: eSub, sub: r.query(n)})
				return
			}
			for c := r.t.first(i); c >= 0; c = r.t.after(i, c) {
				walk(c)
			}
		}
	}
	for c := r.t.first(i); c >= 0; c = r.t.after(i, c) {
		walk(c)
	}
	return e
}
