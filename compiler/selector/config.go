package selector

import (
	"fmt"
	"strconv"
	"strings"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// configValues calls yield with each string form of one configuration
// value, stopping when yield returns true; it reports whether one did.
type configValues func(c *project.Config, yield func(string) bool) bool

// bindConfig matches `config.<key>[.<subkey>...]:<value>` against the
// node's resolved configuration: a list matches when any element does,
// booleans compare as true or false in any case, and the value may be a
// glob. Keys use dbt's spelling; `pre-hook` is `pre_hook`.
func bindConfig(_ *selection, c *criterion) (matcher, error) {
	if len(c.args) == 0 {
		return nil, fmt.Errorf("invalid selection term %q: name the key, e.g. config.materialized:table", c.raw)
	}
	get := configField(c.args)
	p := newPattern(c.value)
	yield := func(v string) bool {
		if v == "true" || v == "false" {
			return strings.EqualFold(p.text, v)
		}
		return p.match(v)
	}
	return func(n *manifest.Node) bool { return get(&n.Config, yield) }, nil
}

// configField returns the accessor for a dotted configuration key.
func configField(keys []string) configValues {
	key := strings.ReplaceAll(keys[0], "-", "_")
	rest := keys[1:]
	str := func(get func(c *project.Config) string) configValues {
		return func(c *project.Config, yield func(string) bool) bool {
			return len(rest) == 0 && yield(get(c))
		}
	}
	list := func(get func(c *project.Config) []string) configValues {
		return func(c *project.Config, yield func(string) bool) bool {
			if len(rest) > 0 {
				return false
			}
			for _, v := range get(c) {
				if yield(v) {
					return true
				}
			}
			return false
		}
	}
	switch key {
	case "materialized":
		return str(func(c *project.Config) string { return c.Materialized })
	case "schema":
		return str(func(c *project.Config) string { return c.Schema })
	case "alias":
		return str(func(c *project.Config) string { return c.Alias })
	case "severity":
		return str(func(c *project.Config) string { return c.Severity })
	case "on_schema_change":
		return str(func(c *project.Config) string { return c.OnSchemaChange })
	case "incremental_strategy":
		return str(func(c *project.Config) string { return c.IncrementalStrategy })
	case "enabled":
		return str(func(c *project.Config) string { return strconv.FormatBool(c.Enabled) })
	case "tags":
		return list(func(c *project.Config) []string { return c.Tags })
	case "unique_key":
		return list(func(c *project.Config) []string { return c.UniqueKey })
	case "pre_hook":
		return list(func(c *project.Config) []string { return c.PreHook })
	case "post_hook":
		return list(func(c *project.Config) []string { return c.PostHook })
	case "full_refresh":
		return func(c *project.Config, yield func(string) bool) bool {
			return len(rest) == 0 && c.FullRefresh != nil && yield(strconv.FormatBool(*c.FullRefresh))
		}
	case "contract":
		return func(c *project.Config, yield func(string) bool) bool {
			return len(rest) == 1 && rest[0] == "enforced" && yield(strconv.FormatBool(c.ContractEnforced))
		}
	case "column_types":
		return func(c *project.Config, yield func(string) bool) bool {
			return len(rest) == 1 && c.ColumnTypes != nil && yieldAny(c.ColumnTypes[rest[0]], yield)
		}
	case "meta":
		return func(c *project.Config, yield func(string) bool) bool {
			return yieldAny(descend(c.Meta, rest), yield)
		}
	}
	other := append([]string{key}, rest...)
	return func(c *project.Config, yield func(string) bool) bool {
		return yieldAny(descend(c.Other, other), yield)
	}
}

// descend follows keys through nested mappings; nil when one is missing.
func descend(m map[string]any, keys []string) any {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// yieldAny calls yield with the string form of a scalar, or of each
// scalar in a list.
func yieldAny(v any, yield func(string) bool) bool {
	switch v := v.(type) {
	case nil, map[string]any:
		return false
	case string:
		return yield(v)
	case bool:
		return yield(strconv.FormatBool(v))
	case []any:
		for _, item := range v {
			if yieldAny(item, yield) {
				return true
			}
		}
		return false
	case []string:
		for _, item := range v {
			if yield(item) {
				return true
			}
		}
		return false
	}
	return yield(fmt.Sprint(v))
}
