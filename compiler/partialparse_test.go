package compiler

import (
	"reflect"

	"martlet/compiler/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"martlet/compiler/manifest"
	"martlet/compiler/partialparse"
)

func columnList(n *manifest.Node) string {
	var names []string
	for _, c := range n.Columns {
		names = append(names, c.Name)
	}
	return strings.Join(names, ",")
}

// A model whose SQL is unchanged keeps its cached lineage only while its
// upstream columns are unchanged: b selects * from a, so adding a column
// to a adds it to b on the next compile.
func TestPartialParseFollowsUpstreamColumns(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/a.sql": "select 1 as x",
		"models/b.sql": "select * from {{ ref('a') }}",
	})
	m := compileWith(t, Options{ProjectDir: dir})
	if got := columnList(node(t, m, "model.p.b")); got != "x" {
		t.Fatalf("first compile: b has columns %q, want x", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "target", partialparse.FileName)); err != nil {
		t.Fatalf("no cache file after the first compile: %v", err)
	}
	if got := columnList(node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.b")); got != "x" {
		t.Errorf("second compile from the cache: b has columns %q, want x", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "models", "a.sql"), []byte("select 1 as x, 2 as y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := columnList(node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.b")); got != "x,y" {
		t.Errorf("after a gained a column: b has columns %q, want x,y", got)
	}
}

// A syntax error is found again on every compile: only passed checks are
// cached.
func TestPartialParseKeepsReportingSyntaxErrors(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/a.sql": "select 1 as x",
		"models/b.sql": "select from from {{ ref('a') }}",
	})
	for i := range 2 {
		res, err := Compile(Options{ProjectDir: dir})
		if err == nil || !strings.Contains(err.Error(), "models/b.sql") {
			t.Fatalf("compile %d: want a syntax error in models/b.sql, got %v", i+1, err)
		}
		if err := res.compilation.saveCache(); err != nil {
			t.Fatal(err)
		}
	}
}

// renderProject is a project whose models use what a render can read:
// config(), ref(), source(), var(), env_var(), a macro and
// is_incremental().
func renderProject(t *testing.T) string {
	return writeProject(t, map[string]string{
		"martlet.yml":     "name: p\nvars:\n  floor: 3\n",
		"macros/m.sql":    "{% macro doubled(x) %}{{ x }} * 2{% endmacro %}",
		"models/src.yml":  "version: 2\nsources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: events\n",
		"models/a.sql":    "{{ config(materialized='table', tags=['t1']) }}select {{ doubled('n') }} as n, '{{ env_var('MARTLET_TEST_PP', 'unset') }}' as e from {{ source('raw', 'events') }} where n > {{ var('floor') }}",
		"models/b.sql":    "{{ config(materialized='incremental', unique_key='n') }}select n from {{ ref('a') }}{% if is_incremental() %} where n > (select max(n) from {{ this }}){% endif %}",
		"models/when.sql": "select '{{ invocation_id }}' as id",
	})
}

func compileWith(t *testing.T, opts Options) *manifest.Manifest {
	t.Helper()
	res, err := Compile(opts)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	if err := res.compilation.saveCache(); err != nil {
		t.Fatal(err)
	}
	return res.Manifest
}

// A compile from the cache gives the manifest a fresh compile gives.
func TestPartialParseGivesTheSameManifest(t *testing.T) {
	dir := renderProject(t)
	inv := template.NewInvocation()
	first := compileWith(t, Options{ProjectDir: dir, Invocation: inv})
	second := compileWith(t, Options{ProjectDir: dir, Invocation: inv})
	for _, id := range []string{"model.p.a", "model.p.b", "model.p.when"} {
		a, b := node(t, first, id), node(t, second, id)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs when compiled from the cache:\nfresh:  %+v\ncached: %+v", id, a, b)
		}
	}
	b := node(t, second, "model.p.b")
	if !strings.Contains(b.IncrementalSQL, "select max(n)") || strings.Join(b.DependsOn, ",") != "model.p.a" {
		t.Errorf("b from the cache: incremental SQL %q, depends on %v", b.IncrementalSQL, b.DependsOn)
	}
	if a := node(t, second, "model.p.a"); a.Config.Materialized != "table" || strings.Join(a.Config.Tags, ",") != "t1" {
		t.Errorf("a's config() settings were lost in the cache: %+v", a.Config)
	}
}

// What a render reads from outside its file invalidates it: macros, vars,
// environment variables, the models its refs name, the sources it reads,
// and invocation_id, which is never cached.
func TestPartialParseNoticesChanges(t *testing.T) {
	dir := renderProject(t)
	compiled := func(opts Options, id string) string {
		t.Helper()
		opts.ProjectDir = dir
		return node(t, compileWith(t, opts), id).CompiledSQL
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	compiled(Options{}, "model.p.a")

	write("macros/m.sql", "{% macro doubled(x) %}{{ x }} + {{ x }}{% endmacro %}")
	if got := compiled(Options{}, "model.p.a"); !strings.Contains(got, "n + n") {
		t.Errorf("after the macro changed: %s", got)
	}
	if got := compiled(Options{Vars: "{floor: 7}"}, "model.p.a"); !strings.Contains(got, "n > 7") {
		t.Errorf("with --vars floor 7: %s", got)
	}
	compiled(Options{}, "model.p.a")
	t.Setenv("MARTLET_TEST_PP", "set")
	if got := compiled(Options{}, "model.p.a"); !strings.Contains(got, "'set' as e") {
		t.Errorf("after the environment variable was set: %s", got)
	}
	one := compiled(Options{Invocation: template.NewInvocation()}, "model.p.when")
	if two := compiled(Options{Invocation: template.NewInvocation()}, "model.p.when"); one == two {
		t.Errorf("invocation_id was cached: %s in two invocations", one)
	}

	write("models/a.sql", "select 1 as n")
	if err := os.Rename(filepath.Join(dir, "models", "a.sql"), filepath.Join(dir, "models", "a2.sql")); err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(Options{ProjectDir: dir}); err == nil || !strings.Contains(err.Error(), `unknown model "a"`) {
		t.Errorf("b refs a, which is gone: want an unknown-model error, got %v", err)
	}
	write("models/b.sql", "select 1 as n")
	write("models/c.sql", "select * from {{ source('raw', 'events') }}")
	compileWith(t, Options{ProjectDir: dir})
	write("models/src.yml", "version: 2\nsources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: other\n")
	if _, err := Compile(Options{ProjectDir: dir}); err == nil || !strings.Contains(err.Error(), `source "raw" table "events" is not declared`) {
		t.Errorf("c reads a source no longer declared: want an error, got %v", err)
	}
}

// A model first built as a table that calls is_incremental() gets its
// incremental render when it becomes incremental, though its file did not
// change.
func TestPartialParseRendersIncrementalWhenNeeded(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/a.sql": "select 1 as n{% if is_incremental() %} where n > 0{% endif %}",
	})
	if n := node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.a"); n.IncrementalSQL != "" {
		t.Fatalf("a view has incremental SQL %q", n.IncrementalSQL)
	}
	if err := os.WriteFile(filepath.Join(dir, "models", "p.yml"), []byte("version: 2\nmodels:\n  - name: a\n    config: {materialized: incremental}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.a"); !strings.Contains(n.IncrementalSQL, "where n > 0") {
		t.Errorf("incremental SQL from the cached render: %q", n.IncrementalSQL)
	}
}

// A compile reuses a kept render (the cache is used at all), and
// NoPartialParse renders afresh: the kept render is doctored here, which
// only a compile that reads it can show.
func TestNoPartialParseRendersAfresh(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/a.sql": "select 1 as n",
	})
	m := compileWith(t, Options{ProjectDir: dir})
	a := node(t, m, "model.p.a")
	path := filepath.Join(dir, "target", partialparse.FileName)
	cache := partialparse.Load(path)
	res, err := Compile(Options{ProjectDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	key := partialparse.RenderKey(res.compilation.renderEnvKey, a.ID, a.Path, a.RawSQL)
	kept, ok := cache.Render(key)
	if !ok {
		t.Fatal("the first compile kept no render of a")
	}
	doctored := *kept
	doctored.SQL = "select 2 as n"
	cache.AddRender(key, &doctored)
	if err := cache.Save(path); err != nil {
		t.Fatal(err)
	}
	if got := node(t, mustCompileDir(t, Options{ProjectDir: dir}), a.ID).CompiledSQL; got != "select 2 as n" {
		t.Errorf("a compile did not reuse the kept render: %q", got)
	}
	if got := node(t, mustCompileDir(t, Options{ProjectDir: dir, NoPartialParse: true}), a.ID).CompiledSQL; got != "select 1 as n" {
		t.Errorf("NoPartialParse reused the kept render: %q", got)
	}
}

func mustCompileDir(t *testing.T, opts Options) *manifest.Manifest {
	t.Helper()
	res, err := Compile(opts)
	if err != nil {
		t.Fatal(err)
	}
	return res.Manifest
}

// A project with its own target-path keeps its cache there.
func TestPartialParseFollowsTargetPath(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\ntarget-path: out\n",
		"models/a.sql": "select 1 as n",
	})
	compileWith(t, Options{ProjectDir: dir})
	if _, err := os.Stat(filepath.Join(dir, "out", partialparse.FileName)); err != nil {
		t.Errorf("no cache under target-path: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "target")); !os.IsNotExist(err) {
		t.Errorf("target/ was created though the project's target-path is out/ (%v)", err)
	}
}

// A render that read its configuration (config.get) is rendered again:
// the properties file, outside its key, may have changed.
func TestPartialParseRereadsConfig(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/p.yml": "version: 2\nmodels:\n  - name: a\n    config: {alias: one}\n",
		"models/a.sql": "select '{{ config.get('alias') }}' as al",
	})
	if got := node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.a").CompiledSQL; got != "select 'one' as al" {
		t.Fatalf("first compile: %s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "models", "p.yml"), []byte("version: 2\nmodels:\n  - name: a\n    config: {alias: two}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.a").CompiledSQL; got != "select 'two' as al" {
		t.Errorf("after the alias changed: %s", got)
	}
}

// A compile keeps the parsed trees of properties files, and the next
// compile takes them from the cache.
func TestPartialParseKeepsPropertiesTrees(t *testing.T) {
	props := "version: 2\nmodels:\n  - name: a\n    description: the a model\n"
	dir := writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/p.yml": props,
		"models/a.sql": "select 1 as n",
	})
	compileWith(t, Options{ProjectDir: dir})
	if _, ok := partialparse.Load(filepath.Join(dir, "target", partialparse.FileName)).Tree([]byte(props)); !ok {
		t.Fatal("the properties file's tree was not kept")
	}
	if got := node(t, compileWith(t, Options{ProjectDir: dir}), "model.p.a").Description; got != "the a model" {
		t.Errorf("from the kept tree, a's description is %q", got)
	}
}
