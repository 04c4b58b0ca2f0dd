package compiler

import (
	"sort"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/partialparse"
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
	var key *partialparse.Key
	if c.renderEnvKey != "" && n.Kind == manifest.Model {
		k := partialparse.RenderKey(c.renderEnvKey, n.ID, n.Path, n.RawSQL)
		key = &k
	}
	base := configBase{folder: c.project.Models.SettingsFor(f.Parts()), props: c.project.Props.Resources[n.Name]}
	if n.Kind == manifest.Snapshot {
		base.folder = c.project.Snapshots.SettingsFor(append(f.Parts()[:len(f.Parts())-1], n.Name))
	}
	var tmpl *template.Template
	out := c.cachedRender(key)
	if out == nil {
		if tmpl, out = c.renderTemplate(n, base, false, nil); out == nil {
			return
		}
	}
	n.Config = c.resolveConfig(base.folder, base.props, out.Settings)
	if n.Kind == manifest.Snapshot {
		c.finishSnapshotConfig(n)
	} else {
		if n.Config.Materialized == "" {
			n.Config.Materialized = defaultMaterialized
		}
		n.Relation = c.relation(n)
	}
	if n.Ephemeral() {
		n.Relation = manifest.Relation{}
	}
	rn := &renderedNode{sql: out.SQL, deps: setOf(out.Deps)}
	n.MacrosUsed, n.VarsUsed = out.MacrosUsed, out.VarsUsed
	if n.Config.Materialized == "incremental" && out.CalledIsIncremental {
		if out.Incremental == nil {
			tmpl, out.Incremental = c.renderTemplate(n, base, true, tmpl)
		}
		if out.Incremental != nil {
			rn.incrementalSQL = out.Incremental.SQL
			for _, id := range out.Incremental.Deps {
				rn.deps[id] = true
			}
		}
	}
	if key != nil && tmpl != nil && cacheable(out) {
		c.readyCache().AddRender(*key, out)
	}
	rn.preHook = c.renderHooks(n, "pre_hook", n.Config.PreHook, rn.deps)
	rn.postHook = c.renderHooks(n, "post_hook", n.Config.PostHook, rn.deps)
	n.DependsOn = sortedIDs(rn.deps)
	applyColumnProps(n, base.props)
	c.mu.Lock()
	c.rendered[n.ID] = rn
	c.mu.Unlock()
}

// configBase is the configuration a node's render starts from: its
// project-file settings and its properties.
type configBase struct {
	folder []project.Setting
	props  *project.ResourceProps
}

// renderTemplate renders a node's template (parsing it when tmpl is nil),
// with is_incremental() answering incremental, and returns the template
// (nil if it does not parse) and the render, or a nil render after
// reporting its errors.
func (c *compilation) renderTemplate(n *manifest.Node, base configBase, incremental bool, tmpl *template.Template) (*template.Template, *partialparse.Render) {
	if tmpl == nil {
		var ds diag.List
		if tmpl, ds = c.env.Parse(n.Path, n.RawSQL); len(ds) > 0 {
			for _, d := range ds {
				c.addDiag(d)
			}
			return nil, nil
		}
	}
	r := &nodeResolver{c: c, node: n, deps: map[string]bool{}, refs: map[string]string{}, incremental: incremental, configAllowed: true,
		base: base}
	out, d := c.env.Render(tmpl, r)
	if d != nil {
		c.addDiag(d)
		return tmpl, nil
	}
	return tmpl, &partialparse.Render{
		SQL: out.SQL, Deps: sortedIDs(r.deps), CalledIsIncremental: r.calledIsIncr,
		MacrosUsed: out.MacrosUsed, VarsUsed: out.VarsUsed, Settings: r.settings,
		Refs: r.refs, EnvReads: out.EnvReads, Volatile: out.Volatile,
	}
}

// cachedRender returns the render the partial-parse cache keeps under key
// if what it read from outside its key is unchanged: its refs name the
// same models, its sources are declared, its environment variables have
// the same values. The render returned is a copy the caller may change.
func (c *compilation) cachedRender(key *partialparse.Key) *partialparse.Render {
	if key == nil {
		return nil
	}
	cached, ok := c.readyCache().Render(*key)
	if !ok {
		return nil
	}
	renders := []*partialparse.Render{cached}
	if cached.Incremental != nil {
		renders = append(renders, cached.Incremental)
	}
	for _, r := range renders {
		if !c.env.EnvUnchanged(r.EnvReads) {
			return nil
		}
		refIDs := map[string]bool{}
		for name, id := range r.Refs {
			if c.refNames[name] != id {
				return nil
			}
			refIDs[id] = true
		}
		for _, id := range r.Deps {
			if _, isSource := c.sources[id]; !isSource && !refIDs[id] {
				return nil
			}
		}
	}
	out := *cached
	return &out
}

// cacheable reports whether a fresh render may be kept for the next
// compile: it read nothing that differs per invocation, and its config()
// settings are plain data.
func cacheable(r *partialparse.Render) bool {
	if r.Volatile || r.Incremental != nil && r.Incremental.Volatile {
		return false
	}
	for _, s := range r.Settings {
		if !partialparse.Plain(s.Value) {
			return false
		}
	}
	return true
}

// setOf returns the set of ids.
func setOf(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
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
