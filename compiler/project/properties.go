package project

import (
	"runtime"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/yamltree"
)

// Properties gathers every properties YAML file of the project.
type Properties struct {
	Sources []*Source
	// Resources maps a model, seed or snapshot name to its properties.
	Resources map[string]*ResourceProps
	// Docs maps the name of each `{% docs %}` block to its text. The
	// `{{ doc("name") }}` calls in descriptions are already replaced by it.
	Docs map[string]string
}

// ResourceProps are the properties of one model, seed or snapshot.
type ResourceProps struct {
	Name        string
	Description string
	Config      []Setting
	Columns     []*ColumnProps
	Tests       []*TestSpec
	Pos         Pos
}

// Column returns the properties of a column by name (case-insensitive).
func (r *ResourceProps) Column(name string) *ColumnProps {
	for _, c := range r.Columns {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// ColumnProps are the properties of one column.
type ColumnProps struct {
	Name        string
	Description string
	DataType    string
	Tests       []*TestSpec
	Pos         Pos
}

// TestSpec is a generic data test attached to a model, seed, source table
// or column: `unique`, `accepted_values: {values: [...]}`, ...
type TestSpec struct {
	// Name is the test: unique, not_null, accepted_values, relationships,
	// or a custom generic test.
	Name   string
	Args   map[string]any
	Config []Setting
	Pos    Pos
}

// Source is a declared source with its tables.
type Source struct {
	Name        string
	Schema      string
	Database    string
	Description string
	Tables      []*SourceTable
	Pos         Pos
}

// SourceTable is one table of a source.
type SourceTable struct {
	Name        string
	Identifier  string
	Description string
	Columns     []*ColumnProps
	Tests       []*TestSpec
	Pos         Pos
}

func parseAllProperties(files []File, docs map[string]string, trees ParsedTrees, ds *diag.List) *Properties {
	props := &Properties{Resources: map[string]*ResourceProps{}, Docs: docs}
	// YAML parsing is most of the cost of loading a large project: parse
	// the files in parallel, then read them in file order so that which
	// declaration comes first, and the diagnostics, stay deterministic.
	roots := make([]*yamltree.Node, len(files))
	errs := make([]*diag.Diagnostic, len(files))
	forEach(len(files), runtime.GOMAXPROCS(0), func(i int) {
		f := files[i]
		if trees != nil {
			if n, ok := trees.Tree(f.Data); ok {
				roots[i] = n
				return
			}
		}
		roots[i], errs[i] = yamltree.Parse(f.Path, f.Data)
		if trees != nil && errs[i] == nil {
			trees.KeepTree(f.Data, roots[i])
		}
	})
	for i, f := range files {
		if errs[i] != nil {
			ds.Add(errs[i])
			continue
		}
		pp := propsParser{file: f.Path, ds: ds, props: props}
		pp.parseFile(roots[i])
	}
	return props
}

type propsParser struct {
	file  string
	ds    *diag.List
	props *Properties
}

func (pp *propsParser) pos(n *yamltree.Node) Pos { return Pos{File: pp.file, Line: n.Line, Col: n.Col} }

func (pp *propsParser) errorf(n *yamltree.Node, format string, args ...any) {
	pp.ds.Add(diag.At(pp.file, n.Line, n.Col, format, args...))
}

func (pp *propsParser) parseFile(root *yamltree.Node) {
	if root.Kind == yamltree.Null {
		return
	}
	if root.Kind != yamltree.Map {
		pp.errorf(root, "a properties file must be a mapping with `version: 2`")
		return
	}
	for i, k := range root.Keys {
		v := root.Values[i]
		switch key := k.String(); key {
		case "version":
		case "sources":
			for _, item := range pp.list(key, v) {
				if s := pp.source(item); s != nil {
					pp.props.Sources = append(pp.props.Sources, s)
				}
			}
		case "models", "seeds", "snapshots":
			for _, item := range pp.list(key, v) {
				pp.resource(strings.TrimSuffix(key, "s"), item)
			}
		case "macros", "exposures", "metrics", "semantic_models", "analyses", "unit_tests", "groups", "saved_queries":
		default:
			pp.ds.Add(diag.WarnAt(pp.file, k.Line, k.Col, "unknown key %q in a properties file", key))
		}
	}
}

func (pp *propsParser) list(key string, v *yamltree.Node) []*yamltree.Node {
	switch v.Kind {
	case yamltree.Null:
		return nil
	case yamltree.Seq:
		return v.Items
	}
	pp.errorf(v, "%s must be a list, not %s", key, v.Kind)
	return nil
}

// name reads the required `name:` of a list entry.
func (pp *propsParser) name(what string, n *yamltree.Node) (string, bool) {
	if n.Kind != yamltree.Map {
		pp.errorf(n, "each %s must be a mapping with a name, not %s", what, n.Describe())
		return "", false
	}
	name := n.Get("name")
	if name == nil || name.String() == "" {
		pp.errorf(n, "%s without a name", what)
		return "", false
	}
	return name.String(), true
}

func (pp *propsParser) resource(kind string, n *yamltree.Node) {
	name, ok := pp.name(kind, n)
	if !ok {
		return
	}
	if prev := pp.props.Resources[name]; prev != nil {
		pp.errorf(n, "properties of %q are declared twice (also at %s:%d)", name, prev.Pos.File, prev.Pos.Line)
		return
	}
	r := &ResourceProps{Name: name, Pos: pp.pos(n)}
	for i, k := range n.Keys {
		v := n.Values[i]
		switch key := k.String(); key {
		case "name":
		case "description":
			r.Description = pp.description(v)
		case "config":
			r.Config = pp.settings(v)
		case "columns":
			for _, c := range pp.list(key, v) {
				if col := pp.column(c); col != nil {
					r.Columns = append(r.Columns, col)
				}
			}
		case "tests", "data_tests":
			r.Tests = append(r.Tests, pp.tests(key, v)...)
		case "docs", "meta", "access", "group", "latest_version", "versions", "constraints", "deprecation_date", "time_spine":
		default:
			pp.ds.Add(diag.WarnAt(pp.file, k.Line, k.Col, "unknown key %q in the properties of %q", key, name))
		}
	}
	pp.props.Resources[name] = r
}

func (pp *propsParser) column(n *yamltree.Node) *ColumnProps {
	name, ok := pp.name("column", n)
	if !ok {
		return nil
	}
	c := &ColumnProps{Name: name, Pos: pp.pos(n)}
	for i, k := range n.Keys {
		v := n.Values[i]
		switch key := k.String(); key {
		case "name":
		case "description":
			c.Description = pp.description(v)
		case "data_type":
			c.DataType = v.String()
		case "tests", "data_tests":
			c.Tests = append(c.Tests, pp.tests(key, v)...)
		case "meta", "quote", "constraints", "tags", "policy_tags", "granularity", "config":
		default:
			pp.ds.Add(diag.WarnAt(pp.file, k.Line, k.Col, "unknown key %q in column %q", key, name))
		}
	}
	return c
}

func (pp *propsParser) source(n *yamltree.Node) *Source {
	name, ok := pp.name("source", n)
	if !ok {
		return nil
	}
	s := &Source{Name: name, Schema: name, Pos: pp.pos(n)}
	for i, k := range n.Keys {
		v := n.Values[i]
		switch key := k.String(); key {
		case "name":
		case "schema":
			s.Schema = v.String()
		case "database", "catalog":
			s.Database = v.String()
		case "description":
			s.Description = pp.description(v)
		case "tables":
			for _, t := range pp.list(key, v) {
				if st := pp.sourceTable(t); st != nil {
					s.Tables = append(s.Tables, st)
				}
			}
		case "loader", "meta", "tags", "freshness", "loaded_at_field", "config", "quoting", "overrides":
		default:
			pp.ds.Add(diag.WarnAt(pp.file, k.Line, k.Col, "unknown key %q in source %q", key, name))
		}
	}
	return s
}

func (pp *propsParser) sourceTable(n *yamltree.Node) *SourceTable {
	name, ok := pp.name("source table", n)
	if !ok {
		return nil
	}
	t := &SourceTable{Name: name, Identifier: name, Pos: pp.pos(n)}
	for i, k := range n.Keys {
		v := n.Values[i]
		switch key := k.String(); key {
		case "name":
		case "identifier":
			t.Identifier = v.String()
		case "description":
			t.Description = pp.description(v)
		case "columns":
			for _, c := range pp.list(key, v) {
				if col := pp.column(c); col != nil {
					t.Columns = append(t.Columns, col)
				}
			}
		case "tests", "data_tests":
			t.Tests = append(t.Tests, pp.tests(key, v)...)
		case "loader", "meta", "tags", "freshness", "loaded_at_field", "config", "quoting", "external":
		default:
			pp.ds.Add(diag.WarnAt(pp.file, k.Line, k.Col, "unknown key %q in source table %q", key, name))
		}
	}
	return t
}

// description reads a description, replacing its `{{ doc("name") }}`
// calls with the docs blocks they name.
func (pp *propsParser) description(v *yamltree.Node) string {
	desc, unknown := resolveDocs(v.String(), pp.props.Docs)
	for _, name := range unknown {
		pp.errorf(v, "%s", unknownDocMessage(name, pp.props.Docs))
	}
	return desc
}

func (pp *propsParser) settings(n *yamltree.Node) []Setting {
	if n.Kind == yamltree.Null {
		return nil
	}
	if n.Kind != yamltree.Map {
		pp.errorf(n, "config must be a mapping")
		return nil
	}
	out := make([]Setting, 0, len(n.Keys))
	for i, k := range n.Keys {
		out = append(out, Setting{Key: normalizeKey(k.String()), Value: n.Values[i].Interface(), Pos: pp.pos(k)})
	}
	return out
}

// tests reads a list of test entries: `unique`, `{accepted_values: {...}}`,
// or dbt 1.10's `{accepted_values: {arguments: {...}, config: {...}}}`.
func (pp *propsParser) tests(key string, n *yamltree.Node) []*TestSpec {
	var out []*TestSpec
	for _, item := range pp.list(key, n) {
		switch item.Kind {
		case yamltree.Scalar:
			out = append(out, &TestSpec{Name: item.String(), Pos: pp.pos(item)})
		case yamltree.Map:
			if len(item.Keys) != 1 {
				pp.errorf(item, "a test must be a name or a mapping of one test name to its arguments")
				continue
			}
			t := &TestSpec{Name: item.Keys[0].String(), Args: map[string]any{}, Pos: pp.pos(item.Keys[0])}
			pp.testArgs(t, item.Values[0])
			out = append(out, t)
		default:
			pp.errorf(item, "a test must be a name or a mapping, not %s", item.Kind)
		}
	}
	return out
}

func (pp *propsParser) testArgs(t *TestSpec, args *yamltree.Node) {
	switch args.Kind {
	case yamltree.Null:
		return
	case yamltree.Map:
	default:
		pp.errorf(args, "the arguments of test %q must be a mapping, not %s", t.Name, args.Kind)
		return
	}
	for i, k := range args.Keys {
		v := args.Values[i]
		switch key := k.String(); key {
		case "config":
			t.Config = append(t.Config, pp.settings(v)...)
		case "arguments":
			if v.Kind != yamltree.Map {
				pp.errorf(v, "arguments of test %q must be a mapping", t.Name)
				continue
			}
			for j, ak := range v.Keys {
				t.Args[ak.String()] = v.Values[j].Interface()
			}
		case "severity", "where", "limit", "warn_if", "error_if", "tags", "enabled", "store_failures":
			t.Config = append(t.Config, Setting{Key: key, Value: v.Interface(), Pos: pp.pos(k)})
		case "name":
			t.Args["__name"] = v.String()
		default:
			t.Args[key] = v.Interface()
		}
	}
}
