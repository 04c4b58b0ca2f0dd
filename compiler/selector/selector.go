// Package selector owns dbt's node selection: it turns --select and
// --exclude expressions into the list of selected node IDs, in dependency
// order.
package selector

import (
	"strconv"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
)

// Select returns the IDs of the nodes the expressions select, in
// dependency order. No --select means every node. Each expression holds
// space-separated terms (a union); --exclude removes its nodes.
func Select(m *manifest.Manifest, include, exclude []string) ([]string, diag.List) {
	var ds diag.List
	g := m.Graph()
	selected := make([]bool, g.Len())
	if len(include) == 0 {
		for i := range selected {
			selected[i] = true
		}
	} else {
		for _, expr := range include {
			for _, term := range strings.Fields(expr) {
				union(selected, resolveTerm(m, term, &ds))
			}
		}
	}
	for _, expr := range exclude {
		for _, term := range strings.Fields(expr) {
			for i, hit := range resolveTerm(m, term, &ds) {
				if hit {
					selected[i] = false
				}
			}
		}
	}
	var out []string
	for _, n := range m.Nodes {
		if i, ok := g.Index(n.ID); ok && selected[i] && n.Kind != manifest.Source {
			out = append(out, n.ID)
		}
	}
	return out, ds
}

func union(dst, src []bool) {
	for i, v := range src {
		if v {
			dst[i] = true
		}
	}
}

// resolveTerm marks the nodes one term selects: `name`, with optional
// graph operators `+name`, `name+`, `N+name`, `name+N`.
func resolveTerm(m *manifest.Manifest, term string, ds *diag.List) []bool {
	g := m.Graph()
	set := make([]bool, g.Len())
	name, up, down := parseGraphOps(term)
	var starts []int
	for _, n := range m.Nodes {
		if n.Name == name {
			if i, ok := g.Index(n.ID); ok {
				starts = append(starts, i)
			}
		}
	}
	if len(starts) == 0 {
		ds.Add(diag.WarnAt("", 0, 0, "the selection term %q matches no node", term))
		return set
	}
	for _, i := range starts {
		set[i] = true
	}
	if up != 0 {
		g.MarkAncestors(set, starts, up)
	}
	if down != 0 {
		g.MarkDescendants(set, starts, down)
	}
	return set
}

// parseGraphOps splits `2+name+` into the name and the ancestor and
// descendant depths (-1 unlimited, 0 none).
func parseGraphOps(term string) (name string, up, down int) {
	name = term
	if i := strings.IndexByte(name, '+'); i >= 0 && i < len(name)-1 {
		prefix := name[:i]
		if prefix == "" {
			up = -1
		} else if n, err := strconv.Atoi(prefix); err == nil {
			up = n
		}
		if up != 0 {
			name = name[i+1:]
		}
	}
	if i := strings.LastIndexByte(name, '+'); i >= 0 {
		suffix := name[i+1:]
		if suffix == "" {
			down = -1
			name = name[:i]
		} else if n, err := strconv.Atoi(suffix); err == nil {
			down = n
			name = name[:i]
		}
	}
	return name, up, down
}
