package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// writers is how many files are written at once: writing is bound by
// system calls, which overlap well beyond the number of cores.
const writers = 8

// WriteArtifacts writes the compiled SQL of every model and test under
// the target directory and target/manifest.json, concurrently.
func (r *Result) WriteArtifacts() error {
	var manifestErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		manifestErr = r.Manifest.Write(filepath.Join(r.Project.Root, r.Project.Paths.Target, "manifest.json"))
	}()
	err := r.WriteCompiled()
	wg.Wait()
	if err != nil {
		return err
	}
	return manifestErr
}

// WriteCompiled writes the compiled SQL of every model and test that
// compiled, under the target directory, so that a syntax error can be
// looked at where the checker found it. A file that already holds the
// same SQL is left alone: reading it is much cheaper than truncating and
// rewriting it, and most files are unchanged from one compile to the next.
func (r *Result) WriteCompiled() error {
	if r.Manifest == nil {
		return nil
	}
	type file struct{ path, sql string }
	var files []file
	dirs := map[string]bool{}
	for _, n := range r.Manifest.Nodes {
		if n.CompiledPath == "" || n.CompiledSQL == "" {
			continue
		}
		p := filepath.Join(r.Project.Root, filepath.FromSlash(n.CompiledPath))
		dirs[filepath.Dir(p)] = true
		sql := n.CompiledSQL
		if !strings.HasSuffix(sql, "\n") {
			sql += "\n"
		}
		files = append(files, file{p, sql})
	}
	for dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	var firstErr error
	parallelN(files, writers, func(f file) {
		if old, err := os.ReadFile(f.path); err == nil && string(old) == f.sql {
			return
		}
		if err := os.WriteFile(f.path, []byte(f.sql), 0o644); err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}
	})
	return firstErr
}
