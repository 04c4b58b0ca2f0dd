// Package compiler turns a project directory into a compiled, immutable
// project graph (a manifest.Manifest): it loads the project, renders every
// model, test and hook template, resolves refs and sources into relations,
// inlines ephemeral models, builds and checks the dependency graph,
// checks the SQL syntax with the target's own grammar, and writes the
// compiled files and target/manifest.json. It never touches the target
// database.
package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"martlet/compiler/dag"
	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/partialparse"
	"martlet/compiler/project"
	"martlet/compiler/sqlcheck"
	"martlet/compiler/template"
)

// Options control a compile.
type Options struct {
	// ProjectDir is the project root.
	ProjectDir string
	// Target names the target; empty means the project's default.
	Target string
	// Vars is the --vars YAML mapping.
	Vars string
	// ProfilesDir is where a dbt project's profiles.yml is (--profiles-dir).
	ProfilesDir string
	// Threads overrides the target's threads when positive.
	Threads int
	// SkipSQLCheck turns off the syntax check of compiled SQL.
	SkipSQLCheck bool
	// NoPartialParse renders, checks and analyses every model afresh
	// instead of reusing the unchanged results the last compile kept in
	// the target directory (dbt's --no-partial-parse); the results are
	// kept for the next compile all the same.
	NoPartialParse bool
	// Defer, when set, resolves refs to unselected nodes to the relations
	// of a state manifest (dbt's --defer --state DIR).
	Defer *Defer
	// Invocation is the invocation_id and run_started_at templates see;
	// the zero value means a new one (template.NewInvocation).
	Invocation template.Invocation
}

// Defer says how --defer resolves refs: a ref to a node that Select does
// not pick, and that Exists says is not built in this target, becomes the
// relation the State manifest recorded for it.
type Defer struct {
	State *manifest.Manifest
	// Select returns the IDs the command selects from the fresh manifest.
	Select func(*manifest.Manifest) []string
	// Exists reports whether a relation is built in the target; nil means
	// nothing is.
	Exists func(manifest.Relation) bool
}

// Result is the outcome of a compile.
type Result struct {
	Project *project.Project
	Target  project.Target
	// Manifest is the compiled project. It is nil when the project could
	// not be loaded; with errors in nodes it holds what did compile, for
	// WriteCompiled, but must not be run.
	Manifest *manifest.Manifest
	// Diagnostics holds every error and warning, sorted by place.
	Diagnostics diag.List

	// compilation is kept to render SQL given on the command line.
	compilation *compilation
}

// compilation is the state of one compile in progress.
type compilation struct {
	project *project.Project
	target  project.Target
	// targetDatabase is target.Database(), read once.
	targetDatabase string
	env            *template.Env
	ds             diag.List
	mu             sync.Mutex

	// nodes maps node IDs to nodes; refNames maps model and seed names to IDs.
	nodes    map[string]*manifest.Node
	refNames map[string]string
	sources  map[string]*manifest.Node
	order    []*manifest.Node

	// ephemeralSQL and ephemeralDeps hold, for ephemeral models, their
	// substituted SQL (without their own CTEs) and the ephemerals they use.
	ephemeralSQL  map[string]string
	ephemeralDeps map[string][]string
	// snapshotFiles maps snapshot nodes to the file that holds them.
	snapshotFiles map[string]project.File
	// rendered holds the placeholder SQL of each rendered node.
	rendered       map[string]*renderedNode
	macroChecksums map[string]string
	// deferred maps nodes whose refs resolve to a state manifest's
	// relation (--defer) to that relation.
	deferred map[string]manifest.Relation
	// checker checks SQL syntax with the target's grammar; lineage uses
	// DuckDB's parse trees through it.
	checker sqlcheck.Checker
	// cache holds the renders, checks and lineage of earlier compiles; it
	// is read while the project loads.
	cache *partialparse.Loading
	// renderEnvKey fingerprints what every model render reads besides its
	// own file (see renderEnvironmentKey); "" keeps renders out of the
	// cache.
	renderEnvKey string
	// cyclic is set when the graph has a cycle: nodes are then in no
	// dependency order and their SQL is not checked.
	cyclic bool
}

// renderedNode is a node's render before placeholders are substituted.
type renderedNode struct {
	sql               string
	incrementalSQL    string
	preHook, postHook []string
	deps              map[string]bool
}

// Compile loads and compiles the project. The result is returned even when
// it has errors (with a nil Manifest if the project could not be built);
// the error is the error diagnostics.
func Compile(opts Options) (*Result, error) {
	// The cache is read while the project loads, from where it is unless
	// the project file says otherwise; properties files parsed before are
	// taken from it.
	early := partialparse.Loaded(cachePath(opts.ProjectDir, "target"), partialparse.New())
	if !opts.NoPartialParse {
		early = partialparse.LoadAsync(early.Path())
	}
	p, ds := project.Load(opts.ProjectDir, project.Options{Vars: opts.Vars, ProfilesDir: opts.ProfilesDir, Trees: early})
	res := &Result{Project: p}
	if p == nil {
		return finish(res, ds)
	}
	target, err := p.Target(opts.Target)
	if err != nil {
		ds.Add(diag.From(err)...)
		return finish(res, ds)
	}
	if opts.Threads > 0 {
		target.Threads = opts.Threads
	}
	res.Target = target
	inv := opts.Invocation
	if inv.ID == "" {
		inv = template.NewInvocation()
	}
	macroFiles := slices.Concat(p.Files.Macros, genericTestFiles(p))
	env, envDs := template.NewEnv(template.EnvOptions{
		Project: p.Name, Profile: p.Profile, Vars: p.Vars, Target: target, Invocation: inv, MacroFiles: macroFiles,
	})
	ds = append(ds, envDs...)
	c := &compilation{
		project: p, target: target, targetDatabase: target.Database(), env: env, ds: ds,
		nodes: map[string]*manifest.Node{}, refNames: map[string]string{}, sources: map[string]*manifest.Node{},
		ephemeralSQL: map[string]string{}, ephemeralDeps: map[string][]string{}, rendered: map[string]*renderedNode{},
		snapshotFiles: map[string]project.File{},
	}
	res.compilation = c
	c.renderEnvKey = renderEnvironmentKey(p, target, c.targetDatabase, macroFiles)
	c.cache = c.loadCache(early, opts.NoPartialParse)
	c.declareSources()
	c.declareSeeds()
	c.declareModels()
	c.declareSnapshots()
	c.checkProperties()
	c.renderAll()
	c.declareTests()
	g := c.buildGraph()
	c.substituteAll()
	if !opts.SkipSQLCheck && !c.cyclic {
		checker, err := sqlcheck.New(sqlcheck.Dialect(target.Type))
		if err != nil {
			c.ds.Add(diag.At("", 0, 0, "SQL checker: %v", err))
		} else {
			defer checker.Close()
			c.checker = checker
			c.checkSQL()
		}
	}
	if !c.cyclic {
		c.analyzeLineage()
	}
	c.macroChecksums = env.MacroChecksums()
	parallel(c.order, func(n *manifest.Node) {
		n.Checksum = c.checksum(n)
	})
	res.Manifest = manifest.New(p.Name, manifest.TargetInfo{Name: target.Name, Type: target.Type, Schema: target.Schema}, c.order, g)
	res.Manifest.Macros = c.macroChecksums
	if opts.Defer != nil && !c.ds.HasErrors() {
		c.applyDefer(res.Manifest, opts.Defer)
	}
	res.Manifest.OnRunStart = c.renderProjectHooks("on-run-start", p.OnRunStart)
	res.Manifest.OnRunEnd = c.renderProjectHooks("on-run-end", p.OnRunEnd)
	return finish(res, c.ds)
}

// RenderInline renders SQL given on the command line (show --inline) as
// if it were a model: refs and sources resolve to relations and ephemeral
// models are inlined. Its diagnostics name the file "<inline>".
func (r *Result) RenderInline(sql string) (string, diag.List) {
	c := r.compilation
	if c == nil {
		return "", diag.List{diag.At("<inline>", 0, 0, "the project did not compile")}
	}
	n := &manifest.Node{ID: "inline", Name: "inline", Kind: manifest.Model, Path: "<inline>"}
	tmpl, ds := c.env.Parse(n.Path, sql)
	if len(ds) > 0 {
		return "", ds
	}
	out, d := c.env.Render(tmpl, &nodeResolver{c: c, node: n, deps: map[string]bool{}, configAllowed: true})
	if d != nil {
		return "", diag.List{d}
	}
	rendered, eph := c.substitute(out.SQL)
	return c.inlineEphemerals(rendered, eph), nil
}

// genericTestFiles are the files under tests/ that define custom generic
// tests ({% test name(model, column_name) %}), as dbt's tests/generic/
// does; they are read like macro files, not run as singular tests.
func genericTestFiles(p *project.Project) []project.File {
	var out []project.File
	for _, f := range p.Files.Tests {
		if template.HasTestBlocks(string(f.Data)) {
			out = append(out, f)
		}
	}
	return out
}

// renderEnvironmentKey fingerprints what a model render reads besides its
// file and the refs, sources and environment variables a cached render
// records: the project's name and profile, the target, the vars and the
// macro and generic-test files. It returns "" when the vars cannot be
// fingerprinted.
func renderEnvironmentKey(p *project.Project, target project.Target, database string, macroFiles []project.File) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q\n", p.Name, p.Profile, database)
	for _, v := range []any{target, p.Vars} {
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		h.Write(b)
		h.Write([]byte{0})
	}
	for _, f := range macroFiles {
		fmt.Fprintf(h, "%q %d\n", f.Path, len(f.Data))
		h.Write(f.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadCache returns the partial-parse cache of the project's target
// directory: early, read (or started empty, without partial parsing)
// before the project file said where that is, if it guessed right; else
// a new one.
func (c *compilation) loadCache(early *partialparse.Loading, fresh bool) *partialparse.Loading {
	path := cachePath(c.project.Root, c.project.Paths.Target)
	switch {
	case sameFile(early.Path(), path):
		return early
	case fresh:
		return partialparse.Loaded(path, partialparse.New())
	}
	return partialparse.LoadAsync(path)
}

// readyCache waits for the partial-parse cache and returns it.
func (c *compilation) readyCache() *partialparse.Cache {
	return c.cache.Wait()
}

// cachePath is where the partial-parse cache of a project is kept.
func cachePath(root, targetDir string) string {
	return filepath.Join(root, filepath.FromSlash(targetDir), partialparse.FileName)
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	return errA == nil && errB == nil && a == b
}

// saveCache writes the partial-parse cache back, keeping the entries this
// compile used.
func (c *compilation) saveCache() error {
	return c.readyCache().Save(c.cache.Path())
}

func finish(res *Result, ds diag.List) (*Result, error) {
	ds.Sort()
	res.Diagnostics = ds
	if ds.HasErrors() {
		return res, ds.Errors()
	}
	return res, nil
}

func (c *compilation) addDiag(d *diag.Diagnostic) {
	c.mu.Lock()
	c.ds.Add(d)
	c.mu.Unlock()
}

// parallel runs fn over items on every core.
func parallel[T any](items []T, fn func(T)) {
	parallelN(items, runtime.GOMAXPROCS(0), fn)
}

// parallelN runs fn over items with the given number of workers.
func parallelN[T any](items []T, workers int, fn func(T)) {
	if workers > len(items) {
		workers = len(items)
	}
	var wg sync.WaitGroup
	next := make(chan T)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range next {
				fn(it)
			}
		}()
	}
	for _, it := range items {
		next <- it
	}
	close(next)
	wg.Wait()
}

// buildGraph adds every node and dependency edge, reports cycles, and
// orders the nodes.
func (c *compilation) buildGraph() *dag.Graph {
	g := dag.New()
	all := c.allNodes()
	for _, n := range all {
		g.AddNode(n.ID)
	}
	for _, n := range all {
		for _, dep := range n.DependsOn {
			g.AddEdge(dep, n.ID)
		}
	}
	for _, cycle := range g.Cycles() {
		names := make([]string, len(cycle))
		for i, id := range cycle {
			names[i] = c.nodes[id].Name
		}
		first := c.nodes[cycle[0]]
		line, col := 0, 0
		if first.Kind == manifest.Model && len(cycle) > 1 {
			line, col = refPosition(first.RawSQL, c.nodes[cycle[1]].Name)
		}
		c.ds.Add(diag.At(first.Path, line, col, "dependency cycle: %s", strings.Join(names, " -> ")))
	}
	ids, err := g.TopoOrder()
	if err != nil {
		c.cyclic = true
		c.order = all
		return g
	}
	for _, id := range ids {
		c.order = append(c.order, c.nodes[id])
	}
	return g
}

// allNodes lists nodes in a deterministic order: sources, seeds, models
// and tests, each sorted by ID.
func (c *compilation) allNodes() []*manifest.Node {
	out := make([]*manifest.Node, 0, len(c.nodes))
	for _, n := range c.nodes {
		out = append(out, n)
	}
	rank := map[manifest.Kind]int{manifest.Source: 0, manifest.Seed: 1, manifest.Model: 2, manifest.Snapshot: 3, manifest.Test: 4}
	sort.Slice(out, func(i, j int) bool {
		if rank[out[i].Kind] != rank[out[j].Kind] {
			return rank[out[i].Kind] < rank[out[j].Kind]
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// substituteAll writes the final SQL of every rendered node: relations
// in place of placeholders, ephemeral models inlined as CTEs.
func (c *compilation) substituteAll() {
	var rest []*manifest.Node
	for _, n := range c.order {
		if c.rendered[n.ID] == nil {
			continue
		}
		if n.Ephemeral() {
			c.substituteNode(n)
			continue
		}
		rest = append(rest, n)
	}
	parallel(rest, c.substituteNode)
}

// substituteNode writes one node's final SQL and hooks. Ephemeral models
// must be done first, in dependency order: their SQL is inlined into the
// nodes that use them.
func (c *compilation) substituteNode(n *manifest.Node) {
	r := c.rendered[n.ID]
	sql, eph := c.substitute(r.sql)
	if n.Ephemeral() {
		c.ephemeralSQL[n.ID] = sql
		c.ephemeralDeps[n.ID] = eph
	}
	n.CompiledSQL = c.inlineEphemerals(sql, eph)
	if r.incrementalSQL != "" && r.incrementalSQL != r.sql {
		isql, ieph := c.substitute(r.incrementalSQL)
		n.IncrementalSQL = c.inlineEphemerals(isql, ieph)
	}
	n.PreHook = c.substituteAllOf(r.preHook)
	n.PostHook = c.substituteAllOf(r.postHook)
}

func (c *compilation) substituteAllOf(sqls []string) []string {
	if len(sqls) == 0 {
		return nil
	}
	out := make([]string, len(sqls))
	for i, s := range sqls {
		out[i], _ = c.substitute(s)
	}
	return out
}

// applyDefer points refs to unselected nodes that are not built in this
// target at their relations in the state manifest, and compiles again.
func (c *compilation) applyDefer(m *manifest.Manifest, d *Defer) {
	selected := map[string]bool{}
	for _, id := range d.Select(m) {
		selected[id] = true
	}
	c.deferred = map[string]manifest.Relation{}
	for _, n := range c.order {
		if selected[n.ID] || n.Relation == (manifest.Relation{}) || (n.Kind != manifest.Model && n.Kind != manifest.Seed && n.Kind != manifest.Snapshot) {
			continue
		}
		old := d.State.Node(n.ID)
		if old == nil || old.Relation == (manifest.Relation{}) || (d.Exists != nil && d.Exists(n.Relation)) {
			continue
		}
		c.deferred[n.ID] = old.Relation
	}
	if len(c.deferred) > 0 {
		c.substituteAll()
	}
}

// checkSQL checks the syntax of every compiled model and test with the
// target's own grammar. An error names the source file at the line whose
// text the compiled line came from, when that line is found there, and the
// place in the compiled file.
func (c *compilation) checkSQL() {
	var todo []*manifest.Node
	for _, n := range c.order {
		if n.CompiledSQL != "" && (n.Kind == manifest.Model || n.Kind == manifest.Test) {
			todo = append(todo, n)
		}
	}
	cache, dialect := c.readyCache(), sqlcheck.Dialect(c.target.Type)
	parallel(todo, func(n *manifest.Node) {
		if cache.Checked(dialect, n.CompiledSQL) {
			return
		}
		e := c.checker.Check(n.CompiledSQL)
		if e == nil {
			cache.AddChecked(dialect, n.CompiledSQL)
			return
		}
		where := fmt.Sprintf("line %d of the compiled SQL", e.Line)
		if n.CompiledPath != "" {
			where = fmt.Sprintf("%s:%d:%d", n.CompiledPath, e.Line, e.Col)
		}
		line, col := sourcePosition(n.RawSQL, n.CompiledSQL, e.Line, e.Col)
		c.addDiag(diag.At(n.Path, line, col, "SQL syntax error: %s (at %s)", e.Msg, where))
	})
}

// refPosition returns the line and column of the first ref() of model in
// a model's source, or 0, 0 when the source has none (the ref is made in
// a macro).
func refPosition(raw, model string) (int, int) {
	return matchPosition(raw, regexp.MustCompile(`\bref\(\s*(?:['"][^'"]*['"]\s*,\s*)?['"]`+regexp.QuoteMeta(model)+`['"]`))
}

// configCall matches a config() call in a template.
var configCall = regexp.MustCompile(`\bconfig\(`)

// matchPosition returns the line and column of the first match of re in
// src, or 0, 0.
func matchPosition(src string, re *regexp.Regexp) (int, int) {
	loc := re.FindStringIndex(src)
	if loc == nil {
		return 0, 0
	}
	return position(src, loc[0])
}

// sourcePosition maps a position in compiled SQL back to the template:
// the source line with the same text, if exactly one has it; else 0, 0.
func sourcePosition(raw, compiled string, line, col int) (int, int) {
	compiledLines := strings.Split(compiled, "\n")
	if line < 1 || line > len(compiledLines) {
		return 0, 0
	}
	text := strings.TrimSpace(compiledLines[line-1])
	if text == "" {
		return 0, 0
	}
	found, foundCol := 0, 0
	for i, l := range strings.Split(raw, "\n") {
		if strings.TrimSpace(l) == text {
			if found != 0 {
				return 0, 0
			}
			found = i + 1
			foundCol = col - (len(compiledLines[line-1]) - len(strings.TrimLeft(compiledLines[line-1], " \t"))) + (len(l) - len(strings.TrimLeft(l, " \t")))
		}
	}
	if foundCol < 1 {
		foundCol = 1
	}
	if found == 0 {
		return 0, 0
	}
	return found, foundCol
}

// checksum fingerprints what makes a node's build differ: its SQL with
// comments and whitespace folded, its configuration, the vars it reads,
// the definitions of the macros it calls, and a seed's file content.
func (c *compilation) checksum(n *manifest.Node) string {
	h := sha256.New()
	h.Write([]byte(manifest.NormalizeSQL(n.RawSQL)))
	cfg, _ := json.Marshal(n.Config)
	h.Write(cfg)
	for _, v := range n.VarsUsed {
		val, _ := json.Marshal(c.project.Vars[v])
		fmt.Fprintf(h, "\x00var %s=%s", v, val)
	}
	for _, m := range n.MacrosUsed {
		fmt.Fprintf(h, "\x00macro %s=%s", m, c.macroChecksums[m])
	}
	if n.SeedPath != "" {
		if f, err := os.Open(filepath.Join(c.project.Root, filepath.FromSlash(n.SeedPath))); err == nil {
			io.Copy(h, f)
			f.Close()
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *compilation) refCandidates() []string {
	out := make([]string, 0, len(c.refNames))
	for name := range c.refNames {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func (c *compilation) sourceNames() []string {
	var out []string
	for _, s := range c.project.Props.Sources {
		for _, t := range s.Tables {
			out = append(out, s.Name+"."+t.Name)
		}
	}
	return out
}
