package project

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"martlet/compiler/diag"
	"martlet/compiler/yamltree"
)

// Target is a database to build into.
type Target struct {
	Name string `json:"name"`
	// Type is "duckdb" or "postgres".
	Type string `json:"type"`
	// Path is a DuckDB file, relative to the project root.
	Path   string `json:"path,omitempty"`
	Schema string `json:"schema"`
	// DSN is a PostgreSQL connection string; DSNEnv names the environment
	// variable that holds it.
	DSN     string `json:"-"`
	DSNEnv  string `json:"dsn_env,omitempty"`
	Threads int    `json:"threads"`
	Pos     Pos    `json:"-"`
}

// DuckDBCatalog is the name a DuckDB target's file is attached under, and
// so its target.database. DuckDB names a file's catalog after the file
// ("dev" for dev.duckdb), and a schema of the same name would then make
// every "schema"."name" reference ambiguous; this name is unlikely to be
// chosen for a schema.
const DuckDBCatalog = "__martlet__"

// Database is the database the target's relations live in, as templates
// see it in target.database: DuckDBCatalog for DuckDB, the DSN's database
// for PostgreSQL (empty when the DSN is not at hand or names none).
func (t Target) Database() string {
	switch t.Type {
	case "duckdb":
		return DuckDBCatalog
	case "postgres":
		if dsn, err := t.ConnString(); err == nil {
			if cfg, err := pgconn.ParseConfig(dsn); err == nil {
				return cfg.Database
			}
		}
	}
	return ""
}

// ConnString returns a PostgreSQL target's DSN: the value of the
// environment variable DSNEnv names, or DSN. An unset variable is an error
// naming it.
func (t Target) ConnString() (string, error) {
	if t.DSNEnv == "" {
		return t.DSN, nil
	}
	dsn := os.Getenv(t.DSNEnv)
	if dsn == "" {
		return "", fmt.Errorf("target %s: the environment variable %s (dsn_env) is not set; it must hold the PostgreSQL connection string", t.Name, t.DSNEnv)
	}
	return dsn, nil
}

// DefaultTarget is the target of a project that names none.
func DefaultTarget() Target {
	return Target{Name: "dev", Type: "duckdb", Path: "target/dev.duckdb", Schema: "main", Threads: 4}
}

// Target returns the target to use: name, or the project's default when
// name is empty. An unknown name is an error listing the known ones; a
// profile output that could not be read gives its errors.
func (p *Project) Target(name string) (Target, error) {
	if name == "" {
		name = p.DefaultTarget
	}
	if errs := p.badTargets[name]; errs != nil {
		return Target{}, errs
	}
	t, ok := p.Targets[name]
	if !ok {
		names := make([]string, 0, len(p.Targets)+len(p.badTargets))
		for n := range p.Targets {
			names = append(names, n)
		}
		for n := range p.badTargets {
			names = append(names, n)
		}
		file, definer := p.File, "the project"
		if p.ProfilesFile != "" {
			file, definer = p.ProfilesFile, fmt.Sprintf("profile %q", p.Profile)
		}
		msg := fmt.Sprintf("unknown target %q (%s defines %s)", name, definer, joinQuoted(names))
		if s := diag.Suggest(name, sortedCopy(names)); s != "" {
			msg = fmt.Sprintf("unknown target %q (did you mean %q?)", name, s)
		}
		return Target{}, diag.At(file, 0, 0, "%s", msg)
	}
	return t, nil
}

func (p *Project) parseTargets(file string, n *yamltree.Node, ds *diag.List) {
	if n.Kind != yamltree.Map {
		ds.Add(diag.At(file, n.Line, n.Col, "targets must be a mapping of target name to settings"))
		return
	}
	for i, k := range n.Keys {
		var envErrs diag.List
		t, ok := parseTarget(file, k.String(), n.Values[i], ds, &envErrs)
		switch {
		case !ok:
		case len(envErrs) > 0:
			// A target whose env_var() cannot be rendered here (a CI
			// secret on a laptop) fails only the commands that use it.
			if p.badTargets == nil {
				p.badTargets = map[string]diag.List{}
			}
			p.badTargets[t.Name] = envErrs
		default:
			p.Targets[t.Name] = t
		}
	}
}

// parseTarget reads one target of martlet.yml. Its values may use
// env_var(); errors rendering them go to envErrs, the others to ds.
func parseTarget(file, name string, n *yamltree.Node, ds, envErrs *diag.List) (Target, bool) {
	t := Target{Name: name, Threads: 4, Pos: Pos{File: file, Line: n.Line, Col: n.Col}}
	if n.Kind != yamltree.Map {
		ds.Add(diag.At(file, n.Line, n.Col, "target %q must be a mapping", name))
		return t, false
	}
	ok := true
	for i, k := range n.Keys {
		v := n.Values[i]
		key := k.String()
		var s string
		if key != "threads" || strings.Contains(v.String(), "{{") {
			var rendered bool
			if s, rendered = renderScalar(file, key, v, envErrs); !rendered {
				continue
			}
		}
		switch key {
		case "type":
			t.Type = s
		case "path":
			t.Path = s
		case "schema":
			t.Schema = s
		case "dsn":
			t.DSN = s
		case "dsn_env":
			t.DSNEnv = s
		case "threads":
			th, isInt := v.Int()
			if s != "" {
				n, err := strconv.Atoi(s)
				th, isInt = int64(n), err == nil
			}
			if !isInt || th < 1 || th > 1024 {
				ds.Add(diag.At(file, v.Line, v.Col, "threads must be a whole number from 1 to 1024"))
				ok = false
			}
			t.Threads = int(th)
		default:
			ds.Add(diag.WarnAt(file, k.Line, k.Col, "unknown target key %q", key))
		}
	}
	if len(*envErrs) > 0 {
		return t, ok
	}
	switch t.Type {
	case "duckdb":
		if t.Schema == "" {
			t.Schema = "main"
		}
		if t.Path == "" {
			t.Path = "target/" + name + ".duckdb"
		}
	case "postgres":
		if t.DSN == "" && t.DSNEnv == "" {
			ds.Add(diag.At(file, n.Line, n.Col, "postgres target %q needs dsn_env (the environment variable holding the DSN) or dsn", name))
			ok = false
		}
		if t.Schema == "" {
			t.Schema = "public"
		}
	case "":
		ds.Add(diag.At(file, n.Line, n.Col, "target %q needs a type (duckdb or postgres)", name))
		ok = false
	default:
		ds.Add(diag.At(file, n.Line, n.Col, "target %q has unknown type %q (use duckdb or postgres)", name, t.Type))
		ok = false
	}
	return t, ok
}

func joinQuoted(names []string) string {
	out := ""
	for i, n := range sortedCopy(names) {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", n)
	}
	return out
}
