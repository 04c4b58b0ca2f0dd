// Command perfcheck measures martlet against the performance targets of
// issue 5 and prints one line per figure with its target and PASS or FAIL:
//
//	go run ./cmd/perfcheck [-models N] [-quick] [-keep] [-cpuprofile-compile FILE]
//
// It builds the martlet binary (and plainduckdb, the baseline for `run`)
// once into a temporary directory, then measures, always through the built
// binaries as child processes, so process start-up counts everywhere:
//
//  1. `martlet compile` of a synthetic project (cmd/synthproject/synth):
//     median wall time of 5 runs after a warm-up, and the largest peak RSS;
//  2. `martlet run --threads 1` and `--threads 4` over small table models
//     (median of 3 after a warm-up, each from the same freshly seeded
//     database file), against plainduckdb executing the same compiled SQL
//     as CREATE OR REPLACE TABLE statements in manifest order on a copy of
//     the same file;
//  3. `martlet ls` on a copy of the repository's demo project (a copy,
//     because ls writes target/manifest.json): median of 20 runs;
//  4. `martlet seed` of a 1,000,000-row, 6-column CSV: median of 3 runs,
//     each into a new database file.
//
// The exit status is 1 when a target is missed and 2 when a measurement
// could not be made.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// config is what to measure and how often.
type config struct {
	models        int // models in the compile project
	testsPerModel int // synth.Options.TestsPerModel of the compile project
	compileReps   int
	runModels     int
	runReps       int
	lsReps        int
	seedRows      int
	seedReps      int
	keep          bool   // keep the temporary directory
	cpuprofile    string // write a CPU profile of one compile here
}

// fullConfig is the measurement the targets are written for.
func fullConfig() config {
	return config{
		models: 10000, testsPerModel: 1, compileReps: 5,
		runModels: 300, runReps: 3, lsReps: 20, seedRows: 1_000_000, seedReps: 3,
	}
}

// quickConfig is a smoke run: small sizes, few repetitions.
func quickConfig() config {
	return config{
		models: 500, testsPerModel: 1, compileReps: 2,
		runModels: 30, runReps: 1, lsReps: 3, seedRows: 20_000, seedReps: 1,
	}
}

func main() {
	quick := flag.Bool("quick", false, "smaller sizes and fewer repetitions, for a smoke run")
	models := flag.Int("models", 0, "models in the compile project (default 10000, 500 with -quick)")
	tests := flag.Int("tests-per-model", 1, "average generic tests per model in the compile project (3: three on every model)")
	keep := flag.Bool("keep", false, "keep the temporary directory with the projects and binaries")
	cpuprofile := flag.String("cpuprofile-compile", "", "write a CPU profile of one compile of the compile project to `FILE`")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	cfg := fullConfig()
	if *quick {
		cfg = quickConfig()
	}
	if *models > 0 {
		cfg.models = *models
	}
	cfg.testsPerModel = *tests
	cfg.keep = *keep
	cfg.cpuprofile = *cpuprofile
	ok, err := run(cfg, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "perfcheck:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// run measures everything cfg asks for, printing one line per figure to
// out and progress and notes to log. It reports whether every target was
// met; the error is for a measurement that could not be made.
func run(cfg config, out, log io.Writer) (bool, error) {
	root, err := moduleRoot()
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "perfcheck-")
	if err != nil {
		return false, err
	}
	if cfg.keep {
		fmt.Fprintln(log, "keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	fmt.Fprintln(log, "building martlet and plainduckdb ...")
	bins, err := buildBinaries(root, tmp)
	if err != nil {
		return false, err
	}
	c := &checker{cfg: cfg, root: root, tmp: tmp, bins: bins, log: log}
	allOK := true
	for _, check := range []func() ([]result, error){c.compile, c.run, c.ls, c.seed} {
		results, err := check()
		if err != nil {
			return false, err
		}
		for _, r := range results {
			fmt.Fprintln(out, r)
			allOK = allOK && r.pass
		}
	}
	return allOK, nil
}

// result is one printed figure.
type result struct {
	what    string // what was measured
	figures string // the measurement
	target  string // the target, in words
	pass    bool
	// reference marks a figure printed for comparison, with no time
	// target of its own; pass then says whether it kept within memory.
	reference bool
}

func (r result) String() string {
	verdict := "FAIL"
	switch {
	case r.pass && r.reference:
		verdict = "INFO"
	case r.pass:
		verdict = "PASS"
	}
	return fmt.Sprintf("%-34s %-44s %-28s %s", r.what, r.figures, r.target, verdict)
}

// seconds formats d as seconds with two decimals.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}
