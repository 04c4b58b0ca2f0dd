package runner

import (
	"testing"

	"martlet/compiler/manifest"
)

func TestBuildGraphTestEdges(t *testing.T) {
	node := func(id string, kind manifest.Kind, deps ...string) *manifest.Node {
		return &manifest.Node{ID: id, Name: id, Kind: kind, DependsOn: deps}
	}
	m := manifest.New("p", manifest.TargetInfo{}, []*manifest.Node{
		node("s", manifest.Seed),
		node("a", manifest.Model, "s"),
		node("b", manifest.Model, "s"),
		node("c", manifest.Model, "a", "s"),
		node("unique_s", manifest.Test, "s"),
		node("rel_a_s", manifest.Test, "a", "s"),
		node("rel_b_s", manifest.Test, "b", "s"),
	}, nil)
	g := buildGraph(m)
	want := map[string][]string{
		"unique_s": {"a", "b", "c"},
		"rel_a_s":  {"c"},
		"rel_b_s":  nil,
	}
	for test, children := range want {
		got := map[string]bool{}
		for _, c := range g.Children(test) {
			got[c] = true
		}
		if len(got) != len(children) {
			t.Errorf("%s gates %v, want %v", test, g.Children(test), children)
		}
		for _, c := range children {
			if !got[c] {
				t.Errorf("%s gates %v, want %v", test, g.Children(test), children)
			}
		}
	}
	if _, err := g.TopoOrder(); err != nil {
		t.Errorf("build graph has a cycle: %v", err)
	}
}
