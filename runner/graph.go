package runner

import (
	"martlet/compiler/dag"
	"martlet/compiler/manifest"
)

// buildGraph returns the graph `build` schedules on: the manifest's
// dependency graph plus, as in dbt, an edge from every test to the
// dependants of the nodes it tests, so that a failing test skips what is
// built on the data it rejected. An edge that would close a cycle (the
// dependant is upstream of the test, as with a relationships test) is left
// out.
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
	upstream := make([]bool, base.Len())
	for _, t := range m.Nodes {
		if t.Kind != manifest.Test {
			continue
		}
		var starts []int
		for _, p := range t.DependsOn {
			if i, ok := base.Index(p); ok {
				starts = append(starts, i)
			}
		}
		clear(upstream)
		marked := false
		for _, p := range starts {
			for _, c := range base.ChildIndices(p) {
				child := m.Node(base.ID(c))
				if child == nil || child.Kind == manifest.Test {
					continue
				}
				if !marked {
					base.MarkAncestors(upstream, starts, -1)
					for _, s := range starts {
						upstream[s] = true
					}
					marked = true
				}
				if !upstream[c] {
					g.AddEdge(t.ID, child.ID)
				}
			}
		}
	}
	return g
}
