package scheduler

import (
	"fmt"

	"martlet/compiler/dag"
)

// plan is the dependency bookkeeping of one run, indexed by graph node index.
//
// A run covers a subset of the graph. A run node must wait for every run
// node it reaches upward, directly or through nodes outside the run, so the
// plan also keeps the connecting nodes: those outside the run that are both
// a descendant and an ancestor of run nodes. They act as pass-through nodes
// that are never executed or reported: one finishes as soon as its own
// parents in the plan have finished, and a failure skips through it. This
// orders the run by reachability without materializing the transitive run
// edges, at O(nodes + edges) for the whole run.
type plan struct {
	g *dag.Graph
	// ids are the run nodes in the given order; a node's position in ids
	// ranks it among ready nodes.
	ids []string
	// nodes holds the graph index of each run node, by position.
	nodes []int
	// position maps a graph index to its position in ids, or -1 for a node
	// outside the run.
	position []int
	// inPlan marks run nodes and pass-through nodes.
	inPlan []bool
	// pending counts, per node in the plan, its parents in the plan that
	// have not finished yet.
	pending []int
}

// newPlan validates the run nodes and computes the plan. It rejects IDs not
// in g, duplicates, and a cycle among the plan's nodes.
func newPlan(g *dag.Graph, ids []string) (*plan, error) {
	n := g.Len()
	p := &plan{
		g:        g,
		ids:      ids,
		position: make([]int, n),
		inPlan:   make([]bool, n),
		pending:  make([]int, n),
	}
	for i := range p.position {
		p.position[i] = -1
	}
	p.nodes = make([]int, len(ids))
	for pos, id := range ids {
		i, ok := g.Index(id)
		if !ok {
			return nil, fmt.Errorf("scheduler: node %q is not in the graph", id)
		}
		if p.position[i] >= 0 {
			return nil, fmt.Errorf("scheduler: node %q is listed twice", id)
		}
		p.position[i] = pos
		p.nodes[pos] = i
	}
	if len(ids) < n {
		below := make([]bool, n)
		above := make([]bool, n)
		g.MarkDescendants(below, p.nodes, -1)
		g.MarkAncestors(above, p.nodes, -1)
		for i := range p.inPlan {
			p.inPlan[i] = below[i] && above[i]
		}
	}
	for _, i := range p.nodes {
		p.inPlan[i] = true
	}
	for i, in := range p.inPlan {
		if !in {
			continue
		}
		for _, parent := range g.ParentIndices(i) {
			if p.inPlan[parent] {
				p.pending[i]++
			}
		}
	}
	if !p.acyclic() {
		return nil, fmt.Errorf("scheduler: %w", &dag.CycleError{Cycles: g.Cycles()})
	}
	return p, nil
}

// acyclic reports whether every node in the plan can be finished, by
// finishing nodes on a copy of the pending counts.
func (p *plan) acyclic() bool {
	pending := append([]int(nil), p.pending...)
	var stack []int
	total := 0
	for i, in := range p.inPlan {
		if in {
			total++
			if pending[i] == 0 {
				stack = append(stack, i)
			}
		}
	}
	finished := 0
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		finished++
		for _, c := range p.g.ChildIndices(u) {
			if !p.inPlan[c] {
				continue
			}
			pending[c]--
			if pending[c] == 0 {
				stack = append(stack, c)
			}
		}
	}
	return finished == total
}
