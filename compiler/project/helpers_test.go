package project

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"martlet/compiler/diag"
)

// writeTree writes files (path relative to dir, forward slashes) below dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// newProject writes files into a fresh temporary project directory.
func newProject(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	return dir
}

// load loads a project made of files and returns it with its
// diagnostics printed compiler-style.
func load(t *testing.T, files map[string]string, opts Options) (*Project, []string) {
	t.Helper()
	p, ds := Load(newProject(t, files), opts)
	return p, render(ds)
}

// mustLoad loads a project that must load without any diagnostic.
func mustLoad(t *testing.T, files map[string]string) *Project {
	t.Helper()
	p, ds := load(t, files, Options{})
	if len(ds) > 0 || p == nil {
		t.Fatalf("unexpected diagnostics: %q (project %v)", ds, p != nil)
	}
	return p
}

func render(ds diag.List) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Error())
	}
	return out
}

func assertDiags(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics:\n got  %q\n want %q", got, want)
	}
}

const minimal = "name: shop\n"
