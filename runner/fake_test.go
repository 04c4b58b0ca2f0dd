package runner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
	"martlet/runner/adapter"
)

// fakeAdapter records the SQL it is given, in order, and fails statements
// that contain a configured substring. Queries return the count configured
// for a substring of the query, else 0; schema lookups find nothing.
type fakeAdapter struct {
	mu        sync.Mutex
	stmts     []string
	failOn    map[string]string
	counts    map[string]int64
	relations map[adapter.Relation]adapter.RelationKind
	catalogs  int
	seeds     []string
	// block, when set, makes every Exec wait until it is closed or ctx
	// is done.
	block chan struct{}
	// running and peak track concurrent Exec calls.
	running, peak int
	// hold, when positive, makes each Exec wait until that many Execs run
	// at once (or a second passes), to observe concurrency.
	hold int
}

func newFake() *fakeAdapter {
	return &fakeAdapter{
		failOn:    map[string]string{},
		counts:    map[string]int64{},
		relations: map[adapter.Relation]adapter.RelationKind{},
	}
}

func (f *fakeAdapter) Type() string { return "duckdb" }

func (f *fakeAdapter) record(sql string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stmts = append(f.stmts, sql)
	for substr, msg := range f.failOn {
		if strings.Contains(sql, substr) {
			return errors.New(msg)
		}
	}
	return nil
}

func (f *fakeAdapter) Exec(ctx context.Context, sql string) (int64, error) {
	f.mu.Lock()
	f.running++
	f.peak = max(f.peak, f.running)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.running--
		f.mu.Unlock()
	}()
	if f.hold > 0 {
		deadline := time.Now().Add(time.Second)
		for time.Now().Before(deadline) {
			f.mu.Lock()
			enough := f.running >= f.hold
			f.mu.Unlock()
			if enough {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	if err := f.record(sql); err != nil {
		return 0, err
	}
	return 1, nil
}

func (f *fakeAdapter) ExecTx(ctx context.Context, stmts []string) (int64, error) {
	for _, s := range stmts {
		if _, err := f.Exec(ctx, s); err != nil {
			return 0, err
		}
	}
	return 1, nil
}

func (f *fakeAdapter) Query(ctx context.Context, sql string, limit int) (*adapter.Rows, error) {
	if err := f.record(sql); err != nil {
		return nil, err
	}
	if strings.Contains(sql, "information_schema.schemata") {
		// No schema exists but those the catalog lists.
		return &adapter.Rows{}, nil
	}
	var n int64
	f.mu.Lock()
	for substr, c := range f.counts {
		if strings.Contains(sql, substr) {
			n = c
		}
	}
	f.mu.Unlock()
	return &adapter.Rows{Columns: []adapter.Column{{Name: "count", Type: "BIGINT"}}, Values: [][]any{{n}}}, nil
}

func (f *fakeAdapter) Relations(ctx context.Context, schemas []string) (map[adapter.Relation]adapter.RelationKind, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.catalogs++
	out := map[adapter.Relation]adapter.RelationKind{}
	for rel, kind := range f.relations {
		out[rel] = kind
	}
	return out, nil
}

func (f *fakeAdapter) Columns(ctx context.Context, rel adapter.Relation) ([]adapter.Column, error) {
	return []adapter.Column{{Name: "id", Type: "INTEGER"}}, nil
}

func (f *fakeAdapter) LoadSeed(ctx context.Context, rel adapter.Relation, csvPath string, columnTypes map[string]string) (int64, error) {
	if err := f.record("LOAD SEED " + rel.String()); err != nil {
		return 0, &adapter.SeedError{Path: csvPath, Line: 3, Msg: err.Error()}
	}
	f.mu.Lock()
	f.seeds = append(f.seeds, csvPath)
	f.mu.Unlock()
	return 5, nil
}

func (f *fakeAdapter) Close() error { return nil }

// sql returns the recorded statements.
func (f *fakeAdapter) sql() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.stmts...)
}

// index returns the position of the first recorded statement containing
// substr, or -1.
func (f *fakeAdapter) index(substr string) int {
	for i, s := range f.sql() {
		if strings.Contains(s, substr) {
			return i
		}
	}
	return -1
}

// nodes builds manifest nodes tersely.
type nodeSpec struct {
	kind     manifest.Kind
	name     string
	mat      string
	deps     []string
	sql      string
	severity string
}

func model(name, mat, sql string, deps ...string) nodeSpec {
	return nodeSpec{kind: manifest.Model, name: name, mat: mat, sql: sql, deps: deps}
}

func seed(name string) nodeSpec { return nodeSpec{kind: manifest.Seed, name: name} }

// snapshot is a snapshot in schema "snapshots"; its strategy settings are
// set on the built node's config.
func snapshot(name, sql string, deps ...string) nodeSpec {
	return nodeSpec{kind: manifest.Snapshot, name: name, mat: "snapshot", sql: sql, deps: deps}
}

func test(name, severity, sql string, deps ...string) nodeSpec {
	return nodeSpec{kind: manifest.Test, name: name, sql: sql, deps: deps, severity: severity}
}

// nodeID returns the ID of a node named name of kind k in project "shop".
func nodeID(k manifest.Kind, name string) string { return string(k) + ".shop." + name }

// build returns a manifest of specs (in dependency order) and all their
// IDs. Dependencies name earlier nodes by name.
func build(specs ...nodeSpec) (*manifest.Manifest, []string) {
	kinds := map[string]manifest.Kind{}
	var nodes []*manifest.Node
	var ids []string
	for _, s := range specs {
		kinds[s.name] = s.kind
		cfg := project.NewConfig()
		cfg.Materialized = s.mat
		cfg.Severity = s.severity
		n := &manifest.Node{
			ID: nodeID(s.kind, s.name), Name: s.name, Kind: s.kind, Config: cfg,
			CompiledSQL: s.sql,
		}
		switch s.kind {
		case manifest.Seed:
			n.Path = "seeds/" + s.name + ".csv"
			n.SeedPath = n.Path
			n.Relation = manifest.Relation{Schema: "main", Name: s.name}
		case manifest.Model:
			n.Path = "models/" + s.name + ".sql"
			if s.mat != "ephemeral" {
				n.Relation = manifest.Relation{Schema: "main", Name: s.name}
			}
		case manifest.Test:
			n.Path = "models/schema.yml"
			n.Test = &manifest.TestInfo{Name: "singular"}
		case manifest.Snapshot:
			n.Path = "snapshots/" + s.name + ".sql"
			n.Relation = manifest.Relation{Schema: "snapshots", Name: s.name}
		}
		for _, d := range s.deps {
			n.DependsOn = append(n.DependsOn, nodeID(kinds[d], d))
		}
		nodes = append(nodes, n)
		ids = append(ids, n.ID)
	}
	return manifest.New("shop", manifest.TargetInfo{Name: "dev", Type: "duckdb", Schema: "main"}, nodes, nil), ids
}

// statuses maps node names to their result status.
func statuses(res *Results) map[string]Status {
	out := map[string]Status{}
	for _, r := range res.Results {
		out[r.Name] = r.Status
	}
	return out
}
