package jinja

// node is a Jinja expression.
type node interface{ position() int }

type (
	nameNode struct {
		pos  int
		name string
	}
	// constNode is a literal: val is string, int, float64, bool or None.
	constNode struct {
		pos int
		val any
	}
	listNode struct {
		pos   int
		items []node
	}
	tupleNode struct {
		pos   int
		items []node
	}
	dictNode struct {
		pos        int
		keys, vals []node
	}
	getattrNode struct {
		pos  int
		obj  node
		attr string
	}
	getitemNode struct {
		pos      int
		obj, key node
	}
	// sliceNode is obj[start:stop:step]; absent parts are nil.
	sliceNode struct {
		pos               int
		obj               node
		start, stop, step node
	}
	callNode struct {
		pos  int
		fn   node
		args callArgs
	}
	filterNode struct {
		pos  int
		obj  node
		name string
		args callArgs
	}
	testNode struct {
		pos    int
		obj    node
		name   string
		args   callArgs
		negate bool
	}
	// unaryNode is "-", "+" or "not".
	unaryNode struct {
		pos int
		op  string
		x   node
	}
	// binNode is an arithmetic operator, "and" or "or".
	binNode struct {
		pos  int
		op   string
		l, r node
	}
	concatNode struct {
		pos   int
		items []node
	}
	// compareNode is a (chained) comparison; ops are "==", "!=", "<",
	// "<=", ">", ">=", "in" and "notin".
	compareNode struct {
		pos    int
		first  node
		ops    []string
		others []node
	}
	// condNode is "then if cond else other"; other is nil without else.
	condNode struct {
		pos               int
		cond, then, other node
	}
)

// callArgs are the arguments of a call, filter or test.
type callArgs struct {
	positional []node
	kwargs     []kwargNode
}

type kwargNode struct {
	pos   int
	name  string
	value node
}

func (n *nameNode) position() int    { return n.pos }
func (n *constNode) position() int   { return n.pos }
func (n *listNode) position() int    { return n.pos }
func (n *tupleNode) position() int   { return n.pos }
func (n *dictNode) position() int    { return n.pos }
func (n *getattrNode) position() int { return n.pos }
func (n *getitemNode) position() int { return n.pos }
func (n *sliceNode) position() int   { return n.pos }
func (n *callNode) position() int    { return n.pos }
func (n *filterNode) position() int  { return n.pos }
func (n *testNode) position() int    { return n.pos }
func (n *unaryNode) position() int   { return n.pos }
func (n *binNode) position() int     { return n.pos }
func (n *concatNode) position() int  { return n.pos }
func (n *compareNode) position() int { return n.pos }
func (n *condNode) position() int    { return n.pos }
