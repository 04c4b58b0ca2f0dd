package project

import (
	"reflect"
	"testing"
)

const jaffleProject = `name: jaffle_shop
version: "1.0.0"
config-version: 2
require-dbt-version: [">=1.5.0", "<2.0.0"]
profile: jaffle_shop
model-paths: ["models"]
seed-paths: ["seeds"]
macro-paths: ["macros"]
test-paths: ["tests"]
snapshot-paths: ["snapshots"]
analysis-paths: ["analyses"]
docs-paths: ["docs"]
asset-paths: ["assets"]
target-path: "target"
clean-targets: ["target", "dbt_packages"]
packages-install-path: dbt_packages
query-comment: "martlet"
quoting: {identifier: false}
dispatch:
  - macro_namespace: dbt_utils
    search_order: [jaffle_shop, dbt_utils]
flags: {send_anonymous_usage_stats: false}
restrict-access: false
on-run-start: ["create schema if not exists audit"]
on-run-end:
  - "select 1"
vars:
  start_date: "2018-01-01"
  limit: 5
  jaffle_shop:
    limit: 10
    payment_methods: [credit_card, coupon]
  dbt_utils: {x: 1}
models:
  jaffle_shop:
    +materialized: view
    staging:
      +materialized: view
      +tags: [staging]
    marts:
      +materialized: table
      finance:
        +schema: finance
seeds:
  jaffle_shop:
    +schema: raw
    raw_orders:
      +column_types: {amount: "decimal(12,2)"}
data_tests:
  jaffle_shop:
    +severity: warn
`

// jaffleProfiles has a duckdb and a postgres output of the jaffle_shop
// profile, and another profile.
const jaffleProfiles = `config:
  send_anonymous_usage_stats: false
jaffle_shop:
  target: "{{ env_var('JAFFLE_TARGET', 'dev') }}"
  outputs:
    dev:
      type: duckdb
      path: jaffle.duckdb
      threads: 4
      extensions: [httpfs]
    prod:
      type: postgres
      host: "{{ env_var('PGHOST', 'db.internal') }}"
      port: "{{ env_var('PGPORT', 5433) | as_number }}"
      user: "{{ env_var('PGUSER') }}"
      pass: "{{ env_var('PGPASSWORD') }}"
      dbname: jaffle
      schema: analytics
      threads: "{{ env_var('THREADS', '8') | int }}"
      sslmode: require
      keepalives_idle: 0
      connect_timeout: 10
other:
  outputs:
    dev: {type: duckdb}
`

// isolateProfiles keeps the tests from reading the real
// $DBT_PROFILES_DIR and ~/.dbt: HOME becomes an empty directory.
func isolateProfiles(t *testing.T) (home string) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv(ProfilesDirEnv, "")
	return home
}

func TestDbtProject(t *testing.T) {
	isolateProfiles(t)
	t.Setenv("PGUSER", "jaffle")
	t.Setenv("PGPASSWORD", "p@ss/w:rd")
	p := mustLoad(t, map[string]string{
		DbtFileName:           jaffleProject,
		ProfilesFileName:      jaffleProfiles,
		"models/stg_a.sql":    "select 1",
		"docs/overview.md":    "{% docs overview %}\nJaffles.\n{% enddocs %}\n",
		"models/not_docs.md":  "{% docs ignored %}x{% enddocs %}",
		"analyses/report.sql": "select 1",
	})
	if p.Name != "jaffle_shop" || p.File != DbtFileName || p.Profile != "jaffle_shop" || p.ProfilesFile != ProfilesFileName {
		t.Errorf("Name %q File %q Profile %q ProfilesFile %q", p.Name, p.File, p.Profile, p.ProfilesFile)
	}
	wantPaths := Paths{Models: []string{"models"}, Seeds: []string{"seeds"}, Macros: []string{"macros"},
		Tests: []string{"tests"}, Snapshots: []string{"snapshots"}, Target: "target", Docs: []string{"docs"}}
	if !reflect.DeepEqual(p.Paths, wantPaths) {
		t.Errorf("Paths = %+v", p.Paths)
	}
	wantVars := map[string]any{"start_date": "2018-01-01", "limit": int64(10),
		"payment_methods": []any{"credit_card", "coupon"}, "dbt_utils": map[string]any{"x": int64(1)}}
	if !reflect.DeepEqual(p.Vars, wantVars) {
		t.Errorf("Vars = %#v", p.Vars)
	}
	if !reflect.DeepEqual(p.OnRunStart, []string{"create schema if not exists audit"}) || !reflect.DeepEqual(p.OnRunEnd, []string{"select 1"}) {
		t.Errorf("hooks = %q / %q", p.OnRunStart, p.OnRunEnd)
	}
	if !reflect.DeepEqual(p.Props.Docs, map[string]string{"overview": "Jaffles."}) {
		t.Errorf("Docs = %q (only docs-paths are searched)", p.Props.Docs)
	}

	settings := func(fc *FolderConfig, parts ...string) map[string]any {
		out := map[string]any{}
		for _, s := range fc.SettingsFor(parts) {
			out[s.Key] = s.Value
		}
		return out
	}
	for _, tt := range []struct {
		fc    *FolderConfig
		parts []string
		want  map[string]any
	}{
		{p.Models, []string{"staging", "stg_orders"}, map[string]any{"materialized": "view", "tags": []any{"staging"}}},
		{p.Models, []string{"marts", "finance", "revenue"}, map[string]any{"materialized": "table", "schema": "finance"}},
		{p.Models, []string{"customers"}, map[string]any{"materialized": "view"}},
		{p.Seeds, []string{"raw_orders"}, map[string]any{"schema": "raw", "column_types": map[string]any{"amount": "decimal(12,2)"}}},
		{p.Tests, []string{"assert_positive"}, map[string]any{"severity": "warn"}},
	} {
		if got := settings(tt.fc, tt.parts...); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("settings for %v = %#v, want %#v", tt.parts, got, tt.want)
		}
	}
	if s := p.Models.SettingsFor([]string{"marts", "x"}); s[len(s)-1].Pos != (Pos{DbtFileName, 41, 7}) {
		t.Errorf("setting position = %+v", s[len(s)-1].Pos)
	}

	dev, err := p.Target("")
	wantDev := Target{Name: "dev", Type: "duckdb", Path: "jaffle.duckdb", Schema: "main", Threads: 4, Pos: Pos{ProfilesFileName, 7, 7}}
	if err != nil || dev != wantDev {
		t.Errorf("default target = %+v, %v", dev, err)
	}
	prod, err := p.Target("prod")
	wantProd := Target{Name: "prod", Type: "postgres", Schema: "analytics", Threads: 8, Pos: Pos{ProfilesFileName, 12, 7},
		DSN: "postgres://jaffle:p%40ss%2Fw%3Ard@db.internal:5433/jaffle?connect_timeout=10&sslmode=require"}
	if err != nil || prod != wantProd {
		t.Errorf("prod target = %+v, %v", prod, err)
	}
}

func TestMartletFileWinsOverDbtProject(t *testing.T) {
	isolateProfiles(t)
	p := mustLoad(t, map[string]string{
		FileName:    "name: shop\ntargets:\n  ci: {type: duckdb}\ntarget: ci\n",
		DbtFileName: "name: jaffle_shop\nprofile: missing\n",
	})
	if p.Name != "shop" || p.File != FileName || p.Profile != "" || p.DefaultTarget != "ci" {
		t.Errorf("Name %q File %q Profile %q DefaultTarget %q", p.Name, p.File, p.Profile, p.DefaultTarget)
	}
}

func TestDbtProjectWithoutProfile(t *testing.T) {
	isolateProfiles(t)
	p := mustLoad(t, map[string]string{DbtFileName: "name: jaffle_shop\n"})
	if p.File != DbtFileName || !reflect.DeepEqual(p.Targets, map[string]Target{"dev": DefaultTarget()}) {
		t.Errorf("File %q Targets %+v", p.File, p.Targets)
	}
}

func TestDbtProjectFileErrors(t *testing.T) {
	isolateProfiles(t)
	tests := []struct {
		name, yml string
		want      []string
	}{
		{"unknown key", "name: jaffle_shop\nmodle-paths: [m]\n",
			[]string{`dbt_project.yml:2:1: warning: unknown key "modle-paths" in the project file (did you mean "model-paths"?)`}},
		{"bad docs paths", "name: jaffle_shop\ndocs-paths: {a: 1}\n",
			[]string{"dbt_project.yml:2:13: docs-paths must be a string or a list of strings"}},
		{"profile not a name", "name: jaffle_shop\nprofile: [a]\n",
			[]string{"dbt_project.yml:2:10: profile must be the name of a profile in profiles.yml"}},
		{"no name", "profile: p\n", []string{"dbt_project.yml:1:1: missing required key `name`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, map[string]string{DbtFileName: tt.yml}, Options{})
			assertDiags(t, ds, tt.want)
		})
	}
}

func TestProjectScopedVars(t *testing.T) {
	yml := "name: shop\nvars:\n  a: 1\n  b: 2\n  shop: {a: 10, c: 3}\n"
	p := mustLoad(t, map[string]string{FileName: yml})
	if want := map[string]any{"a": int64(10), "b": int64(2), "c": int64(3)}; !reflect.DeepEqual(p.Vars, want) {
		t.Errorf("Vars = %#v, want %#v", p.Vars, want)
	}
	// --vars still wins over project-scoped vars.
	p, ds := load(t, map[string]string{FileName: yml}, Options{Vars: "{a: 100}"})
	assertDiags(t, ds, nil)
	if p.Vars["a"] != int64(100) {
		t.Errorf("Vars = %#v", p.Vars)
	}
}

func TestDbtSources(t *testing.T) {
	props, ds := loadProps(t, `version: 2
sources:
  - name: jaffle_shop
    database: raw
    schema: jaffle
    loader: fivetran
    loaded_at_field: _etl_loaded_at
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 24, period: hour}
    quoting: {identifier: true}
    tables:
      - name: orders
        identifier: raw_orders
        loaded_at_field: updated_at
        freshness: {warn_after: {count: 6, period: hour}}
        tests: [not_null_proportion]
        data_tests: [row_count]
        columns:
          - name: id
            tests: [unique]
            data_tests: [not_null]
      - name: customers
        freshness: null
`)
	assertDiags(t, ds, nil)
	if len(props.Sources) != 1 {
		t.Fatalf("sources = %+v", props.Sources)
	}
	s := props.Sources[0]
	if s.Name != "jaffle_shop" || s.Database != "raw" || s.Schema != "jaffle" || len(s.Tables) != 2 {
		t.Errorf("source = %+v", s)
	}
	orders, customers := s.Tables[0], s.Tables[1]
	if orders.Identifier != "raw_orders" || customers.Identifier != "customers" {
		t.Errorf("identifiers = %q, %q", orders.Identifier, customers.Identifier)
	}
	names := func(ts []*TestSpec) (out []string) {
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	if got := names(orders.Tests); !reflect.DeepEqual(got, []string{"not_null_proportion", "row_count"}) {
		t.Errorf("table tests = %q", got)
	}
	if got := names(orders.Columns[0].Tests); !reflect.DeepEqual(got, []string{"unique", "not_null"}) {
		t.Errorf("column tests = %q", got)
	}
}
