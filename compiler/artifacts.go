package compiler

import (
	"os"
	"path/filepath"
	"strings"
)

// WriteArtifacts writes the compiled SQL of every model and test under
// the target directory and target/manifest.json.
func (r *Result) WriteArtifacts() error {
	if err := r.WriteCompiled(); err != nil {
		return err
	}
	return r.Manifest.Write(filepath.Join(r.Project.Root, r.Project.Paths.Target, "manifest.json"))
}

// WriteCompiled writes the compiled SQL of every model and test that
// compiled, under the target directory, so that a syntax error can be
// looked at where the checker found it.
func (r *Result) WriteCompiled() error {
	if r.Manifest == nil {
		return nil
	}
	for _, n := range r.Manifest.Nodes {
		if n.CompiledPath == "" || n.CompiledSQL == "" {
			continue
		}
		p := filepath.Join(r.Project.Root, filepath.FromSlash(n.CompiledPath))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		sql := n.CompiledSQL
		if !strings.HasSuffix(sql, "\n") {
			sql += "\n"
		}
		if err := os.WriteFile(p, []byte(sql), 0o644); err != nil {
			return err
		}
	}
	return nil
}
