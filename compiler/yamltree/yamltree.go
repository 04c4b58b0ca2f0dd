// Package yamltree owns reading YAML project files into a small tree whose
// every node knows its line and column, so that the project loader can
// report a wrong value exactly where it stands. It wraps goccy/go-yaml's
// parser and normalizes its errors into diag diagnostics.
package yamltree

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"martlet/compiler/diag"
)

// Kind is the shape of a node.
type Kind int

const (
	// Null is an empty or null value.
	Null Kind = iota
	// Scalar is a string, number or boolean.
	Scalar
	// Map is a mapping; its keys are scalars.
	Map
	// Seq is a sequence.
	Seq
)

// String names the kind as a user would: "a mapping", "a list", ...
func (k Kind) String() string {
	switch k {
	case Scalar:
		return "a scalar"
	case Map:
		return "a mapping"
	case Seq:
		return "a list"
	}
	return "null"
}

// Node is one YAML value with its position in the file.
type Node struct {
	Kind Kind
	Line int
	Col  int
	// Value holds a scalar: string, int64, uint64, float64 or bool.
	Value any
	// Keys and Values hold a mapping's entries, in file order.
	Keys   []*Node
	Values []*Node
	// Items holds a sequence's entries.
	Items []*Node
}

// Parse reads one YAML document. An empty document gives a Null node. A
// syntax error is returned as a diagnostic at its line and column.
func Parse(file string, data []byte) (*Node, *diag.Diagnostic) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, syntaxDiagnostic(file, err)
	}
	docs := make([]*ast.DocumentNode, 0, len(f.Docs))
	for _, d := range f.Docs {
		// A %YAML or %TAG directive belongs to the document after it.
		if _, directive := d.Body.(*ast.DirectiveNode); !directive {
			docs = append(docs, d)
		}
	}
	if len(docs) > 1 {
		line, col := docPosition(docs[1])
		return nil, diag.At(file, line, col, "only one YAML document is allowed per file")
	}
	if len(docs) == 0 || docs[0].Body == nil {
		return &Node{Kind: Null, Line: 1, Col: 1}, nil
	}
	c := converter{file: file, anchors: map[string]anchor{}}
	n := c.convert(docs[0].Body, 0)
	if c.err != nil {
		return nil, c.err
	}
	return n, nil
}

// docPosition is where a document starts: its `---`, else its body
// (zero when it has neither).
func docPosition(d *ast.DocumentNode) (line, col int) {
	tk := d.Start
	if tk == nil && d.Body != nil {
		tk = d.Body.GetToken()
	}
	if tk == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

func syntaxDiagnostic(file string, err error) *diag.Diagnostic {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		p := ye.GetToken().Position
		return diag.At(file, p.Line, p.Column, "invalid YAML: %s", ye.GetMessage())
	}
	return diag.At(file, 0, 0, "invalid YAML: %s", err)
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 200

// maxAliased bounds the nodes that aliases stand for, so that nested
// aliases ("billion laughs") cannot make Interface and the loaders walk an
// exponentially large tree.
const maxAliased = 1 << 20

type converter struct {
	file    string
	anchors map[string]anchor
	err     *diag.Diagnostic
	// nodes counts the nodes converted, aliased the nodes aliases repeat.
	nodes, aliased int
}

// anchor is an anchored node and the number of nodes it expands to.
type anchor struct {
	node *Node
	size int
}

func (c *converter) convert(n ast.Node, depth int) *Node {
	if c.err != nil || n == nil {
		return &Node{Kind: Null}
	}
	c.nodes++
	tk := n.GetToken()
	out := &Node{}
	if tk != nil {
		out.Line, out.Col = tk.Position.Line, tk.Position.Column
	}
	if depth > maxDepth {
		c.err = diag.At(c.file, out.Line, out.Col, "YAML nested too deeply")
		return out
	}
	switch v := n.(type) {
	case *ast.NullNode:
		out.Kind = Null
	case *ast.StringNode:
		out.Kind, out.Value = Scalar, v.Value
	case *ast.LiteralNode:
		out.Kind, out.Value = Scalar, v.Value.Value
	case *ast.IntegerNode:
		out.Kind, out.Value = Scalar, v.Value
	case *ast.FloatNode:
		out.Kind, out.Value = Scalar, v.Value
	case *ast.BoolNode:
		out.Kind, out.Value = Scalar, v.Value
	case *ast.InfinityNode:
		out.Kind, out.Value = Scalar, v.Value
	case *ast.NanNode:
		out.Kind, out.Value = Scalar, v.String()
	case *ast.TagNode:
		return c.convert(v.Value, depth+1)
	case *ast.AnchorNode:
		before := c.nodes + c.aliased
		inner := c.convert(v.Value, depth+1)
		c.anchors[v.Name.GetToken().Value] = anchor{inner, c.nodes + c.aliased - before}
		return inner
	case *ast.AliasNode:
		name := v.Value.GetToken().Value
		target, ok := c.anchors[name]
		if !ok {
			c.err = diag.At(c.file, out.Line, out.Col, "unknown YAML alias %q", name)
			return out
		}
		if c.aliased += target.size; c.aliased > maxAliased {
			c.err = diag.At(c.file, out.Line, out.Col, "YAML aliases expand to more than %d nodes", maxAliased)
			return out
		}
		return target.node
	case *ast.MappingNode:
		out.Kind = Map
		if !v.IsFlowStyle && len(v.Values) > 0 {
			startAtKey(out, v.Values[0])
		}
		// Explicit keys first: a merge key (`<<: *base`) only adds the
		// keys the mapping does not set itself, wherever it stands.
		for _, merge := range []bool{false, true} {
			for _, mv := range v.Values {
				if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge == merge {
					c.addEntry(out, mv, depth)
				}
			}
		}
	case *ast.MappingValueNode:
		out.Kind = Map
		startAtKey(out, v)
		c.addEntry(out, v, depth)
	case *ast.SequenceNode:
		out.Kind = Seq
		for _, item := range v.Values {
			out.Items = append(out.Items, c.convert(item, depth+1))
		}
	case *ast.CommentGroupNode, *ast.CommentNode:
		out.Kind = Null
	default:
		c.err = diag.At(c.file, out.Line, out.Col, "unsupported YAML construct %s", n.Type())
	}
	return out
}

// startAtKey places a block mapping at its first key: goccy positions it
// at the first entry's `:`, which is not where a reader sees it start.
func startAtKey(m *Node, mv *ast.MappingValueNode) {
	if mv.Key == nil {
		return
	}
	if tk := mv.Key.GetToken(); tk != nil {
		m.Line, m.Col = tk.Position.Line, tk.Position.Column
	}
}

func (c *converter) addEntry(m *Node, mv *ast.MappingValueNode, depth int) {
	if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
		src := c.convert(mv.Value, depth+1)
		if c.err != nil {
			return
		}
		if src.Kind != Map {
			c.err = diag.At(c.file, src.Line, src.Col, "YAML merge key needs a mapping")
			return
		}
		for i, k := range src.Keys {
			if m.Get(k.String()) == nil {
				m.Keys = append(m.Keys, k)
				m.Values = append(m.Values, src.Values[i])
			}
		}
		return
	}
	key := c.convert(mv.Key, depth+1)
	if c.err != nil {
		return
	}
	if key.Kind != Scalar {
		c.err = diag.At(c.file, key.Line, key.Col, "mapping keys must be scalars")
		return
	}
	if prev := m.Get(key.String()); prev != nil {
		c.err = diag.At(c.file, key.Line, key.Col, "duplicate key %q", key.String())
		return
	}
	val := c.convert(mv.Value, depth+1)
	if val.Kind == Null && val.Line == 0 {
		val.Line, val.Col = key.Line, key.Col
	}
	m.Keys = append(m.Keys, key)
	m.Values = append(m.Values, val)
}

// Get returns the value under key in a mapping, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i, k := range n.Keys {
		if k.String() == key {
			return n.Values[i]
		}
	}
	return nil
}

// String renders a scalar as text ("" for null, "true" for a boolean true).
func (n *Node) String() string {
	if n == nil || n.Kind != Scalar {
		return ""
	}
	switch v := n.Value.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(n.Value)
}

// Interface converts the node into plain Go values: map[string]any,
// []any, string, int64, float64, bool or nil.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Scalar:
		// goccy reads every non-negative integer as a uint64.
		if u, ok := n.Value.(uint64); ok {
			if u <= math.MaxInt64 {
				return int64(u)
			}
			return float64(u)
		}
		return n.Value
	case Map:
		m := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			m[k.String()] = n.Values[i].Interface()
		}
		return m
	case Seq:
		s := make([]any, len(n.Items))
		for i, it := range n.Items {
			s[i] = it.Interface()
		}
		return s
	}
	return nil
}

// Strings reads a scalar or a list of scalars as strings (dbt accepts
// `tags: x` as well as `tags: [x, y]`). ok is false for any other shape.
func (n *Node) Strings() (out []string, ok bool) {
	switch n.Kind {
	case Null:
		return nil, true
	case Scalar:
		return []string{n.String()}, true
	case Seq:
		for _, it := range n.Items {
			if it.Kind != Scalar {
				return nil, false
			}
			out = append(out, it.String())
		}
		return out, true
	}
	return nil, false
}

// Describe names the node's shape for error messages.
func (n *Node) Describe() string {
	if n.Kind == Scalar {
		return fmt.Sprintf("%q", strings.TrimSpace(n.String()))
	}
	return n.Kind.String()
}

// Int reads a whole-number scalar.
func (n *Node) Int() (int64, bool) {
	if n == nil || n.Kind != Scalar {
		return 0, false
	}
	switch v := n.Value.(type) {
	case int64:
		return v, true
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v), true
		}
	}
	return 0, false
}
