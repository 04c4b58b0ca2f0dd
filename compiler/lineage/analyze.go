package lineage

import (
	"slices"
	"strconv"
	"strings"
)

// analyzer resolves one statement's column references.
type analyzer struct {
	cat  Catalog
	duck bool
	// quiet is positive while resolving expressions outside SELECT lists,
	// whose misses (output aliases in ORDER BY...) are not worth reporting.
	quiet      int
	unresolved map[string]bool
}

// eq compares identifiers: exactly for PostgreSQL (pg_query has already
// folded unquoted ones), ignoring case for DuckDB.
func (a *analyzer) eq(x, y string) bool {
	if a.duck {
		return eqFold(x, y)
	}
	return x == y
}

// miss records something lineage could not attribute.
func (a *analyzer) miss(what string) {
	if a.quiet > 0 {
		return
	}
	if a.unresolved == nil {
		a.unresolved = map[string]bool{}
	}
	a.unresolved[what] = true
}

func (a *analyzer) unresolvedList() []string {
	if len(a.unresolved) == 0 {
		return nil
	}
	out := make([]string, 0, len(a.unresolved))
	for k := range a.unresolved {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// scope is the FROM clause of a SELECT being analyzed, inside the scopes
// of the queries it is nested in.
type scope struct {
	parent *scope
	items  []*nsItem
	// ctes are the CTEs visible in the SELECT.
	ctes *cteScope
}

// nsItem is one FROM item: the names it can be qualified by, and its
// columns for unqualified references and *.
type nsItem struct {
	names []rangeName
	rel   *relation
}

// rangeName is a name columns can be qualified by: an alias, or a table's
// (schema-qualified) name.
type rangeName struct {
	name, schema string
	rel          *relation
}

// cteScope is one CTE, chained to those defined before it.
type cteScope struct {
	parent *cteScope
	def    *cte
	// node is the ephemeral model the CTE inlines, if the Catalog knows it.
	node string
	// env and outer are what the CTE's body sees.
	env   *cteScope
	outer *scope
	rel   *relation
	// busy is set while the body is analyzed; anchor is a recursive CTE's
	// non-recursive part, which its self-references read.
	busy      bool
	recursive bool
	anchor    *relation
}

// query analyzes a query in the scope outer, with the CTEs ctes visible.
// With wantReads it also returns every column the query reads outside its
// output columns (for a subquery used as an expression).
func (a *analyzer) query(q *query, outer *scope, ctes *cteScope, wantReads bool) (*relation, []Edge) {
	if q == nil {
		return &relation{partial: "a query the parse tree does not show"}, nil
	}
	if len(q.ctes) > 0 {
		ctes = a.defineCTEs(q, outer, ctes)
	}
	if q.sel != nil {
		return a.selectStmt(q.sel, outer, ctes, wantReads)
	}
	l, lr := a.query(q.left, outer, ctes, wantReads)
	r, rr := a.query(q.right, outer, ctes, wantReads)
	out := a.setOp(q, l, r)
	var reads []Edge
	if wantReads {
		reads = addEdges(lr, rr, Derived)
		reads = a.readsOf(q.reads, &scope{parent: outer, ctes: ctes}, reads)
	}
	return out, reads
}

// defineCTEs chains the CTEs of q onto ctes.
func (a *analyzer) defineCTEs(q *query, outer *scope, ctes *cteScope) *cteScope {
	var defined []*cteScope
	for _, c := range q.ctes {
		cs := &cteScope{parent: ctes, def: c, env: ctes, outer: outer, recursive: q.recursive}
		if strings.HasPrefix(c.name, EphemeralPrefix) && a.cat != nil {
			cs.node, _ = a.cat.NodeForRelation("", c.name)
		}
		ctes = cs
		defined = append(defined, cs)
	}
	if q.recursive {
		for _, cs := range defined {
			cs.env = ctes
		}
	}
	return ctes
}

// cteRelation analyzes a CTE's body, once.
func (a *analyzer) cteRelation(c *cteScope) *relation {
	switch {
	case c.rel != nil:
		return c.rel
	case c.busy && c.anchor != nil:
		return c.anchor
	case c.busy:
		return &relation{partial: "a recursive CTE without a UNION"}
	}
	if c.node != "" {
		if cols := a.cat.Columns(c.node); cols != nil {
			c.rel = nodeRelation(c.node, c.def.name, cols)
			return c.rel
		}
	}
	c.busy = true
	if c.node != "" {
		// The ephemeral model's own analysis reports what it cannot resolve.
		a.quiet++
		defer func() { a.quiet-- }()
	}
	var rel *relation
	if q := c.def.q; c.recursive && q != nil && q.sel == nil && q.op == "union" && len(q.ctes) == 0 {
		// The recursive part reads the anchor's columns.
		l, _ := a.query(q.left, c.outer, c.env, false)
		c.anchor = withAliases(l, c.def.cols)
		r, _ := a.query(q.right, c.outer, c.env, false)
		rel = a.setOp(q, l, r)
	} else {
		rel, _ = a.query(q, c.outer, c.env, false)
	}
	rel = withAliases(rel, c.def.cols)
	c.busy = false
	if c.node != "" {
		names := make([]string, len(rel.cols))
		for i, col := range rel.cols {
			names[i] = col.name
		}
		if rel.incomplete() != "" {
			names = nil
		}
		rel = nodeRelation(c.node, c.def.name, names)
	}
	c.rel = rel
	return rel
}

// setOp combines the branches of a UNION, INTERSECT or EXCEPT: column i
// comes from column i of each (by name for UNION BY NAME), under the
// left branch's name.
func (a *analyzer) setOp(q *query, l, r *relation) *relation {
	out := &relation{partial: l.incomplete()}
	if out.partial == "" {
		out.partial = r.incomplete()
	}
	if q.byName {
		out.cols = slices.Clone(l.cols)
		for _, rc := range r.cols {
			i := slices.IndexFunc(out.cols, func(c column) bool { return a.eq(c.name, rc.name) })
			if i < 0 {
				out.cols = append(out.cols, rc)
				continue
			}
			out.cols[i].edges = addEdges(slices.Clone(out.cols[i].edges), rekind(rc.edges, out.cols[i].name), Passthrough)
		}
		return out
	}
	if len(l.cols) != len(r.cols) && out.partial == "" {
		out.partial = "the branches of a " + strings.ToUpper(q.op) + " have different numbers of columns"
	}
	out.cols = make([]column, len(l.cols))
	for i, lc := range l.cols {
		out.cols[i] = lc
		if i < len(r.cols) {
			out.cols[i].edges = addEdges(slices.Clone(lc.edges), rekind(r.cols[i].edges, lc.name), Passthrough)
		}
	}
	return out
}

// selectStmt analyzes one SELECT or VALUES block.
func (a *analyzer) selectStmt(s *selectStmt, outer *scope, ctes *cteScope, wantReads bool) (*relation, []Edge) {
	sc := &scope{parent: outer, ctes: ctes}
	for _, f := range s.from {
		sc.items = append(sc.items, a.fromItem(f, sc))
	}
	out := &relation{cols: make([]column, 0, len(s.targets))}
	for i, row := range s.values {
		for j, e := range row {
			if j >= len(out.cols) {
				name := "column" + strconv.Itoa(j+1)
				if a.duck {
					name = "col" + strconv.Itoa(j)
				}
				out.cols = append(out.cols, column{name: name})
			}
			out.cols[j].edges = a.exprEdges(e, sc, out.cols[j].edges)
		}
		if i > 0 && len(row) != len(s.values[0]) {
			out.partial = "VALUES lists of different lengths"
		}
	}
	for _, t := range s.targets {
		switch {
		case t.e.kind == eStar:
			a.expandStar(out, sc, t.e)
			continue
		case a.duck && t.e.kind == eFunc && eqFold(t.e.name, "columns") && out.partial == "":
			out.partial = "a COLUMNS(...) expression" // as pg_query reads it
		}
		out.cols = append(out.cols, a.targetColumn(t, sc))
	}
	if !wantReads {
		return out, nil
	}
	var reads []Edge
	for _, c := range out.cols {
		reads = addEdges(reads, c.edges, Derived)
	}
	var ons []*expr
	for _, f := range s.from {
		ons = joinConditions(f, ons)
	}
	reads = a.readsOf(ons, sc, reads)
	return out, a.readsOf(s.reads, sc, reads)
}

// readsOf adds the columns the expressions read.
func (a *analyzer) readsOf(es []*expr, sc *scope, reads []Edge) []Edge {
	a.quiet++
	for _, e := range es {
		reads = a.exprEdges(e, sc, reads)
	}
	a.quiet--
	return reads
}

// joinConditions appends the ON conditions of a FROM item's joins.
func joinConditions(f *fromItem, out []*expr) []*expr {
	if f.kind != fromJoin {
		return out
	}
	if f.on != nil {
		out = append(out, f.on)
	}
	return joinConditions(f.right, joinConditions(f.left, out))
}
