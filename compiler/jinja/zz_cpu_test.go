package jinja

import (
	"os"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestZZCPU(t *testing.T) {
	src, _ := os.ReadFile("testdata/bench_model.sql")
	model := string(src)
	for range 200 {
		Translate(model)
	}
	start := cpuNow()
	const n = 60000
	for range n {
		Translate(model)
	}
	t.Logf("cpu per translate: %v (10k models: %v)", (cpuNow()-start)/n, cpuNow()-start)
}
