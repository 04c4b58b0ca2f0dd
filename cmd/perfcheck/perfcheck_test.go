package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedianWall(t *testing.T) {
	s := func(ds ...time.Duration) []sample {
		out := make([]sample, len(ds))
		for i, d := range ds {
			out[i] = sample{wall: d, peakRSS: int64(d)}
		}
		return out
	}
	for _, c := range []struct {
		samples []sample
		want    time.Duration
	}{
		{nil, 0},
		{s(5), 5},
		{s(9, 1, 5), 5},
		{s(4, 1, 9, 2), 3},
	} {
		if got := medianWall(c.samples); got != c.want {
			t.Errorf("medianWall(%v) = %v, want %v", c.samples, got, c.want)
		}
	}
	cpu := []sample{{cpu: 3}, {cpu: 1}, {cpu: 2}}
	if got := medianCPU(cpu); got != 2 {
		t.Errorf("medianCPU = %v, want 2", got)
	}
	if got := maxRSS(s(3, 9, 4)); got != 9 {
		t.Errorf("maxRSS = %d, want 9", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1_000_000: "1,000,000", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestWriteBigCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := writeBigCSV(path, 1234); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1235 {
		t.Fatalf("%d records, want a header and 1234 rows", len(records))
	}
	if got := strings.Join(records[1], ","); got != "1,customer_7919,2024-01-01 00:00:37,1.11,shipped,31" {
		t.Errorf("first row %q", got)
	}
}

func TestTableStatements(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"target/manifest.json": `{"nodes": [
			{"resource_type": "seed", "relation": {"schema": "main", "name": "s"}, "config": {"materialized": "seed"}},
			{"resource_type": "model", "compiled_path": "target/compiled/a.sql", "relation": {"schema": "main", "name": "a"}, "config": {"materialized": "table"}},
			{"resource_type": "model", "compiled_path": "target/compiled/v.sql", "relation": {"schema": "main", "name": "v"}, "config": {"materialized": "view"}},
			{"resource_type": "model", "compiled_path": "target/compiled/b.sql", "relation": {"schema": "x\"y", "name": "b"}, "config": {"materialized": "table"}}
		]}`,
		"target/compiled/a.sql": "select 1 as id\n",
		"target/compiled/b.sql": "select * from \"main\".\"a\"\n",
	}
	for path, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := tableStatements(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"CREATE OR REPLACE TABLE \"main\".\"a\" AS\nselect 1 as id\n",
		"CREATE OR REPLACE TABLE \"x\"\"y\".\"b\" AS\nselect * from \"main\".\"a\"\n",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("statements:\n%q\nwant\n%q", got, want)
	}
}

func TestResultString(t *testing.T) {
	r := result{what: "ls demo project", figures: "38 ms", target: "target ≤ 100 ms", pass: true}
	if s := r.String(); !strings.HasPrefix(s, "ls demo project ") || !strings.HasSuffix(s, " PASS") {
		t.Errorf("passing result prints %q", s)
	}
	r.pass = false
	if s := r.String(); !strings.HasSuffix(s, " FAIL") {
		t.Errorf("failing result prints %q", s)
	}
	r.reference = true
	if s := r.String(); !strings.HasSuffix(s, " FAIL") {
		t.Errorf("a reference figure over its memory limit prints %q", s)
	}
	r.pass = true
	if s := r.String(); !strings.HasSuffix(s, " INFO") {
		t.Errorf("a reference figure prints %q", s)
	}
}

// TestRunTiny runs every check with tiny sizes. It builds martlet, which
// takes several seconds, so -short skips it.
func TestRunTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the martlet binary")
	}
	cfg := config{
		models: 20, testsPerModel: 1, compileReps: 1,
		runModels: 5, runReps: 1, lsReps: 1, seedRows: 100, seedReps: 1,
		cpuprofile: filepath.Join(t.TempDir(), "cpu.pprof"),
	}
	var out bytes.Buffer
	if _, err := run(cfg, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d lines, want 7:\n%s", len(lines), out.String())
	}
	for i, kind := range []string{"from scratch", "one model edited", "unchanged"} {
		if !strings.HasPrefix(lines[i], "compile 20, "+kind+" ") {
			t.Errorf("line %d is %q, want the compile %s", i+1, lines[i], kind)
		}
	}
	if !strings.HasSuffix(lines[0], "INFO") {
		t.Errorf("the compile from scratch is a reference figure: %q", lines[0])
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, "PASS") && !strings.HasSuffix(l, "FAIL") && !strings.HasSuffix(l, "INFO") {
			t.Errorf("line without a verdict: %q", l)
		}
	}
	if fi, err := os.Stat(cfg.cpuprofile); err != nil || fi.Size() == 0 {
		t.Errorf("no CPU profile written: %v", err)
	}
}
