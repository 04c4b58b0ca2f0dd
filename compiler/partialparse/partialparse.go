// Package partialparse keeps the work of one compile for the next, as
// dbt's partial parsing does: the parsed tree of an unchanged properties
// file, the render of a model whose file and rendering environment
// (macros, vars, target) are unchanged, the result of the syntax check of
// a compiled SQL text, and the column lineage of a model whose compiled
// SQL and upstream columns are unchanged.
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
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"martlet/compiler/internal/atomicfile"
	"martlet/compiler/lineage"
	"martlet/compiler/project"
	"martlet/compiler/sqlcheck"
	"martlet/compiler/template"
	"martlet/compiler/yamltree"
)

// FileName is the cache file's name in the target directory.
const FileName = "partial_parse.gob"

// formatVersion changes when the file's layout does.
const formatVersion = 3

// Key identifies an entry: a hash of its kind and of what it is a
// function of.
type Key [sha256.Size]byte

func keyOf(kind string, parts ...string) Key {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	var k Key
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

// entry is a passed check (the other fields nil), a lineage result with
// the catalog answers it was computed from, a render, or the parsed tree
// of a YAML file (yamltree's binary form).
type entry struct {
	Lineage   *lineage.Result
	Relations []RelationAnswer
	Columns   []ColumnsAnswer
	Render    *Render
	Tree      []byte
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
	// Volatile is set when the render read what its file, its key and
	// the reads above do not determine (template.Output.Volatile); such a
	// render is not kept.
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
		return allPlain(slices.Values(x))
	case map[string]any:
		return allPlain(maps.Values(x))
	}
	return false
}

func allPlain(vs iter.Seq[any]) bool {
	for v := range vs {
		if !Plain(v) {
			return false
		}
	}
	return true
}

func init() {
	gob.Register([]any(nil))
	gob.Register(map[string]any(nil))
}

// RenderKey returns the key of a render: env fingerprints the rendering
// environment (see the compiler), and the node's ID, path and source
// text complete it.
func RenderKey(env, id, path, source string) Key {
	return keyOf("render", env, id, path, source)
}

// Render returns the render kept under key (from RenderKey).
func (c *Cache) Render(k Key) (*Render, bool) {
	e, ok := c.lookup(k)
	return e.Render, ok && e.Render != nil
}

// AddRender keeps a render under key (from RenderKey).
func (c *Cache) AddRender(k Key, r *Render) {
	c.put(k, entry{Render: r})
}

// Tree returns the parsed tree kept for a YAML file of this content.
func (c *Cache) Tree(data []byte) (*yamltree.Node, bool) {
	e, ok := c.lookup(keyOf("yaml", string(data)))
	if !ok || e.Tree == nil {
		return nil, false
	}
	n, err := yamltree.DecodeBinary(e.Tree)
	return n, err == nil
}

// KeepTree keeps the parsed tree of a YAML file of this content.
func (c *Cache) KeepTree(data []byte, n *yamltree.Node) {
	if form, ok := n.AppendBinary(nil); ok {
		c.put(keyOf("yaml", string(data)), entry{Tree: form})
	}
}

// record is an entry as the file stores it.
type record struct {
	Key   Key
	Entry entry
}

// fileMagic starts a cache file; a header follows, gob-encoded, its
// length before it as a uvarint, and then the shards, each a gob stream
// of its records.
const fileMagic = "martlet partial parse\n"

// header describes the file.
type header struct {
	Version int
	Stamp   string
	// Sizes are the shards' lengths in bytes, Entries their record counts.
	Sizes   [shards]int
	Entries [shards]int
}

// shards is how many parts the entries are kept in, by the first byte of
// their keys: the parts are decoded in parallel, and a compile that
// changed a few entries encodes only their parts again.
const shards = 16

// shard is one part of a cache.
type shard struct {
	mu   sync.Mutex
	old  map[Key]entry
	used map[Key]entry
	// added is set when an entry was added: the shard then needs
	// encoding, as it does when it held entries this compile did not use.
	added bool
	// raw is the shard as the file held it, written back when unchanged.
	raw []byte
}

// Cache holds the entries loaded from a file and records those a compile
// uses. It is safe for concurrent use. The zero value is not usable: see
// Load and New.
type Cache struct {
	stamp  string
	shards [shards]shard
}

// New returns an empty cache for the running build of martlet.
func New() *Cache {
	c := &Cache{stamp: buildStamp()}
	for i := range c.shards {
		c.shards[i].old, c.shards[i].used = map[Key]entry{}, map[Key]entry{}
	}
	return c
}

func (c *Cache) shardOf(k Key) *shard { return &c.shards[int(k[0])%shards] }

// find returns the entry under k.
func (c *Cache) find(k Key) (entry, bool) {
	s := c.shardOf(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.used[k]
	if !ok {
		e, ok = s.old[k]
	}
	return e, ok
}

// lookup returns the entry under k and records that this compile uses
// it.
func (c *Cache) lookup(k Key) (entry, bool) {
	s := c.shardOf(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.used[k]
	if !ok {
		if e, ok = s.old[k]; ok {
			s.used[k] = e
		}
	}
	return e, ok
}

// use records that this compile uses e, found under k.
func (c *Cache) use(k Key, e entry) {
	s := c.shardOf(k)
	s.mu.Lock()
	s.used[k] = e
	s.mu.Unlock()
}

// put keeps a new entry.
func (c *Cache) put(k Key, e entry) {
	s := c.shardOf(k)
	s.mu.Lock()
	s.added = true
	s.used[k] = e
	s.mu.Unlock()
}

// Load reads the cache file at path. A missing, unreadable or foreign
// file (another martlet build, another format) gives an empty cache, as
// does a damaged shard for its part: the cache only ever saves work.
func Load(path string) *Cache {
	c := New()
	if c.stamp == "" {
		return c
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return c
	}
	c.decode(data)
	return c
}

// decode fills the cache from a file's content, if the file is whole and
// was written by this build of martlet.
func (c *Cache) decode(data []byte) {
	rest, ok := bytes.CutPrefix(data, []byte(fileMagic))
	if !ok {
		return
	}
	n, k := binary.Uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k) {
		return
	}
	var h header
	if gob.NewDecoder(bytes.NewReader(rest[k:k+int(n)])).Decode(&h) != nil || h.Version != formatVersion || h.Stamp != c.stamp {
		return
	}
	rest = rest[k+int(n):]
	parts := make([][]byte, shards)
	for i, size := range h.Sizes {
		if size < 0 || size > len(rest) {
			return
		}
		parts[i], rest = rest[:size], rest[size:]
	}
	var wg sync.WaitGroup
	for i := range c.shards {
		wg.Go(func() {
			var recs []record
			if gob.NewDecoder(bytes.NewReader(parts[i])).Decode(&recs) != nil || len(recs) != h.Entries[i] {
				return
			}
			s := &c.shards[i]
			s.old = make(map[Key]entry, len(recs))
			for _, r := range recs {
				if int(r.Key[0])%shards == i {
					s.old[r.Key] = r.Entry
				}
			}
			s.raw = parts[i]
		})
	}
	wg.Wait()
}

// Checked reports whether sql passed the syntax check of dialect before.
func (c *Cache) Checked(dialect sqlcheck.Dialect, sql string) bool {
	_, ok := c.lookup(keyOf("check", string(dialect), sql))
	return ok
}

// AddChecked records that sql passed the syntax check of dialect.
func (c *Cache) AddChecked(dialect sqlcheck.Dialect, sql string) {
	c.put(keyOf("check", string(dialect), sql), entry{})
}

// Lineage returns the lineage computed before for sql in dialect, if the
// catalog gives every answer it gave then.
func (c *Cache) Lineage(dialect sqlcheck.Dialect, sql string, cat lineage.Catalog) (lineage.Result, bool) {
	k := keyOf("lineage", string(dialect), sql)
	e, ok := c.find(k)
	if !ok || e.Lineage == nil || !e.holds(cat) {
		return lineage.Result{}, false
	}
	c.use(k, e)
	return *e.Lineage, true
}

// AddLineage records the lineage of sql in dialect and the catalog answers
// it was computed from.
func (c *Cache) AddLineage(dialect sqlcheck.Dialect, sql string, res lineage.Result, rec *Recorder) {
	rels, cols := rec.answers()
	c.put(keyOf("lineage", string(dialect), sql), entry{Lineage: &res, Relations: rels, Columns: cols})
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
	if c.stamp == "" {
		return nil
	}
	data, changed, err := c.encode()
	if err != nil || !changed {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("partial parse cache: %w", err)
	}
	return nil
}

// encode returns the file content for the entries this compile used, and
// whether it differs from the file loaded. Shards whose entries are those
// loaded are written back as they were read; the others are encoded
// again, in parallel.
func (c *Cache) encode() ([]byte, bool, error) {
	var parts [shards][]byte
	h := header{Version: formatVersion, Stamp: c.stamp}
	changed := false
	var wg sync.WaitGroup
	errs := make([]error, shards)
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		h.Entries[i] = len(s.used)
		if !s.added && len(s.used) == len(s.old) && s.raw != nil {
			parts[i] = s.raw
			s.mu.Unlock()
			continue
		}
		changed = true
		recs := make([]record, 0, len(s.used))
		for k, e := range s.used {
			recs = append(recs, record{Key: k, Entry: e})
		}
		s.mu.Unlock()
		wg.Go(func() {
			var b bytes.Buffer
			errs[i] = gob.NewEncoder(&b).Encode(recs)
			parts[i] = b.Bytes()
		})
	}
	wg.Wait()
	if !changed {
		return nil, false, nil
	}
	if err := errors.Join(errs...); err != nil {
		return nil, false, fmt.Errorf("partial parse cache: %w", err)
	}
	size := 0
	for i, p := range parts {
		h.Sizes[i] = len(p)
		size += len(p)
	}
	var head bytes.Buffer
	if err := gob.NewEncoder(&head).Encode(h); err != nil {
		return nil, false, fmt.Errorf("partial parse cache: %w", err)
	}
	out := make([]byte, 0, len(fileMagic)+binary.MaxVarintLen64+head.Len()+size)
	out = append(out, fileMagic...)
	out = binary.AppendUvarint(out, uint64(head.Len()))
	out = append(out, head.Bytes()...)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, true, nil
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
	return slices.Collect(maps.Values(r.rels)), slices.Collect(maps.Values(r.cols))
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

// Tree waits for the cache and returns its tree for a YAML file of this
// content (see Cache.Tree).
func (l *Loading) Tree(data []byte) (*yamltree.Node, bool) { return l.Wait().Tree(data) }

// KeepTree waits for the cache and keeps a YAML file's tree in it.
func (l *Loading) KeepTree(data []byte, n *yamltree.Node) { l.Wait().KeepTree(data, n) }

// Path returns the path of the file being read.
func (l *Loading) Path() string { return l.path }

// Wait waits for the cache and returns it.
func (l *Loading) Wait() *Cache {
	<-l.done
	return l.cache
}
