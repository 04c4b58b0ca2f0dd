package dag

import (
	"slices"
	"strconv"
	"testing"
)

func equalChains(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}

func TestCycles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes []string
		edges [][2]string
		want  [][]string
	}{
		{
			name:  "acyclic",
			edges: [][2]string{{"a", "b"}, {"b", "c"}, {"a", "c"}},
		},
		{
			name:  "two-cycle",
			edges: [][2]string{{"a", "b"}, {"b", "a"}},
			want:  [][]string{{"a", "b", "a"}},
		},
		{
			name:  "three-cycle starts at the earliest node",
			nodes: []string{"c", "b", "a"},
			edges: [][2]string{{"a", "b"}, {"b", "c"}, {"c", "a"}},
			want:  [][]string{{"c", "a", "b", "c"}},
		},
		{
			name:  "self-loop",
			edges: [][2]string{{"a", "b"}, {"b", "b"}},
			want:  [][]string{{"b", "b"}},
		},
		{
			name: "two separate cycles",
			edges: [][2]string{
				{"x", "y"}, {"y", "x"},
				{"p", "q"}, {"q", "r"}, {"r", "p"},
			},
			want: [][]string{{"x", "y", "x"}, {"p", "q", "r", "p"}},
		},
		{
			name: "cycle reachable from an acyclic part",
			edges: [][2]string{
				{"src", "stg"}, {"stg", "m1"}, {"m1", "m2"}, {"m2", "m3"}, {"m3", "m1"},
				{"m3", "mart"}, {"src", "other"},
			},
			want: [][]string{{"m1", "m2", "m3", "m1"}},
		},
		{
			name: "shortest cycle through the first node of a larger component",
			edges: [][2]string{
				{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}, {"b", "a"},
			},
			want: [][]string{{"a", "b", "a"}},
		},
		{
			name:  "self-loop inside a component comes first",
			edges: [][2]string{{"a", "b"}, {"b", "a"}, {"a", "a"}},
			want:  [][]string{{"a", "a"}, {"a", "b", "a"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := build(tc.nodes, tc.edges)
			got := g.Cycles()
			if !equalChains(got, tc.want) {
				t.Fatalf("Cycles() = %v, want %v", got, tc.want)
			}
			for _, chain := range got {
				assertChainFollowsEdges(t, g, chain)
			}
			_, err := g.TopoOrder()
			if (err != nil) != (tc.want != nil) {
				t.Errorf("TopoOrder() error = %v, want an error: %v", err, tc.want != nil)
			}
		})
	}
}

func assertChainFollowsEdges(t *testing.T, g *Graph, chain []string) {
	t.Helper()
	if len(chain) < 2 || chain[0] != chain[len(chain)-1] {
		t.Fatalf("chain %v does not start and end at the same node", chain)
	}
	for k := 1; k < len(chain); k++ {
		if !slices.Contains(g.Children(chain[k-1]), chain[k]) {
			t.Fatalf("chain %v: no edge %s -> %s", chain, chain[k-1], chain[k])
		}
	}
}

func TestCyclesOnLongChainLoop(t *testing.T) {
	// A 100,000-node loop must not exhaust the stack and must come back whole.
	const n = 100_000
	g := New()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "n" + strconv.Itoa(i)
	}
	for i := range ids {
		g.AddEdge(ids[i], ids[(i+1)%n])
	}
	cycles := g.Cycles()
	if len(cycles) != 1 {
		t.Fatalf("Cycles() returned %d cycles, want 1", len(cycles))
	}
	if got := len(cycles[0]); got != n+1 {
		t.Fatalf("cycle length = %d, want %d", got, n+1)
	}
	assertChainFollowsEdges(t, g, cycles[0])
}
