package compiler

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// declareTests adds singular tests and the generic tests of every model,
// seed and source in the properties files.
func (c *compilation) declareTests() {
	c.renderSingularTests()
	for _, n := range c.allNodes() {
		switch n.Kind {
		case manifest.Model, manifest.Seed, manifest.Snapshot:
			props := c.project.Props.Resources[n.Name]
			if props == nil {
				continue
			}
			for _, t := range props.Tests {
				c.genericTest(n, "", t)
			}
			for _, col := range props.Columns {
				for _, t := range col.Tests {
					c.genericTest(n, col.Name, t)
				}
			}
		}
	}
	for _, s := range c.project.Props.Sources {
		for _, t := range s.Tables {
			n := c.nodes[sourceID(c.project.Name, s.Name, t.Name)]
			if n == nil {
				continue
			}
			for _, spec := range t.Tests {
				c.genericTest(n, "", spec)
			}
			for _, col := range t.Columns {
				for _, spec := range col.Tests {
					c.genericTest(n, col.Name, spec)
				}
			}
		}
	}
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// testName follows dbt's naming of generic tests: the test and model
// names, then every argument value (the column first, arguments in name
// order) joined by "__"; a name of 64 characters or more becomes its first
// 30 characters and the MD5 of the whole, as dbt does.
func testName(test, model, column string, args map[string]any) string {
	all := map[string]any{}
	for k, v := range args {
		all[k] = v
	}
	if column != "" {
		all["column_name"] = column
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var flat []string
	str := func(v any) string {
		if b, ok := v.(bool); ok {
			return map[bool]string{true: "True", false: "False"}[b]
		}
		return fmt.Sprint(v)
	}
	for _, k := range keys {
		switch v := all[k].(type) {
		case []any:
			for _, part := range v {
				flat = append(flat, str(part))
			}
		case map[string]any:
			inner := make([]string, 0, len(v))
			for ik := range v {
				inner = append(inner, ik)
			}
			sort.Strings(inner)
			for _, ik := range inner {
				flat = append(flat, str(v[ik]))
			}
		default:
			flat = append(flat, str(v))
		}
	}
	for i, f := range flat {
		flat[i] = nonWord.ReplaceAllString(f, "_")
	}
	identifier := test + "_" + model
	full := identifier + "_" + strings.Join(flat, "__")
	if len(full) >= 64 {
		sum := md5.Sum([]byte(full))
		return identifier[:min(30, len(identifier))] + "_" + hex.EncodeToString(sum[:])
	}
	return full
}

// testArgs returns a test's arguments without the name a user gave it.
func testArgs(specArgs map[string]any) map[string]any {
	args := make(map[string]any, len(specArgs))
	for k, v := range specArgs {
		if k != "__name" {
			args[k] = v
		}
	}
	return args
}

// genericTest compiles one generic test on node n (and column).
func (c *compilation) genericTest(n *manifest.Node, column string, spec *project.TestSpec) {
	name := testName(spec.Name, strings.ReplaceAll(n.Name, ".", "_"), column, testArgs(spec.Args))
	if custom, ok := spec.Args["__name"].(string); ok && custom != "" {
		name = custom
	}
	id := "test." + c.project.Name + "." + name
	if c.nodes[id] != nil {
		for i := 2; c.nodes[id] != nil; i++ {
			id = fmt.Sprintf("test.%s.%s_%d", c.project.Name, name, i)
		}
	}
	args := testArgs(spec.Args)
	t := &manifest.Node{
		ID: id, Name: strings.TrimPrefix(id, "test."+c.project.Name+"."), Kind: manifest.Test,
		Path: spec.Pos.File, Pos: spec.Pos,
		CompiledPath: c.project.Paths.Target + "/compiled/tests/" + strings.TrimPrefix(id, "test."+c.project.Name+".") + ".sql",
		Test:         &manifest.TestInfo{Name: spec.Name, Attached: n.ID, Column: column, Args: args},
	}
	t.Config = c.resolveConfig(c.project.Tests.SettingsFor(nil), nil, spec.Config)
	t.Config.Materialized = "test"
	deps := map[string]bool{n.ID: true}
	rel := placeholder(n.ID)
	if where, ok := t.Config.Other["where"].(string); ok && where != "" {
		rel = fmt.Sprintf("(select * from %s where %s) as dbt_subquery", rel, where)
	}
	sql, err := c.genericTestSQL(t, spec, rel, column, deps)
	if err != nil {
		c.ds.Add(diag.At(spec.Pos.File, spec.Pos.Line, spec.Pos.Col, "%s test: %v", spec.Name, err))
		return
	}
	t.RawSQL = sql
	t.DependsOn = sortedIDs(deps)
	c.nodes[id] = t
	c.rendered[id] = &renderedNode{sql: sql, deps: deps}
}

func (c *compilation) genericTestSQL(t *manifest.Node, spec *project.TestSpec, rel, column string, deps map[string]bool) (string, error) {
	needColumn := func() error {
		if column == "" {
			if col, ok := spec.Args["column_name"].(string); ok {
				column = col
				return nil
			}
			return fmt.Errorf("needs a column: put it under a column's tests, or give column_name")
		}
		return nil
	}
	switch spec.Name {
	case "not_null":
		if err := needColumn(); err != nil {
			return "", err
		}
		return fmt.Sprintf("select %s\nfrom %s\nwhere %s is null", column, rel, column), nil
	case "unique":
		if err := needColumn(); err != nil {
			return "", err
		}
		return fmt.Sprintf("select %s as unique_field, count(*) as n_records\nfrom %s\nwhere %s is not null\ngroup by %s\nhaving count(*) > 1", column, rel, column, column), nil
	case "accepted_values":
		if err := needColumn(); err != nil {
			return "", err
		}
		values, ok := spec.Args["values"].([]any)
		if !ok || len(values) == 0 {
			return "", fmt.Errorf("needs values: a non-empty list of the accepted values")
		}
		quote := true
		if q, ok := spec.Args["quote"].(bool); ok {
			quote = q
		}
		lits := make([]string, len(values))
		for i, v := range values {
			lits[i] = quoteLiteral(v, quote)
		}
		return fmt.Sprintf("with all_values as (\n  select %s as value_field, count(*) as n_records\n  from %s\n  group by %s\n)\nselect *\nfrom all_values\nwhere value_field not in (%s)", column, rel, column, strings.Join(lits, ", ")), nil
	case "relationships":
		if err := needColumn(); err != nil {
			return "", err
		}
		to, _ := spec.Args["to"].(string)
		field, _ := spec.Args["field"].(string)
		if to == "" || field == "" {
			return "", fmt.Errorf(`needs to: (e.g. ref("customers")) and field: (the column there)`)
		}
		parent, err := c.renderRelationArg(t, to, deps)
		if err != nil {
			return "", fmt.Errorf("to: %v", err)
		}
		return fmt.Sprintf("select child.%s as from_field\nfrom %s as child\nleft join %s as parent on child.%s = parent.%s\nwhere child.%s is not null and parent.%s is null", column, rel, parent, column, field, column, field), nil
	}
	if c.env.HasGenericTest(spec.Name) {
		args := map[string]any{"model": rel}
		if column != "" {
			args["column_name"] = column
		}
		for k, v := range spec.Args {
			if k != "__name" {
				args[k] = v
			}
		}
		sql, d := c.env.RenderGenericTest(spec.Name, args, &nodeResolver{c: c, node: t, deps: deps})
		if d != nil {
			return "", fmt.Errorf("%s", d.Error())
		}
		return sql, nil
	}
	known := append([]string{"unique", "not_null", "accepted_values", "relationships"}, c.env.GenericTests()...)
	msg := fmt.Sprintf("unknown generic test %q", spec.Name)
	if s := diag.Suggest(spec.Name, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return "", fmt.Errorf("%s; define it with {%% test %s(model, column_name) %%} in macros/ or tests/generic/", msg, spec.Name)
}

// relationCall matches the common test arguments `ref('x')` and
// `source('s', 't')`, which are resolved without a template render.
var relationCall = regexp.MustCompile(`^\s*(ref|source)\(\s*(?:'([^']*)'|"([^"]*)")\s*(?:,\s*(?:'([^']*)'|"([^"]*)")\s*)?\)\s*$`)

// renderRelationArg renders a test argument such as `ref("customers")`
// or `source("raw", "events")`, recording the dependency.
func (c *compilation) renderRelationArg(t *manifest.Node, expr string, deps map[string]bool) (string, error) {
	r := &nodeResolver{c: c, node: t, deps: deps}
	if m := relationCall.FindStringSubmatch(expr); m != nil {
		first, second := m[2]+m[3], m[4]+m[5]
		var rel any
		var err error
		switch {
		case m[1] == "source" && second != "":
			rel, err = r.Source(first, second)
		case m[1] == "ref" && second != "":
			rel, err = r.Ref([]string{first, second})
		case m[1] == "ref":
			rel, err = r.Ref([]string{first})
		default:
			return "", fmt.Errorf("source() takes a source name and a table name")
		}
		if err != nil {
			return "", err
		}
		return fmt.Sprint(rel), nil
	}
	out, d := c.env.RenderString(t.Path, "{{ "+expr+" }}", r)
	if d != nil {
		return "", fmt.Errorf("%s", d.Msg)
	}
	return out, nil
}
