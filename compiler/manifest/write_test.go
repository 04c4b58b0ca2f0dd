package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"martlet/compiler/project"
)

// TestWriteMatchesEncoder checks that Write, which encodes the nodes in
// parallel, writes exactly what json.Encoder writes for the manifest.
func TestWriteMatchesEncoder(t *testing.T) {
	target := TargetInfo{Name: "dev<&>", Type: "duckdb", Schema: "main"}
	many := sampleNodes()
	for i := range 100 {
		many = append(many, &Node{
			ID: fmt.Sprintf("model.shop.m%d", i), Name: fmt.Sprintf("m%d", i), Kind: Model,
			Path:        fmt.Sprintf("models/m%d.sql", i),
			Config:      project.Config{Materialized: "view", Meta: map[string]any{"z": i, "a": "<b>"}},
			DependsOn:   []string{"model.shop.orders"},
			Description: "a < b && c > d, \u2028 \"quoted\" \\ é \xff",
			Columns:     []Column{{Name: "id"}},
			CompiledSQL: fmt.Sprintf("select %d as id where 1 < 2 and 3 > 2 -- & </script>\n", i),
			Checksum:    fmt.Sprint(i),
		})
	}
	many = append(many, nil)
	at := time.Date(2024, 2, 29, 13, 4, 5, 123456789, time.UTC)
	macros := map[string]string{"nodes": "x", "a<b": "&"}
	for name, m := range map[string]*Manifest{
		"no nodes":    {Project: "shop", Target: target, GeneratedAt: at, Macros: macros},
		"empty nodes": {Project: "shop", Target: target, GeneratedAt: at, Nodes: []*Node{}, Macros: macros},
		"one node":    {Project: "shop", Target: target, GeneratedAt: at, Nodes: sampleNodes()[:1], Macros: macros},
		"sample":      {Project: "shop", Target: target, GeneratedAt: at, Nodes: sampleNodes()},
		"many":        {Project: `"nodes":null <&>`, Target: target, GeneratedAt: at, Nodes: many, Macros: macros},
	} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(m); err != nil {
				t.Fatal(err)
			}
			// Write overwrites a longer file in place: nothing of it remains.
			path := filepath.Join(t.TempDir(), "manifest.json")
			if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 2*want.Len()), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := m.Write(path); err != nil {
				t.Fatalf("Write: %v", err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("Write wrote\n%s\nwant\n%s", got, want.Bytes())
			}
		})
	}
}

// TestWriteEncodeError checks that a node JSON cannot encode fails Write
// with the encoder's error, leaving the file empty.
func TestWriteEncodeError(t *testing.T) {
	nodes := sampleNodes()
	nodes[1].Config.Meta = map[string]any{"bad": math.NaN()}
	m := &Manifest{Project: "shop", GeneratedAt: time.Unix(0, 0).UTC(), Nodes: nodes}
	_, want := json.Marshal(m)
	path := filepath.Join(t.TempDir(), "manifest.json")
	if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := m.Write(path)
	if err == nil || want == nil || err.Error() != want.Error() {
		t.Errorf("Write: %v, want %v", err, want)
	}
	if data, err := os.ReadFile(path); err != nil || len(data) != 0 {
		t.Errorf("after a failed Write the file holds %q, %v", data, err)
	}
}
