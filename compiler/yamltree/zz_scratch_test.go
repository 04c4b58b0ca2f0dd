package yamltree

import (
	"fmt"
	"testing"
)

func dump(n *Node, ind string) {
	if n == nil {
		fmt.Println(ind, "<nil>")
		return
	}
	fmt.Printf("%s%v %d:%d %#v\n", ind, n.Kind, n.Line, n.Col, n.Value)
	for i, k := range n.Keys {
		fmt.Printf("%s key %q %d:%d\n", ind, k.String(), k.Line, k.Col)
		dump(n.Values[i], ind+"   ")
	}
	for _, it := range n.Items {
		dump(it, ind+"  -")
	}
}

func TestZZScratch(t *testing.T) {
	for _, s := range []string{
		"name: x\n",
		"name: x\nb: 2\n",
		"  name: x\n  b: 2\n",
		"{name: x, b: 2}\n",
		"a: 1\n---\n",
		"---\n---\na: 1\n",
		"a: 1\n---\nb: 2\n",
		"a: [1, 2\n",
		"a: 1\na: 2\n",
		"a: &x {b: 1}\nc: *x\n",
		"a: *y\n",
		"a:\n\tb: 1\n",
		"x: 99999999999999999999999\ny: .nan\nz: -.inf\nw: 0x1F\nv: 1e400\n",
		"<<: {a: 1}\nb: 2\n",
		"? [a]\n: 1\n",
		"\"\": 1\n",
		"a:\n  - b\n  -\n  - c: \n",
		"!!binary aGVsbG8=\n",
		"a: |\n  lit\n  eral\n",
		"a: !custom 3\n",
		"- 1\n- 2\n",
		"%YAML 1.2\n---\na: 1\n",
		"# only comment\n",
		"",
		"a: b: c\n",
		"\xff\xfe",
	} {
		n, d := Parse("f.yml", []byte(s))
		fmt.Printf("=== %q -> diag=%v\n", s, d)
		dump(n, "")
	}
}
