// Package materialize turns a model's compiled SELECT into the SQL statements
// that build its relation in the target database: one strategy per adapter
// type and materialization (view, table, incremental, ephemeral, snapshot),
// each pure SQL text that the runner executes through an adapter.Adapter.
package materialize

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"martlet/runner/adapter"
)

// Kind is a materialization, as named by the `materialized` config.
type Kind string

// Materializations.
const (
	// View builds a view.
	View Kind = "view"
	// Table builds a table, swapped in atomically.
	Table Kind = "table"
	// Incremental builds a table on the first run and inserts (or, with a
	// unique key, upserts) the model's rows on later runs.
	Incremental Kind = "incremental"
	// Ephemeral builds nothing; the model is inlined into its dependants.
	Ephemeral Kind = "ephemeral"
	// Snapshot keeps the history of a query's rows (SCD type 2); see
	// SnapshotConfig.
	Snapshot Kind = "snapshot"
)

// Request describes one model or snapshot to materialize.
type Request struct {
	// Adapter is the adapter type: "duckdb" or "postgres".
	Adapter string
	// Kind is the materialization.
	Kind Kind
	// Target is the relation to build.
	Target adapter.Relation
	// SQL is the model's compiled SELECT. Trailing semicolons are ignored.
	SQL string
	// Existing is what is in the database under Target now.
	Existing adapter.RelationKind
	// FullRefresh rebuilds an incremental model from scratch.
	FullRefresh bool
	// UniqueKey lists the incremental model's key columns (one or more),
	// or the snapshot's unique key.
	UniqueKey []string
	// Columns lists the target's existing columns. Postgres incremental
	// runs need it for their explicit insert column list; DuckDB ignores it.
	// With ModelColumns, on_schema_change sets it.
	Columns []string
	// ModelColumns are SQL's columns as Describe returns them. Later
	// incremental runs compare them with TargetColumns (OnSchemaChange),
	// later snapshot runs add the new ones to the table, and Contract is
	// checked against them. Nil leaves incremental runs as they were.
	ModelColumns []adapter.Column
	// TargetColumns are Target's existing columns with their types, for
	// later incremental and snapshot runs.
	TargetColumns []adapter.Column
	// OnSchemaChange is an incremental model's on_schema_change (see
	// SchemaIgnore and the others); empty means ignore.
	OnSchemaChange string
	// RebuildSQL is the SELECT that rebuilds an incremental model from
	// scratch (is_incremental() false) when on_schema_change full_refresh
	// finds a change; empty means SQL.
	RebuildSQL string
	// Contract, when not nil, is the model's enforced contract: the
	// columns its properties declare, typed by their data_type. Plan
	// fails with a *ContractError, planning nothing, when ModelColumns
	// differ from it.
	Contract []adapter.Column
	// Snapshot configures a snapshot.
	Snapshot *SnapshotConfig
	// SchemaExists tells Plan that Target's schema is known to exist, so
	// that it plans no CREATE SCHEMA step. Plan also plans none when
	// Existing is not KindNone.
	SchemaExists bool
}

// Step is a group of statements. A step with Tx runs through
// adapter.Adapter.ExecTx; otherwise each statement runs through Exec, in order.
type Step struct {
	SQL []string
	Tx  bool
}

// strategy plans the statements that build one kind of relation on one
// adapter type, after the schema exists. sql is the request's SELECT with
// trailing semicolons and white space removed.
type strategy func(r Request, sql string) ([]Step, error)

// strategies is the table of strategies by adapter type and kind.
var strategies = map[string]map[Kind]strategy{
	"duckdb": {
		View:        duckdbView,
		Table:       duckdbTable,
		Incremental: withSchemaChanges(duckdbIncremental),
		Snapshot:    duckdbSnapshot,
	},
	"postgres": {
		View:        postgresView,
		Table:       postgresTable,
		Incremental: withSchemaChanges(postgresIncremental),
		Snapshot:    postgresSnapshot,
	},
}

// Plan returns the steps that materialize r, to run in order. When Target's
// schema may be missing (neither SchemaExists nor an Existing relation), the
// first step is a lone `CREATE SCHEMA IF NOT EXISTS` statement. Ephemeral
// models plan no steps. Plan fails on an unknown adapter type or kind, an
// empty target name or SQL, an empty unique key column, or a Contract that
// ModelColumns break.
func Plan(r Request) ([]Step, error) {
	byKind, ok := strategies[r.Adapter]
	if !ok {
		return nil, fmt.Errorf("no materializations for adapter type %q (have %s)", r.Adapter, strings.Join(slices.Sorted(maps.Keys(strategies)), ", "))
	}
	if r.Kind == Ephemeral {
		return nil, nil
	}
	plan, ok := byKind[r.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown materialization %q on %s (want view, table, incremental, ephemeral or snapshot)", r.Kind, r.Adapter)
	}
	if r.Target.Schema == "" || r.Target.Name == "" {
		return nil, fmt.Errorf("materialization target %s has an empty schema or name", r.Target)
	}
	sql := statementBody(r.SQL)
	if strings.TrimSpace(sql) == "" {
		return nil, fmt.Errorf("model %s has no SQL", r.Target)
	}
	for _, key := range r.UniqueKey {
		if key == "" {
			return nil, errors.New("unique_key names an empty column")
		}
	}
	if err := checkContract(r); err != nil {
		return nil, err
	}
	steps, err := plan(r, sql)
	if err != nil {
		return nil, err
	}
	if !r.SchemaExists && r.Existing == adapter.KindNone {
		create := Step{SQL: []string{"CREATE SCHEMA IF NOT EXISTS " + adapter.QuoteIdent(r.Target.Schema)}}
		steps = append([]Step{create}, steps...)
	}
	return steps, nil
}

// statements returns a step that runs stmts one by one, outside a
// transaction.
func statements(stmts ...string) Step {
	return Step{SQL: stmts}
}

// transaction returns a step that runs stmts in one transaction.
func transaction(stmts ...string) Step {
	return Step{SQL: stmts, Tx: true}
}

// dropStatement returns `DROP TABLE|VIEW IF EXISTS rel`, for the kind of
// relation that exists, followed by suffix (such as " CASCADE").
func dropStatement(kind adapter.RelationKind, rel adapter.Relation, suffix string) string {
	object := "TABLE"
	if kind == adapter.KindView {
		object = "VIEW"
	}
	return "DROP " + object + " IF EXISTS " + rel.String() + suffix
}

// statementBody removes the semicolons and blanks that may end a SELECT
// but cannot stand inside a subquery or CTE.
func statementBody(sql string) string { return strings.TrimRight(sql, "; \t\r\n") }

// subquery wraps sql in parentheses on lines of their own, so that a trailing
// line comment in sql cannot swallow the closing parenthesis.
func subquery(sql string) string {
	return "(\n" + sql + "\n)"
}

// keyMatch returns the condition `target."k1" = staged."k1" AND ...` on the
// unique key columns.
func keyMatch(target, staged string, key []string) string {
	conds := make([]string, len(key))
	for i, k := range key {
		col := adapter.QuoteIdent(k)
		conds[i] = target + "." + col + " = " + staged + "." + col
	}
	return strings.Join(conds, " AND ")
}

// Aliases used in generated statements.
const (
	targetAlias = "martlet_target"
	stagedAlias = "martlet_staged"
)

// stagingSuffix names the temporary table that holds an incremental run's new
// rows: `<model>__martlet_stage`. Temporary tables are private to the
// connection (session) in both DuckDB and PostgreSQL, and model names are
// unique in a project, so parallel models cannot collide.
const stagingSuffix = "__martlet_stage"
