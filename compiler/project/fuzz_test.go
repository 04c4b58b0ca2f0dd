package project

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"martlet/compiler/diag"
	"martlet/compiler/yamltree"
)

const fuzzProps = "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests: [unique]\n"

// FuzzLoadProject writes the fuzzed bytes as martlet.yml, then as a
// properties file, then passes them as --vars. Load must not panic, and
// every diagnostic must have a message and, when it names a file, a line
// within that file.
func FuzzLoadProject(f *testing.F) {
	f.Add([]byte("name: shop\nmodels:\n  +materialized: view\n"))
	f.Add([]byte(fuzzProps))
	// Inputs run one at a time in each fuzzing process, so they can share
	// one project directory; only the two fuzzed files are rewritten.
	dir := f.TempDir()
	writeTree(f, dir, map[string]string{"models/orders.sql": "select 1 as id\n", "seeds/s.csv": "a,b\n1,2\n"})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzLoad(t, dir, data) })
}

func fuzzLoad(t *testing.T, dir string, data []byte) {
	if escapesRoot(data) {
		t.Skip("paths outside the project would make Load walk the file system")
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string][]byte{FileName: data, "models/props.yml": []byte(fuzzProps)}

	if err := os.MkdirAll(filepath.Join(dir, "models"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("models/props.yml", []byte(fuzzProps))
	write(FileName, data)
	p, ds := Load(dir, Options{})
	checkFuzzDiags(t, ds, files)
	if p != nil {
		_, _ = p.Target("")
		for _, fc := range []*FolderConfig{p.Models, p.Seeds, p.Snapshots, p.Tests} {
			cfg := NewConfig()
			for _, s := range fc.SettingsFor([]string{"marts", "orders"}) {
				_ = cfg.Apply(s.Key, s.Value)
			}
		}
	}

	write(FileName, []byte(minimal))
	write("models/props.yml", data)
	files[FileName], files["models/props.yml"] = []byte(minimal), data
	p, ds = Load(dir, Options{})
	checkFuzzDiags(t, ds, files)
	if p == nil {
		t.Fatalf("a valid project file gave no project: %v", ds)
	}
	for _, r := range p.Props.Resources {
		cfg := NewConfig()
		for _, s := range r.Config {
			_ = cfg.Apply(s.Key, s.Value)
		}
	}

	write("models/props.yml", []byte(fuzzProps))
	files["models/props.yml"] = []byte(fuzzProps)
	_, ds = Load(dir, Options{Vars: string(data)})
	checkFuzzDiags(t, ds, files)
}

func checkFuzzDiags(t *testing.T, ds diag.List, files map[string][]byte) {
	t.Helper()
	for _, d := range ds {
		if d == nil || strings.TrimSpace(d.Msg) == "" {
			t.Fatalf("diagnostic without a message: %#v", d)
		}
		if d.Line < 0 || d.Col < 0 {
			t.Fatalf("negative position: %v", d)
		}
		if d.File == "" {
			continue
		}
		data, ok := files[d.File]
		if !ok {
			t.Fatalf("diagnostic names unknown file %q: %v", d.File, d)
		}
		if lines := lineCount(data); d.Line > lines+1 {
			t.Fatalf("diagnostic at line %d of a %d-line file: %v", d.Line, lines, d)
		}
	}
}

// lineCount counts lines as YAML does: \n, \r\n and a lone \r end a line.
func lineCount(data []byte) int {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
}

// escapesRoot reports input whose scalars contain "..": as a *-paths
// value it would send the file walk outside the temporary project.
func escapesRoot(data []byte) bool {
	n, d := yamltree.Parse("x", data)
	if d != nil {
		return false
	}
	found := false
	budget := 1 << 16
	var walk func(*yamltree.Node)
	walk = func(x *yamltree.Node) {
		if found || budget <= 0 || x == nil {
			return
		}
		budget--
		if strings.Contains(x.String(), "..") {
			found = true
		}
		for _, k := range x.Keys {
			walk(k)
		}
		for _, v := range x.Values {
			walk(v)
		}
		for _, it := range x.Items {
			walk(it)
		}
	}
	walk(n)
	return found || budget <= 0
}

// FuzzApplyConfig applies a fuzzed key with a fuzzed YAML value (or the
// raw text when it is not YAML). Apply must not panic, and must report an
// unknown key exactly when the key is not a configuration key.
func FuzzApplyConfig(f *testing.F) {
	f.Add("materialized", []byte("table"))
	f.Add("+tags", []byte("[a, b]"))
	f.Fuzz(func(t *testing.T, key string, raw []byte) {
		var value any = string(raw)
		if n, d := yamltree.Parse("v", raw); d == nil {
			value = n.Interface()
		}
		c := NewConfig()
		err := c.Apply(key, value)
		var unknown *ErrUnknownKey
		isUnknown := errors.As(err, &unknown)
		known := false
		for _, k := range configKeys() {
			if k == normalizeKey(key) {
				known = true
			}
		}
		if isUnknown == known {
			t.Fatalf("Apply(%q): unknown-key error %v, but known key = %v", key, err, known)
		}
		if err != nil && err.Error() == "" {
			t.Fatalf("Apply(%q, %#v): empty error message", key, value)
		}
		clone := c.Clone()
		_ = clone.Apply(key, value)
	})
}
