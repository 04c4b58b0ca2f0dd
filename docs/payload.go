package docs

import (
	"path"
	"time"

	"martlet/compiler/manifest"
)

// payload is the data the page's scripts read: the manifest, slimmed to
// what the page shows, joined with the last run's results. Its JSON form is
// the contract between Generate and assets/*.js.
type payload struct {
	Project     string              `json:"project"`
	Title       string              `json:"title"`
	Target      manifest.TargetInfo `json:"target"`
	GeneratedAt time.Time           `json:"generated_at"`
	// Run is the last run, or nil when there are no run results.
	Run *runInfo `json:"run"`
	// FullGraphLimit is the node count above which the page draws only the
	// lineage of a focused node instead of the whole graph.
	FullGraphLimit int        `json:"full_graph_limit"`
	Nodes          []pageNode `json:"nodes"`
}

type runInfo struct {
	GeneratedAt time.Time `json:"generated_at"`
	Elapsed     float64   `json:"elapsed"`
}

type pageNode struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	Path string `json:"path"`
	// Folder is the directory of Path, for colouring by folder.
	Folder       string       `json:"folder"`
	Materialized string       `json:"materialized"`
	Tags         []string     `json:"tags"`
	Config       pageConfig   `json:"config"`
	Relation     string       `json:"relation,omitempty"`
	DependsOn    []string     `json:"depends_on"`
	Description  string       `json:"description"`
	Columns      []pageColumn `json:"columns"`
	RawSQL       string       `json:"raw_sql"`
	CompiledSQL  string       `json:"compiled_sql"`
	// IncrementalSQL is the rendering with is_incremental() true, when it
	// differs.
	IncrementalSQL string      `json:"incremental_sql,omitempty"`
	Test           *pageTest   `json:"test,omitempty"`
	Result         *pageResult `json:"result,omitempty"`
}

// pageConfig is the configuration the page lists besides materialization
// and tags.
type pageConfig struct {
	Schema              string   `json:"schema,omitempty"`
	Alias               string   `json:"alias,omitempty"`
	UniqueKey           []string `json:"unique_key,omitempty"`
	IncrementalStrategy string   `json:"incremental_strategy,omitempty"`
	OnSchemaChange      string   `json:"on_schema_change,omitempty"`
}

type pageColumn struct {
	Name        string               `json:"name"`
	Description string               `json:"description"`
	DataType    string               `json:"data_type"`
	Upstream    []manifest.ColumnRef `json:"upstream"`
}

type pageTest struct {
	Name     string         `json:"name"`
	Attached string         `json:"attached,omitempty"`
	Column   string         `json:"column,omitempty"`
	Args     map[string]any `json:"args,omitempty"`
	Severity string         `json:"severity,omitempty"`
}

type pageResult struct {
	Status   string     `json:"status"`
	Started  *time.Time `json:"started,omitempty"`
	Duration float64    `json:"duration"`
	Rows     int64      `json:"rows"`
	Message  string     `json:"message"`
	Failures *int64     `json:"failures,omitempty"`
}

// newPayload joins the manifest with the run results (which may be nil).
func newPayload(m *manifest.Manifest, results *RunResults, opts Options) *payload {
	p := &payload{
		Project:        m.Project,
		Title:          opts.Title,
		Target:         m.Target,
		GeneratedAt:    m.GeneratedAt,
		FullGraphLimit: opts.FullGraphLimit,
		Nodes:          make([]pageNode, 0, len(m.Nodes)),
	}
	if p.Title == "" {
		p.Title = m.Project
	}
	if p.FullGraphLimit <= 0 {
		p.FullGraphLimit = DefaultFullGraphLimit
	}
	if results != nil {
		p.Run = &runInfo{GeneratedAt: results.GeneratedAt, Elapsed: results.ElapsedTime}
	}
	byNode := results.byNode()
	for _, n := range m.Nodes {
		if n == nil {
			continue
		}
		p.Nodes = append(p.Nodes, newPageNode(n, byNode[n.ID]))
	}
	return p
}

func newPageNode(n *manifest.Node, r *RunResult) pageNode {
	pn := pageNode{
		ID:           n.ID,
		Name:         n.Name,
		Kind:         string(n.Kind),
		Path:         n.Path,
		Folder:       path.Dir(n.Path),
		Materialized: n.Config.Materialized,
		Tags:         nonNil(n.Config.Tags),
		Config: pageConfig{
			Schema:              n.Config.Schema,
			Alias:               n.Config.Alias,
			UniqueKey:           n.Config.UniqueKey,
			IncrementalStrategy: n.Config.IncrementalStrategy,
			OnSchemaChange:      n.Config.OnSchemaChange,
		},
		DependsOn:   nonNil(n.DependsOn),
		Description: n.Description,
		Columns:     make([]pageColumn, 0, len(n.Columns)),
		RawSQL:      n.RawSQL,
		CompiledSQL: n.CompiledSQL,
	}
	if n.Path == "" {
		pn.Folder = ""
	}
	if pn.Materialized == "" {
		pn.Materialized = pn.Kind
	}
	if n.Relation.Name != "" {
		pn.Relation = n.Relation.String()
	}
	if n.IncrementalSQL != n.CompiledSQL {
		pn.IncrementalSQL = n.IncrementalSQL
	}
	for _, c := range n.Columns {
		pn.Columns = append(pn.Columns, pageColumn{
			Name:        c.Name,
			Description: c.Description,
			DataType:    c.DataType,
			Upstream:    nonNil(c.Upstream),
		})
	}
	if n.Test != nil {
		pn.Test = &pageTest{
			Name:     n.Test.Name,
			Attached: n.Test.Attached,
			Column:   n.Test.Column,
			Args:     n.Test.Args,
			Severity: n.Config.Severity,
		}
	}
	if r != nil {
		pn.Result = &pageResult{
			Status:   r.Status,
			Duration: r.ExecutionTime,
			Rows:     r.RowsAffected,
			Message:  r.Message,
			Failures: r.Failures,
		}
		if r.Timing != nil {
			started := r.Timing.StartedAt
			pn.Result.Started = &started
		}
	}
	return pn
}

// nonNil turns a nil slice into an empty one, so that the page's scripts
// always see an array.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
