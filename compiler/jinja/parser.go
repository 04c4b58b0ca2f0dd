package jinja

import (
	"strconv"
)

// parser is a recursive-descent parser for Jinja expressions over the
// tokens of one tag. The first error sticks; later calls return nil.
type parser struct {
	toks []token
	i    int
	end  int // offset reported for errors at the end of the tag
	err  *posError
}

func newParser(toks []token, end int) *parser {
	return &parser{toks: toks, end: end}
}

func (p *parser) cur() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{kind: tkEOF, pos: p.end}
}

func (p *parser) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return token{kind: tkEOF, pos: p.end}
}

func (p *parser) next() token {
	t := p.cur()
	if p.i < len(p.toks) {
		p.i++
	}
	return t
}

func (p *parser) atEOF() bool { return p.i >= len(p.toks) }

func (p *parser) isOp(op string) bool {
	return p.i < len(p.toks) && p.toks[p.i].kind == tkOp && p.toks[p.i].val == op
}

func (p *parser) isName(name string) bool {
	return p.i < len(p.toks) && p.toks[p.i].kind == tkName && p.toks[p.i].val == name
}

func (p *parser) fail(pos int, msg string) {
	if p.err == nil {
		p.err = &posError{pos: pos, msg: msg}
	}
}

// failHere reports an unexpected token.
func (p *parser) failHere(expected string) {
	p.fail(p.cur().pos, "unexpected "+describe(p.cur())+", expected "+expected)
}

func describe(t token) string {
	switch t.kind {
	case tkEOF:
		return "end of tag"
	case tkString:
		return "string " + strconv.Quote(t.val)
	default:
		return strconv.Quote(t.val)
	}
}

func (p *parser) expectOp(op string) bool {
	if p.err != nil {
		return false
	}
	if !p.isOp(op) {
		p.failHere(strconv.Quote(op))
		return false
	}
	p.next()
	return true
}

// parseExpression is Jinja's parse_expression.
func (p *parser) parseExpression(withCond bool) node {
	if withCond {
		return p.parseCondExpr()
	}
	return p.parseOr()
}

func (p *parser) parseCondExpr() node {
	expr := p.parseOr()
	for p.err == nil && p.isName("if") {
		pos := p.next().pos
		cond := p.parseOr()
		var other node
		if p.isName("else") {
			p.next()
			other = p.parseCondExpr()
		}
		expr = &condNode{pos: pos, cond: cond, then: expr, other: other}
	}
	return p.checked(expr)
}

// checked returns nil once an error has been recorded.
func (p *parser) checked(n node) node {
	if p.err != nil {
		return nil
	}
	return n
}

func (p *parser) parseOr() node {
	left := p.parseAnd()
	for p.err == nil && p.isName("or") {
		pos := p.next().pos
		left = &binNode{pos: pos, op: "or", l: left, r: p.parseAnd()}
	}
	return p.checked(left)
}

func (p *parser) parseAnd() node {
	left := p.parseNot()
	for p.err == nil && p.isName("and") {
		pos := p.next().pos
		left = &binNode{pos: pos, op: "and", l: left, r: p.parseNot()}
	}
	return p.checked(left)
}

func (p *parser) parseNot() node {
	if p.isName("not") {
		pos := p.next().pos
		return p.checked(&unaryNode{pos: pos, op: "not", x: p.parseNot()})
	}
	return p.parseCompare()
}

var compareOps = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) parseCompare() node {
	first := p.parseMath1()
	var cmp *compareNode
	for p.err == nil {
		t := p.cur()
		var op string
		switch {
		case t.kind == tkOp && compareOps[t.val]:
			p.next()
			op = t.val
		case p.isName("in"):
			p.next()
			op = "in"
		case p.isName("not") && p.peek(1).kind == tkName && p.peek(1).val == "in":
			p.next()
			p.next()
			op = "notin"
		default:
			if cmp == nil {
				return p.checked(first)
			}
			return p.checked(cmp)
		}
		if cmp == nil {
			cmp = &compareNode{pos: t.pos, first: first}
		}
		cmp.ops = append(cmp.ops, op)
		cmp.others = append(cmp.others, p.parseMath1())
	}
	return nil
}

func (p *parser) parseMath1() node {
	left := p.parseConcat()
	for p.err == nil && (p.isOp("+") || p.isOp("-")) {
		t := p.next()
		left = &binNode{pos: t.pos, op: t.val, l: left, r: p.parseConcat()}
	}
	return p.checked(left)
}

func (p *parser) parseConcat() node {
	first := p.parseMath2()
	if p.err != nil || !p.isOp("~") {
		return p.checked(first)
	}
	cat := &concatNode{pos: p.cur().pos, items: []node{first}}
	for p.err == nil && p.isOp("~") {
		p.next()
		cat.items = append(cat.items, p.parseMath2())
	}
	return p.checked(cat)
}

func (p *parser) parseMath2() node {
	left := p.parsePow()
	for p.err == nil && (p.isOp("*") || p.isOp("/") || p.isOp("//") || p.isOp("%")) {
		t := p.next()
		left = &binNode{pos: t.pos, op: t.val, l: left, r: p.parsePow()}
	}
	return p.checked(left)
}

func (p *parser) parsePow() node {
	left := p.parseUnary(true)
	for p.err == nil && p.isOp("**") {
		t := p.next()
		left = &binNode{pos: t.pos, op: "**", l: left, r: p.parseUnary(true)}
	}
	return p.checked(left)
}

func (p *parser) parseUnary(withFilter bool) node {
	var n node
	switch {
	case p.isOp("-") || p.isOp("+"):
		t := p.next()
		n = &unaryNode{pos: t.pos, op: t.val, x: p.parseUnary(false)}
	default:
		n = p.parsePrimary()
	}
	n = p.parsePostfix(n)
	if withFilter {
		n = p.parseFilterExpr(n)
	}
	return p.checked(n)
}

func (p *parser) parsePrimary() node {
	if p.err != nil {
		return nil
	}
	t := p.cur()
	switch t.kind {
	case tkName:
		p.next()
		switch t.val {
		case "true", "True":
			return &constNode{pos: t.pos, val: true}
		case "false", "False":
			return &constNode{pos: t.pos, val: false}
		case "none", "None":
			return &constNode{pos: t.pos, val: None}
		}
		return &nameNode{pos: t.pos, name: t.val}
	case tkString:
		p.next()
		s := t.val
		for p.cur().kind == tkString {
			s += p.next().val
		}
		return &constNode{pos: t.pos, val: s}
	case tkInt:
		p.next()
		n, _ := strconv.ParseInt(t.val, 10, 64)
		return &constNode{pos: t.pos, val: int(n)}
	case tkFloat:
		p.next()
		f, _ := strconv.ParseFloat(t.val, 64)
		return &constNode{pos: t.pos, val: f}
	}
	switch {
	case p.isOp("("):
		p.next()
		n := p.parseTuple(tupleOpts{explicitParens: true})
		p.expectOp(")")
		return p.checked(n)
	case p.isOp("["):
		return p.parseList()
	case p.isOp("{"):
		return p.parseDict()
	}
	p.failHere("an expression")
	return nil
}

// tupleOpts are the options of Jinja's parse_tuple.
type tupleOpts struct {
	simplified     bool
	noCond         bool
	explicitParens bool
	// endNames are names that end the tuple, like "in" after a for target.
	endNames []string
}

func (p *parser) isTupleEnd(o tupleOpts) bool {
	if p.atEOF() || p.isOp(")") {
		return true
	}
	for _, n := range o.endNames {
		if p.isName(n) {
			return true
		}
	}
	return false
}

// parseTuple is Jinja's parse_tuple: "a" is an expression, "a, b" a tuple.
func (p *parser) parseTuple(o tupleOpts) node {
	pos := p.cur().pos
	var items []node
	isTuple := false
	for p.err == nil {
		if len(items) > 0 && !p.expectOp(",") {
			return nil
		}
		if p.isTupleEnd(o) {
			break
		}
		switch {
		case o.simplified:
			items = append(items, p.parsePrimary())
		default:
			items = append(items, p.parseExpression(!o.noCond))
		}
		if !p.isOp(",") {
			break
		}
		isTuple = true
	}
	if p.err != nil {
		return nil
	}
	if !isTuple {
		if len(items) > 0 {
			return items[0]
		}
		if !o.explicitParens {
			p.failHere("an expression")
			return nil
		}
	}
	return &tupleNode{pos: pos, items: items}
}

func (p *parser) parseList() node {
	pos := p.next().pos
	list := &listNode{pos: pos}
	for p.err == nil && !p.isOp("]") {
		if len(list.items) > 0 && !p.expectOp(",") {
			return nil
		}
		if p.isOp("]") {
			break
		}
		list.items = append(list.items, p.parseExpression(true))
	}
	p.expectOp("]")
	return p.checked(list)
}

func (p *parser) parseDict() node {
	pos := p.next().pos
	dict := &dictNode{pos: pos}
	for p.err == nil && !p.isOp("}") {
		if len(dict.keys) > 0 && !p.expectOp(",") {
			return nil
		}
		if p.isOp("}") {
			break
		}
		dict.keys = append(dict.keys, p.parseExpression(true))
		p.expectOp(":")
		dict.vals = append(dict.vals, p.parseExpression(true))
	}
	p.expectOp("}")
	return p.checked(dict)
}

func (p *parser) parsePostfix(n node) node {
	for p.err == nil {
		switch {
		case p.isOp(".") || p.isOp("["):
			n = p.parseSubscript(n)
		case p.isOp("("):
			pos := p.cur().pos
			n = &callNode{pos: pos, fn: n, args: p.parseCallArgs()}
		default:
			return n
		}
	}
	return nil
}

func (p *parser) parseFilterExpr(n node) node {
	for p.err == nil {
		switch {
		case p.isOp("|"):
			n = p.parseFilter(n)
		case p.isName("is"):
			n = p.parseTest(n)
		case p.isOp("("):
			pos := p.cur().pos
			n = &callNode{pos: pos, fn: n, args: p.parseCallArgs()}
		default:
			return n
		}
	}
	return nil
}

func (p *parser) parseSubscript(obj node) node {
	t := p.next()
	if t.val == "." {
		attr := p.next()
		switch attr.kind {
		case tkName:
			return &getattrNode{pos: attr.pos, obj: obj, attr: attr.val}
		case tkInt:
			n, _ := strconv.Atoi(attr.val)
			return &getitemNode{pos: attr.pos, obj: obj, key: &constNode{pos: attr.pos, val: n}}
		}
		p.fail(attr.pos, "unexpected "+describe(attr)+" after \".\", expected a name or a number")
		return nil
	}
	var subs []node
	for p.err == nil && !p.isOp("]") {
		if len(subs) > 0 && !p.expectOp(",") {
			return nil
		}
		subs = append(subs, p.parseSubscribed(obj, t.pos))
	}
	p.expectOp("]")
	if p.err != nil {
		return nil
	}
	switch len(subs) {
	case 0:
		p.fail(t.pos, "empty subscript \"[]\"")
		return nil
	case 1:
		if s, ok := subs[0].(*sliceNode); ok {
			return s
		}
		return &getitemNode{pos: t.pos, obj: obj, key: subs[0]}
	}
	p.fail(t.pos, "unsupported Jinja construct: subscript with several values \"[a, b]\"")
	return nil
}

// parseSubscribed parses one subscript: an expression or a slice.
func (p *parser) parseSubscribed(obj node, pos int) node {
	var start node
	if !p.isOp(":") {
		start = p.parseExpression(true)
		if p.err != nil || !p.isOp(":") {
			return start
		}
	}
	p.next()
	s := &sliceNode{pos: pos, obj: obj, start: start}
	if !p.isOp(":") && !p.isOp("]") && !p.isOp(",") {
		s.stop = p.parseExpression(true)
	}
	if p.err == nil && p.isOp(":") {
		p.next()
		if !p.isOp("]") && !p.isOp(",") {
			s.step = p.parseExpression(true)
		}
	}
	return p.checked(s)
}

// parseCallArgs parses "(args, name=value)".
func (p *parser) parseCallArgs() callArgs {
	var args callArgs
	p.expectOp("(")
	first := true
	for p.err == nil && !p.isOp(")") {
		if !first {
			if !p.expectOp(",") || p.isOp(")") {
				break
			}
		}
		first = false
		t := p.cur()
		switch {
		case p.isOp("*") || p.isOp("**"):
			p.fail(t.pos, "unsupported Jinja construct: \""+t.val+"\" argument unpacking")
		case t.kind == tkName && p.peek(1).kind == tkOp && p.peek(1).val == "=":
			p.next()
			p.next()
			args.kwargs = append(args.kwargs, kwargNode{pos: t.pos, name: t.val, value: p.parseExpression(true)})
		default:
			if len(args.kwargs) > 0 {
				p.fail(t.pos, "positional argument follows keyword argument")
				break
			}
			args.positional = append(args.positional, p.parseExpression(true))
		}
	}
	p.expectOp(")")
	return args
}

// dottedName parses name(.name)* after a "|" or "is".
func (p *parser) dottedName() (string, int) {
	t := p.cur()
	if t.kind != tkName {
		p.failHere("a name")
		return "", t.pos
	}
	p.next()
	name := t.val
	for p.isOp(".") && p.peek(1).kind == tkName {
		p.next()
		name += "." + p.next().val
	}
	return name, t.pos
}

func (p *parser) parseFilter(obj node) node {
	p.next()
	name, pos := p.dottedName()
	f := &filterNode{pos: pos, obj: obj, name: name}
	if p.err == nil && p.isOp("(") {
		f.args = p.parseCallArgs()
	}
	return p.checked(f)
}

var testArgStarts = map[tokKind]bool{tkName: true, tkString: true, tkInt: true, tkFloat: true}

func (p *parser) parseTest(obj node) node {
	p.next()
	negate := false
	if p.isName("not") {
		p.next()
		negate = true
	}
	name, pos := p.dottedName()
	t := &testNode{pos: pos, obj: obj, name: name, negate: negate}
	cur := p.cur()
	switch {
	case p.err != nil:
	case p.isOp("("):
		t.args = p.parseCallArgs()
	case (testArgStarts[cur.kind] || p.isOp("[") || p.isOp("{")) &&
		!p.isName("else") && !p.isName("or") && !p.isName("and"):
		if p.isName("is") {
			p.fail(cur.pos, "cannot chain tests with \"is\"")
			break
		}
		arg := p.parsePostfix(p.parsePrimary())
		t.args.positional = []node{arg}
	}
	return p.checked(t)
}
