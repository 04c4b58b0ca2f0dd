package compiler

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// Relations in rendered SQL are written as placeholders, because a node's
// relation depends on its schema and alias, which its own config() call
// may set while other nodes are being rendered. Once every node's config
// is known, placeholders are replaced by the quoted relation, or by the
// CTE name of an ephemeral model.
const (
	placeholderStart = '\x1e'
	placeholderEnd   = '\x1f'
)

// placeholderPart separates a node ID from the relation part a placeholder
// stands for, when it stands for one part (this.schema) and not the whole.
const placeholderPart = '\x1d'

func placeholder(id string) string {
	return string(placeholderStart) + id + string(placeholderEnd)
}

// relationValue is what ref(), source() and this are in a template, like
// dbt's Relation: it prints as the node's relation, and its attributes
// database, schema and identifier (also name and table) print as those
// parts of it.
type relationValue struct{ id string }

// String returns the placeholder of the whole relation.
func (r relationValue) String() string { return placeholder(r.id) }

// Attr returns the placeholder of one part of the relation.
func (r relationValue) Attr(name string) (any, error) {
	switch name {
	case "database", "schema", "identifier", "name", "table":
		return placeholder(r.id + string(placeholderPart) + name), nil
	}
	return nil, nil
}

// nodeResolver implements template.Resolver for one node's render.
type nodeResolver struct {
	c    *compilation
	node *manifest.Node
	// refs and sources are the node IDs this render depends on.
	deps map[string]bool
	// refs, when not nil, records the model names ref() was called with
	// and the node IDs they named.
	refs map[string]string
	// settings are the config() settings, in call order.
	settings []project.Setting
	// base is the configuration the project file and the properties
	// file give the node, for config.get.
	base          configBase
	incremental   bool
	calledIsIncr  bool
	allowSecrets  bool
	configAllowed bool
}

func (r *nodeResolver) Ref(args []string) (any, error) {
	name := args[len(args)-1]
	if len(args) == 2 && args[0] != r.c.project.Name {
		return nil, fmt.Errorf("ref(%q, %q): package %q is not this project (%q); martlet builds one project", args[0], name, args[0], r.c.project.Name)
	}
	id, ok := r.c.refNames[name]
	if !ok {
		msg := fmt.Sprintf("unknown model %q in ref()", name)
		if s := diag.Suggest(name, r.c.refCandidates()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	r.deps[id] = true
	if r.refs != nil {
		r.refs[name] = id
	}
	return relationValue{id}, nil
}

func (r *nodeResolver) Source(source, table string) (any, error) {
	id := sourceID(r.c.project.Name, source, table)
	if _, ok := r.c.sources[id]; !ok {
		msg := fmt.Sprintf("source %q table %q is not declared in a properties file", source, table)
		if s := diag.Suggest(source+"."+table, r.c.sourceNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	r.deps[id] = true
	return relationValue{id}, nil
}

func (r *nodeResolver) Config(settings map[string]any) error {
	if !r.configAllowed {
		return fmt.Errorf("config() is not allowed here")
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pos := r.node.Pos
	if line, col := matchPosition(r.node.RawSQL, configCall); line > 0 {
		pos.Line, pos.Col = line, col
	}
	for _, k := range keys {
		r.settings = append(r.settings, project.Setting{Key: k, Value: settings[k], Pos: pos})
	}
	return nil
}

func (r *nodeResolver) This() any { return relationValue{r.node.ID} }

func (r *nodeResolver) IsIncremental() bool {
	r.calledIsIncr = true
	return r.incremental
}

func (r *nodeResolver) AllowSecrets() bool { return r.allowSecrets }

// ConfigGet returns a configuration value as the node's project and
// properties configuration and its config() calls so far set it; a key
// martlet does not know is the value it was last set to.
func (r *nodeResolver) ConfigGet(key string) (any, bool) {
	cfg := project.NewConfig()
	var last any
	set := false
	for _, layer := range configLayers(r.base.folder, r.base.props, r.settings) {
		for _, s := range layer {
			if err := cfg.Apply(s.Key, s.Value); err != nil && s.Key == key {
				last, set = s.Value, true
			}
		}
	}
	if cfg.Materialized == "" && r.node.Kind == manifest.Model {
		cfg.Materialized = defaultMaterialized
	}
	if v, ok := cfg.Get(key); ok {
		return v, true
	}
	return last, set
}

// substitute replaces placeholders with relations (or ephemeral CTE names)
// and returns the ephemeral nodes the SQL refers to.
func (c *compilation) substitute(sql string) (string, []string) {
	if strings.IndexByte(sql, placeholderStart) < 0 {
		return sql, nil
	}
	var b strings.Builder
	var ephemerals []string
	for {
		i := strings.IndexByte(sql, placeholderStart)
		if i < 0 {
			b.WriteString(sql)
			break
		}
		j := strings.IndexByte(sql[i:], placeholderEnd)
		if j < 0 {
			b.WriteString(sql)
			break
		}
		b.WriteString(sql[:i])
		id, part, _ := strings.Cut(sql[i+1:i+j], string(placeholderPart))
		n := c.nodes[id]
		rel := manifest.Relation{}
		switch {
		case n == nil:
			b.WriteString(id)
		case n.Ephemeral():
			if part == "" {
				ephemerals = append(ephemerals, id)
			}
			rel.Name = cteName(n.Name)
		case c.deferred[id] != (manifest.Relation{}):
			rel = c.deferred[id]
		default:
			rel = n.Relation
		}
		switch {
		case n == nil:
		case part == "schema":
			b.WriteString(rel.Schema)
		case part == "database" && rel.Database != "":
			b.WriteString(rel.Database)
		case part == "database":
			b.WriteString(c.targetDatabase)
		case part != "":
			b.WriteString(rel.Name)
		case n.Ephemeral():
			b.WriteString(rel.Name)
		default:
			b.WriteString(rel.String())
		}
		sql = sql[i+j+1:]
	}
	return b.String(), ephemerals
}

func cteName(model string) string { return "__dbt__cte__" + model }

// inlineEphemerals prefixes sql with the CTEs of the ephemeral models it
// uses, nested ephemerals first, merging with the SQL's own WITH clause.
func (c *compilation) inlineEphemerals(sql string, direct []string) string {
	if len(direct) == 0 {
		return sql
	}
	var order []string
	seen := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, dep := range c.ephemeralDeps[id] {
			visit(dep)
		}
		order = append(order, id)
	}
	for _, id := range direct {
		visit(id)
	}
	var ctes strings.Builder
	for i, id := range order {
		if i > 0 {
			ctes.WriteString(",\n")
		}
		fmt.Fprintf(&ctes, "%s as (\n%s\n)", cteName(c.nodes[id].Name), strings.TrimRight(c.ephemeralSQL[id], "; \t\n"))
	}
	head, rest, recursive, hasWith := splitLeadingWith(sql)
	switch {
	case hasWith && recursive:
		return head + "with recursive " + ctes.String() + ",\n" + rest
	case hasWith:
		return head + "with " + ctes.String() + ",\n" + rest
	default:
		return "with " + ctes.String() + "\n" + sql
	}
}

// splitLeadingWith finds a leading WITH [RECURSIVE] keyword after
// whitespace and comments. head is the text before it, rest the text after.
func splitLeadingWith(sql string) (head, rest string, recursive, ok bool) {
	i := skipSpaceAndComments(sql, 0)
	if !hasKeyword(sql, i, "with") {
		return "", "", false, false
	}
	j := skipSpaceAndComments(sql, i+4)
	if hasKeyword(sql, j, "recursive") {
		return sql[:i], sql[j+len("recursive"):], true, true
	}
	return sql[:i], sql[i+4:], false, true
}

func hasKeyword(s string, i int, kw string) bool {
	if i+len(kw) > len(s) || !strings.EqualFold(s[i:i+len(kw)], kw) {
		return false
	}
	if i+len(kw) == len(s) {
		return true
	}
	c := s[i+len(kw)]
	return !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

func skipSpaceAndComments(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
			i++
		case strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return len(s)
			}
			i += j + 1
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return len(s)
			}
			i += j + 4
		default:
			return i
		}
	}
	return i
}

func sourceID(projectName, source, table string) string {
	return "source." + projectName + "." + source + "." + table
}

// quoteLiteral renders a value as an SQL literal for generic tests.
func quoteLiteral(v any, quote bool) string {
	switch x := v.(type) {
	case string:
		if !quote {
			return x
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	s := fmt.Sprint(v)
	if quote {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return s
}
