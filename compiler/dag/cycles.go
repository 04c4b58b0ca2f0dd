package dag

import (
	"slices"
	"strings"
)

// CycleError reports that a graph cannot be put in dependency order because
// it has cycles.
type CycleError struct {
	// Cycles holds every cycle, in the form Graph.Cycles returns.
	Cycles [][]string
}

// Error describes the cycles as chains, e.g.
// "dependency cycle: a -> b -> a; b -> b".
func (e *CycleError) Error() string {
	chains := make([]string, len(e.Cycles))
	for i, c := range e.Cycles {
		chains[i] = strings.Join(c, " -> ")
	}
	noun := "dependency cycle"
	if len(chains) > 1 {
		noun = "dependency cycles"
	}
	return noun + ": " + strings.Join(chains, "; ")
}

// Cycles returns every cycle in the graph: one for each strongly connected
// component of more than one node (found with Tarjan's algorithm), and one
// for each node with an edge to itself. A cycle is a chain that follows edge
// direction and starts and ends at the same node, e.g. ["a", "b", "a"]. For a
// component, the chain is the shortest cycle through its earliest-added node;
// a component can hold other cycles, but one per component is enough to show
// what must be broken. Cycles are ordered by the insertion order of their
// first node, a self-loop before a longer cycle through the same node. It
// returns nil for an acyclic graph.
func (g *Graph) Cycles() [][]string {
	type cycle struct {
		first int
		chain []int
	}
	var found []cycle
	for i, children := range g.children {
		if slices.Contains(children, i) {
			found = append(found, cycle{first: i, chain: []int{i, i}})
		}
	}
	for _, comp := range g.components() {
		chain := g.shortestCycle(comp)
		found = append(found, cycle{first: chain[0], chain: chain})
	}
	if len(found) == 0 {
		return nil
	}
	slices.SortStableFunc(found, func(a, b cycle) int {
		if a.first != b.first {
			return a.first - b.first
		}
		return len(a.chain) - len(b.chain)
	})
	out := make([][]string, len(found))
	for i, c := range found {
		out[i] = g.names(c.chain)
	}
	return out
}

// components returns the strongly connected components of more than one
// node. It is Tarjan's algorithm with an explicit call stack, so long
// dependency chains cannot exhaust the goroutine stack.
func (g *Graph) components() [][]int {
	n := len(g.ids)
	order := make([]int, n) // discovery number + 1; 0 means not yet visited
	low := make([]int, n)
	onStack := make([]bool, n)
	var stack []int
	type frame struct{ node, next int }
	var calls []frame
	discovered := 0
	visit := func(v int) {
		discovered++
		order[v] = discovered
		low[v] = discovered
		stack = append(stack, v)
		onStack[v] = true
		calls = append(calls, frame{node: v})
	}
	var comps [][]int
	for root := range n {
		if order[root] != 0 {
			continue
		}
		visit(root)
		for len(calls) > 0 {
			top := &calls[len(calls)-1]
			v := top.node
			if top.next < len(g.children[v]) {
				w := g.children[v][top.next]
				top.next++
				if order[w] == 0 {
					visit(w)
				} else if onStack[w] {
					low[v] = min(low[v], order[w])
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				parent := calls[len(calls)-1].node
				low[parent] = min(low[parent], low[v])
			}
			if low[v] != order[v] {
				continue
			}
			start := len(stack) - 1
			for stack[start] != v {
				start--
			}
			comp := stack[start:]
			for _, w := range comp {
				onStack[w] = false
			}
			if len(comp) > 1 {
				comps = append(comps, slices.Clone(comp))
			}
			stack = stack[:start]
		}
	}
	return comps
}

// shortestCycle returns the shortest chain from the earliest-added node of
// the strongly connected component comp back to itself, found by a
// breadth-first search that stays inside comp. Every node of a strongly
// connected component reaches every other, so the search always finds one.
func (g *Graph) shortestCycle(comp []int) []int {
	inComp := make(map[int]bool, len(comp))
	for _, v := range comp {
		inComp[v] = true
	}
	start := slices.Min(comp)
	prev := map[int]int{start: start}
	queue := []int{start}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, w := range g.children[u] {
			if w == start && u != start {
				return chainTo(prev, start, u)
			}
			if _, seen := prev[w]; seen || !inComp[w] {
				continue
			}
			prev[w] = u
			queue = append(queue, w)
		}
	}
	panic("dag: strongly connected component without a cycle back to its first node")
}

// chainTo builds start -> ... -> last -> start from the breadth-first
// predecessor map prev.
func chainTo(prev map[int]int, start, last int) []int {
	chain := []int{start}
	for v := last; v != start; v = prev[v] {
		chain = append(chain, v)
	}
	slices.Reverse(chain[1:])
	return append(chain, start)
}
