package project

import (
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/yamltree"
)

// FolderConfig is dbt's folder-scoped configuration: the `+key` settings
// under `models:` (or `seeds:`, `snapshots:`, `tests:`) in the project
// file, nested by folder below the resource directory. A node at
// models/marts/core/orders.sql takes the settings of the root, then of
// `marts`, then of `core`, then of `orders` (a node may be named too).
type FolderConfig struct {
	Settings []Setting
	Children map[string]*FolderConfig
}

// SettingsFor returns the settings that apply to a node whose path below
// the resource directory has the given parts (folders, then the node
// name), outermost first.
func (f *FolderConfig) SettingsFor(parts []string) []Setting {
	var out []Setting
	cur := f
	for i := 0; cur != nil; i++ {
		out = append(out, cur.Settings...)
		if i == len(parts) {
			break
		}
		cur = cur.Children[parts[i]]
	}
	return out
}

// parseFolderConfig reads a folder-config mapping. Keys starting with `+`
// are settings; other keys name a folder when their value is a mapping,
// and are settings otherwise (dbt accepts `materialized: table` without
// the plus where it is unambiguous). The project's own name may wrap the
// tree, as in dbt_project.yml.
func parseFolderConfig(file string, n *yamltree.Node, projectName string, ds *diag.List) *FolderConfig {
	f := &FolderConfig{}
	if n == nil || n.Kind == yamltree.Null {
		return f
	}
	if n.Kind != yamltree.Map {
		ds.Add(diag.At(file, n.Line, n.Col, "folder configuration must be a mapping, not %s", n.Kind))
		return f
	}
	for i, k := range n.Keys {
		key, v := k.String(), n.Values[i]
		isSetting := strings.HasPrefix(key, "+") || v.Kind != yamltree.Map || isMapValuedKey(key)
		if !isSetting {
			child := parseFolderConfig(file, v, "", ds)
			if key == projectName {
				f.Settings = append(f.Settings, child.Settings...)
				for name, c := range child.Children {
					f.child(name).merge(c)
				}
				continue
			}
			f.child(key).merge(child)
			continue
		}
		f.Settings = append(f.Settings, Setting{Key: normalizeKey(key), Value: v.Interface(), Pos: Pos{File: file, Line: k.Line, Col: k.Col}})
	}
	return f
}

// isMapValuedKey reports keys whose value is itself a mapping, so that
// `column_types: {...}` without a plus is read as a setting.
func isMapValuedKey(key string) bool {
	switch normalizeKey(key) {
	case "column_types", "meta", "contract", "docs", "persist_docs", "grants", "quoting":
		return true
	}
	return false
}

func (f *FolderConfig) child(name string) *FolderConfig {
	if f.Children == nil {
		f.Children = map[string]*FolderConfig{}
	}
	c := f.Children[name]
	if c == nil {
		c = &FolderConfig{}
		f.Children[name] = c
	}
	return c
}

func (f *FolderConfig) merge(o *FolderConfig) {
	f.Settings = append(f.Settings, o.Settings...)
	for name, c := range o.Children {
		f.child(name).merge(c)
	}
}
