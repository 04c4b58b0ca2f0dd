package lineage

import (
	"cmp"
	"slices"
)

// ColumnID names a column of a node.
type ColumnID struct {
	Node, Column string
}

// Hop is a column reached by Graph.Trace: Kind relates it to the traced
// column across the whole path (Derived if any step is), and Depth counts
// the steps.
type Hop struct {
	Edge
	Depth int
}

// Graph is the column lineage of a project, indexed both ways: upstream
// for "martlet lineage MODEL.COLUMN", downstream for --downstream (impact
// analysis). Build it with Add, then read it from any number of
// goroutines.
type Graph struct {
	up   map[ColumnID][]Edge
	down map[ColumnID][]Edge
}

// NewGraph returns an empty graph.
func NewGraph() *Graph {
	return &Graph{up: map[ColumnID][]Edge{}, down: map[ColumnID][]Edge{}}
}

// Add records the lineage of one node's columns (a Result's Columns).
// Each node is added once.
func (g *Graph) Add(node string, cols []ColumnLineage) {
	for _, c := range cols {
		id := ColumnID{node, c.Name}
		g.up[id] = append(g.up[id], c.Upstream...)
		for _, e := range c.Upstream {
			from := ColumnID{e.Node, e.Column}
			down := append(g.down[from], Edge{Node: node, Column: c.Name, Kind: e.Kind})
			slices.SortFunc(down, compareEdges)
			g.down[from] = slices.Compact(down)
		}
	}
}

func compareEdges(x, y Edge) int {
	return cmp.Or(cmp.Compare(x.Node, y.Node), cmp.Compare(x.Column, y.Column), cmp.Compare(x.Kind, y.Kind))
}

// Upstream returns the columns c is computed from. Edges into nodes for
// which through reports true (ephemeral models, say) are replaced by those
// nodes' own upstream columns, recursively, their kinds composed; through
// may be nil.
func (g *Graph) Upstream(c ColumnID, through func(node string) bool) []Edge {
	var out []Edge
	seen := map[ColumnID]bool{c: true}
	var visit func(id ColumnID, via EdgeKind)
	visit = func(id ColumnID, via EdgeKind) {
		for _, e := range g.up[id] {
			kind := compose(via, e.Kind, c.Column, e.Column)
			next := ColumnID{e.Node, e.Column}
			if through != nil && through(e.Node) {
				if !seen[next] {
					seen[next] = true
					visit(next, kind)
				}
				continue
			}
			out = addEdges(out, []Edge{{Node: e.Node, Column: e.Column, Kind: kind}}, Passthrough)
		}
	}
	visit(c, Passthrough)
	slices.SortFunc(out, compareEdges)
	return out
}

// compose is the kind of an edge from column to up reached through a
// path of kind via followed by a step of kind step.
func compose(via, step EdgeKind, column, up string) EdgeKind {
	switch {
	case via == Derived || step == Derived:
		return Derived
	case column == up:
		return Passthrough
	}
	return Renamed
}

// Downstream returns the columns computed directly from c, each as an
// Edge naming the dependant column and the kind of its edge from c.
func (g *Graph) Downstream(c ColumnID) []Edge {
	return slices.Clone(g.down[c])
}

// Trace returns every column c depends on (or, with downstream, every
// column that depends on c), breadth first, each once, at its shortest
// distance.
func (g *Graph) Trace(c ColumnID, downstream bool) []Hop {
	index := g.up
	if downstream {
		index = g.down
	}
	type item struct {
		id    ColumnID
		kind  EdgeKind
		depth int
	}
	seen := map[ColumnID]bool{c: true}
	queue := []item{{c, Passthrough, 0}}
	var out []Hop
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		for _, e := range index[it.id] {
			next := ColumnID{e.Node, e.Column}
			if seen[next] {
				continue
			}
			seen[next] = true
			kind := compose(it.kind, e.Kind, c.Column, e.Column)
			out = append(out, Hop{Edge: Edge{Node: e.Node, Column: e.Column, Kind: kind}, Depth: it.depth + 1})
			queue = append(queue, item{next, kind, it.depth + 1})
		}
	}
	return out
}
