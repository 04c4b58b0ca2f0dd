// Command synthproject writes a deterministic synthetic martlet project of
// any size, for performance checks:
//
//	go run ./cmd/synthproject -models 10000 -dir /tmp/synth
//
// The same flags always produce byte-identical files; see package
// martlet/cmd/synthproject/synth for the project's shape.
package main

import (
	"flag"
	"fmt"
	"os"

	"martlet/cmd/synthproject/synth"
)

func main() {
	opts := synth.Defaults()
	dir := flag.String("dir", "", "directory to write the project into (must be empty or not exist)")
	flag.IntVar(&opts.Models, "models", opts.Models, "number of models")
	flag.Uint64Var(&opts.Seed, "seed", opts.Seed, "seed of the pseudo-random choices")
	flag.IntVar(&opts.TablesEvery, "tables-every", opts.TablesEvery, "make every K-th model a table in its own config (0: folder defaults only)")
	flag.IntVar(&opts.SeedRows, "seed-rows", opts.SeedRows, "rows in each seed CSV")
	flag.IntVar(&opts.TestsPerModel, "tests-per-model", opts.TestsPerModel, "average generic tests per model (3: three on every model)")
	flag.Parse()
	if *dir == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synthproject -dir DIR [-models N] [-seed S] [-tables-every K] [-seed-rows R] [-tests-per-model T]")
		os.Exit(2)
	}
	if err := synth.Write(*dir, opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
