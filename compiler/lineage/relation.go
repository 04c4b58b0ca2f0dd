package lineage

import (
	"slices"
	"strings"
)

// column is an output column of a relation inside the query: a table, CTE,
// subquery or join. Its edges say how it relates to node columns, under
// its own name.
type column struct {
	name      string
	edges     []Edge
	generated bool
}

// open stands for columns of a relation that are not known by name: a
// node whose columns the Catalog does not know (a column x reads node.x),
// a relation outside the Catalog (columns read nothing known), or a table
// function without column aliases (every column derives from its edges).
type open struct {
	node  string
	label string
	edges []Edge
}

// column returns the open relation's column called name.
func (o open) column(name string) column {
	if o.node != "" {
		return column{name: name, edges: []Edge{{Node: o.node, Column: name}}}
	}
	return column{name: name, edges: o.edges}
}

// relation is the output of a table, CTE, subquery or join.
type relation struct {
	cols  []column
	opens []open
	// partial says why cols are not all the columns in order (a * over a
	// relation of unknown columns, UNION branches that do not match), ""
	// when they are.
	partial string
}

// incomplete says why the relation's column list is not known, or "".
func (r *relation) incomplete() string {
	if r.partial != "" {
		return r.partial
	}
	if len(r.opens) > 0 {
		return "the columns of " + r.opens[0].label + " are unknown"
	}
	return ""
}

// findStatus is how a relation has a column.
type findStatus uint8

const (
	notFound  findStatus = iota
	known                // by name
	opened               // through its one open relation
	ambiguous            // through one of several open relations
)

// find looks up a column by name.
func (r *relation) find(a *analyzer, name string) (column, findStatus) {
	for _, c := range r.cols {
		if a.eq(c.name, name) {
			return c, known
		}
	}
	switch len(r.opens) {
	case 0:
		return column{}, notFound
	case 1:
		return r.opens[0].column(name), opened
	}
	return column{}, ambiguous
}

// withAliases renames the first columns of r (an alias list such as
// t(a, b) or a CTE's column list).
func withAliases(r *relation, names []string) *relation {
	if len(names) == 0 {
		return r
	}
	out := &relation{cols: slices.Clone(r.cols), opens: r.opens, partial: r.partial}
	for i, n := range names {
		if i < len(out.cols) {
			out.cols[i] = column{name: n, edges: rekind(out.cols[i].edges, n)}
		} else if r.incomplete() == "" {
			out.cols = append(out.cols, column{name: n})
		}
	}
	return out
}

// nodeRelation is the relation of a node: its known columns, each the
// node's own, or an open relation.
func nodeRelation(id, label string, cols []string) *relation {
	if cols == nil {
		return &relation{opens: []open{{node: id, label: label}}}
	}
	r := &relation{cols: make([]column, len(cols))}
	edges := make([]Edge, len(cols))
	for i, c := range cols {
		edges[i] = Edge{Node: id, Column: c}
		r.cols[i] = column{name: c, edges: edges[i : i+1 : i+1]}
	}
	return r
}

// join combines the relations of a join's sides: with USING (or NATURAL)
// the shared columns first, read from both sides, then the others.
func (a *analyzer) join(l, r *relation, using []string, natural bool) *relation {
	out := &relation{opens: append(slices.Clip(l.opens), r.opens...), partial: l.partial}
	if out.partial == "" {
		out.partial = r.partial
	}
	if natural {
		if len(l.opens) > 0 || len(r.opens) > 0 {
			out.partial = "a NATURAL JOIN with a relation whose columns are unknown"
		}
		for _, c := range l.cols {
			if _, st := r.find(a, c.name); st == known {
				using = append(using, c.name)
			}
		}
	}
	shared := func(name string) bool {
		return slices.ContainsFunc(using, func(u string) bool { return a.eq(u, name) })
	}
	for _, u := range using {
		lc, _ := l.find(a, u)
		rc, _ := r.find(a, u)
		name := u
		if lc.name != "" {
			name = lc.name
		}
		out.cols = append(out.cols, column{name: name, edges: addEdges(slices.Clone(lc.edges), rc.edges, Passthrough)})
	}
	for _, side := range [...]*relation{l, r} {
		for _, c := range side.cols {
			if !shared(c.name) {
				out.cols = append(out.cols, c)
			}
		}
	}
	return out
}

// rekind returns edges as seen from a column called name that is the same
// value: non-derived edges are Passthrough if the upstream column has the
// name, Renamed if not.
func rekind(edges []Edge, name string) []Edge {
	out := make([]Edge, len(edges))
	for i, e := range edges {
		if e.Kind != Derived {
			e.Kind = Renamed
			if e.Column == name {
				e.Kind = Passthrough
			}
		}
		out[i] = e
	}
	return out
}

// addEdges adds edges to set, each of at least kind min; an edge already
// in set keeps the stronger kind.
func addEdges(set, edges []Edge, min EdgeKind) []Edge {
	for _, e := range edges {
		e.Kind = max(e.Kind, min)
		if i := slices.IndexFunc(set, func(s Edge) bool { return s.Node == e.Node && s.Column == e.Column }); i >= 0 {
			set[i].Kind = max(set[i].Kind, e.Kind)
			continue
		}
		set = append(set, e)
	}
	return set
}

// derived returns edges all of kind Derived.
func derived(edges []Edge) []Edge { return addEdges(nil, edges, Derived) }

// eqFold compares identifiers as DuckDB does, ignoring case.
func eqFold(x, y string) bool { return strings.EqualFold(x, y) }
