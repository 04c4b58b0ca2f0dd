package selector

import (
	"path"
	"strings"

	"martlet/compiler/manifest"
)

// bindFQN matches a node by name (a model, seed, snapshot or test name, or
// a source's source_name.table) or, as dbt's fqn method does, by a dotted
// prefix of its fully qualified name: package, folders below the resource
// directory, name: `shop`, `shop.marts`, `shop.marts.*` or `*.marts.*`.
func bindFQN(_ *selection, c *criterion) (matcher, error) {
	name := newPattern(c.value)
	fqn := newFQNPattern(c.value)
	var buf []byte
	return func(n *manifest.Node) bool {
		if name.match(n.Name) {
			return true
		}
		if n.Kind == manifest.Source {
			return false
		}
		pkg := packageOf(n.ID)
		if !fqn.mayMatch(pkg) {
			return false
		}
		buf = appendFQN(buf[:0], pkg, n)
		return fqn.match(string(buf))
	}, nil
}

// fqnPattern is a selector compared with fully qualified names as dbt
// does: its dotted parts must equal the leading parts of the name, except
// that from the first part with a wildcard on, the rest of the selector is
// a glob over the rest of the name.
type fqnPattern struct {
	// lits are the parts before the first one with a wildcard, and glob
	// the rest, joined by dots ("" when no part has a wildcard).
	lits []string
	glob string
	// globPrefix is the text of glob before its first wildcard.
	globPrefix string
	parts      int
}

func newFQNPattern(s string) fqnPattern {
	parts := strings.Split(s, ".")
	p := fqnPattern{lits: parts, parts: len(parts)}
	for i, part := range parts {
		if hasGlob(part) {
			p.lits, p.glob = parts[:i], strings.Join(parts[i:], ".")
			p.globPrefix = p.glob[:strings.IndexAny(p.glob, "*?[")]
			break
		}
	}
	return p
}

// mayMatch rules out, from the package that starts every fully qualified
// name, the names that cannot match.
func (p fqnPattern) mayMatch(pkg string) bool {
	if len(p.lits) > 0 {
		return p.lits[0] == pkg
	}
	if len(p.globPrefix) <= len(pkg) {
		return strings.HasPrefix(pkg, p.globPrefix)
	}
	return strings.HasPrefix(p.globPrefix, pkg) && p.globPrefix[len(pkg)] == '.'
}

// match compares a fully qualified name written with dots.
func (p fqnPattern) match(fqn string) bool {
	if strings.Count(fqn, ".")+1 < p.parts {
		return false
	}
	rest := fqn
	for _, lit := range p.lits {
		var seg string
		seg, rest, _ = strings.Cut(rest, ".")
		if seg != lit {
			return false
		}
	}
	return p.glob == "" || globMatch(p.glob, rest)
}

// appendFQN appends the node's fully qualified name with dots: package,
// the folders of its file below the resource directory, name.
func appendFQN(buf []byte, pkg string, n *manifest.Node) []byte {
	buf = append(buf, pkg...)
	if dir := path.Dir(n.Path); dir != "." {
		if _, below, ok := strings.Cut(dir, "/"); ok {
			buf = append(buf, '.')
			for i := 0; i < len(below); i++ {
				if below[i] == '/' {
					buf = append(buf, '.')
				} else {
					buf = append(buf, below[i])
				}
			}
		}
	}
	buf = append(buf, '.')
	return append(buf, n.Name...)
}

// packageOf returns the package part of an ID such as model.shop.orders.
func packageOf(id string) string {
	_, rest, _ := strings.Cut(id, ".")
	pkg, _, _ := strings.Cut(rest, ".")
	return pkg
}
