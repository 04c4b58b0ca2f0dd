// Package lineage computes column-level lineage from a model's compiled
// SQL: for every output column, the columns of other nodes (models, seeds,
// sources, snapshots) it is computed from, and how.
//
// Analyze works from a parse tree, pg_query's for both dialects, or
// DuckDB's own for DuckDB-only syntax pg_query rejects (QUALIFY, EXCLUDE,
// GROUP BY ALL, FROM-first...). It resolves every column reference
// through the query's scopes (CTEs, subqueries, joins, USING, lateral and
// correlated subqueries, set operations) down to relations the caller's
// Catalog names, and expands * and t.* from the columns the Catalog knows.
// It never fails: what it cannot work out is reported in the Result.
//
// What counts as upstream: every column an output column's expression
// reads, wherever in the expression: function and aggregate arguments,
// FILTER, OVER (PARTITION BY and ORDER BY: a rank changes when they do),
// CASE conditions, and everything a scalar or EXISTS subquery in the
// expression reads (its WHERE too, since it decides the value). Columns
// that only decide which rows there are (WHERE, JOIN ON, GROUP BY, HAVING,
// QUALIFY of the query itself) are not upstream of any column. So
// count(*) has no upstream columns: it is Derived from nothing, like a
// literal.
//
// Ephemeral models arrive inlined as CTEs named EphemeralPrefix+name; when
// the Catalog resolves such a name to a node, the CTE is treated as that
// node (edges point at the ephemeral model, not into its body), so that
// every model's lineage is one step. Graph.Upstream can see through them.
package lineage

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"martlet/compiler/sqlcheck"
)

// EphemeralPrefix starts the CTE name of an inlined ephemeral model.
const EphemeralPrefix = "__dbt__cte__"

// EdgeKind says how an output column relates to an upstream column.
type EdgeKind uint8

// The edge kinds, from the weakest transformation to the strongest. When
// a column reaches an upstream column by several paths (a UNION, a USING
// join), the strongest kind wins.
const (
	// Passthrough: the same value under the same name.
	Passthrough EdgeKind = iota
	// Renamed: the same value under another name.
	Renamed
	// Derived: computed by an expression, aggregate, window function,
	// CASE, cast or subquery.
	Derived
)

var kindNames = [...]string{"passthrough", "renamed", "derived"}

// String returns "passthrough", "renamed" or "derived".
func (k EdgeKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("EdgeKind(%d)", k)
}

// MarshalText encodes the kind as its String.
func (k EdgeKind) MarshalText() ([]byte, error) {
	if int(k) >= len(kindNames) {
		return nil, fmt.Errorf("lineage: invalid edge kind %d", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes a kind encoded by MarshalText.
func (k *EdgeKind) UnmarshalText(b []byte) error {
	i := slices.Index(kindNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("lineage: unknown edge kind %q", b)
	}
	*k = EdgeKind(i)
	return nil
}

// Edge is one upstream column of an output column.
type Edge struct {
	Node   string   `json:"node"`
	Column string   `json:"column"`
	Kind   EdgeKind `json:"kind"`
}

// ColumnLineage is one output column of a model and its upstream columns,
// sorted by node and column.
type ColumnLineage struct {
	Name     string `json:"name"`
	Upstream []Edge `json:"upstream,omitempty"`
	// Generated marks a name the database made up for an unaliased
	// expression: PostgreSQL's ("count", "?column?"), or DuckDB's text of
	// the expression ("count_star()", "(x + 1)"), which is approximate for
	// window functions, FILTER and subqueries.
	Generated bool `json:"generated,omitempty"`
}

// Result is the lineage of one model.
type Result struct {
	// Columns are the model's output columns in order; nil when Unknown.
	Columns []ColumnLineage
	// Unknown says why the lineage could not be computed, "" if it was.
	Unknown string
	// Unresolved lists what lineage could not be attributed to a node's
	// column, sorted: column references as written ("t.x") that no known
	// relation has, or that several relations of unknown columns might
	// have; and relations ("raw.events") the Catalog does not know.
	Unresolved []string
}

// Catalog resolves relations to nodes and knows their columns.
type Catalog interface {
	// NodeForRelation returns the node ID of a relation as it appears in
	// compiled SQL ("main"."orders" is schema "main", name "orders"; schema
	// is "" when unqualified), or of an ephemeral model's CTE name (schema
	// "", name EphemeralPrefix+model).
	NodeForRelation(schema, name string) (id string, ok bool)
	// Columns returns the known output columns of a node in order (a
	// seed's header, an upstream model's lineage, a source's declared
	// columns), or nil if they are unknown.
	Columns(id string) []string
}

// JSONParser returns a parse tree as JSON; *sqlcheck.DuckDBChecker is one.
type JSONParser interface {
	ParseJSON(sql string) (string, *sqlcheck.SyntaxError)
}

// Options are the optional inputs of Analyze.
type Options struct {
	// DuckDB parses, for the duckdb dialect, what pg_query cannot. Nil
	// makes such models Unknown.
	DuckDB JSONParser
	// PostgresTree is pg_query's JSON tree of the SQL
	// (sqlcheck.PostgresParseJSON), when the caller already has it: it
	// saves half the time.
	PostgresTree string
}

var tapes = sync.Pool{New: func() any { return new(tape) }}

// Analyze computes the column lineage of one model's compiled SQL, a
// single SELECT, in dialect "duckdb" or "postgres". cat may be nil (no
// relation is known). Safe for concurrent use if the Catalog is.
func Analyze(sql string, dialect sqlcheck.Dialect, cat Catalog, opts Options) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = Result{Unknown: fmt.Sprintf("internal error in lineage analysis: %v", p)}
		}
	}()
	duck := dialect == sqlcheck.DialectDuckDB
	t := tapes.Get().(*tape)
	defer func() {
		clear(t.unescaped) // let the text go
		t.src, t.unescaped = "", t.unescaped[:0]
		tapes.Put(t)
	}()
	tree, serr := opts.PostgresTree, (*sqlcheck.SyntaxError)(nil)
	if tree == "" {
		tree, serr = sqlcheck.PostgresParseJSON(sql)
	}
	var q *query
	var why string
	switch {
	case serr == nil:
		q, why = fromPostgres(t, tree, sql, duck)
	case !duck:
		why = "the SQL does not parse: " + serr.Error()
	case opts.DuckDB == nil:
		why = "DuckDB-only syntax that pg_query cannot parse (" + serr.Msg + ")"
	default:
		q, why = fromDuckDB(t, opts.DuckDB, sql)
	}
	if q == nil {
		return Result{Unknown: why}
	}
	a := &analyzer{cat: cat, duck: duck}
	return a.result(q)
}

// fromPostgres reads pg_query's tree of sql.
func fromPostgres(t *tape, tree, sql string, duck bool) (*query, string) {
	if err := t.parse(tree); err != nil {
		return nil, err.Error()
	}
	ident := func(s string) string { return s }
	if duck {
		ident = spellings(sql)
	}
	if q, ok := readPostgres(t, duck, ident); ok {
		return q, ""
	}
	return nil, "not a SELECT statement"
}

// fromDuckDB parses sql with DuckDB and reads its tree.
func fromDuckDB(t *tape, p JSONParser, sql string) (*query, string) {
	tree, serr := p.ParseJSON(sql)
	if serr != nil {
		return nil, "the SQL does not parse: " + serr.Error()
	}
	if err := t.parse(tree); err != nil {
		return nil, err.Error()
	}
	return readDuckDB(t)
}

// result analyzes the statement's query. The Result's strings are
// copies: those of the parse tree would keep all of its text alive.
func (a *analyzer) result(q *query) Result {
	rel, _ := a.query(q, nil, nil, false)
	res := Result{Unresolved: a.unresolvedList()}
	for i, u := range res.Unresolved {
		res.Unresolved[i] = strings.Clone(u)
	}
	if reason := rel.incomplete(); reason != "" {
		res.Unknown = strings.Clone(reason)
		return res
	}
	res.Columns = make([]ColumnLineage, len(rel.cols))
	for i, c := range rel.cols {
		col := ColumnLineage{Name: strings.Clone(c.name), Generated: c.generated}
		if len(c.edges) > 0 {
			col.Upstream = make([]Edge, len(c.edges))
			for j, e := range c.edges {
				col.Upstream[j] = Edge{Node: e.Node, Column: strings.Clone(e.Column), Kind: e.Kind}
			}
			slices.SortFunc(col.Upstream, compareEdges)
		}
		res.Columns[i] = col
	}
	return res
}
