package project

import (
	"path/filepath"
	"reflect"
	"testing"
)

// profileWithPath is a profiles.yml whose jaffle_shop profile builds into
// the DuckDB file path, so a test can tell which file was read.
func profileWithPath(path string) string {
	return "jaffle_shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: " + path + "}\n"
}

func TestProfilesLookupOrder(t *testing.T) {
	home := isolateProfiles(t)
	flagDir, envDir := t.TempDir(), t.TempDir()
	writeTree(t, home, map[string]string{".dbt/" + ProfilesFileName: profileWithPath("home.duckdb")})
	writeTree(t, flagDir, map[string]string{ProfilesFileName: profileWithPath("flag.duckdb")})
	writeTree(t, envDir, map[string]string{ProfilesFileName: profileWithPath("env.duckdb")})
	dir := newProject(t, map[string]string{DbtFileName: "name: jaffle_shop\nprofile: jaffle_shop\n"})

	devPath := func(opts Options) (string, string) {
		t.Helper()
		p, ds := Load(dir, opts)
		assertDiags(t, render(ds), nil)
		tg, err := p.Target("")
		if err != nil {
			t.Fatal(err)
		}
		return tg.Path, p.ProfilesFile
	}
	homeFile := filepath.Join(home, ".dbt", ProfilesFileName)
	if got, file := devPath(Options{}); got != "home.duckdb" || file != homeFile {
		t.Errorf("without a profiles.yml in the project: %q from %q, want ~/.dbt's", got, file)
	}
	writeTree(t, dir, map[string]string{ProfilesFileName: profileWithPath("project.duckdb")})
	if got, file := devPath(Options{}); got != "project.duckdb" || file != ProfilesFileName {
		t.Errorf("with a profiles.yml in the project: %q from %q", got, file)
	}
	t.Setenv(ProfilesDirEnv, envDir)
	if got, _ := devPath(Options{}); got != "env.duckdb" {
		t.Errorf("with $DBT_PROFILES_DIR: %q", got)
	}
	if got, _ := devPath(Options{ProfilesDir: flagDir}); got != "flag.duckdb" {
		t.Errorf("with --profiles-dir: %q", got)
	}

	// A directory given explicitly is the only one searched.
	empty := t.TempDir()
	_, ds := Load(dir, Options{ProfilesDir: empty})
	assertDiags(t, render(ds), []string{`dbt_project.yml:2:10: profile "jaffle_shop" not found in profiles.yml (looked in: ` + empty + `)`})
}

func TestProfileNotFound(t *testing.T) {
	home := isolateProfiles(t)
	project := map[string]string{DbtFileName: "name: jaffle_shop\nprofile: jaffle_shop\n"}
	dir := newProject(t, project)
	_, ds := Load(dir, Options{})
	assertDiags(t, render(ds), []string{`dbt_project.yml:2:10: profile "jaffle_shop" not found in profiles.yml (looked in: ` +
		dir + ", " + filepath.Join(home, ".dbt") + ")"})

	for _, tt := range []struct{ profiles, want string }{
		{"jaffle_shopp:\n  outputs: {}\n", `dbt_project.yml:2:10: profile "jaffle_shop" not found in profiles.yml (did you mean "jaffle_shopp"?)`},
		{"config: {}\nanalytics: {}\nwarehouse: {}\n", `dbt_project.yml:2:10: profile "jaffle_shop" not found in profiles.yml (it defines "analytics", "warehouse")`},
		{"- jaffle_shop\n", "profiles.yml:1:1: profiles.yml must be a mapping of profile name to profile"},
		{"jaffle_shop: [\n", "profiles.yml:1:14: invalid YAML: sequence end token ']' not found"},
		{"jaffle_shop: dev\n", `profiles.yml:1:14: profile "jaffle_shop" must be a mapping with target and outputs`},
		{"jaffle_shop:\n  target: dev\n", `profiles.yml:2:3: profile "jaffle_shop" has no outputs`},
		{"jaffle_shop:\n  outputs: [dev]\n", "profiles.yml:2:12: outputs must be a mapping of target name to connection settings"},
		{"jaffle_shop:\n  target: [dev]\n  outputs: {dev: {type: duckdb}}\n", "profiles.yml:2:11: target must be a single value, not a list"},
		{"jaffle_shop:\n  outputs: {dev: {type: duckdb}}\n  targte: dev\n", `profiles.yml:3:3: warning: unknown key "targte" in profile "jaffle_shop"`},
	} {
		project[ProfilesFileName] = tt.profiles
		_, ds := load(t, project, Options{})
		assertDiags(t, ds, []string{tt.want})
	}
}

func TestProfileOutputs(t *testing.T) {
	isolateProfiles(t)
	t.Setenv("PG_USER", "martlet")
	t.Setenv("JAFFLE_TARGET", "socket")
	p := mustLoad(t, map[string]string{
		DbtFileName: "name: jaffle_shop\nprofile: jaffle_shop\n",
		ProfilesFileName: `jaffle_shop:
  target: "{{ env_var('JAFFLE_TARGET', 'dev') }}"
  outputs:
    dev: {type: duckdb}
    abs: {type: duckdb, path: /data/j.duckdb, schema: jaffle, threads: 2, settings: {memory_limit: 1GB}}
    socket:
      type: postgres
      host: /var/run/postgresql
      user: "{{ env_var('PG_USER') }}"
      database: my/db
      application_name: martlet
      role: transformer
`,
	})
	want := map[string]Target{
		"dev": {Name: "dev", Type: "duckdb", Path: ":memory:", Schema: "main", Threads: 1, Pos: Pos{ProfilesFileName, 4, 10}},
		"abs": {Name: "abs", Type: "duckdb", Path: "/data/j.duckdb", Schema: "jaffle", Threads: 2, Pos: Pos{ProfilesFileName, 5, 10}},
		"socket": {Name: "socket", Type: "postgres", Schema: "public", Threads: 1, Pos: Pos{ProfilesFileName, 7, 7},
			DSN: "postgres://martlet@/my%2Fdb?application_name=martlet&host=%2Fvar%2Frun%2Fpostgresql&port=5432"},
	}
	if !reflect.DeepEqual(p.Targets, want) || p.DefaultTarget != "socket" {
		t.Errorf("DefaultTarget %q, Targets:\n got  %+v\n want %+v", p.DefaultTarget, p.Targets, want)
	}
	_, err := p.Target("staging")
	if got, want := err.Error(), `profiles.yml: unknown target "staging" (profile "jaffle_shop" defines "abs", "dev", "socket")`; got != want {
		t.Errorf("unknown target: %s\nwant %s", got, want)
	}
	_, err = p.Target("sockt")
	if got, want := err.Error(), `profiles.yml: unknown target "sockt" (did you mean "socket"?)`; got != want {
		t.Errorf("unknown target: %s\nwant %s", got, want)
	}
}

// TestProfileOutputErrors checks that an output's errors are reported when
// it is selected, as dbt validates only the output in use.
func TestProfileOutputErrors(t *testing.T) {
	isolateProfiles(t)
	t.Setenv("BAD_THREADS", "many")
	tests := []struct {
		name, output string
		want         string
	}{
		{"missing env var", "{type: postgres, host: h, user: u, dbname: d, password: \"{{ env_var('PG_PASSWORD') }}\"}",
			`profiles.yml:4:67: environment variable "PG_PASSWORD" is not set (env_var() without a default)`},
		{"other jinja", "{type: duckdb, path: \"{{ target.name }}.duckdb\"}",
			"profiles.yml:4:32: unsupported expression {{ target.name }}: only env_var('NAME') or env_var('NAME', 'default') is supported here"},
		{"jinja tag", "{type: duckdb, path: \"{% if true %}x{% endif %}\"}",
			`profiles.yml:4:32: unsupported template tag "{%": only {{ env_var(...) }} is supported here`},
		{"bad number", "{type: duckdb, threads: \"{{ env_var('BAD_THREADS') | int }}\"}",
			`profiles.yml:4:35: env_var("BAD_THREADS") is "many", not a number (| int)`},
		{"threads", "{type: duckdb, threads: 0}", "profiles.yml:4:35: threads must be a whole number from 1 to 1024"},
		{"port", "{type: postgres, host: h, user: u, dbname: d, port: 70000}", "profiles.yml:4:63: port must be a whole number from 1 to 65535"},
		{"missing settings", "{type: postgres, schema: s}", `profiles.yml:4:11: postgres output "prod" needs host, user, dbname`},
		{"no type", "{path: x}", `profiles.yml:4:11: output "prod" needs a type (duckdb or postgres)`},
		{"unsupported type", "{type: snowflake}", `profiles.yml:4:18: output "prod" has type "snowflake", which martlet does not support (use duckdb or postgres)`},
		{"not a mapping", "duckdb", `profiles.yml:4:11: output "prod" must be a mapping`},
		{"list value", "{type: duckdb, path: [a]}", "profiles.yml:4:32: path must be a single value, not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ds := load(t, map[string]string{
				DbtFileName:      "name: jaffle_shop\nprofile: jaffle_shop\n",
				ProfilesFileName: "jaffle_shop:\n  outputs:\n    dev: {type: duckdb}\n    prod: " + tt.output + "\n",
			}, Options{})
			assertDiags(t, ds, nil)
			if _, err := p.Target("dev"); err != nil {
				t.Errorf("dev: %v", err)
			}
			_, err := p.Target("prod")
			if err == nil || err.Error() != tt.want {
				t.Errorf("prod: %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestProfileOutputWarnings(t *testing.T) {
	isolateProfiles(t)
	_, ds := load(t, map[string]string{
		DbtFileName:      "name: jaffle_shop\nprofile: jaffle_shop\n",
		ProfilesFileName: "jaffle_shop:\n  target: dev\n  outputs:\n    dev: {type: duckdb, pth: x, extensions: [httpfs]}\n    prod: {type: postgres, host: h, user: u, dbname: d, keepalives_idle: 0, hots: x}\n",
	}, Options{})
	assertDiags(t, ds, []string{
		`profiles.yml:4:25: warning: unknown key "pth" in duckdb output "dev" (did you mean "path"?)`,
		`profiles.yml:5:77: warning: unknown key "hots" in postgres output "prod" (did you mean "host"?)`,
	})
}

func TestMartletProjectIgnoresProfiles(t *testing.T) {
	isolateProfiles(t)
	p := mustLoad(t, map[string]string{
		FileName:         "name: shop\nprofile: shop\n",
		ProfilesFileName: profileWithPath("x.duckdb"),
	})
	if p.Profile != "" || !reflect.DeepEqual(p.Targets, map[string]Target{"dev": DefaultTarget()}) {
		t.Errorf("Profile %q Targets %+v", p.Profile, p.Targets)
	}
}
