package compiler

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

// snapshotTag finds dbt's {% snapshot name %} and {% endsnapshot %} tags.
var snapshotTag = regexp.MustCompile(`\{%-?\s*(snapshot\s+([A-Za-z_][A-Za-z0-9_]*)|endsnapshot)\s*-?%\}`)

// snapshotBlock is one {% snapshot %} block of a snapshots file: its name
// and its body, padded so that lines and columns are the file's.
type snapshotBlock struct {
	name string
	body string
	line int
}

// splitSnapshots returns the snapshot blocks of a file. Text outside the
// blocks must be blank or comments.
func splitSnapshots(file, src string) ([]snapshotBlock, diag.List) {
	var blocks []snapshotBlock
	var ds diag.List
	matches := snapshotTag.FindAllStringSubmatchIndex(src, -1)
	blank := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '\n' {
				return r
			}
			return ' '
		}, s)
	}
	for i := 0; i < len(matches); i++ {
		m := matches[i]
		line, col := position(src, m[0])
		if m[4] < 0 {
			ds.Add(diag.At(file, line, col, "{%% endsnapshot %%} without a {%% snapshot %%}"))
			continue
		}
		name := src[m[4]:m[5]]
		if i+1 >= len(matches) || matches[i+1][4] >= 0 {
			ds.Add(diag.At(file, line, col, "{%% snapshot %s %%} is not closed by {%% endsnapshot %%}", name))
			continue
		}
		end := matches[i+1]
		body := blank(src[:m[1]]) + src[m[1]:end[0]]
		blocks = append(blocks, snapshotBlock{name: name, body: body, line: line})
		i++
	}
	if len(matches) == 0 && strings.TrimSpace(src) != "" {
		ds.Add(diag.At(file, 1, 1, "a snapshots file holds {%% snapshot name %%} ... {%% endsnapshot %%} blocks"))
	}
	return blocks, ds
}

// position converts a byte offset into a 1-based line and column.
func position(src string, offset int) (int, int) {
	line := 1 + strings.Count(src[:offset], "\n")
	col := offset - strings.LastIndexByte(src[:offset], '\n')
	return line, col
}

// declareSnapshots adds a node for every snapshot block.
func (c *compilation) declareSnapshots() {
	for _, f := range c.project.Files.Snapshots {
		blocks, ds := splitSnapshots(f.Path, string(f.Data))
		c.ds = append(c.ds, ds...)
		for _, b := range blocks {
			n := &manifest.Node{
				ID: "snapshot." + c.project.Name + "." + b.name, Name: b.name, Kind: manifest.Snapshot,
				Path: f.Path, Pos: project.Pos{File: f.Path, Line: b.line}, RawSQL: b.body,
				CompiledPath: path.Join(c.project.Paths.Target, "compiled", "snapshots", b.name+".sql"),
				Config:       project.NewConfig(),
			}
			if !c.claimName(n) {
				continue
			}
			n.Relation = c.relation(n)
			c.nodes[n.ID] = n
			c.snapshotFiles[n.ID] = f
		}
	}
}

// finishSnapshotConfig places a rendered snapshot and checks its
// settings: a unique_key and a strategy with what that strategy needs.
func (c *compilation) finishSnapshotConfig(n *manifest.Node) {
	n.Config.Materialized = "snapshot"
	// dbt's target_schema names the schema exactly, bypassing
	// generate_schema_name.
	if ts, ok := n.Config.Other["target_schema"].(string); ok && ts != "" && n.Config.Schema == "" {
		n.Config.Schema = ts
		n.Relation = relationIn(ts, n)
	} else {
		n.Relation = c.relation(n)
	}
	at := func(format string, args ...any) {
		c.addDiag(diag.At(n.Path, n.Pos.Line, 0, "snapshot %s: %s", n.Name, fmt.Sprintf(format, args...)))
	}
	if len(n.Config.UniqueKey) == 0 {
		at("needs a unique_key")
	}
	switch strategy, _ := n.Config.Other["strategy"].(string); strategy {
	case "timestamp":
		if s, _ := n.Config.Other["updated_at"].(string); s == "" {
			at("the timestamp strategy needs updated_at (the column that says when a row changed)")
		}
	case "check":
		switch cols := n.Config.Other["check_cols"].(type) {
		case string:
			if cols != "all" {
				at(`check_cols must be "all" or a list of columns`)
			}
		case []any:
			if len(cols) == 0 {
				at("check_cols must name at least one column")
			}
		default:
			at(`the check strategy needs check_cols: "all" or a list of columns`)
		}
	case "":
		at("needs a strategy: timestamp or check")
	default:
		at("unknown strategy %q (use timestamp or check)", strategy)
	}
}
