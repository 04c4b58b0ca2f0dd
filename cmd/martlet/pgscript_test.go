package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"martlet/runner/adapter"
	"martlet/runner/adapter/postgres"
	"martlet/runner/adapter/postgres/pgtest"
)

// schemaEnv is the script variable that names a PostgreSQL script's schema.
const schemaEnv = "PGSCHEMA"

// TestPostgresScripts runs the end-to-end golden cases in testdata/pgscript
// on the PostgreSQL test server (pgtest.DSN): snapshots, hooks, contracts,
// on_schema_change and incremental models, as the DuckDB cases of
// testdata/script check them, in SQL that PostgreSQL runs. Commands:
//
//	martlet ARGS...   as in TestScripts
//	exit N            as in TestScripts
//	pgquery SQL       print the rows of SQL on the server, as query does;
//	                  unqualified names are looked up in $PGSCHEMA
//
// Each script gets a fresh schema, named by $PGSCHEMA, and the server's DSN
// in $MARTLET_TEST_PG_DSN (the CLI runs in this process and reads the
// variable from its environment, where it is already set). martlet.yml
// takes no env_var(), so before the script runs, ${PGSCHEMA} and $PGSCHEMA
// in every martlet.yml of the script are replaced by the schema's name; a
// case's target is {type: postgres, dsn_env: MARTLET_TEST_PG_DSN, schema:
// ${PGSCHEMA}}. Any other schema a case builds (a snapshot's target_schema)
// must be named ${PGSCHEMA}_SOMETHING: when the script ends, the schema and
// every schema so named are dropped.
//
// Run with -update to rewrite the expected files of failing cmp lines.
func TestPostgresScripts(t *testing.T) {
	dsn := pgtest.DSN(t)
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/pgscript",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			schema := "martlet_script_" + strings.ToLower(rand.Text()[:12])
			env.Setenv(schemaEnv, schema)
			env.Setenv(pgtest.EnvDSN, dsn)
			env.Defer(func() {
				if err := dropSchemas(dsn, schema); err != nil {
					env.T().Fatal(err)
				}
			})
			return writeSchema(env.WorkDir, schema)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"martlet": runMartlet,
			"exit":    checkExit,
			"pgquery": queryPostgres,
		},
	})
}

// writeSchema replaces ${PGSCHEMA} and $PGSCHEMA by schema in every file
// named martlet.yml under dir.
func writeSchema(dir, schema string) error {
	r := strings.NewReplacer("${"+schemaEnv+"}", schema, "$"+schemaEnv, schema)
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "martlet.yml" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(path, []byte(r.Replace(string(b))), 0o644)
	})
}

// dropSchemas drops, on the server at dsn, the schema named schema and
// every schema whose name starts with schema followed by an underscore,
// with everything in them.
func dropSchemas(dsn, schema string) error {
	ctx := context.Background()
	a, err := postgres.Open(ctx, dsn, 1)
	if err != nil {
		return err
	}
	defer a.Close()
	literal := "'" + strings.ReplaceAll(schema, "'", "''")
	rows, err := a.Query(ctx, "SELECT nspname::text FROM pg_namespace WHERE nspname = "+literal+"' OR starts_with(nspname, "+literal+"_')", 0)
	if err != nil {
		return err
	}
	for _, row := range rows.Values {
		name, _ := row[0].(string)
		if _, err := a.Exec(ctx, "DROP SCHEMA IF EXISTS "+adapter.QuoteIdent(name)+" CASCADE"); err != nil {
			return fmt.Errorf("dropping test schema %s: %w", name, err)
		}
	}
	return nil
}

// queryPostgres is the pgquery command: it runs SQL on the script's server
// with $PGSCHEMA as the search path and prints the rows as query does.
func queryPostgres(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: pgquery SQL")
	}
	dsn, err := withSearchPath(ts.Getenv(pgtest.EnvDSN), ts.Getenv(schemaEnv))
	ts.Check(err)
	out, err := postgresRows(dsn, args[0])
	printQuery(ts, neg, out, err)
}

// withSearchPath returns the URL DSN dsn with search_path set to schema.
func withSearchPath(dsn, schema string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("%s must be a postgres:// URL to set its search_path", pgtest.EnvDSN)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
