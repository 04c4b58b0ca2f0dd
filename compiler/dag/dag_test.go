package dag

import (
	"errors"
	"slices"
	"testing"
)

// build returns a graph with the given nodes added first, in order, then the
// given [parent, child] edges.
func build(nodes []string, edges [][2]string) *Graph {
	g := New()
	for _, n := range nodes {
		g.AddNode(n)
	}
	for _, e := range edges {
		g.AddEdge(e[0], e[1])
	}
	return g
}

func TestGraphBasics(t *testing.T) {
	var g Graph // the zero value must be usable
	g.AddNode("a")
	g.AddNode("a")
	g.AddEdge("a", "b")
	g.AddEdge("a", "b")
	g.AddEdge("c", "b")
	g.AddEdge("a", "c")

	if got, want := g.Len(), 3; got != want {
		t.Fatalf("Len() = %d, want %d", got, want)
	}
	if got, want := g.EdgeCount(), 3; got != want {
		t.Fatalf("EdgeCount() = %d, want %d", got, want)
	}
	if got, want := g.Nodes(), []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Nodes() = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		id                string
		has               bool
		index             int
		parents, children []string
	}{
		{id: "a", has: true, index: 0, children: []string{"b", "c"}},
		{id: "b", has: true, index: 1, parents: []string{"a", "c"}},
		{id: "c", has: true, index: 2, parents: []string{"a"}, children: []string{"b"}},
		{id: "missing"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			if got := g.Has(tc.id); got != tc.has {
				t.Errorf("Has = %v, want %v", got, tc.has)
			}
			i, ok := g.Index(tc.id)
			if ok != tc.has || (ok && i != tc.index) {
				t.Errorf("Index = %d, %v; want %d, %v", i, ok, tc.index, tc.has)
			}
			if ok && g.ID(i) != tc.id {
				t.Errorf("ID(%d) = %q, want %q", i, g.ID(i), tc.id)
			}
			if got := g.Parents(tc.id); !slices.Equal(got, tc.parents) {
				t.Errorf("Parents = %v, want %v", got, tc.parents)
			}
			if got := g.Children(tc.id); !slices.Equal(got, tc.children) {
				t.Errorf("Children = %v, want %v", got, tc.children)
			}
		})
	}
}

func TestDuplicateEdgeOnHub(t *testing.T) {
	// The duplicate check scans the shorter adjacency list; exercise both sides.
	g := New()
	for _, c := range []string{"c1", "c2", "c3"} {
		g.AddEdge("hub", c)
	}
	g.AddEdge("p1", "sink")
	g.AddEdge("p2", "sink")
	g.AddEdge("hub", "c2")
	g.AddEdge("p2", "sink")
	g.AddEdge("hub", "sink")
	g.AddEdge("hub", "sink")
	if got, want := g.EdgeCount(), 6; got != want {
		t.Errorf("EdgeCount() = %d, want %d", got, want)
	}
	if got, want := g.Parents("sink"), []string{"p1", "p2", "hub"}; !slices.Equal(got, want) {
		t.Errorf("Parents(sink) = %v, want %v", got, want)
	}
}

func TestTopoOrder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes []string
		edges [][2]string
		want  []string
	}{
		{name: "empty"},
		{
			name:  "independent nodes keep insertion order",
			nodes: []string{"c", "a", "b"},
			want:  []string{"c", "a", "b"},
		},
		{
			name:  "chain added backwards",
			edges: [][2]string{{"b", "c"}, {"a", "b"}},
			want:  []string{"a", "b", "c"},
		},
		{
			name:  "diamond",
			nodes: []string{"d", "c", "b", "a"},
			edges: [][2]string{{"a", "b"}, {"a", "c"}, {"b", "d"}, {"c", "d"}},
			want:  []string{"a", "c", "b", "d"},
		},
		{
			name:  "ready node added earlier wins over deeper branch",
			nodes: []string{"x", "y", "z", "late"},
			edges: [][2]string{{"late", "x"}, {"x", "y"}, {"late", "z"}},
			want:  []string{"late", "x", "y", "z"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := build(tc.nodes, tc.edges)
			for range 3 {
				got, err := g.TopoOrder()
				if err != nil {
					t.Fatalf("TopoOrder() error: %v", err)
				}
				if len(got) != len(tc.want) || !slices.Equal(got, tc.want) {
					t.Fatalf("TopoOrder() = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestTopoOrderRejectsCycle(t *testing.T) {
	g := build([]string{"root"}, [][2]string{{"root", "a"}, {"a", "b"}, {"b", "a"}, {"b", "leaf"}})
	order, err := g.TopoOrder()
	if order != nil {
		t.Errorf("TopoOrder() order = %v, want nil", order)
	}
	var cycleErr *CycleError
	if !errors.As(err, &cycleErr) {
		t.Fatalf("TopoOrder() error = %v, want *CycleError", err)
	}
	want := [][]string{{"a", "b", "a"}}
	if !equalChains(cycleErr.Cycles, want) {
		t.Errorf("CycleError.Cycles = %v, want %v", cycleErr.Cycles, want)
	}
	if got, want := err.Error(), "dependency cycle: a -> b -> a"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestCycleErrorMessageForSeveralCycles(t *testing.T) {
	err := &CycleError{Cycles: [][]string{{"a", "a"}, {"b", "c", "b"}}}
	if got, want := err.Error(), "dependency cycles: a -> a; b -> c -> b"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestTopoOrderRespectsEveryEdge(t *testing.T) {
	g := synthetic(2000, 6000, 1)
	order, err := g.TopoIndices()
	if err != nil {
		t.Fatalf("TopoIndices() error: %v", err)
	}
	if len(order) != g.Len() {
		t.Fatalf("TopoIndices() returned %d nodes, want %d", len(order), g.Len())
	}
	position := make([]int, g.Len())
	for k, i := range order {
		position[i] = k
	}
	for child := range g.Len() {
		for _, parent := range g.ParentIndices(child) {
			if position[parent] >= position[child] {
				t.Fatalf("%s placed at %d, not before its child %s at %d",
					g.ID(parent), position[parent], g.ID(child), position[child])
			}
		}
	}
}
