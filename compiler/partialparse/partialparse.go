// Package partialparse keeps the work of one compile for the next, as
// dbt's partial parsing does: the render of a model whose file and
// rendering environment (macros, vars, target) are unchanged, the result
// of the syntax check of a compiled SQL text, and the column lineage of a
// model whose compiled SQL and upstream columns are unchanged.
//
// Entries are keyed by content, so a stale entry is never found: a key is
// a hash of everything the result is a function of, and an entry also
// records what it read from outside its key (the catalog answers of a
// lineage analysis; the refs, sources and environment variables of a
// render), which the caller checks are the same again. A cache file
// belongs to one build of martlet (a new binary starts afresh, as its
// templates, checker or analysis may differ), and a compile keeps only the
// entries it used.
package partialparse

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"martlet/compiler/lineage"
	"martlet/compiler/project"
	"martlet/compiler/sqlcheck"
	"martlet/compiler/template"
)

// FileName is the cache file's name in the target directory.
const FileName = "partial_parse.gob"

// formatVersion changes when the file's layout does.
const formatVersion = 1

// key identifies an entry: a hash of its kind and of what it is a
// function of.
type key [sha256.Size]byte

func keyOf(kind string, parts ...string) key {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	var k key
	h.Sum(k[:0])
	return k
}

// RelationAnswer is one answer of Catalog.NodeForRelation.
type RelationAnswer struct {
	Schema, Name, ID string
	OK               bool
}

// ColumnsAnswer is one answer of Catalog.Columns.
type ColumnsAnswer struct {
	ID      string
	Columns []string
}

// entry is a passed check (Lineage and Render nil), a lineage result with
// the catalog answers it was computed from, or a render.
type entry struct {
	Lineage   *lineage.Result
	Relations []RelationAnswer
	Columns   []ColumnsAnswer
	Render    *Render
}

// Render is a model's render as the compiler keeps it.
type Render struct {
	// SQL is the render, with relation placeholders; Deps the node IDs of
	// its refs and sources.
	SQL  string
	Deps []string
	// CalledIsIncremental is set when the template called
	// is_incremental(); Incremental is then the render with it true, when
	// the model is incremental.
	CalledIsIncremental bool
	Incremental         *Render
	MacrosUsed          []string
	VarsUsed            []string
	// Settings are the config() settings, in call order.
	Settings []project.Setting
	// Refs maps the model names ref() was called with to the node IDs
	// they named; the caller checks they still do, and that the other
	// Deps are still declared sources.
	Refs     map[string]string
	EnvReads []template.EnvRead
	// Volatile is set when the render read a value that differs in every
	// invocation; such a render is not kept.
	Volatile bool
}

// Plain reports whether v is plain data a Render's settings can hold:
// nil, a string, bool, int, int64 or float64, or a []any or map[string]any
// of plain data.
func Plain(v any) bool {
	switch x := v.(type) {
	case nil, string, bool, int, int64, float64:
		return true
	case []any:
		for _, e := range x {
			if !Plain(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !Plain(e) {
				return false
			}
		}
		return true
	}
	return false
}

func init() {
	gob.Register([]any(nil))
	gob.Register(map[string]any(nil))
}

// RenderKey returns the key of a render: env fingerprints the rendering
// environment (see the compiler), and the node's ID, path and source
// text complete it.
func RenderKey(env, id, path, source string) string {
	k := keyOf("render", env, id, path, source)
	return string(k[:])
}

// Render returns the render kept under key (from RenderKey).
func (c *Cache) Render(k string) (*Render, bool) {
	var kk key
	copy(kk[:], k)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.used[kk]
	if !ok {
		e, ok = c.old[kk]
	}
	if !ok || e.Render == nil {
		return nil, false
	}
	c.used[kk] = e
	return e.Render, true
}

// AddRender keeps a render under key (from RenderKey).
func (c *Cache) AddRender(k string, r *Render) {
	var kk key
	copy(kk[:], k)
	c.put(kk, entry{Render: r})
}

// record is an entry as the file stores it.
type record struct {
	Key   key
	Entry entry
}

// header starts the file.
type header struct {
	Version int
	Stamp   string
	Entries int
}

// Cache holds the entries loaded from a file and records those a compile
// uses. It is safe for concurrent use. The zero value is not usable: see
// Load and New.
type Cache struct {
	stamp string
	mu    sync.Mutex
	old   map[key]entry
	used  map[key]entry
	// added is set when an entry was added: the file then needs writing,
	// as it does when the loaded file had entries this compile did not use.
	added bool
}

// New returns an empty cache for the running build of martlet.
func New() *Cache {
	return &Cache{stamp: buildStamp(), old: map[key]entry{}, used: map[key]entry{}}
}

// Load reads the cache file at path. A missing, unreadable or foreign
// file (another martlet build, another format) gives an empty cache: the
// cache only ever saves work.
func Load(path string) *Cache {
	c := New()
	if c.stamp == "" {
		return c
	}
	f, err := os.Open(path)
	if err != nil {
		return c
	}
	defer f.Close()
	if old, ok := decode(bufio.NewReaderSize(f, 1<<16), c.stamp); ok {
		c.old = old
	}
	return c
}

// decode reads a cache file's entries, if the file is whole and was
// written by the build of martlet with stamp.
func decode(r io.Reader, stamp string) (map[key]entry, bool) {
	dec := gob.NewDecoder(r)
	var h header
	if dec.Decode(&h) != nil || h.Version != formatVersion || h.Stamp != stamp {
		return nil, false
	}
	var recs []record
	if dec.Decode(&recs) != nil || len(recs) != h.Entries {
		return nil, false
	}
	old := make(map[key]entry, len(recs))
	for _, r := range recs {
		old[r.Key] = r.Entry
	}
	return old, true
}

// Checked reports whether sql passed the syntax check of dialect before.
func (c *Cache) Checked(dialect sqlcheck.Dialect, sql string) bool {
	k := keyOf("check", string(dialect), sql)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.used[k]; ok {
		return true
	}
	if e, ok := c.old[k]; ok {
		c.used[k] = e
		return true
	}
	return false
}

// AddChecked records that sql passed the syntax check of dialect.
func (c *Cache) AddChecked(dialect sqlcheck.Dialect, sql string) {
	c.put(keyOf("check", string(dialect), sql), entry{})
}

// Lineage returns the lineage computed before for sql in dialect, if the
// catalog gives every answer it gave then.
func (c *Cache) Lineage(dialect sqlcheck.Dialect, sql string, cat lineage.Catalog) (lineage.Result, bool) {
	k := keyOf("lineage", string(dialect), sql)
	c.mu.Lock()
	e, ok := c.used[k]
	if !ok {
		e, ok = c.old[k]
	}
	c.mu.Unlock()
	if !ok || e.Lineage == nil || !e.holds(cat) {
		return lineage.Result{}, false
	}
	c.mu.Lock()
	c.used[k] = e
	c.mu.Unlock()
	return *e.Lineage, true
}

// AddLineage records the lineage of sql in dialect and the catalog answers
// it was computed from.
func (c *Cache) AddLineage(dialect sqlcheck.Dialect, sql string, res lineage.Result, rec *Recorder) {
	rels, cols := rec.answers()
	c.put(keyOf("lineage", string(dialect), sql), entry{Lineage: &res, Relations: rels, Columns: cols})
}

// put keeps a new entry.
func (c *Cache) put(k key, e entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.added = true
	c.used[k] = e
}

// holds reports whether cat answers as the entry recorded.
func (e entry) holds(cat lineage.Catalog) bool {
	for _, r := range e.Relations {
		if id, ok := cat.NodeForRelation(r.Schema, r.Name); id != r.ID || ok != r.OK {
			return false
		}
	}
	for _, col := range e.Columns {
		if !slices.Equal(cat.Columns(col.ID), col.Columns) {
			return false
		}
	}
	return true
}

// Save writes the entries this compile used to path, replacing the file
// through a rename; it writes nothing when they are the loaded file's.
func (c *Cache) Save(path string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stamp == "" || !c.added && len(c.used) == len(c.old) {
		return nil
	}
	recs := make([]record, 0, len(c.used))
	for k, e := range c.used {
		recs = append(recs, record{Key: k, Entry: e})
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".partial_parse-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	enc := gob.NewEncoder(w)
	err = errors.Join(
		enc.Encode(header{Version: formatVersion, Stamp: c.stamp, Entries: len(recs)}),
		enc.Encode(recs),
		w.Flush(),
		tmp.Close(),
	)
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("partial parse cache: %w", err)
	}
	return nil
}

// buildStamp identifies the running martlet binary by its path, size and
// modification time: a rebuilt binary, whose checker or analysis may have
// changed, does not read an older build's cache. It is "" when the binary
// cannot be found, and then nothing is loaded or saved.
func buildStamp() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s|%d|%d", exe, fi.Size(), fi.ModTime().UnixNano())
}

// Recorder is a lineage.Catalog that records the answers of the catalog it
// wraps, for AddLineage. Use one per analysis.
type Recorder struct {
	cat  lineage.Catalog
	mu   sync.Mutex
	rels map[[2]string]RelationAnswer
	cols map[string]ColumnsAnswer
}

// NewRecorder wraps cat.
func NewRecorder(cat lineage.Catalog) *Recorder {
	return &Recorder{cat: cat, rels: map[[2]string]RelationAnswer{}, cols: map[string]ColumnsAnswer{}}
}

// NodeForRelation answers as the wrapped catalog does and records it.
func (r *Recorder) NodeForRelation(schema, name string) (string, bool) {
	id, ok := r.cat.NodeForRelation(schema, name)
	r.mu.Lock()
	r.rels[[2]string{schema, name}] = RelationAnswer{Schema: schema, Name: name, ID: id, OK: ok}
	r.mu.Unlock()
	return id, ok
}

// Columns answers as the wrapped catalog does and records it.
func (r *Recorder) Columns(id string) []string {
	cols := r.cat.Columns(id)
	r.mu.Lock()
	if _, seen := r.cols[id]; !seen {
		r.cols[id] = ColumnsAnswer{ID: id, Columns: slices.Clone(cols)}
	}
	r.mu.Unlock()
	return cols
}

func (r *Recorder) answers() ([]RelationAnswer, []ColumnsAnswer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rels := make([]RelationAnswer, 0, len(r.rels))
	for _, a := range r.rels {
		rels = append(rels, a)
	}
	cols := make([]ColumnsAnswer, 0, len(r.cols))
	for _, a := range r.cols {
		cols = append(cols, a)
	}
	return rels, cols
}

// Loading is a cache file being read on another goroutine, so that
// reading it overlaps other work.
type Loading struct {
	path  string
	done  chan struct{}
	cache *Cache
}

// LoadAsync starts reading the cache file at path (see Load).
func LoadAsync(path string) *Loading {
	l := &Loading{path: path, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.cache = Load(path)
	}()
	return l
}

// Loaded returns a Loading that is done, with c.
func Loaded(path string, c *Cache) *Loading {
	l := &Loading{path: path, done: make(chan struct{}), cache: c}
	close(l.done)
	return l
}

// Path returns the path of the file being read.
func (l *Loading) Path() string { return l.path }

// Wait waits for the cache and returns it.
func (l *Loading) Wait() *Cache {
	<-l.done
	return l.cache
}
