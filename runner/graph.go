package runner

import (
	"martlet/compiler/dag"
	"martlet/compiler/manifest"
)

// buildGraph returns the graph `build` schedules on: the manifest's
// dependency graph plus, as in dbt, an edge from a test to each model
// built on the data it checks, so that a failing test skips what depends
// on it. Like dbt, a test gates a node only when every node the test
// reads is upstream of that node: a relationships test on a and s does
// not gate a sibling b that reads s alone.
func buildGraph(m *manifest.Manifest) *dag.Graph {
	base := m.Graph()
	g := dag.New()
	for _, n := range m.Nodes {
		g.AddNode(n.ID)
	}
	for _, n := range m.Nodes {
		for _, p := range n.DependsOn {
			g.AddEdge(p, n.ID)
		}
	}
	ancestors := map[int][]bool{}
	upstreamOf := func(c int) []bool {
		set, ok := ancestors[c]
		if !ok {
			set = make([]bool, base.Len())
			base.MarkAncestors(set, []int{c}, -1)
			ancestors[c] = set
		}
		return set
	}
	for _, t := range m.Nodes {
		if t.Kind != manifest.Test {
			continue
		}
		parents := make([]int, 0, len(t.DependsOn))
		for _, p := range t.DependsOn {
			if i, ok := base.Index(p); ok {
				parents = append(parents, i)
			}
		}
		seen := map[int]bool{}
		for _, p := range parents {
			for _, c := range base.ChildIndices(p) {
				child := m.Node(base.ID(c))
				if seen[c] || child == nil || child.Kind == manifest.Test {
					continue
				}
				seen[c] = true
				if len(parents) == 1 || allUpstream(parents, upstreamOf(c)) {
					g.AddEdge(t.ID, child.ID)
				}
			}
		}
	}
	return g
}

// allUpstream reports whether every node of parents is in the set.
func allUpstream(parents []int, set []bool) bool {
	for _, p := range parents {
		if !set[p] {
			return false
		}
	}
	return true
}
