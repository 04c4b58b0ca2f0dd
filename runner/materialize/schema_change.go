package materialize

import (
	"fmt"
	"strings"

	"martlet/runner/adapter"
)

// The on_schema_change settings of incremental models: what a later run
// does when the model's columns differ from its table's.
const (
	// SchemaIgnore inserts the columns the table has and ignores the
	// model's new ones; the default.
	SchemaIgnore = "ignore"
	// SchemaFail fails the run, leaving the table untouched.
	SchemaFail = "fail"
	// SchemaAppend adds the model's new columns to the table.
	SchemaAppend = "append_new_columns"
	// SchemaSync adds new columns, drops removed ones and changes the
	// types that changed.
	SchemaSync = "sync_all_columns"
	// SchemaFullRefresh rebuilds the table from scratch (martlet's
	// addition, dbt-core #4473).
	SchemaFullRefresh = "full_refresh"
)

// schemaDiff is how a model's columns differ from its table's.
type schemaDiff struct {
	// added are the model's columns the table lacks, in model order.
	added []adapter.Column
	// removed are the table's columns the model lacks, in table order.
	removed []adapter.Column
	// retyped are the model's columns whose type differs from the
	// table's column of the same name, with the model's type.
	retyped []adapter.Column
	// kept are the names of the table's columns the model has, in table
	// order.
	kept []string
}

// diffSchemas compares the model's columns with the table's, types by
// sameType.
func diffSchemas(adapterType string, model, table []adapter.Column) schemaDiff {
	var d schemaDiff
	for _, c := range table {
		i := findColumn(adapterType, model, c.Name)
		if i < 0 {
			d.removed = append(d.removed, c)
			continue
		}
		d.kept = append(d.kept, c.Name)
		if !sameType(adapterType, model[i].Type, c.Type) {
			d.retyped = append(d.retyped, adapter.Column{Name: c.Name, Type: model[i].Type})
		}
	}
	for _, c := range model {
		if findColumn(adapterType, table, c.Name) < 0 {
			d.added = append(d.added, c)
		}
	}
	return d
}

// changed reports whether the schemas differ.
func (d schemaDiff) changed() bool {
	return len(d.added)+len(d.removed)+len(d.retyped) > 0
}

// String lists the differences: "added columns a (INTEGER); removed
// columns b; changed types: c to VARCHAR".
func (d schemaDiff) String() string {
	var parts []string
	list := func(label string, cols []adapter.Column, format func(adapter.Column) string) {
		if len(cols) == 0 {
			return
		}
		items := make([]string, len(cols))
		for i, c := range cols {
			items[i] = format(c)
		}
		parts = append(parts, label+" "+strings.Join(items, ", "))
	}
	list("added columns", d.added, func(c adapter.Column) string { return c.Name + " (" + c.Type + ")" })
	list("removed columns", d.removed, func(c adapter.Column) string { return c.Name })
	list("changed types:", d.retyped, func(c adapter.Column) string { return c.Name + " to " + c.Type })
	return strings.Join(parts, "; ")
}

// withSchemaChanges wraps an adapter's incremental strategy with
// on_schema_change. It acts on later runs whose request describes both
// column lists (ModelColumns, TargetColumns); other requests go to base
// unchanged. Whatever the setting, only columns the table has after the
// change are inserted; ALTER TABLE statements run in one transaction with
// the insert.
func withSchemaChanges(base strategy) strategy {
	return func(r Request, sql string) ([]Step, error) {
		if r.Existing != adapter.KindTable || r.FullRefresh || r.ModelColumns == nil {
			return base(r, sql)
		}
		d := diffSchemas(r.Adapter, r.ModelColumns, r.TargetColumns)
		insert := d.kept
		var alters []string
		switch r.OnSchemaChange {
		case "", SchemaIgnore:
		case SchemaFail:
			if d.changed() {
				return nil, fmt.Errorf("the columns of incremental model %s changed (%s) and on_schema_change is fail; the table was left as it was", r.Target, d)
			}
		case SchemaAppend:
			alters = addColumns(r.Target, d.added)
			insert = appendNames(insert, d.added)
		case SchemaSync:
			alters = addColumns(r.Target, d.added)
			for _, c := range d.removed {
				alters = append(alters, "ALTER TABLE "+r.Target.String()+" DROP COLUMN "+adapter.QuoteIdent(c.Name))
			}
			for _, c := range d.retyped {
				col := adapter.QuoteIdent(c.Name)
				alters = append(alters, "ALTER TABLE "+r.Target.String()+" ALTER COLUMN "+col+" TYPE "+c.Type+" USING CAST("+col+" AS "+c.Type+")")
			}
			insert = appendNames(insert, d.added)
		case SchemaFullRefresh:
			if d.changed() {
				r.FullRefresh = true
				if rebuild := statementBody(r.RebuildSQL); strings.TrimSpace(rebuild) != "" {
					sql = rebuild
				}
				return base(r, sql)
			}
		default:
			return nil, fmt.Errorf("unknown on_schema_change %q (want %s, %s, %s, %s or %s)", r.OnSchemaChange, SchemaIgnore, SchemaFail, SchemaAppend, SchemaSync, SchemaFullRefresh)
		}
		if len(insert) == 0 {
			return nil, fmt.Errorf("incremental model %s has no column in common with its table", r.Target)
		}
		r.Columns = insert
		if len(insert) < len(r.ModelColumns) {
			sql = project(sql, insert)
		}
		steps, err := base(r, sql)
		if err != nil || len(alters) == 0 {
			return steps, err
		}
		stmts := alters
		for _, s := range steps {
			stmts = append(stmts, s.SQL...)
		}
		return []Step{transaction(stmts...)}, nil
	}
}

// addColumns returns the statements that add cols to rel.
func addColumns(rel adapter.Relation, cols []adapter.Column) []string {
	stmts := make([]string, len(cols))
	for i, c := range cols {
		stmts[i] = "ALTER TABLE " + rel.String() + " ADD COLUMN " + adapter.QuoteIdent(c.Name) + " " + c.Type
	}
	return stmts
}

// appendNames appends the names of cols to names.
func appendNames(names []string, cols []adapter.Column) []string {
	for _, c := range cols {
		names = append(names, c.Name)
	}
	return names
}

// project returns a SELECT of the named columns of sql.
func project(sql string, names []string) string {
	cols := make([]string, len(names))
	for i, n := range names {
		cols[i] = adapter.QuoteIdent(n)
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + subquery(sql) + " AS martlet_model"
}
