package dag

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// synthetic returns a project-shaped acyclic graph: models that each read one
// to three earlier models (mostly recent ones, so the graph is deep as well
// as wide), and tests that each check one model or, like a relationships
// test, two.
func synthetic(models, tests int, seed uint64) *Graph {
	rng := rand.New(rand.NewPCG(seed, seed))
	g := New()
	modelIDs := make([]string, models)
	for i := range modelIDs {
		modelIDs[i] = "model.shop.m" + strconv.Itoa(i)
		g.AddNode(modelIDs[i])
		if i < models/100+1 {
			continue // the first models are staging roots reading sources only
		}
		for range 1 + rng.IntN(3) {
			window := min(i, 200)
			g.AddEdge(modelIDs[i-1-rng.IntN(window)], modelIDs[i])
		}
	}
	for i := range tests {
		id := "test.shop.t" + strconv.Itoa(i)
		g.AddEdge(modelIDs[rng.IntN(models)], id)
		if rng.IntN(5) == 0 {
			g.AddEdge(modelIDs[rng.IntN(models)], id)
		}
	}
	return g
}

func BenchmarkTopoOrder40k(b *testing.B) {
	g := synthetic(10_000, 30_000, 1)
	for b.Loop() {
		if _, err := g.TopoOrder(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkDescendants40k(b *testing.B) {
	g := synthetic(10_000, 30_000, 1)
	starts := make([]int, 0, 100)
	for i := 0; i < 10_000; i += 100 {
		starts = append(starts, i)
	}
	set := make([]bool, g.Len())
	for b.Loop() {
		clear(set)
		g.MarkDescendants(set, starts, -1)
	}
}

func BenchmarkMarkAncestors40k(b *testing.B) {
	g := synthetic(10_000, 30_000, 1)
	starts := make([]int, 0, 300)
	for i := 10_000; i < g.Len(); i += 100 {
		starts = append(starts, i)
	}
	set := make([]bool, g.Len())
	for b.Loop() {
		clear(set)
		g.MarkAncestors(set, starts, -1)
	}
}

func BenchmarkBuild40k(b *testing.B) {
	for b.Loop() {
		synthetic(10_000, 30_000, 1)
	}
}
