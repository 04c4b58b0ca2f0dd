package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// binaries are the programs perfcheck builds and measures.
type binaries struct {
	martlet string
	plain   string // plainduckdb
}

// moduleRoot is the directory of the martlet module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the martlet module: run perfcheck from the repository")
	}
	return filepath.Dir(gomod), nil
}

// buildBinaries builds martlet and plainduckdb into tmp/bin.
func buildBinaries(root, tmp string) (binaries, error) {
	bin := filepath.Join(tmp, "bin")
	b := binaries{martlet: filepath.Join(bin, "martlet"), plain: filepath.Join(bin, "plainduckdb")}
	for _, p := range []struct{ out, pkg string }{
		{b.martlet, "./cmd/martlet"},
		{b.plain, "./cmd/perfcheck/plainduckdb"},
	} {
		cmd := exec.Command("go", "build", "-o", p.out, p.pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s: %w\n%s", p.pkg, err, out)
		}
	}
	return b, nil
}

// sample is one timed run of a child process.
type sample struct {
	wall time.Duration
	// cpu is the child's user and system CPU time.
	cpu time.Duration
	// peakRSS is the child's peak resident set size in bytes, 0 if unknown.
	peakRSS int64
}

// timed runs the program with args in dir, with env added to the
// environment, and measures it. A non-zero exit is an error that quotes
// the child's output.
func timed(dir string, env []string, program string, args ...string) (sample, error) {
	cmd := exec.Command(program, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %w\n%s", filepath.Base(program), strings.Join(args, " "), err, tail(output.String(), 2000))
	}
	ps := cmd.ProcessState
	return sample{wall: wall, cpu: ps.UserTime() + ps.SystemTime(), peakRSS: peakRSS(ps)}, nil
}

// tail is the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// repeat measures reps runs, calling before (when not nil) ahead of each
// run, outside the timing.
func repeat(reps int, before func() error, run func() (sample, error)) ([]sample, error) {
	samples := make([]sample, 0, reps)
	for range reps {
		if before != nil {
			if err := before(); err != nil {
				return nil, err
			}
		}
		s, err := run()
		if err != nil {
			return nil, err
		}
		samples = append(samples, s)
	}
	return samples, nil
}

// medianWall is the median wall time of samples (the mean of the middle
// two for an even count).
func medianWall(samples []sample) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	walls := make([]time.Duration, len(samples))
	for i, s := range samples {
		walls[i] = s.wall
	}
	slices.Sort(walls)
	mid := len(walls) / 2
	if len(walls)%2 == 0 {
		return (walls[mid-1] + walls[mid]) / 2
	}
	return walls[mid]
}

// medianCPU is the median CPU time of samples.
func medianCPU(samples []sample) time.Duration {
	cpu := make([]sample, len(samples))
	for i, s := range samples {
		cpu[i] = sample{wall: s.cpu}
	}
	return medianWall(cpu)
}

// maxRSS is the largest peak RSS among samples.
func maxRSS(samples []sample) int64 {
	var peak int64
	for _, s := range samples {
		peak = max(peak, s.peakRSS)
	}
	return peak
}

// copyFile copies src to dst, replacing dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyTree copies the directory tree src to dst, skipping nothing.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(path, target)
	})
}
