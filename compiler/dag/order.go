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
	var ready indexHeap
	for i := range n {
		pending[i] = len(g.parents[i])
		if pending[i] == 0 {
			ready.push(i)
		}
	}
	order := make([]int, 0, n)
	for ready.len() > 0 {
		u := ready.pop()
		order = append(order, u)
		for _, c := range g.children[u] {
			pending[c]--
			if pending[c] == 0 {
				ready.push(c)
			}
		}
	}
	if len(order) < n {
		return nil, &CycleError{Cycles: g.Cycles()}
	}
	return order, nil
}

// indexHeap is a binary min-heap of node indices; popping yields the node
// added to the graph earliest.
type indexHeap struct {
	items []int
}

func (h *indexHeap) len() int {
	return len(h.items)
}

func (h *indexHeap) push(x int) {
	h.items = append(h.items, x)
	i := len(h.items) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if h.items[parent] <= x {
			break
		}
		h.items[i] = h.items[parent]
		i = parent
	}
	h.items[i] = x
}

func (h *indexHeap) pop() int {
	top := h.items[0]
	last := len(h.items) - 1
	x := h.items[last]
	h.items = h.items[:last]
	if last == 0 {
		return top
	}
	i := 0
	for {
		child := 2*i + 1
		if child >= last {
			break
		}
		if child+1 < last && h.items[child+1] < h.items[child] {
			child++
		}
		if x <= h.items[child] {
			break
		}
		h.items[i] = h.items[child]
		i = child
	}
	h.items[i] = x
	return top
}
