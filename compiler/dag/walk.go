package dag

// Ancestors returns the nodes id depends on, directly or transitively, at
// most depth edges away (depth < 0 means no limit, 1 means direct parents
// only), in insertion order, excluding id itself even when it lies on a
// cycle. It returns nil if id is not in the graph.
func (g *Graph) Ancestors(id string, depth int) []string {
	return g.related(g.parents, id, depth)
}

// Descendants returns the nodes that depend on id, directly or transitively,
// at most depth edges away (depth < 0 means no limit, 1 means direct children
// only), in insertion order, excluding id itself even when it lies on a
// cycle. It returns nil if id is not in the graph.
func (g *Graph) Descendants(id string, depth int) []string {
	return g.related(g.children, id, depth)
}

// MarkAncestors sets set[i] for every node i that some node in starts
// depends on within depth edges (depth < 0 means no limit). A start node is
// marked only if it is itself an ancestor of a start within depth; marks
// already in set are kept, so several calls build a union. set must have
// length Len() and starts must hold valid indices.
func (g *Graph) MarkAncestors(set []bool, starts []int, depth int) {
	g.mark(g.parents, set, starts, depth)
}

// MarkDescendants sets set[i] for every node i that depends on some node in
// starts within depth edges (depth < 0 means no limit). A start node is
// marked only if it is itself a descendant of a start within depth; marks
// already in set are kept, so several calls build a union. set must have
// length Len() and starts must hold valid indices.
func (g *Graph) MarkDescendants(set []bool, starts []int, depth int) {
	g.mark(g.children, set, starts, depth)
}

// related walks adj from the single node id and returns the marked IDs,
// other than id, in insertion order.
func (g *Graph) related(adj [][]int, id string, depth int) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	set := make([]bool, len(g.ids))
	g.mark(adj, set, []int{i}, depth)
	set[i] = false
	var out []string
	for k, in := range set {
		if in {
			out = append(out, g.ids[k])
		}
	}
	return out
}

// mark runs one breadth-first walk over adj from all starts at once, level
// by level, so each node is expanded once at its shortest distance from any
// start. Every node reached over at least one edge within depth is marked,
// including start nodes reached from another start.
func (g *Graph) mark(adj [][]int, set []bool, starts []int, depth int) {
	visited := make([]bool, len(g.ids))
	frontier := make([]int, 0, len(starts))
	for _, s := range starts {
		if !visited[s] {
			visited[s] = true
			frontier = append(frontier, s)
		}
	}
	var next []int
	for level := 0; len(frontier) > 0 && (depth < 0 || level < depth); level++ {
		next = next[:0]
		for _, u := range frontier {
			for _, v := range adj[u] {
				set[v] = true
				if !visited[v] {
					visited[v] = true
					next = append(next, v)
				}
			}
		}
		frontier, next = next, frontier
	}
}
