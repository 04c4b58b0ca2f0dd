package compiler

import (
	"strings"
	"sync"

	"martlet/compiler/lineage"
	"martlet/compiler/manifest"
	"martlet/compiler/partialparse"
	"martlet/compiler/sqlcheck"
)

// lineageCatalog answers the lineage analysis: which node a relation in
// compiled SQL is, and the known output columns of a node.
type lineageCatalog struct {
	relations map[manifest.Relation]string
	mu        sync.RWMutex
	columns   map[string][]string
}

func (l *lineageCatalog) NodeForRelation(schema, name string) (string, bool) {
	id, ok := l.relations[manifest.Relation{Schema: schema, Name: name}]
	return id, ok
}

func (l *lineageCatalog) Columns(id string) []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.columns[id]
}

func columnNames(cols []manifest.Column) []string {
	if len(cols) == 0 {
		return nil
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// analyzeLineage computes the column lineage of every model and snapshot
// from its compiled SQL, level by level in dependency order (a node's
// upstream columns are known before it is analyzed), each level on all
// cores. A model whose lineage cannot be worked out keeps the columns its
// properties declare, with the reason recorded; lineage never fails a
// compile.
func (c *compilation) analyzeLineage() {
	cat := &lineageCatalog{relations: map[manifest.Relation]string{}, columns: map[string][]string{}}
	depth := map[string]int{}
	var levels [][]*manifest.Node
	for _, n := range c.order {
		switch {
		case n.Ephemeral():
			cat.relations[manifest.Relation{Name: cteName(n.Name)}] = n.ID
		case n.Relation != (manifest.Relation{}):
			// Keyed by schema and name: the analysis reads a
			// database-qualified source by those two.
			cat.relations[manifest.Relation{Schema: n.Relation.Schema, Name: n.Relation.Name}] = n.ID
		}
		if n.Kind == manifest.Seed || n.Kind == manifest.Source {
			cat.columns[n.ID] = columnNames(n.Columns)
			continue
		}
		if (n.Kind != manifest.Model && n.Kind != manifest.Snapshot) || n.CompiledSQL == "" {
			continue
		}
		d := 0
		for _, p := range n.DependsOn {
			if pd, ok := depth[p]; ok && pd+1 > d {
				d = pd + 1
			}
		}
		depth[n.ID] = d
		for len(levels) <= d {
			levels = append(levels, nil)
		}
		levels[d] = append(levels[d], n)
	}
	opts := lineage.Options{}
	if duck, ok := c.checker.(*sqlcheck.DuckDBChecker); ok {
		opts.DuckDB = duck
	}
	dialect, cache := sqlcheck.Dialect(c.target.Type), c.readyCache()
	if dialect == sqlcheck.DialectDuckDB && opts.DuckDB == nil {
		// Without DuckDB's parser some lineage is unknown that is not
		// otherwise: such results are not for the cache.
		cache = partialparse.New()
	}
	for _, level := range levels {
		parallel(level, func(n *manifest.Node) {
			res, ok := cache.Lineage(dialect, n.CompiledSQL, cat)
			if !ok {
				rec := partialparse.NewRecorder(cat)
				res = lineage.Analyze(n.CompiledSQL, dialect, rec, opts)
				cache.AddLineage(dialect, n.CompiledSQL, res, rec)
			}
			mergeLineage(n, res)
		})
		cat.mu.Lock()
		for _, n := range level {
			cat.columns[n.ID] = columnNames(n.Columns)
		}
		cat.mu.Unlock()
	}
}

// mergeLineage sets a node's columns from its lineage, in output order,
// keeping the descriptions and types its properties give and appending
// documented columns the lineage does not have.
func mergeLineage(n *manifest.Node, res lineage.Result) {
	if res.Unknown != "" {
		n.LineageUnknown = res.Unknown
		return
	}
	declared := n.Columns
	cols := make([]manifest.Column, 0, len(res.Columns))
	used := make([]bool, len(declared))
	for _, lc := range res.Columns {
		col := manifest.Column{Name: lc.Name}
		for i, d := range declared {
			if !used[i] && strings.EqualFold(d.Name, lc.Name) {
				col.Description, col.DataType, col.Declared = d.Description, d.DataType, d.Declared
				used[i] = true
				break
			}
		}
		for _, e := range lc.Upstream {
			col.Upstream = append(col.Upstream, manifest.ColumnRef{Node: e.Node, Column: e.Column, Kind: e.Kind.String()})
		}
		cols = append(cols, col)
	}
	for i, d := range declared {
		if !used[i] {
			cols = append(cols, d)
		}
	}
	n.Columns = cols
}
