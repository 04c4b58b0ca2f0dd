package compiler

import (
	"sort"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
	"martlet/compiler/template"
)

// renderAll renders every model on all cores: its SQL, its SQL with
// is_incremental() true when the template asks, and its hooks.
func (c *compilation) renderAll() {
	var models []*manifest.Node
	files := map[string]project.File{}
	for _, f := range c.project.Files.Models {
		if n := c.nodes["model."+c.project.Name+"."+f.Stem()]; n != nil && n.Path == f.Path {
			models = append(models, n)
			files[n.ID] = f
		}
	}
	for id, f := range c.snapshotFiles {
		models = append(models, c.nodes[id])
		files[id] = f
	}
	parallel(models, func(n *manifest.Node) {
		c.renderModel(n, files[n.ID])
	})
}

func (c *compilation) renderModel(n *manifest.Node, f project.File) {
	tmpl, ds := c.env.Parse(n.Path, n.RawSQL)
	if len(ds) > 0 {
		for _, d := range ds {
			c.addDiag(d)
		}
		return
	}
	r := &nodeResolver{c: c, node: n, deps: map[string]bool{}, configAllowed: true}
	out, d := c.env.Render(tmpl, r)
	if d != nil {
		c.addDiag(d)
		return
	}
	props := c.project.Props.Resources[n.Name]
	if n.Kind == manifest.Snapshot {
		n.Config = c.resolveConfig(c.project.Snapshots.SettingsFor(append(f.Parts()[:len(f.Parts())-1], n.Name)), props, r.settings)
		c.finishSnapshotConfig(n)
	} else {
		n.Config = c.resolveConfig(c.project.Models.SettingsFor(f.Parts()), props, r.settings)
		if n.Config.Materialized == "" {
			n.Config.Materialized = "view"
		}
		n.Relation = c.relation(n)
	}
	if n.Ephemeral() {
		n.Relation = manifest.Relation{}
	}
	rn := &renderedNode{sql: out.SQL, deps: r.deps}
	n.MacrosUsed, n.VarsUsed = out.MacrosUsed, out.VarsUsed
	if n.Config.Materialized == "incremental" && r.calledIsIncr {
		ri := &nodeResolver{c: c, node: n, deps: rn.deps, incremental: true, configAllowed: true}
		if outIncr, d := c.env.Render(tmpl, ri); d != nil {
			c.addDiag(d)
		} else {
			rn.incrementalSQL = outIncr.SQL
		}
	}
	rn.preHook = c.renderHooks(n, "pre_hook", n.Config.PreHook, rn.deps)
	rn.postHook = c.renderHooks(n, "post_hook", n.Config.PostHook, rn.deps)
	n.DependsOn = sortedIDs(rn.deps)
	applyColumnProps(n, props)
	c.mu.Lock()
	c.rendered[n.ID] = rn
	c.mu.Unlock()
}

// renderHooks renders a node's hooks, where secrets may be read. Refs in
// hooks become dependencies of the node.
func (c *compilation) renderHooks(n *manifest.Node, key string, hooks []string, deps map[string]bool) []string {
	out := make([]string, 0, len(hooks))
	for _, h := range hooks {
		r := &nodeResolver{c: c, node: n, deps: deps, allowSecrets: true}
		sql, d := c.env.RenderString(n.Path, h, r)
		if d != nil {
			d.Msg = key + ": " + d.Msg
			c.addDiag(d)
			continue
		}
		out = append(out, sql)
	}
	return out
}

// renderProjectHooks renders on-run-start and on-run-end.
func (c *compilation) renderProjectHooks(key string, hooks []string) []string {
	var out []string
	for _, h := range hooks {
		n := &manifest.Node{ID: "hook." + key, Name: key, Path: c.project.File}
		r := &nodeResolver{c: c, node: n, deps: map[string]bool{}, allowSecrets: true}
		sql, d := c.env.RenderString(c.project.File, h, r)
		if d != nil {
			d.Msg = key + ": " + d.Msg
			c.ds.Add(d)
			continue
		}
		sql, _ = c.substitute(sql)
		out = append(out, sql)
	}
	return out
}

// renderSingularTests renders tests/**/*.sql into test nodes.
func (c *compilation) renderSingularTests() {
	for _, f := range c.project.Files.Tests {
		if template.HasTestBlocks(string(f.Data)) {
			continue
		}
		name := f.Stem()
		n := &manifest.Node{
			ID: "test." + c.project.Name + "." + name, Name: name, Kind: manifest.Test,
			Path: f.Path, Pos: project.Pos{File: f.Path}, RawSQL: string(f.Data),
			CompiledPath: c.project.Paths.Target + "/compiled/tests/" + f.Rel,
			Test:         &manifest.TestInfo{Name: "singular"},
		}
		if prev := c.nodes[n.ID]; prev != nil {
			c.ds.Add(diag.At(f.Path, 0, 0, "duplicate test name %q: %s and %s both define it", name, prev.Path, f.Path))
			continue
		}
		tmpl, ds := c.env.Parse(f.Path, n.RawSQL)
		if len(ds) > 0 {
			c.ds = append(c.ds, ds...)
			continue
		}
		r := &nodeResolver{c: c, node: n, deps: map[string]bool{}, configAllowed: true}
		out, d := c.env.Render(tmpl, r)
		if d != nil {
			c.ds.Add(d)
			continue
		}
		n.Config = c.resolveConfig(c.project.Tests.SettingsFor(f.Parts()), nil, r.settings)
		n.Config.Materialized = "test"
		n.DependsOn = sortedIDs(r.deps)
		n.MacrosUsed, n.VarsUsed = out.MacrosUsed, out.VarsUsed
		if len(n.DependsOn) == 1 {
			n.Test.Attached = n.DependsOn[0]
		}
		c.nodes[n.ID] = n
		c.rendered[n.ID] = &renderedNode{sql: out.SQL, deps: r.deps}
	}
}

func sortedIDs(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
