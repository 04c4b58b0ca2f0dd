package selector

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
)

// matcher reports whether a node is selected by one criterion's method and
// value, before graph operators.
type matcher func(n *manifest.Node) bool

// binder builds the matcher of a criterion, or says why it cannot.
type binder func(s *selection, c *criterion) (matcher, error)

// methods are the selection methods, by name.
var methods = map[string]binder{
	"fqn":           bindFQN,
	"tag":           bindTag,
	"path":          bindPath,
	"file":          bindFile,
	"package":       bindPackage,
	"config":        bindConfig,
	"resource_type": bindResourceType,
	"source":        bindSource,
	"test_type":     bindTestType,
	"test_name":     bindTestName,
	"state":         bindState,
	// Resources martlet does not have: valid, and they match nothing.
	"exposure":       bindNothing,
	"metric":         bindNothing,
	"semantic_model": bindNothing,
	"saved_query":    bindNothing,
	"unit_test":      bindNothing,
}

// unsupported are dbt methods martlet does not implement.
var unsupported = []string{"access", "group", "version", "result", "source_status"}

// methodNames lists every method name, sorted, for suggestions.
func methodNames() []string {
	return slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(methods)), unsupported...)))
}

// bind sets c.match from its method, choosing dbt's default method when
// it names none: path for a value with a slash, file for a file name,
// fqn otherwise.
func (s *selection) bind(c *criterion) error {
	method := c.method
	if method == "" {
		lower := strings.ToLower(c.value)
		switch {
		case strings.ContainsAny(c.value, `/\`):
			method = "path"
		case strings.HasSuffix(lower, ".sql"), strings.HasSuffix(lower, ".py"), strings.HasSuffix(lower, ".csv"):
			method = "file"
		default:
			method = "fqn"
		}
	}
	b, ok := methods[method]
	if !ok {
		for _, u := range unsupported {
			if u == method {
				return fmt.Errorf("the selection method %q is not supported by martlet", method)
			}
		}
		msg := fmt.Sprintf("unknown selection method %q", method)
		if sug := diag.Suggest(method, methodNames()); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return errors.New(msg)
	}
	if len(c.args) > 0 && method != "config" {
		return fmt.Errorf("invalid selection term %q: the %s method takes no %q argument", c.raw, method, "."+strings.Join(c.args, "."))
	}
	m, err := b(s, c)
	if err != nil {
		return err
	}
	c.match = m
	return nil
}

func bindNothing(*selection, *criterion) (matcher, error) {
	return func(*manifest.Node) bool { return false }, nil
}

func bindPackage(_ *selection, c *criterion) (matcher, error) {
	p := newPattern(c.value)
	return func(n *manifest.Node) bool { return p.match(packageOf(n.ID)) }, nil
}

func bindTag(_ *selection, c *criterion) (matcher, error) {
	p := newPattern(c.value)
	return func(n *manifest.Node) bool {
		for _, t := range n.Config.Tags {
			if p.match(t) {
				return true
			}
		}
		return false
	}, nil
}

// bindPath matches the nodes defined in a file, or in a folder at any
// depth, relative to the project root; the pattern may hold globs.
func bindPath(_ *selection, c *criterion) (matcher, error) {
	pattern := path.Clean(strings.ReplaceAll(c.value, `\`, "/"))
	if path.IsAbs(pattern) {
		return nil, fmt.Errorf("invalid selection term %q: the path must be relative to the project root", c.raw)
	}
	if pattern == "." {
		return func(*manifest.Node) bool { return true }, nil
	}
	if !hasGlob(pattern) {
		folder := pattern + "/"
		return func(n *manifest.Node) bool {
			return n.Path == pattern || strings.HasPrefix(n.Path, folder)
		}, nil
	}
	return func(n *manifest.Node) bool {
		p := n.Path
		if p == "" {
			return false
		}
		if matchPath(pattern, p) {
			return true
		}
		for i := 0; i < len(p); i++ {
			if p[i] == '/' && matchPath(pattern, p[:i]) {
				return true
			}
		}
		return false
	}, nil
}

// bindFile matches the file name of a node's file, with or without its
// extension.
func bindFile(_ *selection, c *criterion) (matcher, error) {
	p := newPattern(c.value)
	return func(n *manifest.Node) bool {
		if n.Path == "" {
			return false
		}
		base := path.Base(n.Path)
		return p.match(base) || p.match(strings.TrimSuffix(base, path.Ext(base)))
	}, nil
}

// otherResourceTypes are dbt resource types martlet has no nodes of.
var otherResourceTypes = []string{"analysis", "exposure", "metric", "semantic_model",
	"saved_query", "unit_test", "operation", "macro", "doc", "group", "function"}

func bindResourceType(_ *selection, c *criterion) (matcher, error) {
	kinds := []string{string(manifest.Model), string(manifest.Seed), string(manifest.Test),
		string(manifest.Source), string(manifest.Snapshot)}
	for _, k := range kinds {
		if c.value == k {
			return func(n *manifest.Node) bool { return n.Kind == manifest.Kind(k) }, nil
		}
	}
	for _, k := range otherResourceTypes {
		if c.value == k {
			return bindNothing(nil, c)
		}
	}
	msg := fmt.Sprintf("unknown resource type %q in %q", c.value, c.raw)
	if sug := diag.Suggest(c.value, append(kinds, otherResourceTypes...)); sug != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sug)
	}
	return nil, errors.New(msg)
}

// bindSource matches source tables by `source_name`, `source_name.table`
// or `package.source_name.table`, each part a glob.
func bindSource(_ *selection, c *criterion) (matcher, error) {
	parts := strings.Split(c.value, ".")
	all := newPattern("*")
	pkg, src, table := all, newPattern(parts[0]), all
	switch len(parts) {
	case 1:
	case 2:
		table = newPattern(parts[1])
	case 3:
		pkg, src, table = newPattern(parts[0]), newPattern(parts[1]), newPattern(parts[2])
	default:
		return nil, fmt.Errorf("invalid selection term %q: use source:source_name, source:source_name.table or source:package.source_name.table", c.raw)
	}
	return func(n *manifest.Node) bool {
		if n.Kind != manifest.Source {
			return false
		}
		name, tbl, _ := strings.Cut(n.Name, ".")
		return pkg.match(packageOf(n.ID)) && src.match(name) && table.match(tbl)
	}, nil
}

// singular reports whether a test node is a singular test (a SQL file
// under tests/) rather than a generic one attached to a node.
func singular(n *manifest.Node) bool {
	return n.Test == nil || (n.Test.Attached == "" && n.Test.Name == "singular")
}

func bindTestType(_ *selection, c *criterion) (matcher, error) {
	switch c.value {
	case "generic", "schema":
		return func(n *manifest.Node) bool { return n.Kind == manifest.Test && !singular(n) }, nil
	case "singular", "data":
		return func(n *manifest.Node) bool { return n.Kind == manifest.Test && singular(n) }, nil
	case "unit":
		return bindNothing(nil, c)
	}
	return nil, fmt.Errorf("invalid selection term %q: the test type is generic, singular or unit", c.raw)
}

// bindTestName matches generic tests by the test they instantiate
// (unique, not_null, relationships, ...).
func bindTestName(_ *selection, c *criterion) (matcher, error) {
	p := newPattern(c.value)
	return func(n *manifest.Node) bool {
		return n.Kind == manifest.Test && !singular(n) && p.match(n.Test.Name)
	}, nil
}
