package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"martlet/cmd/martlet/cli"
)

// mainEnv turns the test binary into the martlet command, so tests can
// run it as a separate process (under a pseudo-terminal).
const mainEnv = "MARTLET_TEST_AS_MAIN"

func init() {
	if os.Getenv(mainEnv) == "" {
		return
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}

// TestLiveProgressOnTerminal runs a build under a pseudo-terminal and sees
// the live status line redrawn in place (done/total, running nodes) and
// cleared before the summary.
func TestLiveProgressOnTerminal(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"martlet.yml":  "name: live\nmodels:\n  +materialized: table\n",
		"models/a.sql": "select count(*) as n from range(30000000)",
		"models/b.sql": "select n from {{ ref('a') }}",
		"models/c.sql": "select n from {{ ref('b') }}",
	})
	cmd := exec.Command(os.Args[0], "-C", dir, "run", "--threads", "1")
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&out, f); close(done) }()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("martlet run: %v\n%s", err, out.String())
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	text := out.String()
	for _, want := range []string{"\r\x1b[2K", "/3", "running: "} {
		if !strings.Contains(text, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, text)
		}
	}
	if i, j := strings.LastIndex(text, "\r\x1b[2K"), strings.Index(text, "Finished running"); i < 0 || j < i {
		t.Errorf("the live line must be cleared before the summary:\n%q", text)
	}
}

// TestJSONLogs checks that with --log-format json every line of stdout is
// one JSON object with ts, level and event, for a build with a failure
// and for a project with a compile error.
func TestJSONLogs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"martlet.yml":  "name: js\n",
		"seeds/s.csv":  "id\n1\n",
		"models/a.sql": "select * from {{ ref('s') }}",
		"models/b.sql": "{{ config(materialized='table') }}select cast('x' as integer) as v",
		"models/p.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        tests: [unique]\n",
	})
	stdout, stderr, code := martlet(t, dir, "--log-format", "json", "build")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d (want 1), stderr %q", code, stderr)
	}
	events := parseJSONLines(t, stdout)
	counts := map[string]int{}
	for _, e := range events {
		counts[e["event"].(string)]++
	}
	if counts["run_start"] != 1 || counts["run_end"] != 1 || counts["node_finish"] != 4 {
		t.Errorf("events: %v", counts)
	}
	last := events[len(events)-1]
	if last["event"] != "run_end" || last["success"] != false || last["level"] != "error" {
		t.Errorf("run_end: %v", last)
	}

	if err := os.WriteFile(dir+"/models/b.sql", []byte("select {{ ref('nope') }}"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = martlet(t, dir, "--log-format", "json", "build")
	if code != 1 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	events = parseJSONLines(t, stdout)
	if events[0]["event"] != "diagnostic" || events[0]["file"] != "models/b.sql" || events[0]["line"] != 1.0 {
		t.Errorf("diagnostic: %v", events[0])
	}
}

func parseJSONLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var events []map[string]any
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not a JSON line: %q (%v)", line, err)
		}
		for _, k := range []string{"ts", "level", "event"} {
			if _, ok := e[k]; !ok {
				t.Fatalf("line without %s: %q", k, line)
			}
		}
		events = append(events, e)
	}
	return events
}
