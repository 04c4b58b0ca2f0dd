// Package manifest owns the compiled project graph: the typed, immutable
// result of a compile (every node with its configuration, dependencies,
// compiled SQL and columns) and its JSON form, target/manifest.json. The
// runner, the selector and the docs read it; only the compiler builds it.
package manifest

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"martlet/compiler/dag"
	"martlet/compiler/project"
)

// Kind is a node's resource type.
type Kind string

// The resource types.
const (
	Model    Kind = "model"
	Seed     Kind = "seed"
	Test     Kind = "test"
	Source   Kind = "source"
	Snapshot Kind = "snapshot"
)

// Relation is a schema-qualified relation, in the target database unless
// Database names another (a source declared with a database).
type Relation struct {
	Database string `json:"database,omitempty"`
	Schema   string `json:"schema"`
	Name     string `json:"name"`
}

// String quotes the relation as SQL: "schema"."name", or
// "database"."schema"."name" when it names a database.
func (r Relation) String() string {
	s := QuoteIdent(r.Schema) + "." + QuoteIdent(r.Name)
	if r.Database != "" {
		s = QuoteIdent(r.Database) + "." + s
	}
	return s
}

// QuoteIdent double-quotes an SQL identifier.
func QuoteIdent(s string) string {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}

// ColumnRef names a column of another node and how a column is made from
// it: "passthrough" (same value, same name), "renamed" (same value) or
// "derived" (an expression, aggregate, window function, case or cast).
type ColumnRef struct {
	Node   string `json:"node"`
	Column string `json:"column"`
	Kind   string `json:"kind,omitempty"`
}

// Column is one column of a node.
type Column struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	DataType    string `json:"data_type,omitempty"`
	// Declared is true for a column the properties file lists, false for
	// one known only from lineage or the seed's header.
	Declared bool `json:"declared,omitempty"`
	// Upstream lists the columns this one is computed from.
	Upstream []ColumnRef `json:"upstream,omitempty"`
}

// TestInfo describes a data test node.
type TestInfo struct {
	// Name is the generic test (unique, not_null, ...) or "singular".
	Name string `json:"test_name"`
	// Attached is the node the test checks, and Column the column.
	Attached string         `json:"attached_node,omitempty"`
	Column   string         `json:"column_name,omitempty"`
	Args     map[string]any `json:"args,omitempty"`
}

// Node is one model, seed, test, source table or snapshot.
type Node struct {
	ID   string `json:"unique_id"`
	Name string `json:"name"`
	Kind Kind   `json:"resource_type"`
	// Path is the file that defines the node, relative to the project.
	Path   string         `json:"path"`
	Pos    project.Pos    `json:"-"`
	Config project.Config `json:"config"`
	// Relation is where the node lives in the database; empty for tests
	// and ephemeral models.
	Relation    Relation `json:"relation"`
	DependsOn   []string `json:"depends_on"`
	Description string   `json:"description,omitempty"`
	Columns     []Column `json:"columns"`
	// LineageUnknown says why the column lineage of a model could not be
	// worked out (its columns are then those the properties declare).
	LineageUnknown string `json:"lineage_unknown,omitempty"`
	RawSQL         string `json:"raw_sql,omitempty"`
	CompiledSQL    string `json:"compiled_sql,omitempty"`
	// IncrementalSQL is the compiled SQL with is_incremental() true, for
	// incremental models whose SQL differs on later runs.
	IncrementalSQL string `json:"incremental_sql,omitempty"`
	// CompiledPath is the compiled file under the target directory.
	CompiledPath string `json:"compiled_path,omitempty"`
	// PreHook and PostHook are the rendered hooks. They may hold secrets
	// (hooks may read MARTLET_SECRET_* variables), so they are kept out of
	// the JSON form; Config holds the hook templates.
	PreHook  []string `json:"-"`
	PostHook []string `json:"-"`
	Checksum string   `json:"checksum"`
	// MacrosUsed and VarsUsed record what the node's rendering read, so
	// that state comparison sees a change in either.
	MacrosUsed []string  `json:"macros_used,omitempty"`
	VarsUsed   []string  `json:"vars_used,omitempty"`
	Test       *TestInfo `json:"test,omitempty"`
	// SeedPath is the CSV file of a seed.
	SeedPath string `json:"seed_path,omitempty"`
}

// Ephemeral reports whether the node is an ephemeral model.
func (n *Node) Ephemeral() bool { return n.Kind == Model && n.Config.Materialized == "ephemeral" }

// Column returns the column by name, or nil.
func (n *Node) Column(name string) *Column {
	for i := range n.Columns {
		if n.Columns[i].Name == name {
			return &n.Columns[i]
		}
	}
	return nil
}

// TargetInfo records the target a manifest was compiled for.
type TargetInfo struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Schema string `json:"schema"`
}

// Manifest is a compiled project.
type Manifest struct {
	Project     string     `json:"project"`
	Target      TargetInfo `json:"target"`
	GeneratedAt time.Time  `json:"generated_at"`
	// Nodes are in dependency order.
	Nodes []*Node `json:"nodes"`
	// Macros maps every project macro to the checksum of its definition.
	Macros map[string]string `json:"macros,omitempty"`
	// OnRunStart and OnRunEnd are the rendered project hooks, kept out of
	// the JSON form for the same reason as a node's hooks.
	OnRunStart []string `json:"-"`
	OnRunEnd   []string `json:"-"`

	byID  map[string]*Node
	graph *dag.Graph
}

// New builds a manifest from nodes in dependency order and their graph.
func New(project string, target TargetInfo, nodes []*Node, g *dag.Graph) *Manifest {
	m := &Manifest{Project: project, Target: target, GeneratedAt: time.Now().UTC(), Nodes: nodes, graph: g}
	m.index()
	return m
}

func (m *Manifest) index() {
	m.byID = make(map[string]*Node, len(m.Nodes))
	for _, n := range m.Nodes {
		m.byID[n.ID] = n
	}
	if m.graph == nil {
		m.graph = dag.New()
		for _, n := range m.Nodes {
			m.graph.AddNode(n.ID)
		}
		for _, n := range m.Nodes {
			for _, p := range n.DependsOn {
				m.graph.AddEdge(p, n.ID)
			}
		}
	}
}

// Node returns a node by ID, or nil.
func (m *Manifest) Node(id string) *Node { return m.byID[id] }

// Graph returns the dependency graph (edges from dependency to dependant).
func (m *Manifest) Graph() *dag.Graph { return m.graph }

// Read loads a manifest written by Write (for --state and --defer).
func Read(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: not a martlet manifest: %v", path, err)
	}
	m.index()
	return &m, nil
}
