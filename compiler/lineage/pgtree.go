package lineage

import (
	"strings"
)

// pgReader reads pg_query's JSON parse tree (a raw, unanalyzed tree: every
// node is an object with one member named after its type) into the
// dialect-neutral form. Node types it does not know are searched for
// column references and subqueries all the same.
type pgReader struct {
	slab
	t *tape
	// ident restores the spelling of an identifier pg_query folded to lower
	// case (for DuckDB, which keeps the spelling of names).
	ident func(string) string
	// duck reads DuckDB SQL: x -> x + 1 in a function's arguments is a
	// lambda.
	duck bool
	// windows maps the named windows of the SELECT being read to their
	// PARTITION BY and ORDER BY expressions.
	windows map[string][]*expr
}

// readPostgres reads the tree of one SELECT statement.
func readPostgres(t *tape, duck bool, ident func(string) string) (*query, bool) {
	r := &pgReader{t: t, duck: duck, ident: ident}
	stmt := t.first(t.get(0, "stmts"))
	typ, body := r.node(t.get(stmt, "stmt"))
	if typ != "SelectStmt" {
		return nil, false
	}
	return r.query(body), true
}

// node returns the type and body of the node at i.
func (r *pgReader) node(i int) (string, int) {
	c := r.t.first(i)
	if r.t.kind(i) != jObject || c < 0 {
		return "", -1
	}
	return r.t.text(r.t.vals[c].key), c
}

// strs reads a list of String nodes.
func (r *pgReader) strs(i int) []string {
	var out []string
	for c := range r.t.elems(i) {
		if typ, b := r.node(c); typ == "String" {
			out = append(out, r.ident(r.t.getStr(b, "sval")))
		}
	}
	return out
}

// exprs reads a list of expression nodes.
func (r *pgReader) exprs(i int) []*expr {
	var out []*expr
	for c := range r.t.elems(i) {
		if e := r.expr(c); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// query reads the body of a SelectStmt.
func (r *pgReader) query(b int) *query {
	t := r.t
	q := &query{}
	if w := t.get(b, "withClause"); w >= 0 {
		q.recursive = t.truthy(w, "recursive")
		for c := range t.elems(t.get(w, "ctes")) {
			_, cb := r.node(c)
			ct := &cte{name: r.ident(t.getStr(cb, "ctename")), cols: r.strs(t.get(cb, "aliascolnames"))}
			if typ, qb := r.node(t.get(cb, "ctequery")); typ == "SelectStmt" {
				ct.q = r.query(qb)
			}
			q.ctes = append(q.ctes, ct)
		}
	}
	if op := t.getStr(b, "op"); op != "" && op != "SETOP_NONE" {
		q.op = strings.ToLower(strings.TrimPrefix(op, "SETOP_"))
		q.left, q.right = r.query(t.get(b, "larg")), r.query(t.get(b, "rarg"))
		q.reads = r.reads(b)
		return q
	}
	saved := r.windows
	r.windows = nil
	for c := range t.elems(t.get(b, "windowClause")) {
		if _, wb := r.node(c); wb >= 0 {
			if r.windows == nil {
				r.windows = map[string][]*expr{}
			}
			r.windows[t.getStr(wb, "name")] = r.window(wb)
		}
	}
	s := &selectStmt{}
	for c := range t.elems(t.get(b, "valuesLists")) {
		_, lb := r.node(c)
		var row []*expr
		for v := range t.elems(t.get(lb, "items")) {
			row = append(row, orNull(r.expr(v)))
		}
		s.values = append(s.values, row)
	}
	list := t.get(b, "targetList")
	targets := make([]target, t.count(list))
	s.targets = make([]*target, len(targets))
	i := 0
	for c := range t.elems(list) {
		_, tb := r.node(c)
		targets[i] = target{alias: r.ident(t.getStr(tb, "name")), e: orNull(r.expr(t.get(tb, "val")))}
		s.targets[i] = &targets[i]
		i++
	}
	for c := range t.elems(t.get(b, "fromClause")) {
		if f := r.from(c); f != nil {
			s.from = append(s.from, f)
		}
	}
	s.reads = r.reads(b)
	for _, key := range [...]string{"whereClause", "havingClause"} {
		if e := r.expr(t.get(b, key)); e != nil {
			s.reads = append(s.reads, e)
		}
	}
	s.reads = append(s.reads, r.exprs(t.get(b, "groupClause"))...)
	s.reads = append(s.reads, r.exprs(t.get(b, "distinctClause"))...)
	r.windows = saved
	q.sel = s
	return q
}

// reads reads the ORDER BY and LIMIT of a SelectStmt body.
func (r *pgReader) reads(b int) []*expr {
	out := r.exprs(r.t.get(b, "sortClause"))
	for _, key := range [...]string{"limitCount", "limitOffset"} {
		if e := r.expr(r.t.get(b, key)); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// window reads the PARTITION BY and ORDER BY of a WindowDef body, with
// those of the named window it refines.
func (r *pgReader) window(wb int) []*expr {
	out := r.exprs(r.t.get(wb, "partitionClause"))
	out = append(out, r.exprs(r.t.get(wb, "orderClause"))...)
	for _, key := range [...]string{"name", "refname"} {
		out = append(out, r.windows[r.t.getStr(wb, key)]...)
	}
	return out
}

// from reads a FROM item.
func (r *pgReader) from(i int) *fromItem {
	t := r.t
	typ, b := r.node(i)
	f := &fromItem{}
	if a := t.get(b, "alias"); a >= 0 {
		f.alias, f.colAliases = r.ident(t.getStr(a, "aliasname")), r.strs(t.get(a, "colnames"))
	}
	switch typ {
	case "RangeVar":
		f.kind, f.schema, f.name = fromTable, r.ident(t.getStr(b, "schemaname")), r.ident(t.getStr(b, "relname"))
	case "RangeSubselect":
		f.kind = fromQuery
		if st, qb := r.node(t.get(b, "subquery")); st == "SelectStmt" {
			f.q = r.query(qb)
		}
	case "JoinExpr":
		f.kind, f.natural = fromJoin, t.truthy(b, "isNatural")
		f.left, f.right = r.from(t.get(b, "larg")), r.from(t.get(b, "rarg"))
		f.using, f.on = r.strs(t.get(b, "usingClause")), r.expr(t.get(b, "quals"))
		if f.left == nil || f.right == nil {
			return nil
		}
	case "RangeTableSample":
		inner := r.from(t.get(b, "relation"))
		if inner != nil {
			inner.alias, inner.colAliases = f.alias, f.colAliases
		}
		return inner
	case "":
		return nil
	default: // RangeFunction, RangeTableFunc, JsonTable, ...
		f.kind = fromFunc
		f.args = r.generic(b).args
	}
	return f
}

// expr reads the expression node at i, or returns nil for none.
func (r *pgReader) expr(i int) *expr {
	t := r.t
	typ, b := r.node(i)
	switch typ {
	case "", "String", "Integer", "Float", "Boolean", "BitString", "A_Star":
		return nil
	case "ColumnRef":
		return r.columnRef(b)
	case "A_Const":
		return r.constant(b)
	case "ParamRef":
		return r.alloc(expr{kind: eConst, name: "$" + t.getStr(b, "number")})
	case "FuncCall":
		return r.funcCall(b)
	case "TypeCast":
		tn := t.get(b, "typeName")
		names := r.strs(t.get(tn, "names"))
		e := r.newExpr(eCast, "", r.expr(t.get(b, "arg")))
		if len(names) > 0 {
			e.name = names[len(names)-1]
		}
		e.hidden = r.exprs(t.get(tn, "typmods"))
		if e.args[0] == nil {
			e.args = nil
		}
		return e
	case "A_Expr":
		return r.aExpr(b)
	case "BoolExpr":
		op := strings.TrimSuffix(t.getStr(b, "boolop"), "_EXPR")
		return r.newExpr(eOp, op, r.exprs(t.get(b, "args"))...)
	case "NullTest":
		op := "IS NULL"
		if t.getStr(b, "nulltesttype") == "IS_NOT_NULL" {
			op = "IS NOT NULL"
		}
		return r.withArgs(r.newExpr(eOp, op), r.expr(t.get(b, "arg")))
	case "CaseExpr":
		e := r.newExpr(eCase, "")
		for c := range t.elems(t.get(b, "args")) {
			_, wb := r.node(c)
			e.args = append(e.args, orNull(r.expr(t.get(wb, "expr"))), orNull(r.expr(t.get(wb, "result"))))
		}
		if d := r.expr(t.get(b, "defresult")); d != nil {
			e.args = append(e.args, d)
		}
		if arg := r.expr(t.get(b, "arg")); arg != nil {
			e.hidden = []*expr{arg}
		}
		return e
	case "SubLink":
		return r.subLink(b)
	case "CoalesceExpr":
		return r.newExpr(eFunc, "coalesce", r.exprs(t.get(b, "args"))...)
	case "MinMaxExpr":
		name := "least"
		if t.getStr(b, "op") == "IS_GREATEST" {
			name = "greatest"
		}
		return r.newExpr(eFunc, name, r.exprs(t.get(b, "args"))...)
	case "A_ArrayExpr":
		return r.newExpr(eFunc, "array", r.exprs(t.get(b, "elements"))...)
	case "RowExpr":
		return r.newExpr(eFunc, "row", r.exprs(t.get(b, "args"))...)
	case "GroupingFunc":
		return r.newExpr(eFunc, "grouping", r.exprs(t.get(b, "args"))...)
	case "SQLValueFunction":
		op := strings.TrimSuffix(strings.TrimPrefix(t.getStr(b, "op"), "SVFOP_"), "_N")
		return r.alloc(expr{kind: eFunc, name: strings.ToLower(op), keyword: true})
	case "NamedArgExpr":
		return r.expr(t.get(b, "arg"))
	case "A_Indirection":
		e := r.generic(t.get(b, "indirection"))
		arg := r.expr(t.get(b, "arg"))
		fields := r.strs(t.get(b, "indirection"))
		if arg != nil && arg.kind == eCol && len(e.args) == 0 && len(fields) > 0 {
			// (t).x or (c).field: the column reference t.x or c.field.
			parts := append(append(arg.qual[:len(arg.qual):len(arg.qual)], arg.name), fields...)
			return r.alloc(expr{kind: eCol, qual: parts[:len(parts)-1], name: parts[len(parts)-1]})
		}
		e.args = append([]*expr{arg}, e.args...)
		if len(fields) > 0 {
			e.pgName = fields[len(fields)-1]
		} else {
			e.pgName, _ = pgColname(arg)
		}
		return e
	case "CollateClause":
		arg := r.expr(t.get(b, "arg"))
		e := r.withArgs(r.newExpr(eOther, ""), arg)
		e.pgName, _ = pgColname(arg)
		return e
	case "SelectStmt":
		return r.alloc(expr{kind: eSub, sub: r.query(b)})
	}
	e := r.generic(b)
	e.pgName = pgFuncNodeName(typ, t.getStr(b, "op"))
	return e
}

// withArgs sets e's operands, leaving out missing ones.
func (r *pgReader) withArgs(e *expr, args ...*expr) *expr {
	for _, a := range args {
		if a != nil {
			e.args = append(e.args, a)
		}
	}
	return e
}

// generic reads a node of a type without a case in expr: its operands are
// every expression found in its members, at any depth.
func (r *pgReader) generic(b int) *expr {
	e := r.newExpr(eOther, "")
	var walk func(i int)
	walk = func(i int) {
		switch r.t.kind(i) {
		case jArray:
			for c := range r.t.elems(i) {
				walk(c)
			}
		case jObject:
			if typ, b := r.node(i); isNodeType(typ) && r.t.after(i, b) < 0 {
				if x := r.expr(i); x != nil {
					e.args = append(e.args, x)
				}
				return
			}
			for c := r.t.first(i); c >= 0; c = r.t.after(i, c) {
				walk(c)
			}
		}
	}
	for c := r.t.first(b); c >= 0; c = r.t.after(b, c) {
		walk(c)
	}
	return e
}

// isNodeType reports whether a member name is a pg node type: they are
// capitalized, member names of node bodies are not.
func isNodeType(key string) bool { return key != "" && key[0] >= 'A' && key[0] <= 'Z' }
