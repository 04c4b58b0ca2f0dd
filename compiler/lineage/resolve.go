package lineage

import (
	"strings"
)

// fromItem analyzes a FROM item. Subqueries and table functions see the
// items before them (LATERAL, which DuckDB infers).
func (a *analyzer) fromItem(f *fromItem, sc *scope) *nsItem {
	var rel *relation
	switch f.kind {
	case fromTable:
		rel = withAliases(a.tableRelation(f, sc.ctes), f.colAliases)
	case fromQuery:
		rel, _ = a.query(f.q, sc, sc.ctes, false)
		rel = withAliases(rel, f.colAliases)
	case fromFunc:
		var edges []Edge
		for _, e := range f.args {
			edges = a.exprEdges(e, sc, edges)
		}
		rel = &relation{opens: []open{{label: "a table function", edges: edges}}}
		if len(f.colAliases) > 0 {
			rel = &relation{}
			for _, n := range f.colAliases {
				rel.cols = append(rel.cols, column{name: n, edges: edges})
			}
		}
	case fromJoin:
		l := a.fromItem(f.left, sc)
		lateral := &scope{parent: sc.parent, ctes: sc.ctes, items: append(sc.items[:len(sc.items):len(sc.items)], l)}
		r := a.fromItem(f.right, lateral)
		it := &nsItem{names: append(l.names, r.names...), rel: a.join(l.rel, r.rel, f.using, f.natural)}
		if f.alias != "" {
			it.rel = withAliases(it.rel, f.colAliases)
			it.names = []rangeName{{name: f.alias, rel: it.rel}}
		}
		return it
	}
	it := &nsItem{rel: rel}
	switch {
	case f.alias != "":
		it.names = []rangeName{{name: f.alias, rel: rel}}
	case f.kind == fromTable:
		it.names = []rangeName{{name: f.name, schema: f.schema, rel: rel}}
	}
	return it
}

// tableRelation resolves a table name: a CTE, else a node.
func (a *analyzer) tableRelation(f *fromItem, ctes *cteScope) *relation {
	if f.schema == "" {
		for c := ctes; c != nil; c = c.parent {
			if a.eq(c.def.name, f.name) {
				return a.cteRelation(c)
			}
		}
	}
	label := f.name
	if f.schema != "" {
		label = f.schema + "." + f.name
	}
	if a.cat != nil {
		if id, ok := a.cat.NodeForRelation(f.schema, f.name); ok {
			return nodeRelation(id, id, a.cat.Columns(id))
		}
	}
	a.miss(label)
	return &relation{opens: []open{{label: label}}}
}

// targetColumn analyzes one SELECT item other than a star.
func (a *analyzer) targetColumn(t *target, sc *scope) column {
	e := t.e
	if e.kind == eCol {
		c, ok := a.resolve(sc, e.qual, e.name)
		name := t.alias
		if name == "" {
			name = e.name
			if a.duck && ok && c.name != "" {
				name = c.name // DuckDB names the column as the relation spells it
			}
		}
		return column{name: name, edges: rekind(c.edges, name)}
	}
	c := column{name: t.alias, edges: derived(a.exprEdges(e, sc, nil))}
	if c.name == "" {
		c.generated = true
		if a.duck {
			c.name = duckName(e)
		} else if c.name, _ = pgColname(e); c.name == "" {
			c.name = "?column?"
		}
	}
	return c
}

// expandStar appends the columns of * or t.* (less DuckDB's EXCLUDE, with
// its REPLACE) to out.
func (a *analyzer) expandStar(out *relation, sc *scope, e *expr) {
	var rels []*relation
	if len(e.qual) == 0 {
		for _, it := range sc.items {
			rels = append(rels, it.rel)
		}
	} else if rel := a.rangeRelation(sc, e.qual); rel != nil {
		rels = append(rels, rel)
	} else {
		out.partial = "the relation " + strings.Join(e.qual, ".") + " of a * is unknown"
	}
	mods := e.star
	if mods == nil {
		mods = &starMods{}
	}
	if mods.columns && out.partial == "" {
		out.partial = "a COLUMNS(...) expression"
	}
	for _, r := range rels {
		if why := r.incomplete(); why != "" && out.partial == "" {
			out.partial = why
		}
		out.opens = append(out.opens, r.opens...)
	cols:
		for _, c := range r.cols {
			for _, x := range mods.exclude {
				if a.eq(x, c.name) {
					continue cols
				}
			}
			for _, rt := range mods.replace {
				if a.eq(rt.alias, c.name) {
					c = column{name: c.name, edges: derived(a.exprEdges(rt.e, sc, nil))}
				}
			}
			for _, rn := range mods.rename {
				if a.eq(rn[0], c.name) {
					c = column{name: rn[1], edges: rekind(c.edges, rn[1])}
				}
			}
			out.cols = append(out.cols, c)
		}
	}
}

// rangeRelation finds the relation a qualifier names, in sc's own FROM.
func (a *analyzer) rangeRelation(sc *scope, qual []string) *relation {
	last := qual[len(qual)-1]
	for _, it := range sc.items {
		for _, n := range it.names {
			if a.eq(n.name, last) && (len(qual) == 1 || n.schema == "" || a.eq(n.schema, qual[len(qual)-2])) {
				return n.rel
			}
		}
	}
	return nil
}

// exprEdges adds the columns e reads to set, as Derived edges.
func (a *analyzer) exprEdges(e *expr, sc *scope, set []Edge) []Edge {
	if e == nil {
		return set
	}
	switch e.kind {
	case eCol:
		c, _ := a.resolve(sc, e.qual, e.name)
		set = addEdges(set, c.edges, Derived)
	case eStar:
		star := &relation{}
		a.expandStar(star, sc, e)
		for _, c := range star.cols {
			set = addEdges(set, c.edges, Derived)
		}
	case eSub:
		_, reads := a.query(e.sub, sc, sc.ctes, true)
		set = addEdges(set, reads, Derived)
	case eLambda:
		// The parameters shadow columns and read nothing.
		params := &relation{cols: make([]column, len(e.qual))}
		for i, p := range e.qual {
			params.cols[i] = column{name: p}
		}
		sc = &scope{parent: sc, items: []*nsItem{{rel: params}}, ctes: sc.ctes}
	}
	for _, x := range e.args {
		set = a.exprEdges(x, sc, set)
	}
	for _, x := range e.hidden {
		set = a.exprEdges(x, sc, set)
	}
	return set
}

// resolve finds the column a reference names, trying the longest
// qualifier first: t.x is a column of t, else field x of a column t.
// Unqualified, it may also name a whole row (PostgreSQL's "select t from
// t"). ok is false, and the reference recorded, if nothing matches.
func (a *analyzer) resolve(sc *scope, qual []string, name string) (column, bool) {
	parts := append(qual[:len(qual):len(qual)], name)
	for k := len(parts) - 1; k >= 0; k-- {
		c, st := a.lookup(sc, parts[:k], parts[k])
		switch {
		case st == ambiguous:
			a.miss(strings.Join(parts, ".") + " (in one of several relations of unknown columns)")
			return column{}, false
		case st != notFound && k < len(parts)-1:
			return column{name: name, edges: derived(c.edges)}, true
		case st != notFound:
			return c, true
		}
	}
	if len(qual) == 0 {
		for s := sc; s != nil; s = s.parent {
			if rel := a.rangeRelation(s, parts); rel != nil {
				c := column{name: name}
				for _, rc := range rel.cols {
					c.edges = addEdges(c.edges, rc.edges, Derived)
				}
				return c, true
			}
		}
	}
	a.miss(strings.Join(parts, "."))
	return column{}, false
}

// lookup finds a column in the nearest scope that has it: by qualifier,
// or unqualified, preferring a relation that has it by name to one whose
// columns are unknown.
func (a *analyzer) lookup(sc *scope, qual []string, name string) (column, findStatus) {
	if len(qual) > 3 {
		return column{}, notFound
	}
	for s := sc; s != nil; s = s.parent {
		if len(qual) > 0 {
			if rel := a.rangeRelation(s, qual); rel != nil {
				return rel.find(a, name)
			}
			continue
		}
		var hit, maybe column
		hits, maybes := 0, 0
		for _, it := range s.items {
			switch c, st := it.rel.find(a, name); st {
			case known:
				if hits == 0 {
					hit = c
				} else {
					hit.edges = addEdges(hit.edges[:len(hit.edges):len(hit.edges)], c.edges, Passthrough)
				}
				hits++
			case opened:
				maybe = c
				maybes++
			case ambiguous:
				maybes += 2
			}
		}
		switch {
		case hits > 0:
			return hit, known
		case maybes == 1:
			return maybe, opened
		case maybes > 1:
			return column{}, ambiguous
		}
	}
	return column{}, notFound
}
