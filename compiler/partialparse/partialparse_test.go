package partialparse

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"martlet/compiler/lineage"
	"martlet/compiler/sqlcheck"
	"martlet/compiler/yamltree"
)

// catalog is a fixed lineage.Catalog.
type catalog struct {
	relations map[[2]string]string
	columns   map[string][]string
}

func (c catalog) NodeForRelation(schema, name string) (string, bool) {
	id, ok := c.relations[[2]string{schema, name}]
	return id, ok
}

func (c catalog) Columns(id string) []string { return c.columns[id] }

const duck = sqlcheck.DialectDuckDB

func testCatalog() catalog {
	return catalog{
		relations: map[[2]string]string{{"main", "a"}: "model.p.a"},
		columns:   map[string][]string{"model.p.a": {"x", "y"}},
	}
}

// analyze computes the lineage of sql through a Recorder and caches it.
func analyze(t *testing.T, c *Cache, sql string, cat lineage.Catalog) lineage.Result {
	t.Helper()
	rec := NewRecorder(cat)
	res := lineage.Analyze(sql, duck, rec, lineage.Options{})
	if res.Unknown != "" {
		t.Fatalf("lineage of %q: %s", sql, res.Unknown)
	}
	c.AddLineage(duck, sql, res, rec)
	return res
}

// analyzeInto caches the lineage of sql over testCatalog.
func analyzeInto(c *Cache, sql string) {
	rec := NewRecorder(testCatalog())
	c.AddLineage(duck, sql, lineage.Analyze(sql, duck, rec, lineage.Options{}), rec)
}

func TestCheckedRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := Load(path)
	if c.Checked(duck, "select 1") {
		t.Fatal("an empty cache knows a check")
	}
	c.AddChecked(duck, "select 1")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	c = Load(path)
	if !c.Checked(duck, "select 1") {
		t.Error("a saved check is not found after Load")
	}
	if c.Checked(duck, "select 2") {
		t.Error("another SQL text counts as checked")
	}
	if c.Checked(sqlcheck.DialectPostgres, "select 1") {
		t.Error("a check in DuckDB counts for PostgreSQL")
	}
}

func TestLineageNeedsTheSameCatalogAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	const sql = `select x, y as z from "main"."a"`
	c := Load(path)
	want := analyze(t, c, sql, testCatalog())
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}

	got, ok := Load(path).Lineage(duck, sql, testCatalog())
	if !ok {
		t.Fatal("unchanged SQL and catalog: lineage not found")
	}
	if len(got.Columns) != 2 || got.Columns[1].Name != "z" || len(got.Columns[1].Upstream) != 1 ||
		got.Columns[1].Upstream[0] != want.Columns[1].Upstream[0] {
		t.Errorf("cached lineage %+v, want %+v", got, want)
	}

	moreColumns := testCatalog()
	moreColumns.columns["model.p.a"] = []string{"x", "y", "w"}
	if _, ok := Load(path).Lineage(duck, sql, moreColumns); ok {
		t.Error("the upstream model's columns changed, but the old lineage was returned")
	}
	moved := testCatalog()
	moved.relations = map[[2]string]string{{"main", "a"}: "model.p.other"}
	moved.columns["model.p.other"] = []string{"x", "y"}
	if _, ok := Load(path).Lineage(duck, sql, moved); ok {
		t.Error("the relation is another node now, but the old lineage was returned")
	}
	if _, ok := Load(path).Lineage(duck, sql+" where x > 1", testCatalog()); ok {
		t.Error("other SQL text found a lineage")
	}
}

func TestSaveKeepsOnlyUsedEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := Load(path)
	c.AddChecked(duck, "select 1")
	c.AddChecked(duck, "select 2")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	c = Load(path)
	c.Checked(duck, "select 1")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	c = Load(path)
	if !c.Checked(duck, "select 1") || c.Checked(duck, "select 2") {
		t.Error("the second save should keep the used entry and drop the unused one")
	}
}

func TestSaveLeavesAnUnchangedFileAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	c := Load(path)
	c.AddChecked(duck, "select 1")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	c = Load(path)
	c.Checked(duck, "select 1")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("a compile that used exactly the loaded entries rewrote the file (%v)", err)
	}
}

func TestForeignOrBrokenFilesAreIgnored(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	if err := os.WriteFile(broken, []byte("not a cache"), 0o644); err != nil {
		t.Fatal(err)
	}
	if Load(broken).Checked(duck, "select 1") {
		t.Error("a broken file gave an entry")
	}

	foreign := filepath.Join(dir, "foreign")
	other := New()
	other.stamp = "another build"
	other.AddChecked(duck, "select 1")
	if err := other.Save(foreign); err != nil {
		t.Fatal(err)
	}
	if Load(foreign).Checked(duck, "select 1") {
		t.Error("the cache of another martlet build was used")
	}
}

// sqlsInShards returns n SQL texts whose check keys fall in n different
// shards.
func sqlsInShards(n int) []string {
	seen := map[int]bool{}
	var out []string
	for i := 0; len(out) < n; i++ {
		sql := fmt.Sprintf("select %d", i)
		if k := keyOf("check", string(duck), sql); !seen[int(k[0])%shards] {
			seen[int(k[0])%shards] = true
			out = append(out, sql)
		}
	}
	return out
}

// A damaged shard loses its own entries only; a save after one change
// writes the unchanged shards back as they were.
func TestShards(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	sqls := sqlsInShards(3)
	c := New()
	for _, sql := range sqls {
		c.AddChecked(duck, sql)
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}

	c = Load(path)
	for _, sql := range sqls[:2] {
		c.Checked(duck, sql)
	}
	c.Checked(duck, sqls[2])
	c.AddChecked(duck, "select 'new'")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	c = Load(path)
	for _, sql := range append(sqls, "select 'new'") {
		if !c.Checked(duck, sql) {
			t.Errorf("%q is lost after a save that added one entry", sql)
		}
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k := keyOf("check", string(duck), sqls[0])
	damaged := New()
	damaged.decode(data)
	raw := damaged.shardOf(k).raw
	i := bytes.Index(data, raw)
	if raw == nil || i < 0 {
		t.Fatal("the shard of the first entry is not in the file")
	}
	for j := i; j < i+len(raw); j++ {
		data[j] ^= 0x5a
	}
	damaged = New()
	damaged.decode(data)
	if damaged.Checked(duck, sqls[0]) {
		t.Error("an entry of the damaged shard survived")
	}
	if !damaged.Checked(duck, sqls[1]) || !damaged.Checked(duck, sqls[2]) {
		t.Error("the entries of undamaged shards were lost with the damaged one")
	}
}

func TestRecorderRecordsEachAnswerOnce(t *testing.T) {
	rec := NewRecorder(testCatalog())
	for range 3 {
		rec.NodeForRelation("main", "a")
		rec.Columns("model.p.a")
	}
	rec.NodeForRelation("", "missing")
	rels, cols := rec.answers()
	slices.SortFunc(rels, func(a, b RelationAnswer) int { return len(a.Name) - len(b.Name) })
	if len(rels) != 2 || rels[0] != (RelationAnswer{Schema: "main", Name: "a", ID: "model.p.a", OK: true}) || rels[1].OK {
		t.Errorf("relation answers %+v", rels)
	}
	if len(cols) != 1 || !slices.Equal(cols[0].Columns, []string{"x", "y"}) {
		t.Errorf("column answers %+v", cols)
	}
}

func TestTreeRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	data := []byte("models:\n  - name: a\n    config: {alias: b}\n")
	n, d := yamltree.Parse("p.yml", data)
	if d != nil {
		t.Fatal(d)
	}
	c := Load(path)
	if _, ok := c.Tree(data); ok {
		t.Fatal("an empty cache has a tree")
	}
	c.KeepTree(data, n)
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, ok := Load(path).Tree(data)
	if !ok || !reflect.DeepEqual(got, n) {
		t.Errorf("kept tree %#v, want %#v", got, n)
	}
	if _, ok := Load(path).Tree(append(data, ' ')); ok {
		t.Error("a file of other content found the tree")
	}
}
