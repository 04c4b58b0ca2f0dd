package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"martlet/cmd/martlet/cli"
)

// syncBuffer is a strings.Builder safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls buf until it contains want n times, or fails after timeout.
func waitFor(t *testing.T, buf *syncBuffer, want string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Count(buf.String(), want) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %q ×%d in:\n%s", want, n, buf.String())
}

// readEnv turns the test binary into a process that reads a DuckDB file
// and prints a query's result.
const readEnv = "MARTLET_TEST_READ_DUCKDB"

func init() {
	path := os.Getenv(readEnv)
	if path == "" {
		return
	}
	out, err := duckRows(path, os.Getenv(readEnv+"_QUERY"))
	if err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	os.Stdout.WriteString(out)
	os.Exit(0)
}

// readFromOtherProcess queries the DuckDB file from a separate process,
// as the DuckDB CLI or a BI tool would.
func readFromOtherProcess(t *testing.T, path, query string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), readEnv+"="+path, readEnv+"_QUERY="+query)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("another process could not read %s: %v %s", path, err, out)
	}
	return string(out)
}

// TestWatch runs build --watch, saves an edit, and sees only the changed
// model and its dependants rebuilt; a broken save prints its error and the
// loop goes on; between builds another process reads the database.
func TestWatch(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"martlet.yml":      "name: w\nmodels:\n  +materialized: table\n",
		"models/a.sql":     "select 1 as x",
		"models/b.sql":     "select x + 1 as y from {{ ref('a') }}",
		"models/other.sql": "select 42 as z",
	})
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() { done <- cli.Run(ctx, []string{"-C", dir, "--no-color", "build", "--watch"}, &out, &errOut) }()
	waitFor(t, &out, "Watching for changes", 1, 30*time.Second)
	if !strings.Contains(out.String(), "OK created sql table model main.other") {
		t.Fatalf("first build did not build everything:\n%s", out.String())
	}
	db := filepath.Join(dir, "target", "dev.duckdb")
	if got := readFromOtherProcess(t, db, "select y from main.b"); got != "2\n" {
		t.Fatalf("read between builds: %q", got)
	}

	start := time.Now()
	if err := os.WriteFile(filepath.Join(dir, "models", "a.sql"), []byte("select 10 as x"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &out, "Watching for changes", 2, 10*time.Second)
	t.Logf("rebuilt in %s", time.Since(start))
	second := out.String()[strings.Index(out.String(), "Change detected"):]
	if !strings.Contains(second, "model main.a") || !strings.Contains(second, "model main.b") || strings.Contains(second, "main.other") {
		t.Errorf("the rebuild should cover a and b only:\n%s", second)
	}
	if got := readFromOtherProcess(t, db, "select y from main.b"); got != "11\n" {
		t.Errorf("after the edit: %q", got)
	}

	if err := os.WriteFile(filepath.Join(dir, "models", "a.sql"), []byte("select {{ ref('nope') }}"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &out, "Watching for changes", 3, 10*time.Second)
	if !strings.Contains(errOut.String(), `models/a.sql:1:11: unknown model "nope" in ref()`) {
		t.Errorf("the broken save's error: %s", errOut.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != cli.ExitInterrupted {
			t.Errorf("exit %d after Ctrl-C, want 130", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop")
	}
}

// TestDocsServe serves the demo's docs on a free loopback port, fetches
// the page, and stops on Ctrl-C.
func TestDocsServe(t *testing.T) {
	dir := copyDemo(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int)
	go func() { done <- cli.Run(ctx, []string{"-C", dir, "docs", "serve", "--port", "0"}, &out, &errOut) }()
	waitFor(t, &out, "Serving the docs at ", 1, 30*time.Second)
	text := out.String()
	url := strings.TrimSpace(strings.Fields(text[strings.Index(text, "Serving the docs at ")+len("Serving the docs at "):])[0])
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("served on %q, want 127.0.0.1", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "streamflix") {
		t.Errorf("GET %s: %d, %d bytes", url, resp.StatusCode, len(body))
	}
	if _, err := os.Stat(filepath.Join(dir, "target", "docs", "index.html")); err != nil {
		t.Errorf("docs serve also writes the page: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != cli.ExitInterrupted {
			t.Errorf("exit %d, want 130", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("docs serve did not stop")
	}
}
