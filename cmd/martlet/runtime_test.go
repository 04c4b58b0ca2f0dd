package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"martlet/cmd/martlet/cli"
)

// holdEnv names the variable that turns the test binary into a process
// that holds a DuckDB file open until killed.
const holdEnv = "MARTLET_TEST_HOLD_DUCKDB"

func init() {
	path := os.Getenv(holdEnv)
	if path == "" {
		return
	}
	db, err := sql.Open("duckdb", path)
	if err == nil {
		_, err = db.Exec("create table if not exists held as select 1 as x")
	}
	if err != nil {
		os.Exit(3)
	}
	os.Stdout.WriteString("holding\n")
	time.Sleep(time.Minute)
	os.Exit(0)
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestInterruptCancelsQueries cancels a build while a long query runs:
// martlet stops it, exits 130, and the table built before is intact.
func TestInterruptCancelsQueries(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"martlet.yml":     "name: ctrlc\nmodels:\n  +materialized: table\n",
		"models/a.sql":    "select 1 as x",
		"models/slow.sql": "select count(*) as n from {{ ref('a') }}, range(100000000000)",
	})
	if _, stderr, code := martlet(t, dir, "run", "-s", "a"); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	var out, errOut strings.Builder
	start := time.Now()
	code := cli.Run(ctx, []string{"-C", dir, "--no-color", "run"}, &out, &errOut)
	if code != cli.ExitInterrupted {
		t.Fatalf("exit %d, want 130\n%s\n%s", code, out.String(), errOut.String())
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("cancellation took %s", elapsed)
	}
	got, err := duckRows(filepath.Join(dir, "target", "dev.duckdb"), "select x from main.a")
	if err != nil || got != "1\n" {
		t.Errorf("table a after the interrupt: %q, %v", got, err)
	}
}

// TestLockedDatabase runs martlet while another process holds the DuckDB
// file: a clear message, exit 1, and the file unharmed.
func TestLockedDatabase(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"martlet.yml":  "name: locked\n",
		"models/a.sql": "select 1 as x",
	})
	dbPath := filepath.Join(dir, "target", "dev.duckdb")
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o755); err != nil {
		t.Fatal(err)
	}
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), holdEnv+"="+dbPath)
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		holder.Process.Kill()
		holder.Wait()
	}()
	buf := make([]byte, 8)
	if n, _ := stdout.Read(buf); !strings.HasPrefix(string(buf[:n]), "holding") {
		t.Fatalf("holder did not start: %q", buf[:n])
	}
	_, stderr, code := martlet(t, dir, "run")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "is in use by another process (PID") {
		t.Errorf("message: %s", stderr)
	}
	holder.Process.Kill()
	holder.Wait()
	got, err := duckRows(dbPath, "select x from main.held")
	if err != nil || got != "1\n" {
		t.Errorf("the held file after the refused run: %q, %v", got, err)
	}
}

// TestSecretsNeverPrinted uses a secret in a hook whose statement fails:
// the database's message echoes the SQL, and martlet masks the value in
// its output, run_results.json, the manifest and the compiled files.
func TestSecretsNeverPrinted(t *testing.T) {
	const secret = "hunter2-very-secret"
	t.Setenv("MARTLET_SECRET_PASSWORD", secret)
	dir := writeFiles(t, map[string]string{
		"martlet.yml":  "name: sec\n",
		"models/a.sql": "{{ config(post_hook=\"select no_such_column_{{ env_var('MARTLET_SECRET_PASSWORD') }} from {{ this }}\") }}select 1 as x",
	})
	stdout, stderr, code := martlet(t, dir, "run")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the hook fails)\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "*****") {
		t.Errorf("the failing hook's message should show the masked value:\n%s", stdout)
	}
	err := filepath.Walk(filepath.Join(dir, "target"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasSuffix(p, ".duckdb") || strings.HasSuffix(p, ".wal") {
			return err
		}
		data, err := os.ReadFile(p)
		if strings.Contains(string(data), secret) {
			t.Errorf("%s holds the secret", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stdout+stderr, secret) {
		t.Errorf("the secret was printed")
	}
}
