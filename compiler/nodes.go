package compiler

import (
	"bytes"
	"encoding/csv"
	"path"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/jinja"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// declareSources adds a node for every declared source table.
func (c *compilation) declareSources() {
	for _, s := range c.project.Props.Sources {
		for _, t := range s.Tables {
			id := sourceID(c.project.Name, s.Name, t.Name)
			if prev := c.nodes[id]; prev != nil {
				c.ds.Add(diag.At(t.Pos.File, t.Pos.Line, t.Pos.Col, "source %s.%s is declared twice (also at %s:%d)", s.Name, t.Name, prev.Pos.File, prev.Pos.Line))
				continue
			}
			desc := t.Description
			if desc == "" {
				desc = s.Description
			}
			n := &manifest.Node{
				ID: id, Name: s.Name + "." + t.Name, Kind: manifest.Source, Path: t.Pos.File, Pos: t.Pos,
				Config: project.NewConfig(), Relation: manifest.Relation{Database: s.Database, Schema: s.Schema, Name: t.Identifier},
				Description: desc, Columns: columnsFromProps(t.Columns), DependsOn: []string{},
			}
			c.nodes[id] = n
			c.sources[id] = n
		}
	}
}

// declareSeeds adds a node for every seed CSV, with columns from its
// header.
func (c *compilation) declareSeeds() {
	for _, f := range c.project.Files.Seeds {
		name := f.Stem()
		n := &manifest.Node{
			ID: "seed." + c.project.Name + "." + name, Name: name, Kind: manifest.Seed,
			Path: f.Path, Pos: project.Pos{File: f.Path}, SeedPath: f.Path, DependsOn: []string{},
		}
		if !c.claimName(n) {
			continue
		}
		props := c.project.Props.Resources[name]
		n.Config = c.resolveConfig(c.project.Seeds.SettingsFor(f.Parts()), props, nil)
		n.Config.Materialized = "seed"
		n.Relation = c.relation(n)
		header, err := csv.NewReader(bytes.NewReader(f.Data)).Read()
		if err != nil && len(f.Data) > 0 {
			c.ds.Add(diag.At(f.Path, 1, 0, "cannot read the CSV header: %v", err))
		}
		for _, col := range header {
			n.Columns = append(n.Columns, manifest.Column{Name: col, DataType: n.Config.ColumnTypes[col]})
		}
		applyColumnProps(n, props)
		c.nodes[n.ID] = n
	}
}

// declareModels adds a node for every model file.
func (c *compilation) declareModels() {
	for _, f := range c.project.Files.Models {
		name := f.Stem()
		n := &manifest.Node{
			ID: "model." + c.project.Name + "." + name, Name: name, Kind: manifest.Model,
			Path: f.Path, Pos: project.Pos{File: f.Path}, RawSQL: string(f.Data),
			CompiledPath: path.Join(c.project.Paths.Target, "compiled", f.Rel),
		}
		if !c.claimName(n) {
			continue
		}
		n.Config = project.NewConfig()
		n.Relation = c.relation(n)
		c.nodes[n.ID] = n
	}
}

// claimName registers a model or seed name for ref(); a second node of the
// same name is an error naming both files.
func (c *compilation) claimName(n *manifest.Node) bool {
	if prev, dup := c.refNames[n.Name]; dup {
		other := c.nodes[prev]
		c.ds.Add(diag.At(n.Path, 0, 0, "duplicate name %q: %s and %s both define it", n.Name, other.Path, n.Path))
		return false
	}
	c.refNames[n.Name] = n.ID
	return true
}

// checkProperties reports properties that name no model or seed.
func (c *compilation) checkProperties() {
	for name, props := range c.project.Props.Resources {
		if _, ok := c.refNames[name]; !ok {
			msg := "properties for %q, but there is no model or seed of that name"
			if s := diag.Suggest(name, c.refCandidates()); s != "" {
				msg += " (did you mean \"" + s + "\"?)"
			}
			c.ds.Add(diag.WarnAt(props.Pos.File, props.Pos.Line, props.Pos.Col, msg, name))
		}
	}
}

// configLayers are a node's configuration settings in precedence order:
// the project file's folder settings, the properties file, its own
// config() calls.
func configLayers(folder []project.Setting, props *project.ResourceProps, own []project.Setting) [][]project.Setting {
	layers := [][]project.Setting{folder}
	if props != nil {
		layers = append(layers, props.Config)
	}
	return append(layers, own)
}

// defaultMaterialized is a model's materialization when nothing sets one.
const defaultMaterialized = "view"

// resolveConfig applies the configuration layers in precedence order and
// reports bad settings at their place.
func (c *compilation) resolveConfig(folder []project.Setting, props *project.ResourceProps, own []project.Setting) project.Config {
	cfg := project.NewConfig()
	for _, layer := range configLayers(folder, props, own) {
		for _, s := range layer {
			if err := cfg.Apply(s.Key, s.Value); err != nil {
				if _, unknown := err.(*project.ErrUnknownKey); unknown {
					c.addDiag(diag.WarnAt(s.Pos.File, s.Pos.Line, s.Pos.Col, "%v", err))
				} else {
					c.addDiag(diag.At(s.Pos.File, s.Pos.Line, s.Pos.Col, "%s: %v", s.Key, err))
				}
			} else if what, unapplied := project.Unapplied(s.Key); unapplied {
				c.addDiag(diag.WarnAt(s.Pos.File, s.Pos.Line, s.Pos.Col, "config %s is not applied by martlet: %s", s.Key, what))
			}
		}
	}
	return cfg
}

// relation places a node in the target: in the schema schemaFor decides,
// under its alias or its name.
func (c *compilation) relation(n *manifest.Node) manifest.Relation {
	return relationIn(c.schemaFor(n), n)
}

// relationIn places a node in schema, under its alias or its name.
func relationIn(schema string, n *manifest.Node) manifest.Relation {
	r := manifest.Relation{Schema: schema, Name: n.Name}
	if n.Config.Alias != "" {
		r.Name = n.Config.Alias
	}
	return r
}

// schemaFor is the schema of a node, decided as dbt's generate_schema_name
// does: by the project's own generate_schema_name macro when it has one
// (called with the custom schema, or none, and the node); otherwise the
// target's schema for a node without a schema config, and for one with
// it, that schema exactly in a martlet.yml project (as the contract says)
// or dbt's "<target schema>_<custom schema>" in a dbt_project.yml one.
func (c *compilation) schemaFor(n *manifest.Node) string {
	custom := n.Config.Schema
	if c.env.HasMacro("generate_schema_name") {
		var customArg any = jinja.None
		if custom != "" {
			customArg = custom
		}
		node := map[string]any{
			"name": n.Name, "unique_id": n.ID, "resource_type": string(n.Kind),
			"path": n.Path, "original_file_path": n.Path, "package_name": c.project.Name,
			"config": map[string]any{"materialized": n.Config.Materialized, "schema": custom, "tags": n.Config.Tags},
		}
		r := &nodeResolver{c: c, node: n, deps: map[string]bool{}}
		out, d := c.env.CallMacro("generate_schema_name", "generate_schema_name", map[string]any{"custom_schema_name": customArg, "node": node}, r)
		if d != nil {
			c.addDiag(d)
			return c.target.Schema
		}
		if s := strings.TrimSpace(out); s != "" {
			return s
		}
		c.addDiag(diag.At(n.Path, n.Pos.Line, n.Pos.Col, "generate_schema_name returned an empty schema for %s", n.Name))
		return c.target.Schema
	}
	switch {
	case custom == "":
		return c.target.Schema
	case c.project.File == project.DbtFileName:
		return c.target.Schema + "_" + custom
	default:
		return custom
	}
}

func columnsFromProps(cols []*project.ColumnProps) []manifest.Column {
	out := make([]manifest.Column, 0, len(cols))
	for _, c := range cols {
		out = append(out, manifest.Column{Name: c.Name, Description: c.Description, DataType: c.DataType})
	}
	return out
}

// applyColumnProps adds descriptions and types from properties to the
// node's columns, appending documented columns it does not know yet.
func applyColumnProps(n *manifest.Node, props *project.ResourceProps) {
	if props == nil {
		return
	}
	n.Description = props.Description
	for _, cp := range props.Columns {
		if col := n.Column(cp.Name); col != nil {
			col.Description, col.Declared = cp.Description, true
			if cp.DataType != "" {
				col.DataType = cp.DataType
			}
			continue
		}
		n.Columns = append(n.Columns, manifest.Column{Name: cp.Name, Description: cp.Description, DataType: cp.DataType, Declared: true})
	}
}
