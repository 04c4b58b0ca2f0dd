package synth

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"martlet/compiler"
	"martlet/compiler/manifest"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func write(t *testing.T, opts Options) map[string]string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "project")
	if err := Write(dir, opts); err != nil {
		t.Fatal(err)
	}
	return readTree(t, dir)
}

func TestWriteIsDeterministic(t *testing.T) {
	opts := Options{Models: 250, Seed: 7, TablesEvery: 4, SeedRows: 30, TestsPerModel: 2}
	a, b := write(t, opts), write(t, opts)
	if !maps.Equal(a, b) {
		for path := range a {
			if a[path] != b[path] {
				t.Errorf("%s differs between two writes with the same options", path)
			}
		}
		t.Fatalf("two writes with the same options differ (%d and %d files)", len(a), len(b))
	}
	opts.Seed = 8
	if maps.Equal(a, write(t, opts)) {
		t.Error("a different seed wrote the same project")
	}
}

func TestModelsRefEarlierLayers(t *testing.T) {
	for _, n := range []int{1, 2, 3, 10, 1000} {
		models := plan(Options{Models: n, Seed: 3, SeedRows: 1})
		if len(models) != n {
			t.Fatalf("%d models planned, want %d", len(models), n)
		}
		layerOf := map[string]int{}
		for _, s := range Seeds {
			layerOf[s] = -1
		}
		for _, m := range models {
			if len(m.refs) < 1 || len(m.refs) > 3 {
				t.Errorf("%s has %d refs, want 1 to 3", m.name, len(m.refs))
			}
			for _, r := range m.refs {
				l, ok := layerOf[r]
				if !ok || l >= m.layer {
					t.Errorf("%s (layer %d) refs %s, not of an earlier layer", m.name, m.layer, r)
				}
			}
			if lines := strings.Count(modelSQL(m), "\n"); lines < 20 || lines > 40 {
				t.Errorf("%s has %d lines, want 20 to 40", m.name, lines)
			}
			layerOf[m.name] = m.layer
		}
	}
}

// countTests counts the test items in the properties files.
func countTests(files map[string]string) int {
	n := 0
	for path, text := range files {
		if strings.HasSuffix(path, ".yml") && strings.HasPrefix(path, "models/") {
			n += strings.Count(text, "\n          - ")
		}
	}
	return n
}

func TestTestsPerModel(t *testing.T) {
	for _, c := range []struct{ perModel, want int }{
		{0, 0},
		{1, 3 * 34}, // every third of 100 models, from the first
		{3, 300},
		{5, 500},
		{50, 100 * MaxTestsPerModel},
	} {
		files := write(t, Options{Models: 100, Seed: 1, SeedRows: 1, TestsPerModel: c.perModel})
		if got := countTests(files); got != c.want {
			t.Errorf("tests-per-model %d: %d tests, want %d", c.perModel, got, c.want)
		}
	}
	if MaxTestsPerModel != len(testKinds) {
		t.Errorf("MaxTestsPerModel is %d, but there are %d test kinds", MaxTestsPerModel, len(testKinds))
	}
}

func TestWriteRejects(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, Defaults()); err == nil {
		t.Error("Write into a non-empty directory succeeded")
	}
	for _, opts := range []Options{
		{Models: 0, SeedRows: 1},
		{Models: 1, SeedRows: 0},
		{Models: 1, SeedRows: 1, TablesEvery: -1},
		{Models: 1, SeedRows: 1, TestsPerModel: -1},
	} {
		if err := Write(filepath.Join(t.TempDir(), "p"), opts); err == nil {
			t.Errorf("Write(%+v) succeeded", opts)
		}
	}
}

// TestProjectCompiles checks that martlet compiles a generated project
// with every test kind and finds every model and test.
func TestProjectCompiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "project")
	opts := Options{Models: 60, Seed: 5, TablesEvery: 3, SeedRows: 5, TestsPerModel: MaxTestsPerModel}
	if err := Write(dir, opts); err != nil {
		t.Fatal(err)
	}
	res, err := compiler.Compile(compiler.Options{ProjectDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	count := map[manifest.Kind]int{}
	tables := 0
	for _, n := range res.Manifest.Nodes {
		count[n.Kind]++
		if n.Kind == manifest.Model && n.Config.Materialized == "table" {
			tables++
		}
	}
	want := map[manifest.Kind]int{
		manifest.Seed:  len(Seeds),
		manifest.Model: opts.Models,
		manifest.Test:  opts.Models * MaxTestsPerModel,
	}
	if !maps.Equal(count, want) {
		t.Errorf("nodes by kind: %v, want %v", count, want)
	}
	// Marts (the last 30%) are tables by folder, and every third model
	// by its own config.
	if sizes := layerSizes(opts.Models); tables <= sizes[2] || tables == opts.Models {
		t.Errorf("%d table models, want more than the %d marts and fewer than all", tables, sizes[2])
	}
}
