package selector

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// synthetic returns a project of 100 sources, models models in chains
// and fan-ins (each reads one to three recent models; the first read a
// source), and tests tests each checking one model, with a state manifest
// in which 1% of the models have another checksum.
func synthetic(models, tests int) (cur, state *manifest.Manifest) {
	rng := rand.New(rand.NewPCG(1, 1))
	var nodes []*manifest.Node
	const sources = 100
	for i := range sources {
		nodes = append(nodes, &manifest.Node{ID: "source.shop.raw.t" + strconv.Itoa(i), Name: "raw.t" + strconv.Itoa(i),
			Kind: manifest.Source, Path: "models/sources.yml", Config: project.NewConfig(), Checksum: "s"})
	}
	modelIDs := make([]string, models)
	for i := range models {
		name := "model_" + strconv.Itoa(i)
		modelIDs[i] = "model.shop." + name
		n := &manifest.Node{ID: modelIDs[i], Name: name, Kind: manifest.Model,
			Path:   "models/group_" + strconv.Itoa(i%20) + "/" + name + ".sql",
			Config: project.NewConfig(), Checksum: "c" + strconv.Itoa(i), RawSQL: "select 1"}
		n.Config.Materialized = "view"
		if i%3 == 0 {
			n.Config.Materialized = "table"
		}
		if i%10 == 0 {
			n.Config.Tags = append(n.Config.Tags, "nightly")
		}
		if i%7 == 0 {
			n.Config.Tags = append(n.Config.Tags, "finance")
		}
		if i < sources {
			n.DependsOn = []string{nodes[i].ID}
		} else {
			for range 1 + rng.IntN(3) {
				n.DependsOn = append(n.DependsOn, modelIDs[i-1-rng.IntN(min(i, 200))])
			}
		}
		nodes = append(nodes, n)
	}
	for i := range tests {
		model := modelIDs[rng.IntN(models)]
		nodes = append(nodes, &manifest.Node{ID: "test.shop.t" + strconv.Itoa(i), Name: "t" + strconv.Itoa(i),
			Kind: manifest.Test, Path: "models/schema.yml", Config: project.NewConfig(), DependsOn: []string{model},
			Checksum: "t", Test: &manifest.TestInfo{Name: "not_null", Attached: model, Column: "id"}})
	}
	old := make([]*manifest.Node, len(nodes))
	for i, n := range nodes {
		c := *n
		if n.Kind == manifest.Model && i%100 == 0 {
			c.Checksum = "old"
		}
		old[i] = &c
	}
	return manifest.New("shop", manifest.TargetInfo{}, nodes, compilerGraph(nodes)), manifest.New("shop", manifest.TargetInfo{}, old, nil)
}

func BenchmarkSelect(b *testing.B) {
	m, state := synthetic(10_000, 30_000)
	for _, bc := range []struct {
		name             string
		include, exclude []string
	}{
		{"ancestors", []string{"+model_5000"}, nil},
		{"tag descendants", []string{"tag:nightly+"}, nil},
		{"state modified descendants", []string{"state:modified+"}, nil},
		{"exclude", nil, []string{"tag:finance+"}},
		{"path and config intersection", []string{"path:models/group_3,config.materialized:table"}, nil},
		{"name glob", []string{"model_1*"}, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				ids, ds := SelectWith(m, bc.include, bc.exclude, Options{State: state})
				if len(ds) > 0 {
					b.Fatal(ds)
				}
				n = len(ids)
			}
			b.ReportMetric(float64(n), "nodes")
		})
	}
}
