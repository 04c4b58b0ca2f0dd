// Package synth writes deterministic synthetic martlet projects of any
// size, for benchmarks and performance checks.
//
// A project has a few seeds (small CSVs sharing one schema), a macros file,
// and models in three layers: staging models ref seeds, intermediate models
// ref staging models, and marts ref staging and intermediate models. Every
// model refs one to three models of earlier layers through CTEs, calls a
// project macro and reads a project var. Models are grouped in folders of
// up to FolderSize models; martlet.yml makes marts tables and the other
// layers views, and every TablesEvery-th model also sets
// materialized="table" in its own config() call. Properties files describe
// a fraction of the models and give them generic tests.
//
// Every model keeps its primary upstream's rows and its unique id column,
// so the generated tests (unique, not_null, accepted_values,
// relationships) pass when the project is built.
//
// The same Options always produce byte-identical files.
package synth

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Options describe the project to generate.
type Options struct {
	// Models is the number of models, at least 1.
	Models int
	// Seed seeds the pseudo-random choices (refs, macros, vars, data).
	Seed uint64
	// TablesEvery makes every TablesEvery-th model a table through its own
	// config() call (1: every model); 0 leaves the folder defaults (marts
	// are tables, everything else views).
	TablesEvery int
	// SeedRows is the number of rows in each seed CSV, at least 1.
	SeedRows int
	// TestsPerModel is the average number of generic tests per model. A
	// fraction min(TestsPerModel, 3)/3 of the models is described in
	// properties files, each with max(TestsPerModel, 3) column tests (at
	// most MaxTestsPerModel), so 3 gives every model three tests and 1
	// gives every third model three tests. 0 writes no properties files.
	TestsPerModel int
}

// Defaults returns the options used when a flag is not given.
func Defaults() Options {
	return Options{Models: 100, Seed: 1, TablesEvery: 10, SeedRows: 20, TestsPerModel: 1}
}

// FolderSize is the largest number of models in one folder.
const FolderSize = 100

// Seeds are the names of the seeds every project has. They share the
// columns id, parent_id, category, amount, event_at and label.
var Seeds = []string{"raw_accounts", "raw_orders", "raw_products", "raw_sessions"}

// Categories are the values of every category column.
var Categories = []string{"alpha", "beta", "gamma", "delta"}

// layer is one of the three model layers.
type layer struct {
	dir    string // folder under models/
	group  string // prefix of its subfolders
	prefix string // prefix of its model names
}

var layers = [3]layer{
	{dir: "staging", group: "src", prefix: "stg"},
	{dir: "intermediate", group: "grp", prefix: "int"},
	{dir: "marts", group: "area", prefix: "fct"},
}

// model is one generated model.
type model struct {
	name   string
	layer  int
	folder string   // slash path under models/
	refs   []string // refs[0] is the primary upstream
	table  bool     // config(materialized="table") in the file
	macro  int      // which amount expression variant
	useVar int      // which var the model reads
	tests  int      // number of generic tests; 0 leaves it undocumented
}

// Write generates the project into dir, which must be empty or not exist.
func Write(dir string, opts Options) error {
	if err := opts.validate(); err != nil {
		return err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("synth: %s is not empty", dir)
	}
	models := plan(opts)
	files := map[string]string{
		"martlet.yml":      projectFile(),
		"macros/synth.sql": macrosFile,
	}
	for i, name := range Seeds {
		files["seeds/"+name+".csv"] = seedCSV(opts, i)
	}
	for _, m := range models {
		files["models/"+m.folder+"/"+m.name+".sql"] = modelSQL(m)
	}
	for path, text := range propertiesFiles(models) {
		files[path] = text
	}
	for path, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (o Options) validate() error {
	var errs []error
	if o.Models < 1 {
		errs = append(errs, fmt.Errorf("synth: models must be at least 1, not %d", o.Models))
	}
	if o.SeedRows < 1 {
		errs = append(errs, fmt.Errorf("synth: seed rows must be at least 1, not %d", o.SeedRows))
	}
	if o.TablesEvery < 0 {
		errs = append(errs, fmt.Errorf("synth: tables-every must not be negative, not %d", o.TablesEvery))
	}
	if o.TestsPerModel < 0 {
		errs = append(errs, fmt.Errorf("synth: tests per model must not be negative, not %d", o.TestsPerModel))
	}
	return errors.Join(errs...)
}

// layerSizes splits n models into staging, intermediate and marts, 30%,
// 40% and 30%, with at least one staging model.
func layerSizes(n int) [3]int {
	stg := max(1, n*3/10)
	inter := min(n*4/10, n-stg)
	return [3]int{stg, inter, n - stg - inter}
}

// plan chooses every model's name, folder, refs and variants.
func plan(opts Options) []model {
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	sizes := layerSizes(opts.Models)
	width := max(4, len(fmt.Sprint(opts.Models)))
	models := make([]model, 0, opts.Models)
	var byLayer [3][]string
	for l, size := range sizes {
		for j := range size {
			i := len(models)
			m := model{
				name:   fmt.Sprintf("%s_%0*d", layers[l].prefix, width, i+1),
				layer:  l,
				folder: fmt.Sprintf("%s/%s_%03d", layers[l].dir, layers[l].group, j/FolderSize),
				table:  opts.TablesEvery > 0 && (i+1)%opts.TablesEvery == 0,
				macro:  rng.IntN(3),
				useVar: rng.IntN(3),
				tests:  testsFor(i, opts.TestsPerModel),
			}
			m.refs = chooseRefs(rng, l, byLayer)
			models = append(models, m)
			byLayer[l] = append(byLayer[l], m.name)
		}
	}
	return models
}

// chooseRefs picks one to three distinct upstreams for a model of layer l:
// the primary from the layer just below (seeds for staging), the others
// from any earlier layer.
func chooseRefs(rng *rand.Rand, l int, byLayer [3][]string) []string {
	primaryPool := Seeds
	if l > 0 {
		primaryPool = byLayer[l-1]
		if len(primaryPool) == 0 {
			primaryPool = byLayer[0]
		}
	}
	pool := Seeds
	if l > 0 {
		pool = nil
		for k := range l {
			pool = append(pool, byLayer[k]...)
		}
	}
	refs := []string{primaryPool[rng.IntN(len(primaryPool))]}
	want := 1 + rng.IntN(3)
	for tries := 0; len(refs) < want && tries < 8; tries++ {
		r := pool[rng.IntN(len(pool))]
		if !slices.Contains(refs, r) {
			refs = append(refs, r)
		}
	}
	return refs
}

// MaxTestsPerModel is the most generic tests one model gets.
const MaxTestsPerModel = 8

// testsFor is the number of generic tests of the i-th model (from 0).
func testsFor(i, perModel int) int {
	if perModel >= 3 {
		return min(perModel, MaxTestsPerModel)
	}
	if i%3 < perModel {
		return 3
	}
	return 0
}

// projectFile is martlet.yml.
func projectFile() string {
	var b strings.Builder
	b.WriteString(`# Generated by synthproject: a synthetic project for performance checks.
name: synth

vars:
  # Rows before this date are left out by the models that read it.
  start_date: "2020-01-01"
  # Rows with a smaller amount are left out by the models that read it.
  min_amount: 0
  # Prefix of generated labels.
  label_prefix: syn

models:
  +materialized: view
  staging:
    +tags: [staging]
  intermediate:
    +tags: [intermediate]
  marts:
    +materialized: table
    +tags: [nightly]

seeds:
`)
	for _, s := range Seeds {
		fmt.Fprintf(&b, "  %s:\n    +column_types: {amount: double, event_at: timestamp}\n", s)
	}
	b.WriteString(`
targets:
  dev: {type: duckdb, path: target/dev.duckdb, schema: main, threads: 4}

target: dev
`)
	return b.String()
}

// macrosFile holds the macros the models call; rounded has a default
// argument.
const macrosFile = `{# Generated by synthproject: helpers called from every model. #}
{% macro rounded(expr, scale=2) %}round(cast({{ expr }} as double), {{ scale }}){% endmacro %}

{% macro normalized(col) %}lower(trim({{ col }})){% endmacro %}

{% macro at_least(col, floor) %}greatest({{ col }}, {{ floor }}){% endmacro %}
`
