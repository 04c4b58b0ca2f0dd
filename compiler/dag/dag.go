// Package dag owns martlet's dependency graph: a directed graph of string
// node IDs (such as "model.shop.orders") in which an edge runs from a parent
// to the child that depends on it. It answers the questions the compiler,
// the node selector and the scheduler ask of that graph: parents and
// children, dependency order, cycles, and ancestor or descendant sets.
//
// Nodes are stored under dense int indices assigned in insertion order, and
// every query is linear in the part of the graph it touches, so graphs of
// tens of thousands of nodes stay cheap. The index-based methods (Index, ID,
// ParentIndices, ChildIndices, MarkAncestors, MarkDescendants) let callers
// such as the selector work with plain []bool sets instead of string maps.
//
// A Graph is not safe for concurrent mutation; once built, any number of
// goroutines may read it at the same time.
package dag

// Graph is a directed graph of string node IDs; an edge from parent to child
// means the child depends on the parent. The zero value is an empty graph
// ready to use.
type Graph struct {
	ids      []string
	index    map[string]int
	parents  [][]int
	children [][]int
	edges    int
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{index: make(map[string]int)}
}

// AddNode adds the node id if it is not in the graph yet. The order in which
// nodes are first added is remembered and breaks ties in every ordered
// result.
func (g *Graph) AddNode(id string) {
	g.addNode(id)
}

// addNode returns the index of id, adding the node first if needed.
func (g *Graph) addNode(id string) int {
	if i, ok := g.index[id]; ok {
		return i
	}
	if g.index == nil {
		g.index = make(map[string]int)
	}
	i := len(g.ids)
	g.index[id] = i
	g.ids = append(g.ids, id)
	g.parents = append(g.parents, nil)
	g.children = append(g.children, nil)
	return i
}

// AddEdge records that child depends on parent, adding either node if it is
// missing. Adding an edge that already exists does nothing. An edge from a
// node to itself is kept, so that Cycles can report it.
func (g *Graph) AddEdge(parent, child string) {
	p := g.addNode(parent)
	c := g.addNode(child)
	if g.hasEdge(p, c) {
		return
	}
	g.children[p] = append(g.children[p], c)
	g.parents[c] = append(g.parents[c], p)
	g.edges++
}

// hasEdge reports whether the edge p -> c exists, scanning whichever of the
// two adjacency lists is shorter (a source read by thousands of models still
// has few parents on the child's side).
func (g *Graph) hasEdge(p, c int) bool {
	if len(g.children[p]) <= len(g.parents[c]) {
		for _, x := range g.children[p] {
			if x == c {
				return true
			}
		}
		return false
	}
	for _, x := range g.parents[c] {
		if x == p {
			return true
		}
	}
	return false
}

// Has reports whether id is a node of the graph.
func (g *Graph) Has(id string) bool {
	_, ok := g.index[id]
	return ok
}

// Len returns the number of nodes.
func (g *Graph) Len() int {
	return len(g.ids)
}

// EdgeCount returns the number of distinct edges.
func (g *Graph) EdgeCount() int {
	return g.edges
}

// Nodes returns every node ID in insertion order.
func (g *Graph) Nodes() []string {
	return append([]string(nil), g.ids...)
}

// Parents returns the nodes id depends on directly, in the order the edges
// were added; nil if id is not in the graph.
func (g *Graph) Parents(id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	return g.names(g.parents[i])
}

// Children returns the nodes that depend on id directly, in the order the
// edges were added; nil if id is not in the graph.
func (g *Graph) Children(id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	return g.names(g.children[i])
}

// Index returns the dense index of id, from 0 to Len()-1 in insertion order,
// and whether id is in the graph.
func (g *Graph) Index(id string) (int, bool) {
	i, ok := g.index[id]
	return i, ok
}

// ID returns the node ID at index i. It panics if i is not in [0, Len()),
// like any out-of-range index.
func (g *Graph) ID(i int) string {
	return g.ids[i]
}

// ParentIndices returns the indices of the direct parents of node i. The
// slice is the graph's own and must not be modified.
func (g *Graph) ParentIndices(i int) []int {
	return g.parents[i]
}

// ChildIndices returns the indices of the direct children of node i. The
// slice is the graph's own and must not be modified.
func (g *Graph) ChildIndices(i int) []int {
	return g.children[i]
}

// names maps node indices to their IDs; nil for an empty list.
func (g *Graph) names(indices []int) []string {
	if len(indices) == 0 {
		return nil
	}
	out := make([]string, len(indices))
	for k, i := range indices {
		out[k] = g.ids[i]
	}
	return out
}
