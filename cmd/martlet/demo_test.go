package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"martlet/cmd/martlet/cli"
)

// copyDemo copies the demo project at the repository root into a fresh
// directory.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	root := filepath.Join("..", "..")
	for _, name := range []string{"martlet.yml", "models", "seeds", "macros", "tests"} {
		src := filepath.Join(root, name)
		err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if info.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func martlet(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), append([]string{"-C", dir, "--no-color"}, args...), &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestDemoBuild builds the demo project and compares every mart with an
// independently written query over the seeds (testdata/demo_expected),
// then builds again to check the incremental mart stays equal.
func TestDemoBuild(t *testing.T) {
	dir := copyDemo(t)
	for round := 1; round <= 2; round++ {
		stdout, stderr, code := martlet(t, dir, "build")
		if code != 0 {
			t.Fatalf("build #%d: exit %d\nstdout:\n%s\nstderr:\n%s", round, code, stdout, stderr)
		}
		if !strings.Contains(stdout, "WARN") {
			t.Errorf("build #%d: the demo's warn-severity test did not warn:\n%s", round, stdout)
		}
		compareExpected(t, filepath.Join(dir, "target", "dev.duckdb"))
	}
}

func compareExpected(t *testing.T, dbPath string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "demo_expected", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no expectations: %v", err)
	}
	db, err := sql.Open("duckdb", dbPath+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range files {
		model := strings.TrimSuffix(filepath.Base(f), ".sql")
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"select count(*) from (select * from main." + model + " except all (" + string(want) + "))",
			"select count(*) from ((" + string(want) + ") except all select * from main." + model + ")",
		} {
			var n int
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatalf("%s: %v", model, err)
			}
			if n != 0 {
				t.Errorf("%s: %d rows differ from the independent expectation", model, n)
			}
		}
		var rows int
		if err := db.QueryRow("select count(*) from main." + model).Scan(&rows); err != nil || rows == 0 {
			t.Errorf("%s: %d rows (%v)", model, rows, err)
		}
	}
}
