package compiler

import (
	"os"
	"path/filepath"
	"testing"

	"martlet/cmd/synthproject/synth"
)

// BenchmarkWriteArtifacts writes the artifacts of a compiled synthetic
// 3,000-model project (with about as many tests): "first" into an empty
// target directory, "unchanged" over the artifacts of the same compile.
func BenchmarkWriteArtifacts(b *testing.B) {
	dir := b.TempDir()
	opts := synth.Defaults()
	opts.Models = 3000
	if err := synth.Write(dir, opts); err != nil {
		b.Fatal(err)
	}
	res, err := Compile(Options{ProjectDir: dir, SkipSQLCheck: true})
	if err != nil {
		b.Fatal(err)
	}
	target := filepath.Join(res.Project.Root, res.Project.Paths.Target)
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if err := os.RemoveAll(target); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := res.WriteArtifacts(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		if err := res.WriteArtifacts(); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := res.WriteArtifacts(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
