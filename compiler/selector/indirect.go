package selector

import (
	"fmt"
	"strings"

	"martlet/compiler/manifest"
)

// IndirectSelection is dbt's --indirect-selection mode: which tests a
// selection takes in through the nodes they depend on. The zero value is
// IndirectEager.
type IndirectSelection string

// The indirect selection modes.
const (
	// IndirectEager selects a test when any node it depends on is
	// selected; it is dbt's default.
	IndirectEager IndirectSelection = "eager"
	// IndirectCautious selects a test only when every node it depends on
	// is selected.
	IndirectCautious IndirectSelection = "cautious"
	// IndirectBuildable selects a test when every node it depends on is
	// selected, an ancestor of a selected node, or a source.
	IndirectBuildable IndirectSelection = "buildable"
	// IndirectEmpty selects no test indirectly; tests the selection
	// matches itself are still selected.
	IndirectEmpty IndirectSelection = "empty"
)

// ParseIndirectSelection returns the mode named name, in any case; ""
// is IndirectEager. Another name is an error that lists the valid ones.
func ParseIndirectSelection(name string) (IndirectSelection, error) {
	switch mode := IndirectSelection(strings.ToLower(name)); mode {
	case "":
		return IndirectEager, nil
	case IndirectEager, IndirectCautious, IndirectBuildable, IndirectEmpty:
		return mode, nil
	}
	return "", fmt.Errorf("invalid value %q; the valid values are eager, cautious, buildable and empty", name)
}

// addTests marks the tests that depend directly on a node in set and that
// the indirect selection mode takes in with it.
func (s *selection) addTests(set []bool) {
	if s.mode == IndirectEmpty {
		return
	}
	// upstream holds the ancestors of set once a buildable test needs them.
	var upstream []bool
	var tests []int
	for i, in := range set {
		if !in {
			continue
		}
		for _, child := range s.g.ChildIndices(i) {
			if set[child] || s.nodes[child] == nil || s.nodes[child].Kind != manifest.Test {
				continue
			}
			if s.mode != IndirectEager && !s.hasParents(child, set, &upstream) {
				continue
			}
			tests = append(tests, child)
		}
	}
	for _, i := range tests {
		set[i] = true
	}
}

// hasParents reports whether every parent of test is in set or, in
// buildable mode, a source or an ancestor of set. *upstream holds those
// ancestors; it is computed on first need.
func (s *selection) hasParents(test int, set []bool, upstream *[]bool) bool {
	for _, p := range s.g.ParentIndices(test) {
		if set[p] {
			continue
		}
		if s.mode != IndirectBuildable {
			return false
		}
		if n := s.nodes[p]; n != nil && n.Kind == manifest.Source {
			continue
		}
		if *upstream == nil {
			if s.ancestors == nil {
				s.ancestors = make([]bool, len(set))
			} else {
				clear(s.ancestors)
			}
			s.g.MarkAncestors(s.ancestors, members(set), -1)
			*upstream = s.ancestors
		}
		if !(*upstream)[p] {
			return false
		}
	}
	return true
}
