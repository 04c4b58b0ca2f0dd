package compiler

import (
	"testing"

	"martlet/cmd/synthproject/synth"
)

// BenchmarkCompile compiles a synthetic 2,000-model project (refs through
// CTEs, a macro and a var per model, tests on every third model) and
// writes its artifacts, reporting models per second.
func BenchmarkCompile(b *testing.B) {
	dir := b.TempDir()
	opts := synth.Defaults()
	opts.Models = 2000
	if err := synth.Write(dir, opts); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Compile(Options{ProjectDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := res.WriteArtifacts(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(opts.Models*b.N)/b.Elapsed().Seconds(), "models/s")
}
