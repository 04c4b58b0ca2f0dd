// Package pgtest gives tests the PostgreSQL server they run against.
//
// The server is named by the environment variable MARTLET_TEST_PG_DSN (see
// .ci/postgres.sh, which starts one and prints the export line). Without
// it, tests that need PostgreSQL skip, except under CI (CI=true), where a
// missing server fails them: CI must not pass by skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"

	"martlet/runner/adapter"
)

// EnvDSN is the environment variable that holds the test server's DSN.
const EnvDSN = "MARTLET_TEST_PG_DSN"

// DSN returns the test server's DSN. It skips t when none is set, or fails
// it when CI=true.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(EnvDSN + " is not set; CI must provide PostgreSQL")
		}
		t.Skip(EnvDSN + " is not set; run `eval \"$(.ci/postgres.sh)\"` to test on PostgreSQL")
	}
	return dsn
}

// Schema creates a schema with a fresh random name through a and returns
// the name; the schema and everything in it are dropped when t ends.
func Schema(t testing.TB, a adapter.Adapter) string {
	t.Helper()
	name := "martlet_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := a.Exec(context.Background(), "CREATE SCHEMA "+adapter.QuoteIdent(name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := a.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+adapter.QuoteIdent(name)+" CASCADE"); err != nil {
			t.Errorf("dropping test schema %s: %v", name, err)
		}
	})
	return name
}
