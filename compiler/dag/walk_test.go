package dag

import (
	"slices"
	"testing"
)

// walkGraph is:
//
//	a -> b -> c -> d
//	     b -> e
//	x -> c
func walkGraph() *Graph {
	return build([]string{"a", "b", "c", "d", "e", "x"}, [][2]string{
		{"a", "b"}, {"b", "c"}, {"c", "d"}, {"b", "e"}, {"x", "c"},
	})
}

func TestAncestorsAndDescendants(t *testing.T) {
	g := walkGraph()
	for _, tc := range []struct {
		name        string
		id          string
		depth       int
		ancestors   []string
		descendants []string
	}{
		{name: "root unlimited", id: "a", depth: -1, descendants: []string{"b", "c", "d", "e"}},
		{name: "root depth 1", id: "a", depth: 1, descendants: []string{"b"}},
		{name: "root depth 2", id: "a", depth: 2, descendants: []string{"b", "c", "e"}},
		{name: "depth 0 is empty", id: "c", depth: 0},
		{name: "middle depth 1", id: "c", depth: 1, ancestors: []string{"b", "x"}, descendants: []string{"d"}},
		{name: "leaf unlimited", id: "d", depth: -1, ancestors: []string{"a", "b", "c", "x"}},
		{name: "leaf depth 2", id: "d", depth: 2, ancestors: []string{"b", "c", "x"}},
		{name: "large depth equals unlimited", id: "d", depth: 99, ancestors: []string{"a", "b", "c", "x"}},
		{name: "unknown node", id: "nope", depth: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := g.Ancestors(tc.id, tc.depth); !slices.Equal(got, tc.ancestors) {
				t.Errorf("Ancestors(%q, %d) = %v, want %v", tc.id, tc.depth, got, tc.ancestors)
			}
			if got := g.Descendants(tc.id, tc.depth); !slices.Equal(got, tc.descendants) {
				t.Errorf("Descendants(%q, %d) = %v, want %v", tc.id, tc.depth, got, tc.descendants)
			}
		})
	}
}

func TestWalkExcludesStartOnCycle(t *testing.T) {
	g := build(nil, [][2]string{{"a", "b"}, {"b", "a"}, {"b", "c"}})
	if got, want := g.Descendants("a", -1), []string{"b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Descendants(a) = %v, want %v", got, want)
	}
	if got, want := g.Ancestors("a", -1), []string{"b"}; !slices.Equal(got, want) {
		t.Errorf("Ancestors(a) = %v, want %v", got, want)
	}
}

func TestMarkFromSeveralStarts(t *testing.T) {
	g := walkGraph()
	for _, tc := range []struct {
		name        string
		starts      []string
		depth       int
		premarked   []string
		ancestors   []string
		descendants []string
	}{
		{
			name:        "start reached from another start is marked",
			starts:      []string{"a", "c"},
			depth:       -1,
			ancestors:   []string{"a", "b", "x"},
			descendants: []string{"b", "c", "d", "e"},
		},
		{
			name:        "depth is the distance from the nearest start",
			starts:      []string{"a", "c"},
			depth:       1,
			ancestors:   []string{"b", "x"},
			descendants: []string{"b", "d"},
		},
		{
			name:        "existing marks are kept",
			starts:      []string{"e"},
			depth:       -1,
			premarked:   []string{"x"},
			ancestors:   []string{"a", "b", "x"},
			descendants: []string{"x"},
		},
		{
			name:   "no starts marks nothing",
			starts: nil,
			depth:  -1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			starts := indicesOf(t, g, tc.starts)
			anc := marksOf(t, g, tc.premarked)
			g.MarkAncestors(anc, starts, tc.depth)
			if got := markedIDs(g, anc); !slices.Equal(got, tc.ancestors) {
				t.Errorf("MarkAncestors = %v, want %v", got, tc.ancestors)
			}
			desc := marksOf(t, g, tc.premarked)
			g.MarkDescendants(desc, starts, tc.depth)
			if got := markedIDs(g, desc); !slices.Equal(got, tc.descendants) {
				t.Errorf("MarkDescendants = %v, want %v", got, tc.descendants)
			}
		})
	}
}

func TestMarkMatchesUnionOfSingleWalks(t *testing.T) {
	g := synthetic(500, 1500, 7)
	starts := []int{3, 40, 41, 200, 499}
	for _, depth := range []int{1, 2, 5, -1} {
		set := make([]bool, g.Len())
		g.MarkDescendants(set, starts, depth)
		want := map[string]bool{}
		for _, s := range starts {
			for _, id := range g.Descendants(g.ID(s), depth) {
				want[id] = true
			}
		}
		got := markedIDs(g, set)
		if len(got) != len(want) {
			t.Fatalf("depth %d: marked %d nodes, union of single walks has %d", depth, len(got), len(want))
		}
		for _, id := range got {
			if !want[id] {
				t.Fatalf("depth %d: %s marked but not a descendant of any start", depth, id)
			}
		}
	}
}

func indicesOf(t *testing.T, g *Graph, ids []string) []int {
	t.Helper()
	out := make([]int, len(ids))
	for k, id := range ids {
		i, ok := g.Index(id)
		if !ok {
			t.Fatalf("no node %q", id)
		}
		out[k] = i
	}
	return out
}

func marksOf(t *testing.T, g *Graph, ids []string) []bool {
	t.Helper()
	set := make([]bool, g.Len())
	for _, i := range indicesOf(t, g, ids) {
		set[i] = true
	}
	return set
}

func markedIDs(g *Graph, set []bool) []string {
	var out []string
	for i, in := range set {
		if in {
			out = append(out, g.ID(i))
		}
	}
	return out
}
