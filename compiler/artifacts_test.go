package compiler

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"
	"time"

	"martlet/compiler/manifest"
)

// settledAt is the modification time settledArtifacts gives the compiled files.
var settledAt = time.Now().Add(-time.Hour).Truncate(time.Second)

// settledArtifacts compiles a small project and writes its compiled
// files twice, the second time after dating them an hour back, so that
// the index records them with a modification time before its own. It
// returns the result and the compiled files by node name.
func settledArtifacts(t *testing.T) (*Result, map[string]string) {
	t.Helper()
	dir := writeProject(t, map[string]string{
		"martlet.yml":       "name: shop\n",
		"models/a.sql":      "select 1 as id",
		"models/b.sql":      "select id from {{ ref('a') }}\n",
		"models/sub/c.sql":  "select id, id * 2 as twice from {{ ref('b') }}",
		"models/schema.yml": "models:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n",
	})
	res, err := Compile(Options{ProjectDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 {
		t.Fatalf("diagnostics: %v", res.Diagnostics)
	}
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, n := range res.Manifest.Nodes {
		if n.CompiledPath == "" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(n.CompiledPath))
		files[n.Name] = p
		if err := os.Chtimes(p, settledAt, settledAt); err != nil {
			t.Fatal(err)
		}
	}
	if len(files) != 5 {
		t.Fatalf("compiled files: %v, want 3 models and 2 tests", files)
	}
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	checkCompiled(t, res, nil)
	return res, files
}

// checkCompiled checks that every compiled file holds its node's SQL and,
// unless its node's name is in changed, is dated settledAt.
func checkCompiled(t *testing.T, res *Result, changed map[string]bool) {
	t.Helper()
	for _, n := range res.Manifest.Nodes {
		if n.CompiledPath == "" {
			continue
		}
		p := filepath.Join(res.Project.Root, filepath.FromSlash(n.CompiledPath))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", n.Name, err)
			continue
		}
		if want := n.CompiledSQL + "\n"; string(data) != want {
			t.Errorf("%s holds %q, want %q", n.Name, data, want)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if rewritten := !fi.ModTime().Equal(settledAt); rewritten != changed[n.Name] {
			t.Errorf("%s: rewritten = %v, want %v", n.Name, rewritten, changed[n.Name])
		}
	}
}

// compiledIndexInfo stats the index of the compiled files.
func compiledIndexInfo(t *testing.T, res *Result) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(filepath.Join(res.Project.Root, res.Project.Paths.Target, "compiled", compiledIndexName))
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

func TestWriteCompiledKeepsUnchangedFiles(t *testing.T) {
	res, _ := settledArtifacts(t)
	before := compiledIndexInfo(t, res)
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	checkCompiled(t, res, nil)
	if !os.SameFile(before, compiledIndexInfo(t, res)) {
		t.Error("the index was rewritten though it recorded every file")
	}
}

func TestWriteCompiledRewritesChangedSQL(t *testing.T) {
	res, _ := settledArtifacts(t)
	for _, n := range res.Manifest.Nodes {
		switch n.Name {
		case "a":
			n.CompiledSQL = "select 2 as id" // same size
		case "b":
			n.CompiledSQL += " where id > 0"
		}
	}
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	checkCompiled(t, res, map[string]bool{"a": true, "b": true})
}

func TestWriteCompiledRestoresEditedFiles(t *testing.T) {
	res, files := settledArtifacts(t)
	sql, err := os.ReadFile(files["a"])
	if err != nil {
		t.Fatal(err)
	}
	sameSize := []byte(string(sql))
	sameSize[0] = 'S'
	for name, content := range map[string][]byte{"a": sameSize, "b": []byte("select 3\n")} {
		if err := os.WriteFile(files[name], content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	checkCompiled(t, res, map[string]bool{"a": true, "b": true})
}

func TestWriteCompiledRecreatesDeletedFiles(t *testing.T) {
	res, files := settledArtifacts(t)
	if err := os.Remove(files["c"]); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Dir(files["unique_c_id"])); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	checkCompiled(t, res, map[string]bool{"c": true, "unique_c_id": true, "not_null_c_id": true})
}

func TestWriteCompiledToleratesCorruptIndex(t *testing.T) {
	res, files := settledArtifacts(t)
	index := filepath.Join(res.Project.Root, res.Project.Paths.Target, "compiled", compiledIndexName)
	good, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("not an index\x00\xff"),
		"truncated": good[:len(good)-5],
		"long name": append([]byte(indexMagic), 0xff, 0xff, 0x03, 'a'),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(index, data, 0o644); err != nil {
				t.Fatal(err)
			}
			// An edit the index would hide if it were trusted (as in
			// TestWriteCompiledTrustsIndex).
			hiddenEdit(t, files["a"])
			if err := res.WriteCompiled(); err != nil {
				t.Fatal(err)
			}
			checkCompiled(t, res, map[string]bool{"a": true})
		})
	}
}

// hiddenEditSQL is what hiddenEdit writes.
const hiddenEditSQL = "select 9 as id\n"

// hiddenEdit rewrites a compiled file with content of the same size and
// gives it back its settled modification time: an edit the index hides.
func hiddenEdit(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(hiddenEditSQL), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, settledAt, settledAt); err != nil {
		t.Fatal(err)
	}
}

// TestWriteCompiledTrustsIndex checks that a file the index recorded is
// not read back: an edit that keeps the size and modification time goes
// unnoticed.
func TestWriteCompiledTrustsIndex(t *testing.T) {
	res, files := settledArtifacts(t)
	hiddenEdit(t, files["a"])
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(files["a"]); string(data) != hiddenEditSQL {
		t.Errorf("a was read back and rewritten: %q", data)
	}
}

func TestWriteCompiledLeavesFilesOfRemovedNodes(t *testing.T) {
	res, files := settledArtifacts(t)
	var kept []*manifest.Node
	for _, n := range res.Manifest.Nodes {
		if n.Name != "c" {
			kept = append(kept, n)
		}
	}
	res.Manifest.Nodes = kept
	if err := res.WriteCompiled(); err != nil {
		t.Fatal(err)
	}
	checkCompiled(t, res, nil)
	if fi, err := os.Stat(files["c"]); err != nil || !fi.ModTime().Equal(settledAt) {
		t.Errorf("the compiled file of a removed model: %v, %v", fi, err)
	}
}

func TestReadCompiledIndexSkipsRecentEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), compiledIndexName)
	at := time.Now().Truncate(time.Second)
	states := []*fileState{
		{size: 1, modTime: at.Add(-time.Nanosecond).UnixNano(), sum: sha256.Sum256([]byte("a"))},
		{size: 2, modTime: at.UnixNano()},
		nil,
		{size: 4, modTime: at.Add(time.Second).UnixNano()},
	}
	if err := writeCompiledIndex(path, []string{"a", "b", "c", "d"}, states); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
	got := readCompiledIndex(path)
	if len(got) != 1 || got["a"] != *states[0] {
		t.Errorf("read %v, want only a: %v", got, *states[0])
	}
}
