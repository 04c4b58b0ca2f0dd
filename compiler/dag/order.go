package dag

// TopoOrder returns every node in dependency order: each node comes after all
// of its parents. Among nodes whose parents are all placed, the one added to
// the graph first comes first, so the order is deterministic. If the graph
// has a cycle, TopoOrder returns a *CycleError listing every cycle.
func (g *Graph) TopoOrder() ([]string, error) {
	order, err := g.TopoIndices()
	if err != nil {
		return nil, err
	}
	return g.names(order), nil
}

// TopoIndices is TopoOrder for node indices.
func (g *Graph) TopoIndices() ([]int, error) {
	n := len(g.ids)
	pending := make([]int, n)
	var ready MinHeap
	for i := range n {
		pending[i] = len(g.parents[i])
		if pending[i] == 0 {
			ready.Push(i)
		}
	}
	order := make([]int, 0, n)
	for ready.Len() > 0 {
		u := ready.Pop()
		order = append(order, u)
		for _, c := range g.children[u] {
			pending[c]--
			if pending[c] == 0 {
				ready.Push(c)
			}
		}
	}
	if len(order) < n {
		return nil, &CycleError{Cycles: g.Cycles()}
	}
	return order, nil
}
