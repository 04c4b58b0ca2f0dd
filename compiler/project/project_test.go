package project

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadDefaults(t *testing.T) {
	p := mustLoad(t, map[string]string{FileName: minimal})
	if p.Name != "shop" || !filepath.IsAbs(p.Root) {
		t.Errorf("Name = %q, Root = %q", p.Name, p.Root)
	}
	wantPaths := Paths{Models: []string{"models"}, Seeds: []string{"seeds"}, Macros: []string{"macros"},
		Tests: []string{"tests"}, Snapshots: []string{"snapshots"}, Target: "target"}
	if !reflect.DeepEqual(p.Paths, wantPaths) {
		t.Errorf("Paths = %+v", p.Paths)
	}
	if p.DefaultTarget != "dev" || !reflect.DeepEqual(p.Targets, map[string]Target{"dev": DefaultTarget()}) {
		t.Errorf("targets = %q %+v", p.DefaultTarget, p.Targets)
	}
	if len(p.Vars) != 0 || p.Vars == nil {
		t.Errorf("Vars = %#v, want an empty map", p.Vars)
	}
	for _, fc := range []*FolderConfig{p.Models, p.Seeds, p.Snapshots, p.Tests} {
		if fc == nil || len(fc.Settings) != 0 || len(fc.Children) != 0 {
			t.Errorf("folder config = %+v, want empty", fc)
		}
	}
	if p.Props == nil || len(p.Props.Resources) != 0 || p.Props.Docs == nil {
		t.Errorf("Props = %+v", p.Props)
	}
}

func TestLoadProjectFileErrors(t *testing.T) {
	tests := []struct {
		name, yml string
		want      []string
		loaded    bool
	}{
		{"syntax error", "name: shop\nvars: [1,\n", []string{"martlet.yml:2:7: invalid YAML: sequence end token ']' not found"}, false},
		{"duplicate key", "name: shop\nvars: {}\nname: other\n", []string{`martlet.yml:3:1: invalid YAML: mapping key "name" already defined at [1:1]`}, false},
		{"not a mapping", "- name: shop\n", []string{"martlet.yml:1:1: the project file must be a mapping"}, false},
		{"empty", "", []string{"martlet.yml:1:1: the project file must be a mapping"}, false},
		{"no name", "\nvars: {a: 1}\n", []string{"martlet.yml:2:1: missing required key `name`"}, false},
		{"empty name", "name: ''\n", []string{"martlet.yml:1:1: missing required key `name`"}, false},
		{"two documents", "name: a\n---\nname: b\n", []string{"martlet.yml:2:1: only one YAML document is allowed per file"}, false},
		{"vars not a mapping", "name: shop\nvars: [a]\n", []string{"martlet.yml:2:7: vars must be a mapping"}, true},
		{"unknown key with suggestion", "name: shop\nmodel-path: [m]\n",
			[]string{`martlet.yml:2:1: warning: unknown key "model-path" in the project file (did you mean "model-paths"?)`}, true},
		{"unknown key without suggestion", "name: shop\n  \nfrobnicate: 1\n",
			[]string{`martlet.yml:3:1: warning: unknown key "frobnicate" in the project file`}, true},
		{"bad hook list", "name: shop\non-run-start:\n  - {a: 1}\n",
			[]string{"martlet.yml:3:3: on-run-start must be a string or a list of strings"}, true},
		{"bad paths", "name: shop\nseed-paths: {a: b}\n", []string{"martlet.yml:2:13: seed-paths must be a string or a list of strings"}, true},
		{"bad folder config", "name: shop\nmodels: [a]\n", []string{"martlet.yml:2:9: folder configuration must be a mapping, not a list"}, true},
		{"unknown alias", "name: shop\nvars: *v\n", []string{`martlet.yml:2:7: unknown YAML alias "v"`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ds := load(t, map[string]string{FileName: tt.yml}, Options{})
			assertDiags(t, ds, tt.want)
			if (p != nil) != tt.loaded {
				t.Errorf("project loaded = %v, want %v", p != nil, tt.loaded)
			}
		})
	}
}

func TestLoadMissingProjectFile(t *testing.T) {
	dir := t.TempDir()
	p, ds := Load(dir, Options{})
	want := []string{"no martlet.yml or dbt_project.yml in " + dir + ": not a martlet project (run `martlet init` to create one, or pass --project-dir)"}
	assertDiags(t, render(ds), want)
	if p != nil {
		t.Error("a project without martlet.yml was loaded")
	}

	// A martlet.yml that cannot be read is reported against the file.
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	p, ds = Load(dir, Options{})
	if p != nil || len(ds) != 1 || ds[0].File != FileName || !strings.Contains(ds[0].Msg, "is a directory") {
		t.Errorf("unreadable martlet.yml: project %v, diagnostics %q", p != nil, render(ds))
	}
}

func TestLoadKeysAndHooks(t *testing.T) {
	p := mustLoad(t, map[string]string{FileName: `name: shop
version: 2
config-version: 2
require-dbt-version: ">=1.0"
profile: shop
clean-targets: [target]
on-run-start: "create schema if not exists audit"
on_run_end:
  - "select 1"
  - "select 2"
model-paths: [models, more_models]
seed-paths: data
macro-paths: [m]
test-paths: [t]
snapshot-paths: [s]
target-path: out
target: prod
targets:
  prod: {type: duckdb}
`})
	if !reflect.DeepEqual(p.OnRunStart, []string{"create schema if not exists audit"}) ||
		!reflect.DeepEqual(p.OnRunEnd, []string{"select 1", "select 2"}) {
		t.Errorf("hooks = %q / %q", p.OnRunStart, p.OnRunEnd)
	}
	want := Paths{Models: []string{"models", "more_models"}, Seeds: []string{"data"}, Macros: []string{"m"},
		Tests: []string{"t"}, Snapshots: []string{"s"}, Target: "out"}
	if !reflect.DeepEqual(p.Paths, want) {
		t.Errorf("Paths = %+v, want %+v", p.Paths, want)
	}
	if p.DefaultTarget != "prod" || len(p.Targets) != 1 {
		t.Errorf("DefaultTarget = %q, Targets = %v (no implicit dev when targets are given)", p.DefaultTarget, p.Targets)
	}
}

func TestVars(t *testing.T) {
	yml := "name: shop\nvars:\n  start_date: \"2024-01-01\"\n  limit: 10\n  ratio: 0.5\n  flags: [a, b]\n  nested: {k: v}\n  empty:\n"
	tests := []struct {
		name, cli string
		want      map[string]any
		diags     []string
	}{
		{"project vars", "", map[string]any{"start_date": "2024-01-01", "limit": int64(10), "ratio": 0.5,
			"flags": []any{"a", "b"}, "nested": map[string]any{"k": "v"}, "empty": nil}, nil},
		{"cli overrides", `{start_date: "2024-02-01", new: true}`, map[string]any{"start_date": "2024-02-01", "limit": int64(10),
			"ratio": 0.5, "flags": []any{"a", "b"}, "nested": map[string]any{"k": "v"}, "empty": nil, "new": true}, nil},
		{"cli replaces whole values", "nested: {other: 1}\nflags: []", map[string]any{"start_date": "2024-01-01", "limit": int64(10),
			"ratio": 0.5, "flags": []any{}, "nested": map[string]any{"other": int64(1)}, "empty": nil}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ds := load(t, map[string]string{FileName: yml}, Options{Vars: tt.cli})
			assertDiags(t, ds, tt.diags)
			if !reflect.DeepEqual(p.Vars, tt.want) {
				t.Errorf("Vars = %#v\nwant %#v", p.Vars, tt.want)
			}
		})
	}
}

func TestCLIVarsErrors(t *testing.T) {
	tests := []struct{ cli, want string }{
		{"[a, b]", `--vars must be a YAML mapping such as '{start_date: "2024-01-01"}', not a list`},
		{"just text", `--vars must be a YAML mapping such as '{start_date: "2024-01-01"}', not a scalar`},
		{"  ", `--vars must be a YAML mapping such as '{start_date: "2024-01-01"}', not null`},
		{"{a: [1}", "--vars is not valid YAML: 1:7: invalid YAML: ',' or ']' must be specified"},
		{"a: 1\nb: *x", `--vars is not valid YAML: 2:4: unknown YAML alias "x"`},
	}
	for _, tt := range tests {
		p, ds := load(t, map[string]string{FileName: "name: shop\nvars: {a: 1}\n"}, Options{Vars: tt.cli})
		assertDiags(t, ds, []string{tt.want})
		if p == nil || !reflect.DeepEqual(p.Vars, map[string]any{"a": int64(1)}) {
			t.Errorf("--vars %q: the project must load with its own vars", tt.cli)
		}
	}
}

func TestDiscover(t *testing.T) {
	p := mustLoad(t, map[string]string{
		FileName:                       minimal,
		"models/staging/stg_b.sql":     "select 2",
		"models/a.sql":                 "select 1",
		"models/marts/core/orders.sql": "select 3",
		"models/marts/schema.yml":      "version: 2\n",
		"models/props.YAML":            "version: 2\n",
		"models/notes.md":              "ignored",
		"models/.hidden.sql":           "ignored",
		"models/.git/x.sql":            "ignored",
		"models/UPPER.SQL":             "select 4",
		"seeds/raw/orders.csv":         "id,amount\r\n1,2\r\n3,4\r\n",
		"seeds/one_line.csv":           "a,b",
		"seeds/seed_props.yml":         "version: 2\n",
		"macros/cents.sql":             "{% macro cents(c) %}{{ c }}/100{% endmacro %}",
		"tests/assert_positive.sql":    "select 1 where false",
		"snapshots/snap.sql":           "{% snapshot snap %}select 1{% endsnapshot %}",
	})
	paths := func(fs []File) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Path)
		}
		return out
	}
	checks := []struct {
		what string
		got  []string
		want []string
	}{
		{"models", paths(p.Files.Models), []string{"models/UPPER.SQL", "models/a.sql", "models/marts/core/orders.sql", "models/staging/stg_b.sql"}},
		{"seeds", paths(p.Files.Seeds), []string{"seeds/one_line.csv", "seeds/raw/orders.csv"}},
		{"macros", paths(p.Files.Macros), []string{"macros/cents.sql"}},
		{"tests", paths(p.Files.Tests), []string{"tests/assert_positive.sql"}},
		{"snapshots", paths(p.Files.Snapshots), []string{"snapshots/snap.sql"}},
		{"properties", paths(p.Files.Properties), []string{"models/marts/schema.yml", "models/props.YAML", "seeds/seed_props.yml"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if got := p.Files.Models[0].Stem(); got != "UPPER" {
		t.Errorf("Stem of UPPER.SQL = %q", got)
	}
	orders := p.Files.Models[2]
	if orders.Rel != "marts/core/orders.sql" || string(orders.Data) != "select 3" {
		t.Errorf("orders: Rel %q, Data %q", orders.Rel, orders.Data)
	}
	if orders.Stem() != "orders" || !reflect.DeepEqual(orders.Parts(), []string{"marts", "core", "orders"}) {
		t.Errorf("Stem %q, Parts %q", orders.Stem(), orders.Parts())
	}
	top := p.Files.Models[1]
	if !reflect.DeepEqual(top.Parts(), []string{"a"}) {
		t.Errorf("Parts of a top-level model = %q", top.Parts())
	}
	if got := string(p.Files.Seeds[1].Data); got != "id,amount" {
		t.Errorf("seed Data = %q, want the header only without CRLF", got)
	}
	if got := string(p.Files.Seeds[0].Data); got != "a,b" {
		t.Errorf("one-line seed Data = %q", got)
	}
}

func TestDiscoverCustomPaths(t *testing.T) {
	p := mustLoad(t, map[string]string{
		FileName:          "name: shop\nmodel-paths: [sql/a, sql/b]\nseed-paths: [data]\n",
		"sql/a/x.sql":     "select 1",
		"sql/b/y.sql":     "select 2",
		"sql/b/p.yml":     "version: 2\nmodels: [{name: y}]\n",
		"models/z.sql":    "not read: models/ is not a model path",
		"data/d.csv":      "h\n",
		"seeds/ghost.csv": "h\n",
	})
	var got []string
	for _, f := range append(p.Files.Models, p.Files.Seeds...) {
		got = append(got, f.Path+"|"+f.Rel)
	}
	if want := []string{"sql/a/x.sql|x.sql", "sql/b/y.sql|y.sql", "data/d.csv|d.csv"}; !reflect.DeepEqual(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	if p.Props.Resources["y"] == nil {
		t.Error("properties below a custom model path were not read")
	}
}

func TestDiscoverLongCSVHeader(t *testing.T) {
	header := strings.Repeat("c,", 40000) + "end"
	p := mustLoad(t, map[string]string{FileName: minimal, "seeds/wide.csv": header + "\n1\n"})
	if got := len(p.Files.Seeds[0].Data); got != 64<<10 {
		t.Errorf("a header longer than 64 KiB is cut at the buffer: got %d bytes", got)
	}
}
