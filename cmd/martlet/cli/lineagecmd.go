package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"martlet/compiler/diag"
	"martlet/compiler/lineage"
	"martlet/compiler/manifest"
)

func lineageCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "lineage",
		Usage:     "print a column's upstream columns down to seeds and sources (--downstream: the columns that depend on it)",
		ArgsUsage: "MODEL.COLUMN",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "downstream", Usage: "the columns computed from this one, for impact analysis"},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "text or json"},
		},
		Action: lineageAction,
	}
}

func lineageAction(c *ucli.Context) error {
	if c.NArg() != 1 || !strings.Contains(c.Args().First(), ".") {
		return usageErrorf("martlet lineage: give one MODEL.COLUMN, e.g. martlet lineage orders.amount")
	}
	format := c.String("output")
	if format != "text" && format != "json" {
		return usageErrorf("martlet lineage: --output must be text or json, not %q", format)
	}
	s, err := newSession(c)
	if err != nil {
		return err
	}
	m := s.result.Manifest
	arg := c.Args().First()
	dot := strings.LastIndexByte(arg, '.')
	node, column, err := findColumn(m, arg[:dot], arg[dot+1:])
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet lineage: " + err.Error()}
	}
	g := lineageGraph(m)
	start := lineage.ColumnID{Node: node.ID, Column: column}
	downstream := c.Bool("downstream")
	if format == "json" {
		return writeLineageJSON(c.App.Writer, m, start, g.Trace(start, downstream), downstream)
	}
	if node.LineageUnknown != "" && !downstream {
		fmt.Fprintf(c.App.ErrWriter, "martlet: the lineage of %s is unknown: %s\n", node.Name, node.LineageUnknown)
	}
	fmt.Fprintf(c.App.Writer, "%s.%s\n", node.Name, column)
	printTree(c.App.Writer, m, g, start, downstream, "", map[lineage.ColumnID]bool{start: true})
	return nil
}

// findColumn finds a node by name (models, seeds, snapshots, sources as
// source.table) and one of its columns, case-insensitively.
func findColumn(m *manifest.Manifest, name, column string) (*manifest.Node, string, error) {
	var node *manifest.Node
	var names []string
	for _, n := range m.Nodes {
		if n.Kind == manifest.Test {
			continue
		}
		names = append(names, n.Name)
		if n.Name == name {
			node = n
		}
	}
	if node == nil {
		msg := fmt.Sprintf("no model, seed, snapshot or source named %q", name)
		if s := diag.Suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return nil, "", fmt.Errorf("%s", msg)
	}
	cols := make([]string, 0, len(node.Columns))
	for _, col := range node.Columns {
		if strings.EqualFold(col.Name, column) {
			return node, col.Name, nil
		}
		cols = append(cols, col.Name)
	}
	msg := fmt.Sprintf("%s has no column %q", name, column)
	if s := diag.Suggest(column, cols); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, "", fmt.Errorf("%s", msg)
}

// lineageGraph indexes the manifest's column lineage both ways.
func lineageGraph(m *manifest.Manifest) *lineage.Graph {
	g := lineage.NewGraph()
	for _, n := range m.Nodes {
		cols := make([]lineage.ColumnLineage, 0, len(n.Columns))
		for _, col := range n.Columns {
			lc := lineage.ColumnLineage{Name: col.Name}
			for _, up := range col.Upstream {
				var kind lineage.EdgeKind
				if err := kind.UnmarshalText([]byte(up.Kind)); err != nil {
					kind = lineage.Derived
				}
				lc.Upstream = append(lc.Upstream, lineage.Edge{Node: up.Node, Column: up.Column, Kind: kind})
			}
			cols = append(cols, lc)
		}
		g.Add(n.ID, cols)
	}
	return g
}

// printTree prints the columns one step away, then theirs, as a tree.
func printTree(w io.Writer, m *manifest.Manifest, g *lineage.Graph, at lineage.ColumnID, downstream bool, indent string, seen map[lineage.ColumnID]bool) {
	var next []lineage.Edge
	if downstream {
		next = g.Downstream(at)
	} else {
		next = g.Upstream(at, nil)
	}
	for i, e := range next {
		branch, more := "├─ ", "│  "
		if i == len(next)-1 {
			branch, more = "└─ ", "   "
		}
		id := lineage.ColumnID{Node: e.Node, Column: e.Column}
		fmt.Fprintf(w, "%s%s%s %s.%s (%s)\n", indent, branch, e.Kind, nodeName(m, e.Node), e.Column, nodeKind(m, e.Node))
		if seen[id] {
			continue
		}
		seen[id] = true
		printTree(w, m, g, id, downstream, indent+more, seen)
	}
}

func nodeName(m *manifest.Manifest, id string) string {
	if n := m.Node(id); n != nil {
		return n.Name
	}
	return id
}

func nodeKind(m *manifest.Manifest, id string) string {
	n := m.Node(id)
	switch {
	case n == nil:
		return "unknown"
	case n.Kind == manifest.Model:
		return n.Config.Materialized + " model"
	}
	return string(n.Kind)
}

// lineageHop is one column of `lineage --output json`.
type lineageHop struct {
	Node   string `json:"node"`
	Name   string `json:"name"`
	Column string `json:"column"`
	Kind   string `json:"kind"`
	Depth  int    `json:"depth"`
}

func writeLineageJSON(w io.Writer, m *manifest.Manifest, start lineage.ColumnID, hops []lineage.Hop, downstream bool) error {
	out := struct {
		Node      string       `json:"node"`
		Column    string       `json:"column"`
		Direction string       `json:"direction"`
		Columns   []lineageHop `json:"columns"`
	}{Node: start.Node, Column: start.Column, Direction: "upstream", Columns: []lineageHop{}}
	if downstream {
		out.Direction = "downstream"
	}
	for _, h := range hops {
		out.Columns = append(out.Columns, lineageHop{Node: h.Node, Name: nodeName(m, h.Node), Column: h.Column, Kind: h.Kind.String(), Depth: h.Depth})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
