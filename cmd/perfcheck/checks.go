package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"martlet/cmd/synthproject/synth"
)

// The targets of issue 5.
const (
	compileTarget  = 2 * time.Second
	compileRSS     = 1 << 30
	runRatioTarget = 1.25
	threadsNoise   = 1.05 // --threads 4 may be this much slower than 1 and still pass
	lsTarget       = 100 * time.Millisecond
	seedTarget     = 3 * time.Second
)

// The synthetic projects' options.
const (
	synthSeed          = 1
	compileTablesEvery = 10
	runSeedRows        = 1000 // rows of each seed, and so of each table, in the run project
)

// checker holds what the checks share.
type checker struct {
	cfg  config
	root string // the martlet module, with the demo project
	tmp  string
	bins binaries
	log  io.Writer
}

func (c *checker) logf(format string, args ...any) {
	fmt.Fprintf(c.log, format+"\n", args...)
}

// martlet runs the martlet binary on the project in dir.
func (c *checker) martlet(dir string, args ...string) (sample, error) {
	return timed(dir, nil, c.bins.martlet, append([]string{"-C", dir}, args...)...)
}

// compile measures `martlet compile` of a synthetic project three ways:
// from scratch (no target directory, so nothing for partial parsing to
// reuse), after one model was edited (the analyst's loop), and unchanged.
func (c *checker) compile() ([]result, error) {
	dir := filepath.Join(c.tmp, "compile")
	opts := synth.Defaults()
	opts.Models, opts.Seed, opts.TablesEvery, opts.TestsPerModel = c.cfg.models, synthSeed, compileTablesEvery, c.cfg.testsPerModel
	if err := synth.Write(dir, opts); err != nil {
		return nil, err
	}
	c.logf("compile: %d models (tests-per-model %d), %d runs of each kind after a warm-up ...", c.cfg.models, c.cfg.testsPerModel, c.cfg.compileReps)
	if _, err := c.martlet(dir, "compile"); err != nil {
		return nil, err
	}
	compile := func() (sample, error) { return c.martlet(dir, "compile") }
	fromScratch := func() error { return os.RemoveAll(filepath.Join(dir, "target")) }
	models, err := filepath.Glob(filepath.Join(dir, "models", "*", "*", "*.sql"))
	if err != nil || len(models) == 0 {
		return nil, fmt.Errorf("compile: no model files found under %s (%v)", dir, err)
	}
	edits := 0
	editOne := func() error {
		edits++
		return appendComment(models[edits%len(models)], edits)
	}
	var results []result
	for _, kind := range []struct {
		what   string
		before func() error
		// reference: a compile with nothing to reuse, which target 1
		// does not cover (see README, Performance).
		reference bool
	}{
		{"from scratch", fromScratch, true},
		{"one model edited", editOne, false},
		{"unchanged", nil, false},
	} {
		if kind.before == nil {
			if _, err := compile(); err != nil { // settles the edits
				return nil, err
			}
		}
		samples, err := repeat(c.cfg.compileReps, kind.before, compile)
		if err != nil {
			return nil, err
		}
		wall, peak := medianWall(samples), maxRSS(samples)
		peakText := "peak n/a"
		if peak > 0 {
			peakText = fmt.Sprintf("peak %d MiB", peak>>20)
		}
		r := result{
			what:    fmt.Sprintf("compile %d, %s", c.cfg.models, kind.what),
			figures: fmt.Sprintf("%s   cpu %s   %s", seconds(wall), seconds(medianCPU(samples)), peakText),
			target:  "target ≤ 2.0 s, ≤ 1 GiB",
			pass:    wall <= compileTarget && peak <= compileRSS,
		}
		if kind.reference {
			r.target, r.pass, r.reference = "no time target; ≤ 1 GiB", peak <= compileRSS, true
		}
		results = append(results, r)
	}
	if c.cfg.cpuprofile != "" {
		note, err := c.profileCompile(dir)
		if err != nil {
			return nil, err
		}
		c.logf("compile: %s", note)
	}
	return results, nil
}

// appendComment appends a SQL comment naming edit n to the file at path.
func appendComment(path string, n int) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "\n-- edit %d\n", n)
	return errors.Join(err, f.Close())
}

// run measures `martlet run` with 1 and 4 threads over table models
// against plainduckdb running the same statements.
func (c *checker) run() ([]result, error) {
	dir := filepath.Join(c.tmp, "run")
	opts := synth.Options{Models: c.cfg.runModels, Seed: synthSeed, TablesEvery: 1, SeedRows: runSeedRows}
	if err := synth.Write(dir, opts); err != nil {
		return nil, err
	}
	c.logf("run: %d table models, %d runs each after a warm-up ...", c.cfg.runModels, c.cfg.runReps)
	if _, err := c.martlet(dir, "seed"); err != nil {
		return nil, err
	}
	seeded := filepath.Join(c.tmp, "run-seeded.duckdb")
	db := filepath.Join(dir, "target", "dev.duckdb")
	if err := copyFile(db, seeded); err != nil {
		return nil, err
	}
	restore := func(dst string) func() error {
		return func() error {
			if err := os.Remove(dst + ".wal"); err != nil && !os.IsNotExist(err) {
				return err
			}
			return copyFile(seeded, dst)
		}
	}
	runThreads := func(threads string) func() (sample, error) {
		return func() (sample, error) { return c.martlet(dir, "run", "--threads", threads) }
	}
	one, err := c.measure(restore(db), runThreads("1"))
	if err != nil {
		return nil, err
	}
	four, err := c.measure(restore(db), runThreads("4"))
	if err != nil {
		return nil, err
	}
	stmts, err := tableStatements(dir)
	if err != nil {
		return nil, err
	}
	stmtsPath := filepath.Join(c.tmp, "run-statements.json")
	data, err := json.Marshal(stmts)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(stmtsPath, data, 0o644); err != nil {
		return nil, err
	}
	plainDB := filepath.Join(c.tmp, "run-plain.duckdb")
	plain, err := c.measure(restore(plainDB), func() (sample, error) {
		return timed(c.tmp, nil, c.bins.plain, plainDB, stmtsPath)
	})
	if err != nil {
		return nil, err
	}
	t1, t4, tp := medianWall(one), medianWall(four), medianWall(plain)
	ratio := t1.Seconds() / tp.Seconds()
	return []result{{
		what:    fmt.Sprintf("run %d tables (1 thread)", c.cfg.runModels),
		figures: fmt.Sprintf("%s  plain duckdb %s  ratio %.2f", seconds(t1), seconds(tp), ratio),
		target:  fmt.Sprintf("target ≤ %.2f", runRatioTarget),
		pass:    ratio <= runRatioTarget,
	}, {
		what:    fmt.Sprintf("run %d tables (4 threads)", c.cfg.runModels),
		figures: fmt.Sprintf("%s  vs 1 thread %s  (%.2f×)", seconds(t4), seconds(t1), t4.Seconds()/t1.Seconds()),
		target:  "not slower than 1 thread",
		pass:    t4.Seconds() <= t1.Seconds()*threadsNoise,
	}}, nil
}

// measure runs once to warm up, then runReps times, each after before.
func (c *checker) measure(before func() error, run func() (sample, error)) ([]sample, error) {
	if _, err := repeat(1, before, run); err != nil {
		return nil, err
	}
	return repeat(c.cfg.runReps, before, run)
}

// ls measures `martlet ls` on a copy of the demo project.
func (c *checker) ls() ([]result, error) {
	dir := filepath.Join(c.tmp, "demo")
	if err := copyDemo(c.root, dir); err != nil {
		return nil, err
	}
	c.logf("ls: demo project, %d runs after a warm-up ...", c.cfg.lsReps)
	ls := func() (sample, error) { return c.martlet(dir, "ls") }
	if _, err := ls(); err != nil {
		return nil, err
	}
	samples, err := repeat(c.cfg.lsReps, nil, ls)
	if err != nil {
		return nil, err
	}
	wall := medianWall(samples)
	return []result{{
		what:    "ls demo project",
		figures: fmt.Sprintf("%d ms", wall.Milliseconds()),
		target:  "target ≤ 100 ms",
		pass:    wall <= lsTarget,
	}}, nil
}

// copyDemo copies the demo project's files (not its target directory)
// from the repository root to dir.
func copyDemo(root, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(root, "martlet.yml"), filepath.Join(dir, "martlet.yml")); err != nil {
		return err
	}
	for _, sub := range []string{"models", "seeds", "macros", "tests", "snapshots"} {
		src := filepath.Join(root, sub)
		if _, err := os.Stat(src); os.IsNotExist(err) {
			continue
		}
		if err := copyTree(src, filepath.Join(dir, sub)); err != nil {
			return err
		}
	}
	return nil
}

// seed measures `martlet seed` of one large CSV, each run into a new
// database file.
func (c *checker) seed() ([]result, error) {
	dir := filepath.Join(c.tmp, "seed")
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "martlet.yml"), []byte("name: seedcheck\n"), 0o644); err != nil {
		return nil, err
	}
	if err := writeBigCSV(filepath.Join(dir, "seeds", "events.csv"), c.cfg.seedRows); err != nil {
		return nil, err
	}
	c.logf("seed: %s rows, %d runs ...", thousands(c.cfg.seedRows), c.cfg.seedReps)
	samples, err := repeat(c.cfg.seedReps,
		func() error { return os.RemoveAll(filepath.Join(dir, "target")) },
		func() (sample, error) { return c.martlet(dir, "seed") })
	if err != nil {
		return nil, err
	}
	wall := medianWall(samples)
	return []result{{
		what:    fmt.Sprintf("seed %s rows", thousands(c.cfg.seedRows)),
		figures: seconds(wall),
		target:  "target ≤ 3 s",
		pass:    wall <= seedTarget,
	}}, nil
}
