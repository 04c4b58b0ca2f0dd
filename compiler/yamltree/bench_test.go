package yamltree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"martlet/cmd/synthproject/synth"
)

// synthProperties writes a synthetic project and returns its largest
// properties file, as the CPU profile of a 10,000-model compile sees them
// (about 22 KB: a folder of 100 models, a third of them documented).
func synthProperties(tb testing.TB) []byte {
	tb.Helper()
	dir := tb.TempDir()
	opts := synth.Defaults()
	opts.Models = 300
	if err := synth.Write(dir, opts); err != nil {
		tb.Fatal(err)
	}
	var data []byte
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && len(b) > len(data) {
			data = b
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkParse parses a synthetic properties file of about 22 KB.
func BenchmarkParse(b *testing.B) {
	data := synthProperties(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, d := Parse("f.yml", data); d != nil {
			b.Fatal(d)
		}
	}
}
