package compiler

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// writers is how many files are written at once: writing is bound by
// system calls, which overlap well beyond the number of cores.
const writers = 8

// WriteArtifacts writes the compiled SQL of every model and test under
// the target directory, target/manifest.json, and the partial-parse
// cache, concurrently.
func (r *Result) WriteArtifacts() error {
	var manifestErr, cacheErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		manifestErr = r.Manifest.Write(filepath.Join(r.Project.Root, r.Project.Paths.Target, "manifest.json"))
	})
	if r.compilation != nil {
		wg.Go(func() { cacheErr = r.compilation.saveCache() })
	}
	err := r.WriteCompiled()
	wg.Wait()
	return errors.Join(err, manifestErr, cacheErr)
}

// WriteCompiled writes the compiled SQL of every model and test that
// compiled, under the target directory, so that a syntax error can be
// looked at where the checker found it. A file that already holds the
// same SQL is left alone: most files are unchanged from one compile to
// the next, and rewriting a file is slow. Reading every file back to
// tell is slow too, so the compiled folder keeps an index
// (compiledIndexName) of the size, modification time and SQL hash of
// every file written or checked: a file whose size and modification time
// are those recorded holds that SQL. Other files are read and compared,
// as are all when the index is missing or corrupt. Files of nodes no
// longer compiled are left as they are.
func (r *Result) WriteCompiled() error {
	if r.Manifest == nil {
		return nil
	}
	type file struct {
		// name is the compiled path as the manifest has it, path the file.
		name, path string
		sql        []byte
		// state is the file once it holds the SQL (written, or found to
		// hold it), nil if unknown; indexed says the index recorded it.
		state   *fileState
		indexed bool
	}
	var files []*file
	compiled := filepath.Join(r.Project.Root, r.Project.Paths.Target, "compiled")
	dirs := map[string]bool{compiled: true}
	for _, n := range r.Manifest.Nodes {
		if n.CompiledPath == "" || n.CompiledSQL == "" {
			continue
		}
		p := filepath.Join(r.Project.Root, filepath.FromSlash(n.CompiledPath))
		dirs[filepath.Dir(p)] = true
		sql := []byte(n.CompiledSQL)
		if !bytes.HasSuffix(sql, []byte("\n")) {
			sql = append(sql, '\n')
		}
		files = append(files, &file{name: n.CompiledPath, path: p, sql: sql})
	}
	if len(files) == 0 {
		return nil
	}
	for dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	indexPath := filepath.Join(compiled, compiledIndexName)
	known := readCompiledIndex(indexPath)
	var mu sync.Mutex
	var firstErr error
	parallelN(files, writers, func(f *file) {
		sum := sha256.Sum256(f.sql)
		if fi, err := os.Lstat(f.path); err == nil {
			s, ok := known[f.name]
			switch {
			case ok && s.sameFile(fi):
				// The index knows what the file holds.
				if s.sum == sum {
					f.state, f.indexed = &s, true
					return
				}
			case fi.Mode().IsRegular() && fi.Size() != int64(len(f.sql)):
				// A regular file of another size cannot hold the SQL.
			default:
				if old, err := os.ReadFile(f.path); err == nil && bytes.Equal(old, f.sql) {
					if fi.Mode().IsRegular() {
						s := stateOf(fi, sum)
						f.state = &s
					}
					return
				}
			}
		}
		if err := os.WriteFile(f.path, f.sql, 0o644); err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			return
		}
		if fi, err := os.Lstat(f.path); err == nil && fi.Mode().IsRegular() {
			s := stateOf(fi, sum)
			f.state = &s
		}
	})
	// The index is rewritten unless it recorded every file, and no other.
	rewrite := len(known) != len(files)
	names := make([]string, len(files))
	states := make([]*fileState, len(files))
	for i, f := range files {
		names[i], states[i] = f.name, f.state
		rewrite = rewrite || !f.indexed
	}
	if rewrite {
		if err := writeCompiledIndex(indexPath, names, states); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}
