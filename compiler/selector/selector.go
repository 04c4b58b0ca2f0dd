// Package selector owns dbt's node selection: it turns --select and
// --exclude expressions into the list of selected node IDs, in dependency
// order.
//
// Each expression holds space-separated terms, whose union it selects;
// repeating --select adds to the union. A term is one or more criteria
// joined by commas, whose intersection it selects. A criterion is
//
//	[@][N+][method[.arg]:]value[+N]
//
// where `+` before the value adds all ancestors (`N+` those at most N
// edges away), `+` after it all descendants, and `@` the descendants and
// every ancestor of those. Methods: fqn (the default: a node name, a
// source's source_name.table, or a dotted fqn prefix such as shop.marts),
// tag, path (a file or folder relative to the project root; a value with a
// slash defaults to it), file (a file name; a value ending in .sql, .py or
// .csv defaults to it), package, config.<key>, resource_type, source,
// test_type, test_name and state (new, old, modified, modified.body,
// modified.configs, unmodified; needs Options.State). Names and values
// may hold shell wildcards (`stg_*`, `tag:nightly*`).
//
// Tests follow the nodes they test by dbt's indirect selection, whose mode
// is Options.IndirectSelection (--indirect-selection). For each criterion,
// a test that depends directly on a node the criterion selects is selected
// too: in the default "eager" mode always, even when the test also depends
// on nodes that are not selected; in "cautious" mode only when every node
// it depends on is selected; in "buildable" mode when every node it
// depends on is selected, an ancestor of a selected node, or a source; in
// "empty" mode never. In cautious and buildable mode the union of the
// terms then takes in, by the same rule, the tests whose nodes several
// terms select together (`-s "orders customers"` selects a relationships
// test between the two). Tests that a criterion matches itself, or that a
// graph operator reaches (`orders+1`), are selected in every mode.
// --exclude builds its set in the same way and mode, so excluding a model
// excludes the tests that the mode would select with it, and an excluded
// test stays excluded. Source nodes can be selected (so that
// `source_name.table+` selects what reads the source) but are never in the
// result, as they are never executed.
package selector

import (
	"strings"

	"martlet/compiler/dag"
	"martlet/compiler/diag"
	"martlet/compiler/manifest"
)

// Options are the inputs of a selection beyond its expressions.
type Options struct {
	// State is the manifest of --state DIR, for the state method; nil when
	// there is none.
	State *manifest.Manifest
	// ResourceTypes keeps only the selected nodes of these kinds
	// (--resource-type); empty keeps every kind.
	ResourceTypes []manifest.Kind
	// IndirectSelection is the mode of indirect test selection
	// (--indirect-selection); "" is IndirectEager.
	IndirectSelection IndirectSelection
}

// Select returns the IDs of the nodes the expressions select, in
// dependency order. No --select means every node; --exclude removes its
// nodes. It is SelectWith without options.
func Select(m *manifest.Manifest, include, exclude []string) ([]string, diag.List) {
	return SelectWith(m, include, exclude, Options{})
}

// SelectWith returns the IDs of the nodes the include expressions select,
// less those the exclude expressions select, in dependency order, without
// source nodes. Malformed terms, unknown methods, state selection without
// opts.State and an unknown opts.IndirectSelection are error diagnostics,
// and then no IDs are returned; a term that matches no node is a warning.
func SelectWith(m *manifest.Manifest, include, exclude []string, opts Options) ([]string, diag.List) {
	if m == nil {
		return nil, nil
	}
	s := newSelection(m, opts)
	inc := s.parse(include)
	exc := s.parse(exclude)
	if s.ds.HasErrors() {
		return nil, s.ds
	}
	var selected []bool
	if len(inc) == 0 {
		selected = make([]bool, s.g.Len())
		for i := range selected {
			selected[i] = true
		}
	} else {
		selected = s.union(inc)
	}
	if len(exc) > 0 {
		for i, in := range s.union(exc) {
			selected[i] = selected[i] && !in
		}
	}
	return s.result(selected), s.ds
}

// selection is the state of one SelectWith call. Node sets are []bool
// indexed by graph index.
type selection struct {
	m    *manifest.Manifest
	g    *dag.Graph
	opts Options
	mode IndirectSelection
	// nodes holds the manifest node at each graph index (nil if none), and
	// index the graph index of each of m.Nodes (-1 if none).
	nodes []*manifest.Node
	index []int
	// scratch, starts and ancestors are reused buffers.
	scratch   []bool
	starts    []int
	ancestors []bool
	ds        diag.List
	warned    map[string]bool
}

func newSelection(m *manifest.Manifest, opts Options) *selection {
	g := m.Graph()
	if g == nil {
		g = dag.New()
		for _, n := range m.Nodes {
			g.AddNode(n.ID)
		}
		for _, n := range m.Nodes {
			for _, p := range n.DependsOn {
				g.AddEdge(p, n.ID)
			}
		}
	}
	s := &selection{m: m, g: g, opts: opts, nodes: make([]*manifest.Node, g.Len()),
		index: make([]int, len(m.Nodes)), warned: map[string]bool{}}
	mode, err := ParseIndirectSelection(string(opts.IndirectSelection))
	if err != nil {
		s.report(diag.At("", 0, 0, "indirect selection: %v", err))
	}
	s.mode = mode
	for k, n := range m.Nodes {
		i, ok := k, k < g.Len() && g.ID(k) == n.ID
		if !ok {
			// The graph was built in another order than the node list.
			i, ok = g.Index(n.ID)
		}
		if !ok {
			s.index[k] = -1
			continue
		}
		s.index[k] = i
		s.nodes[i] = n
	}
	return s
}

// report adds a diagnostic once, however often its term is repeated.
func (s *selection) report(d *diag.Diagnostic) {
	if !s.warned[d.Msg] {
		s.warned[d.Msg] = true
		s.ds.Add(d)
	}
}

// parse reads every term of the expressions and binds its methods,
// reporting the terms that cannot be.
func (s *selection) parse(exprs []string) []term {
	var terms []term
	for _, expr := range exprs {
		for _, raw := range strings.Fields(expr) {
			t, err := parseTerm(raw)
			for i := 0; err == nil && i < len(t.criteria); i++ {
				err = s.bind(&t.criteria[i])
			}
			if err != nil {
				s.report(diag.At("", 0, 0, "%v", err))
				continue
			}
			terms = append(terms, t)
		}
	}
	return terms
}

// union returns the set the terms select together, nil for no terms. In
// cautious and buildable mode it adds the tests whose nodes several terms
// select between them, as dbt does when it combines the terms.
func (s *selection) union(terms []term) []bool {
	var set []bool
	for _, t := range terms {
		in := s.eval(t)
		if set == nil {
			set = in
			continue
		}
		for i, v := range in {
			set[i] = set[i] || v
		}
	}
	if len(terms) > 1 && (s.mode == IndirectCautious || s.mode == IndirectBuildable) {
		s.addTests(set)
	}
	return set
}

// eval returns the set a term selects, warning when it is empty.
func (s *selection) eval(t term) []bool {
	set := make([]bool, s.g.Len())
	s.evalCriterion(&t.criteria[0], set)
	for k := 1; k < len(t.criteria); k++ {
		if s.scratch == nil {
			s.scratch = make([]bool, len(set))
		} else {
			clear(s.scratch)
		}
		s.evalCriterion(&t.criteria[k], s.scratch)
		for i, in := range s.scratch {
			set[i] = set[i] && in
		}
	}
	for _, in := range set {
		if in {
			return set
		}
	}
	s.report(diag.WarnAt("", 0, 0, "the selection term %q matches no node", t.raw))
	return set
}

// evalCriterion marks in set, which must be empty, the nodes c matches,
// their neighbours by c's graph operators, and the tests of all of them.
func (s *selection) evalCriterion(c *criterion, set []bool) {
	starts := s.starts[:0]
	for i, n := range s.nodes {
		if n != nil && c.match(n) {
			set[i] = true
			starts = append(starts, i)
		}
	}
	s.starts = starts
	if len(starts) == 0 {
		return
	}
	if c.childrensParents {
		s.g.MarkDescendants(set, starts, -1)
		s.g.MarkAncestors(set, members(set), -1)
	}
	if c.parents != 0 {
		s.g.MarkAncestors(set, starts, c.parents)
	}
	if c.children != 0 {
		s.g.MarkDescendants(set, starts, c.children)
	}
	s.addTests(set)
}

// members returns the indices in set.
func members(set []bool) []int {
	var out []int
	for i, in := range set {
		if in {
			out = append(out, i)
		}
	}
	return out
}

// result lists the selected nodes in manifest (dependency) order, without
// sources and kinds that opts.ResourceTypes leaves out.
func (s *selection) result(selected []bool) []string {
	keep := func(manifest.Kind) bool { return true }
	if len(s.opts.ResourceTypes) > 0 {
		kinds := map[manifest.Kind]bool{}
		for _, k := range s.opts.ResourceTypes {
			kinds[k] = true
		}
		keep = func(k manifest.Kind) bool { return kinds[k] }
	}
	wanted := func(k int) bool {
		i, n := s.index[k], s.m.Nodes[k]
		return i >= 0 && selected[i] && n.Kind != manifest.Source && keep(n.Kind)
	}
	count := 0
	for k := range s.m.Nodes {
		if wanted(k) {
			count++
		}
	}
	if count == 0 {
		return nil
	}
	out := make([]string, 0, count)
	for k, n := range s.m.Nodes {
		if wanted(k) {
			out = append(out, n.ID)
		}
	}
	return out
}
