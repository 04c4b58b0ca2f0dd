package project

import (
	"reflect"
	"testing"
)

func TestTargets(t *testing.T) {
	p, ds := load(t, map[string]string{FileName: `name: shop
targets:
  dev: {type: duckdb}
  local:
    type: duckdb
    path: /tmp/x.duckdb
    schema: s
    threads: 16
  prod: {type: postgres, dsn_env: PG_DSN, schema: analytics, threads: 8}
  pg2: {type: postgres, dsn: "postgres://localhost/db"}
`}, Options{})
	assertDiags(t, ds, nil)
	want := map[string]Target{
		"dev":   {Name: "dev", Type: "duckdb", Path: "target/dev.duckdb", Schema: "main", Threads: 4, Pos: Pos{FileName, 3, 8}},
		"local": {Name: "local", Type: "duckdb", Path: "/tmp/x.duckdb", Schema: "s", Threads: 16, Pos: Pos{FileName, 5, 5}},
		"prod":  {Name: "prod", Type: "postgres", Schema: "analytics", DSNEnv: "PG_DSN", Threads: 8, Pos: Pos{FileName, 9, 9}},
		"pg2":   {Name: "pg2", Type: "postgres", Schema: "public", DSN: "postgres://localhost/db", Threads: 4, Pos: Pos{FileName, 10, 8}},
	}
	if !reflect.DeepEqual(p.Targets, want) {
		t.Errorf("Targets =\n%+v\nwant\n%+v", p.Targets, want)
	}
	if p.DefaultTarget != "dev" {
		t.Errorf("DefaultTarget = %q", p.DefaultTarget)
	}
}

func TestTargetErrors(t *testing.T) {
	tests := []struct {
		name, targets string
		want          []string
		kept          []string // targets that still load
	}{
		{"threads not a number", "  dev: {type: duckdb, threads: x}\n",
			[]string{"martlet.yml:3:32: threads must be a whole number from 1 to 1024"}, nil},
		{"threads zero", "  dev:\n    type: duckdb\n    threads: 0\n",
			[]string{"martlet.yml:5:14: threads must be a whole number from 1 to 1024"}, nil},
		{"threads too many", "  dev: {type: duckdb, threads: 1025}\n",
			[]string{"martlet.yml:3:32: threads must be a whole number from 1 to 1024"}, nil},
		{"threads fraction", "  dev: {type: duckdb, threads: 1.5}\n",
			[]string{"martlet.yml:3:32: threads must be a whole number from 1 to 1024"}, nil},
		{"threads huge", "  dev: {type: duckdb, threads: 18446744073709551615}\n",
			[]string{"martlet.yml:3:32: threads must be a whole number from 1 to 1024"}, nil},
		{"no type", "  dev: {schema: main}\n  ok: {type: duckdb}\n",
			[]string{`martlet.yml:3:8: target "dev" needs a type (duckdb or postgres)`}, []string{"ok"}},
		{"unknown type", "  dev:\n    type: sqlite\n",
			[]string{`martlet.yml:4:5: target "dev" has unknown type "sqlite" (use duckdb or postgres)`}, nil},
		{"postgres without dsn", "  prod: {type: postgres}\n",
			[]string{`martlet.yml:3:9: postgres target "prod" needs dsn_env (the environment variable holding the DSN) or dsn`}, nil},
		{"target not a mapping", "  dev: duckdb\n",
			[]string{`martlet.yml:3:8: target "dev" must be a mapping`}, nil},
		{"unknown key is a warning", "  dev: {type: duckdb, thread: 2}\n",
			[]string{`martlet.yml:3:23: warning: unknown target key "thread"`}, []string{"dev"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ds := load(t, map[string]string{FileName: "name: shop\ntargets:\n" + tt.targets}, Options{})
			assertDiags(t, ds, tt.want)
			var kept []string
			for name := range p.Targets {
				kept = append(kept, name)
			}
			if len(tt.kept) == 0 {
				// With every target rejected the implicit dev target stands in.
				if !reflect.DeepEqual(p.Targets, map[string]Target{"dev": DefaultTarget()}) {
					t.Errorf("Targets = %+v, want only the default", p.Targets)
				}
			} else if !reflect.DeepEqual(kept, tt.kept) {
				t.Errorf("kept targets %q, want %q", kept, tt.kept)
			}
		})
	}
}

func TestTargetsNotAMapping(t *testing.T) {
	_, ds := load(t, map[string]string{FileName: "name: shop\ntargets: [dev]\n"}, Options{})
	assertDiags(t, ds, []string{"martlet.yml:2:10: targets must be a mapping of target name to settings"})
}

func TestProjectTarget(t *testing.T) {
	p := mustLoad(t, map[string]string{FileName: "name: shop\ntarget: prod\ntargets:\n  dev: {type: duckdb}\n  prod: {type: postgres, dsn_env: X}\n  staging: {type: duckdb}\n"})
	tests := []struct {
		name, want, err string
	}{
		{"", "prod", ""},
		{"dev", "dev", ""},
		{"prdo", "", `martlet.yml: unknown target "prdo" (did you mean "prod"?)`},
		{"stagin", "", `martlet.yml: unknown target "stagin" (did you mean "staging"?)`},
		{"qa", "", `martlet.yml: unknown target "qa" (the project defines "dev", "prod", "staging")`},
		{"production_eu", "", `martlet.yml: unknown target "production_eu" (the project defines "dev", "prod", "staging")`},
	}
	for _, tt := range tests {
		got, err := p.Target(tt.name)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Target(%q): err = %v, want %s", tt.name, err, tt.err)
			}
			if got != (Target{}) {
				t.Errorf("Target(%q) = %+v with an error", tt.name, got)
			}
			continue
		}
		if err != nil || got.Name != tt.want {
			t.Errorf("Target(%q) = %q, %v; want %q", tt.name, got.Name, err, tt.want)
		}
	}

	// A default target that the project does not define.
	p = mustLoad(t, map[string]string{FileName: "name: shop\ntarget: nope\n"})
	if _, err := p.Target(""); err == nil || err.Error() != `martlet.yml: unknown target "nope" (the project defines "dev")` {
		t.Errorf("undefined default target: err = %v", err)
	}
}

func TestDefaultTarget(t *testing.T) {
	want := Target{Name: "dev", Type: "duckdb", Path: "target/dev.duckdb", Schema: "main", Threads: 4}
	if got := DefaultTarget(); got != want {
		t.Errorf("DefaultTarget() = %+v", got)
	}
}

func TestTargetsWithAnchorsAndMerge(t *testing.T) {
	p := mustLoad(t, map[string]string{FileName: `name: shop
targets:
  dev: &defaults
    type: duckdb
    threads: 2
  ci:
    threads: 6
    <<: *defaults
    path: ci.duckdb
  copy: *defaults
`})
	want := map[string]Target{
		"dev":  {Name: "dev", Type: "duckdb", Path: "target/dev.duckdb", Schema: "main", Threads: 2, Pos: Pos{FileName, 4, 5}},
		"ci":   {Name: "ci", Type: "duckdb", Path: "ci.duckdb", Schema: "main", Threads: 6, Pos: Pos{FileName, 7, 5}},
		"copy": {Name: "copy", Type: "duckdb", Path: "target/copy.duckdb", Schema: "main", Threads: 2, Pos: Pos{FileName, 4, 5}},
	}
	if !reflect.DeepEqual(p.Targets, want) {
		t.Errorf("Targets =\n%+v\nwant\n%+v", p.Targets, want)
	}

	// A list of mappings after << is valid YAML that martlet does not take.
	_, ds := load(t, map[string]string{FileName: "name: shop\ntargets:\n  dev: &d {type: duckdb}\n  ci:\n    <<: [*d]\n"}, Options{})
	assertDiags(t, ds, []string{"martlet.yml:5:9: YAML merge key needs a mapping"})
}

// TestTargetEnvVars checks env_var() in martlet.yml targets: rendered
// when set, and when not, an error only for the commands that use the
// target, at the value's position.
func TestTargetEnvVars(t *testing.T) {
	t.Setenv("MARTLET_TEST_SCHEMA", "ci_42")
	t.Setenv("MARTLET_TEST_THREADS", "6")
	p, ds := load(t, map[string]string{FileName: `name: shop
targets:
  dev: {type: duckdb}
  ci:
    type: postgres
    dsn: "{{ env_var('MARTLET_TEST_NOT_SET_DSN') }}"
  prod:
    type: postgres
    dsn: "postgres://u@{{ env_var('MARTLET_TEST_NOT_SET_HOST', 'db') }}/w"
    schema: "{{ env_var('MARTLET_TEST_SCHEMA') }}"
    threads: "{{ env_var('MARTLET_TEST_THREADS') | int }}"
`}, Options{})
	assertDiags(t, ds, nil)
	prod, err := p.Target("prod")
	if err != nil {
		t.Fatal(err)
	}
	if prod.DSN != "postgres://u@db/w" || prod.Schema != "ci_42" || prod.Threads != 6 {
		t.Errorf("prod = %+v", prod)
	}
	if _, err := p.Target("dev"); err != nil {
		t.Errorf("dev must load whatever ci's environment: %v", err)
	}
	_, err = p.Target("ci")
	if want := `martlet.yml:6:10: environment variable "MARTLET_TEST_NOT_SET_DSN" is not set (env_var() without a default)`; err == nil || err.Error() != want {
		t.Errorf("Target(ci) error = %v, want %s", err, want)
	}
}

func TestTargetDatabase(t *testing.T) {
	t.Setenv("MARTLET_TEST_DB_DSN", "postgres://u:p@db:5432/warehouse?sslmode=disable")
	for _, tt := range []struct {
		target Target
		want   string
	}{
		{Target{Type: "duckdb"}, DuckDBCatalog},
		{Target{Type: "postgres", DSN: "postgres://u@h/analytics"}, "analytics"},
		{Target{Type: "postgres", DSNEnv: "MARTLET_TEST_DB_DSN"}, "warehouse"},
		{Target{Type: "postgres", DSN: "host=h dbname=marts user=u"}, "marts"},
	} {
		if got := tt.target.Database(); got != tt.want {
			t.Errorf("%+v: Database() = %q, want %q", tt.target, got, tt.want)
		}
	}
}

func TestTargetConnString(t *testing.T) {
	t.Setenv("MARTLET_TEST_CONN", "postgres://u@h/db")
	if dsn, err := (Target{DSN: "postgres://x/y"}).ConnString(); err != nil || dsn != "postgres://x/y" {
		t.Errorf("dsn: %q %v", dsn, err)
	}
	if dsn, err := (Target{DSNEnv: "MARTLET_TEST_CONN"}).ConnString(); err != nil || dsn != "postgres://u@h/db" {
		t.Errorf("dsn_env: %q %v", dsn, err)
	}
	_, err := (Target{Name: "prod", DSNEnv: "MARTLET_TEST_CONN_UNSET"}).ConnString()
	if err == nil || err.Error() != "target prod: the environment variable MARTLET_TEST_CONN_UNSET (dsn_env) is not set; it must hold the PostgreSQL connection string" {
		t.Errorf("unset dsn_env: %v", err)
	}
}
