package compiler

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"martlet/compiler/manifest"
)

// writeProject writes files (path → content) into a new project directory.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustCompile(t *testing.T, files map[string]string) *manifest.Manifest {
	t.Helper()
	res, err := Compile(Options{ProjectDir: writeProject(t, files)})
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return res.Manifest
}

func node(t *testing.T, m *manifest.Manifest, id string) *manifest.Node {
	t.Helper()
	n := m.Node(id)
	if n == nil {
		t.Fatalf("no node %s", id)
	}
	return n
}

func TestConfigPrecedence(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":        "name: p\nmodels:\n  +materialized: view\n  +tags: [all]\n  marts:\n    +materialized: table\n    +schema: marts\n    +tags: [nightly]\n",
		"models/marts/a.sql": "{{ config(materialized='incremental', unique_key=['x', 'y'], tags=['own']) }}select 1 as x, 2 as y",
		"models/marts/b.sql": "select 1 as x",
		"models/marts/c.sql": "select 1 as x",
		"models/marts/p.yml": "version: 2\nmodels:\n  - name: b\n    config: {materialized: view, alias: bee}\n",
		"models/d.sql":       "select 1 as x",
	})
	a := node(t, m, "model.p.a")
	if a.Config.Materialized != "incremental" || strings.Join(a.Config.UniqueKey, ",") != "x,y" {
		t.Errorf("a: in-file config must win: %+v", a.Config)
	}
	if got := strings.Join(a.Config.Tags, ","); got != "all,nightly,own" {
		t.Errorf("a: tags accumulate outer to inner, got %s", got)
	}
	if a.Relation.String() != `"marts"."a"` {
		t.Errorf("a: schema config names the schema exactly, got %s", a.Relation)
	}
	b := node(t, m, "model.p.b")
	if b.Config.Materialized != "view" || b.Relation.String() != `"marts"."bee"` {
		t.Errorf("b: properties config beats folder config: %+v %s", b.Config, b.Relation)
	}
	if c := node(t, m, "model.p.c"); c.Config.Materialized != "table" {
		t.Errorf("c: folder config: %s", c.Config.Materialized)
	}
	if d := node(t, m, "model.p.d"); d.Config.Materialized != "view" || d.Relation.String() != `"main"."d"` {
		t.Errorf("d: defaults: %s %s", d.Config.Materialized, d.Relation)
	}
}

func TestEphemeralInlining(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":      "name: p\n",
		"models/e1.sql":    "{{ config(materialized='ephemeral') }}select 1 as x",
		"models/e2.sql":    "{{ config(materialized='ephemeral') }}select x from {{ ref('e1') }}",
		"models/plain.sql": "select * from {{ ref('e2') }}",
		"models/with.sql":  "-- leading comment\nWITH a AS (select 1 as y) select * from a, {{ ref('e1') }}",
		"models/rec.sql":   "with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select * from r, {{ ref('e2') }}",
	})
	want := map[string]string{
		"model.p.plain": "with __dbt__cte__e1 as (\nselect 1 as x\n),\n__dbt__cte__e2 as (\nselect x from __dbt__cte__e1\n)\nselect * from __dbt__cte__e2",
		"model.p.with":  "-- leading comment\nwith __dbt__cte__e1 as (\nselect 1 as x\n),\n a AS (select 1 as y) select * from a, __dbt__cte__e1",
		"model.p.rec":   "with recursive __dbt__cte__e1 as (\nselect 1 as x\n),\n__dbt__cte__e2 as (\nselect x from __dbt__cte__e1\n),\n r as (select 1 as n union all select n + 1 from r where n < 3) select * from r, __dbt__cte__e2",
	}
	for id, sql := range want {
		if got := node(t, m, id).CompiledSQL; got != sql {
			t.Errorf("%s:\n got %q\nwant %q", id, got, sql)
		}
	}
	e2 := node(t, m, "model.p.e2")
	if e2.Relation != (manifest.Relation{}) {
		t.Errorf("an ephemeral model has no relation: %v", e2.Relation)
	}
	if got := strings.Join(node(t, m, "model.p.plain").DependsOn, ","); got != "model.p.e2" {
		t.Errorf("depends_on: %s", got)
	}
}

func TestIncrementalRendering(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/i.sql": "{{ config(materialized='incremental') }}select 1 as x{% if is_incremental() %} where x > (select max(x) from {{ this }}){% endif %}",
		"models/t.sql": "{{ config(materialized='table') }}select 1 as x{% if is_incremental() %} never{% endif %}",
	})
	i := node(t, m, "model.p.i")
	if i.CompiledSQL != "select 1 as x" {
		t.Errorf("compiled: %q", i.CompiledSQL)
	}
	if i.IncrementalSQL != `select 1 as x where x > (select max(x) from "main"."i")` {
		t.Errorf("incremental: %q", i.IncrementalSQL)
	}
	if tn := node(t, m, "model.p.t"); tn.IncrementalSQL != "" {
		t.Errorf("a table has no incremental rendering: %q", tn.IncrementalSQL)
	}
}

func TestGenericTests(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/o.sql": "select 1 as id, 'a' as s, 1 as cid",
		"models/c.sql": "select 1 as cid",
		"models/p.yml": `version: 2
models:
  - name: o
    columns:
      - name: id
        tests: [unique, not_null]
      - name: s
        tests:
          - accepted_values: {values: ["a", "b"], config: {severity: warn}}
      - name: cid
        data_tests:
          - relationships:
              arguments: {to: ref("c"), field: cid}
`,
	})
	cases := map[string]string{
		"test.p.unique_o_id":                      "select id as unique_field, count(*) as n_records\nfrom \"main\".\"o\"\nwhere id is not null\ngroup by id\nhaving count(*) > 1",
		"test.p.not_null_o_id":                    "select id\nfrom \"main\".\"o\"\nwhere id is null",
		"test.p.accepted_values_o_s__a__b":        "with all_values as (\n  select s as value_field, count(*) as n_records\n  from \"main\".\"o\"\n  group by s\n)\nselect *\nfrom all_values\nwhere value_field not in ('a', 'b')",
		"test.p.relationships_o_cid__cid__ref_c_": "select child.cid as from_field\nfrom \"main\".\"o\" as child\nleft join \"main\".\"c\" as parent on child.cid = parent.cid\nwhere child.cid is not null and parent.cid is null",
	}
	for id, sql := range cases {
		if got := node(t, m, id).CompiledSQL; got != sql {
			t.Errorf("%s:\n got %q\nwant %q", id, got, sql)
		}
	}
	if sev := node(t, m, "test.p.accepted_values_o_s__a__b").Config.Severity; sev != "warn" {
		t.Errorf("severity: %q", sev)
	}
	if got := strings.Join(node(t, m, "test.p.relationships_o_cid__cid__ref_c_").DependsOn, ","); got != "model.p.c,model.p.o" {
		t.Errorf("relationships depends on both models: %s", got)
	}
}

func TestSecretsOnlyInHooks(t *testing.T) {
	t.Setenv("MARTLET_SECRET_TOKEN", "s3cret")
	res, err := Compile(Options{ProjectDir: writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/m.sql": "select '{{ env_var(\"MARTLET_SECRET_TOKEN\") }}' as x",
	})})
	if err == nil || !strings.Contains(err.Error(), "models/m.sql:1:12: env_var(\"MARTLET_SECRET_TOKEN\"): MARTLET_SECRET_* variables hold secrets") {
		t.Fatalf("a secret in model SQL must be refused at its place, got %v", err)
	}
	if strings.Contains(res.Diagnostics.Error(), "s3cret") {
		t.Errorf("the secret leaked into a message")
	}
	m := mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/m.sql": "{{ config(post_hook=\"grant select on {{ this }} to '{{ env_var('MARTLET_SECRET_TOKEN') }}'\") }}select 1 as x",
	})
	if got := node(t, m, "model.p.m").PostHook; len(got) != 1 || got[0] != `grant select on "main"."m" to 's3cret'` {
		t.Errorf("post_hook: %q", got)
	}
}

func TestChecksumIgnoresWhitespace(t *testing.T) {
	sum := func(sql string) string {
		return node(t, mustCompile(t, map[string]string{"martlet.yml": "name: p\n", "models/m.sql": sql}), "model.p.m").Checksum
	}
	a, b, c := sum("select 1 as x\nfrom t"), sum("select   1 as x\n\n   from t  "), sum("select 2 as x\nfrom t")
	if a != b {
		t.Errorf("whitespace-only edit changed the checksum")
	}
	if a == c {
		t.Errorf("an edit did not change the checksum")
	}
}

func TestSourcePosition(t *testing.T) {
	raw := "{{ config(materialized='table') }}\nselect a,\n    from where\n"
	compiled := "\nselect a,\n    from where\n"
	if l, c := sourcePosition(raw, compiled, 3, 10); l != 3 || c != 10 {
		t.Errorf("got %d:%d, want 3:10", l, c)
	}
	if l, c := sourcePosition("select 1\nselect 1", "select 1\nselect 1", 2, 1); l != 0 || c != 0 {
		t.Errorf("an ambiguous line must not be guessed: %d:%d", l, c)
	}
}

func TestChecksumFollowsMacrosVarsAndSeeds(t *testing.T) {
	base := map[string]string{
		"martlet.yml":      "name: p\nvars: {n: 1}\n",
		"macros/m.sql":     "{% macro double(x) %}{{ x }} * 2{% endmacro %}",
		"seeds/s.csv":      "a\n1\n",
		"models/m.sql":     "select {{ double('a') }}, {{ var('n') }} from {{ ref('s') }} -- note",
		"models/plain.sql": "select 1 as x",
	}
	sums := func(edit map[string]string) (model, plain, seed string) {
		files := map[string]string{}
		for k, v := range base {
			files[k] = v
		}
		for k, v := range edit {
			files[k] = v
		}
		m := mustCompile(t, files)
		return node(t, m, "model.p.m").Checksum, node(t, m, "model.p.plain").Checksum, node(t, m, "seed.p.s").Checksum
	}
	m0, p0, s0 := sums(nil)
	for _, tc := range []struct {
		name                      string
		edit                      map[string]string
		model, plain, seedChanges bool
	}{
		{"comment only", map[string]string{"models/m.sql": "select {{ double('a') }}, {{ var('n') }} from {{ ref('s') }} -- other /* x */"}, false, false, false},
		{"macro body", map[string]string{"macros/m.sql": "{% macro double(x) %}{{ x }} * 3{% endmacro %}"}, true, false, false},
		{"var value", map[string]string{"martlet.yml": "name: p\nvars: {n: 2}\n"}, true, false, false},
		{"seed rows", map[string]string{"seeds/s.csv": "a\n2\n"}, false, false, true},
	} {
		m, p, s := sums(tc.edit)
		if (m != m0) != tc.model || (p != p0) != tc.plain || (s != s0) != tc.seedChanges {
			t.Errorf("%s: model changed %v, plain changed %v, seed changed %v", tc.name, m != m0, p != p0, s != s0)
		}
	}
}

func TestSnapshots(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":   "name: p\nsnapshots:\n  +target_schema: snaps\n",
		"seeds/src.csv": "id,v\n1,a\n",
		"snapshots/s.sql": `-- customers over time
{% snapshot src_snap %}
{{ config(unique_key='id', strategy='check', check_cols=['v']) }}
select * from {{ ref('src') }}
{% endsnapshot %}
`,
		"models/uses.sql": "select * from {{ ref('src_snap') }}",
	})
	s := node(t, m, "snapshot.p.src_snap")
	if s.Relation.String() != `"snaps"."src_snap"` || s.Config.Materialized != "snapshot" || strings.Join(s.DependsOn, ",") != "seed.p.src" {
		t.Errorf("snapshot: %s %s %v", s.Relation, s.Config.Materialized, s.DependsOn)
	}
	if got := strings.TrimSpace(s.CompiledSQL); got != `select * from "main"."src"` {
		t.Errorf("compiled: %q", got)
	}
	if got := node(t, m, "model.p.uses").CompiledSQL; got != `select * from "snaps"."src_snap"` {
		t.Errorf("ref to a snapshot: %q", got)
	}

	_, err := Compile(Options{ProjectDir: writeProject(t, map[string]string{
		"martlet.yml":     "name: p\n",
		"snapshots/a.sql": "\n{% snapshot a %}\nselect 1 as id\n{% endsnapshot %}\n{% snapshot b %}\n{{ config(unique_key='id', strategy='timestamp') }}select 1 as id\n",
	})})
	for _, want := range []string{
		"snapshots/a.sql:2: snapshot a: needs a unique_key",
		"snapshots/a.sql:2: snapshot a: needs a strategy: timestamp or check",
		"snapshots/a.sql:5:1: {% snapshot b %} is not closed by {% endsnapshot %}",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in:\n%v", want, err)
		}
	}
}

func TestCustomGenericTest(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/o.sql": "select 1 as amount",
		"tests/generic/positive.sql": `{% test is_positive(model, column_name, strict=true) %}
select * from {{ model }} where {{ column_name }} {% if strict %}<={% else %}<{% endif %} 0
{% endtest %}`,
		"models/p.yml": "version: 2\nmodels:\n  - name: o\n    columns:\n      - name: amount\n        tests:\n          - is_positive\n          - is_positive: {strict: false}\n",
	})
	if got := strings.TrimSpace(node(t, m, "test.p.is_positive_o_amount").CompiledSQL); got != `select * from "main"."o" where amount <= 0` {
		t.Errorf("default argument: %q", got)
	}
	if got := strings.TrimSpace(node(t, m, "test.p.is_positive_o_amount__False").CompiledSQL); got != `select * from "main"."o" where amount < 0` {
		t.Errorf("keyword argument: %q", got)
	}
	if m.Node("test.p.positive") != nil {
		t.Errorf("a generic test definition is not a singular test")
	}
	_, err := Compile(Options{ProjectDir: writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/o.sql": "select 1 as amount",
		"models/p.yml": "version: 2\nmodels:\n  - name: o\n    columns:\n      - name: amount\n        tests: [uniqe]\n",
	})})
	if err == nil || !strings.Contains(err.Error(), `models/p.yml:6:17: uniqe test: unknown generic test "uniqe" (did you mean "unique"?)`) {
		t.Errorf("got %v", err)
	}
}

// TestRelationAttributes checks that ref(), source() and this have dbt's
// Relation attributes, resolved after every model's schema and alias are
// known, and that a source declared with a database is read from it.
func TestRelationAttributes(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\nmodels:\n  +materialized: table\n",
		"models/a.sql": "{{ config(schema='marts', alias='alpha') }}select 1 as x",
		"models/e.sql": "{{ config(materialized='ephemeral') }}select 2 as x",
		"models/b.sql": "{{ config(post_hook=\"create table {{ this.schema }}.{{ this.name }}_audit as select 1\") }}\n" +
			"select '{{ ref('a').schema }}' as s, '{{ ref('a').identifier }}' as i, '{{ this.table }}' as t, '{{ source('raw', 'ev').name }}' as n\n" +
			"from {{ ref('a') }}, {{ ref('e') }}, {{ source('raw', 'ev') }}",
		"models/p.yml": "version: 2\nsources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: ev\n        identifier: events_v2\n",
	})
	b := node(t, m, "model.p.b")
	want := "with __dbt__cte__e as (\nselect 2 as x\n)\n\nselect 'marts' as s, 'alpha' as i, 'b' as t, 'events_v2' as n\n" +
		`from "marts"."alpha", __dbt__cte__e, "landing"."events_v2"`
	if strings.TrimSpace(b.CompiledSQL) != want {
		t.Errorf("compiled:\n%s\nwant:\n%s", b.CompiledSQL, want)
	}
	if len(b.PostHook) != 1 || b.PostHook[0] != "create table main.b_audit as select 1" {
		t.Errorf("post_hook: %q", b.PostHook)
	}
	m = mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/a.sql": "select '{{ this.database }}' as d, '{{ source('lake', 'ev').database }}' as l from {{ source('lake', 'ev') }}",
		"models/p.yml": "version: 2\nsources:\n  - name: lake\n    database: lakehouse\n    schema: raw\n    tables: [{name: ev}]\n",
	})
	a := node(t, m, "model.p.a")
	if got, want := a.CompiledSQL, `select '__martlet__' as d, 'lakehouse' as l from "lakehouse"."raw"."ev"`; got != want {
		t.Errorf("database attributes:\n%s\nwant\n%s", got, want)
	}
	if a.LineageUnknown != "" || !reflect.DeepEqual(a.DependsOn, []string{"source.p.lake.ev"}) {
		t.Errorf("a database-qualified source must keep its lineage and dependency: %q %v", a.LineageUnknown, a.DependsOn)
	}
}

// TestCustomSchemas checks where a schema config places a node: exactly
// in a martlet.yml project, as "<target>_<custom>" in a dbt_project.yml
// project, and as the project's generate_schema_name macro says when it
// has one; a snapshot's target_schema is always exact.
func TestCustomSchemas(t *testing.T) {
	dbtProject := map[string]string{
		"dbt_project.yml":      "name: shop\nprofile: shop\nmodels:\n  shop:\n    marts:\n      +schema: marts\nseeds:\n  shop:\n    +schema: raw\n",
		"profiles.yml":         "shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: dev.duckdb, schema: analytics}\n",
		"models/marts/m.sql":   "select 1 as x",
		"models/staging/s.sql": "select 1 as x",
		"seeds/people.csv":     "id\n1\n",
		"snapshots/snap.sql":   "{% snapshot snap %}{{ config(target_schema='history', unique_key='id', strategy='check', check_cols='all') }}select 1 as id{% endsnapshot %}",
	}
	schemas := func(m *manifest.Manifest) string {
		var out []string
		for _, id := range []string{"model.shop.m", "model.shop.s", "seed.shop.people", "snapshot.shop.snap"} {
			out = append(out, node(t, m, id).Relation.Schema)
		}
		return strings.Join(out, " ")
	}
	if got, want := schemas(mustCompile(t, dbtProject)), "analytics_marts analytics analytics_raw history"; got != want {
		t.Errorf("dbt project schemas %q, want %q", got, want)
	}
	dbtProject["macros/schemas.sql"] = "{% macro generate_schema_name(custom_schema_name, node) -%}\n" +
		"{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}_{{ node.resource_type }}{%- endif -%}\n{%- endmacro %}"
	if got, want := schemas(mustCompile(t, dbtProject)), "marts_model analytics raw_seed history"; got != want {
		t.Errorf("with generate_schema_name: schemas %q, want %q", got, want)
	}
	m := mustCompile(t, map[string]string{
		"martlet.yml":        "name: shop\nmodels:\n  marts:\n    +schema: marts\n",
		"models/marts/m.sql": "select 1 as x",
	})
	if got := node(t, m, "model.shop.m").Relation.Schema; got != "marts" {
		t.Errorf("martlet project: schema %q, want marts exactly", got)
	}
	_, err := Compile(Options{ProjectDir: writeProject(t, map[string]string{
		"martlet.yml":        "name: shop\n",
		"models/m.sql":       "select 1 as x",
		"macros/schemas.sql": "{% macro generate_schema_name(custom_schema_name, node) %}\n{{ nope.attr }}\n{% endmacro %}",
	})})
	if err == nil || !strings.Contains(err.Error(), "macros/schemas.sql:2:") {
		t.Errorf("an error in generate_schema_name must point at its line, got %v", err)
	}
}

func TestRefPosition(t *testing.T) {
	for _, tt := range []struct {
		raw, model string
		line, col  int
	}{
		{`select * from {{ ref("b") }}`, "b", 1, 18},
		{"select 1\nfrom {{ ref('x') }} join {{ ref( 'shop', 'b' ) }}", "b", 2, 29},
		{`select * from {{ ref("bb") }}`, "b", 0, 0},
		{`{{ my_macro() }}`, "b", 0, 0},
	} {
		if line, col := refPosition(tt.raw, tt.model); line != tt.line || col != tt.col {
			t.Errorf("refPosition(%q, %q) = %d:%d, want %d:%d", tt.raw, tt.model, line, col, tt.line, tt.col)
		}
	}
}

// config.get and config.require read the node's configuration as the
// project file, the properties file and the config() calls so far set it.
func TestConfigGet(t *testing.T) {
	m := mustCompile(t, map[string]string{
		"martlet.yml":  "name: p\nmodels:\n  +tags: [all]\n",
		"models/p.yml": "version: 2\nmodels:\n  - name: a\n    config: {alias: a_alias}\n",
		"models/a.sql": "{{ config(materialized='table', my_flag=true) }}" +
			"select '{{ config.get('materialized') }}' as m, '{{ config.get('alias') }}' as al, " +
			"'{{ config.get('tags') | join(',') }}' as t, '{{ config.get('my_flag') }}' as f, " +
			"'{{ config.get('missing', 'dflt') }}' as d, '{{ config.get('missing') is none }}' as n",
		"models/v.sql": "select '{{ config.get('materialized') }}' as m",
	})
	if got, want := node(t, m, "model.p.a").CompiledSQL, `select 'table' as m, 'a_alias' as al, 'all' as t, 'True' as f, 'dflt' as d, 'True' as n`; got != want {
		t.Errorf("a compiled to\n%s\nwant\n%s", got, want)
	}
	if got, want := node(t, m, "model.p.v").CompiledSQL, `select 'view' as m`; got != want {
		t.Errorf("v compiled to %s, want %s", got, want)
	}

	_, err := Compile(Options{ProjectDir: writeProject(t, map[string]string{
		"martlet.yml":  "name: p\n",
		"models/a.sql": "select 1\n{{ config.require('unique_key') }}",
	})})
	if err == nil || !strings.Contains(err.Error(), `models/a.sql:2:`) || !strings.Contains(err.Error(), `config.require("unique_key")`) {
		t.Errorf("config.require of an unset key: want an error at models/a.sql:2, got %v", err)
	}
}
