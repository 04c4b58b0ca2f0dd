package lineage

import "strings"

// columnRef reads a ColumnRef body: a column, or a star.
func (r *pgReader) columnRef(b int) *expr {
	fields := r.t.get(b, "fields")
	parts := make([]string, 0, r.t.count(fields))
	star := false
	for c := range r.t.elems(fields) {
		switch typ, fb := r.node(c); typ {
		case "String":
			parts = append(parts, r.ident(r.t.getStr(fb, "sval")))
		case "A_Star":
			star = true
		}
	}
	switch {
	case star:
		return r.alloc(expr{kind: eStar, qual: parts})
	case len(parts) == 0:
		return nil
	}
	return r.alloc(expr{kind: eCol, name: parts[len(parts)-1], qual: parts[:len(parts)-1]})
}

// constant reads an A_Const body.
func (r *pgReader) constant(b int) *expr {
	t := r.t
	e := r.alloc(expr{kind: eConst})
	switch {
	case t.truthy(b, "isnull"):
		e.name = "NULL"
	case t.get(b, "ival") >= 0:
		e.name = t.getStr(t.get(b, "ival"), "ival")
		if e.name == "" {
			e.name = "0"
		}
	case t.get(b, "fval") >= 0:
		e.name = t.getStr(t.get(b, "fval"), "fval")
	case t.get(b, "sval") >= 0:
		s := t.getStr(t.get(b, "sval"), "sval")
		e.name = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case t.get(b, "boolval") >= 0:
		e.name = "false"
		if t.truthy(t.get(b, "boolval"), "boolval") {
			e.name = "true"
		}
	default:
		e.name = t.getStr(t.get(b, "bsval"), "bsval")
	}
	return e
}

// funcCall reads a FuncCall body: a function, aggregate or window call.
func (r *pgReader) funcCall(b int) *expr {
	t := r.t
	var name string
	for c := range t.elems(t.get(b, "funcname")) {
		_, sb := r.node(c)
		name = t.getStr(sb, "sval")
	}
	e := r.newExpr(eFunc, name, r.exprs(t.get(b, "args"))...)
	for i, a := range e.args {
		// DuckDB's x -> x + 1, not the JSON operator j -> 'key'.
		if r.duck && a.kind == eOp && a.name == "->" && len(a.args) == 2 && a.args[1].kind != eConst {
			if l := lambda(a.args[0], a.args[1]); l != nil {
				e.args[i] = l
			}
		}
	}
	e.countStar = t.truthy(b, "agg_star") && name == "count"
	e.distinct = t.truthy(b, "agg_distinct")
	e.hidden = r.exprs(t.get(b, "agg_order"))
	if f := r.expr(t.get(b, "agg_filter")); f != nil {
		e.hidden = append(e.hidden, f)
	}
	if w := t.get(b, "over"); w >= 0 {
		e.window = true
		e.hidden = append(e.hidden, r.window(w)...)
	}
	return e
}

// aExpr reads an A_Expr body: an operator, IN, BETWEEN, LIKE, NULLIF...
func (r *pgReader) aExpr(b int) *expr {
	t := r.t
	var op string
	for c := range t.elems(t.get(b, "name")) {
		_, sb := r.node(c)
		op = t.getStr(sb, "sval")
	}
	left := r.expr(t.get(b, "lexpr"))
	right := t.get(b, "rexpr")
	switch kind := t.getStr(b, "kind"); kind {
	case "AEXPR_OP", "AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR":
		return r.withArgs(r.newExpr(eOp, op), left, r.expr(right))
	case "AEXPR_DISTINCT":
		return r.withArgs(r.newExpr(eOp, "IS DISTINCT FROM"), left, r.expr(right))
	case "AEXPR_NOT_DISTINCT":
		return r.withArgs(r.newExpr(eOp, "IS NOT DISTINCT FROM"), left, r.expr(right))
	case "AEXPR_NULLIF":
		return r.withArgs(r.newExpr(eFunc, "nullif"), left, r.expr(right))
	case "AEXPR_PAREN":
		return left
	case "AEXPR_IN", "AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN", "AEXPR_BETWEEN_SYM", "AEXPR_NOT_BETWEEN_SYM":
		if kind == "AEXPR_IN" {
			if op == "<>" {
				op = "NOT IN"
			} else {
				op = "IN"
			}
		}
		e := r.withArgs(r.newExpr(eOp, op), left)
		if typ, lb := r.node(right); typ == "List" {
			return r.withArgs(e, r.exprs(t.get(lb, "items"))...)
		}
		return r.withArgs(e, r.expr(right))
	}
	return r.withArgs(r.newExpr(eOther, ""), left, r.expr(right))
}

// subLink reads a SubLink body: a subquery used as an expression.
func (r *pgReader) subLink(b int) *expr {
	t := r.t
	e := r.alloc(expr{kind: eSub})
	if typ, sb := r.node(t.get(b, "subselect")); typ == "SelectStmt" {
		e.sub = r.query(sb)
	}
	switch t.getStr(b, "subLinkType") {
	case "EXISTS_SUBLINK":
		e.name = "exists"
	case "ARRAY_SUBLINK":
		e.name = "array"
	case "EXPR_SUBLINK":
		e.name = "expr"
	}
	return r.withArgs(e, r.expr(t.get(b, "testexpr")))
}
