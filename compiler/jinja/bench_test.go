package jinja

import (
	"os"
	"testing"
)

// BenchmarkTranslate translates a ~100-line dbt model.
func BenchmarkTranslate(b *testing.B) {
	src, err := os.ReadFile("testdata/bench_model.sql")
	if err != nil {
		b.Fatal(err)
	}
	model := string(src)
	if _, errs := Translate(model); errs != nil {
		b.Fatalf("benchmark model does not translate: %v", errs)
	}
	b.SetBytes(int64(len(model)))
	b.ReportAllocs()
	for b.Loop() {
		Translate(model)
	}
}
