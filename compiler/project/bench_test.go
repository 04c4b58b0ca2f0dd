package project

import (
	"fmt"
	"strings"
	"testing"
)

// benchProject writes a project of models model files (about 30 lines
// each, in folders of 100) with one properties file per folder describing
// every model of the folder with three columns and their tests.
func benchProject(b *testing.B, models int) string {
	b.Helper()
	files := map[string]string{FileName: `name: bench
vars: {start_date: "2024-01-01"}
models:
  +materialized: view
  bench:
    marts:
      +materialized: table
      +tags: [nightly]
targets:
  dev: {type: duckdb, threads: 8}
`}
	const perFolder = 100
	for f := 0; f*perFolder < models; f++ {
		folder := fmt.Sprintf("models/area_%03d", f)
		var props strings.Builder
		props.WriteString("version: 2\nmodels:\n")
		for i := f * perFolder; i < min(models, (f+1)*perFolder); i++ {
			name := fmt.Sprintf("model_%05d", i)
			files[folder+"/"+name+".sql"] = benchModelSQL(i)
			fmt.Fprintf(&props, `  - name: %s
    description: Model %d of the benchmark.
    config: {materialized: table, tags: [bench]}
    columns:
      - name: id
        description: Primary key.
        data_tests: [unique, not_null]
      - name: status
        data_tests:
          - accepted_values:
              arguments: {values: [a, b, c]}
              config: {severity: warn}
      - name: parent_id
        data_tests:
          - relationships: {to: ref("model_%05d"), field: id}
`, name, i, max(i-1, 0))
		}
		files[folder+"/_props.yml"] = props.String()
	}
	dir := b.TempDir()
	writeTree(b, dir, files)
	return dir
}

func benchModelSQL(i int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "{{ config(materialized=\"table\", tags=[\"t%d\"]) }}\n\n", i%7)
	s.WriteString("-- a model of the benchmark project\nwith source as (\n")
	fmt.Fprintf(&s, "    select * from {{ ref(\"model_%05d\") }}\n),\n\nrenamed as (\n    select\n", max(i-1, 0))
	for c := range 18 {
		fmt.Fprintf(&s, "        col_%02d as column_%02d,\n", c, c)
	}
	s.WriteString("        id\n    from source\n)\n\nselect * from renamed\nwhere id > {{ var(\"start_date\") }}\n")
	return s.String()
}

// BenchmarkLoadProject loads a project of 10,000 models and 100
// properties files: reading, YAML parsing and validation, no rendering.
func BenchmarkLoadProject(b *testing.B) {
	const models = 10000
	dir := benchProject(b, models)
	b.ReportAllocs()
	for b.Loop() {
		p, ds := Load(dir, Options{})
		if len(ds) != 0 || p == nil || len(p.Files.Models) != models || len(p.Props.Resources) != models {
			b.Fatalf("load: %d models, %d diagnostics: %v", len(p.Files.Models), len(ds), ds)
		}
	}
}
