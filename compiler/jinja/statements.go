package jinja

import (
	"strconv"
)

func (t *translator) ifTag(name token, p *parser) {
	switch name.val {
	case "if":
		t.condTag(p, "if")
		t.blocks = append(t.blocks, block{kind: "if", pos: name.pos})
	case "elif":
		b := t.top("if")
		switch {
		case b == nil:
			t.misplaced(name, "if")
		case b.elseSeen:
			t.fail(name.pos, "\"{% elif %}\" after \"{% else %}\"")
		default:
			t.condTag(p, "elif")
		}
	case "else":
		requireEnd(p)
		if p.err != nil {
			t.flush(p, nil)
			return
		}
		b := t.top("if")
		pongoTag := "{% else %}"
		if b == nil {
			b = t.top("for")
			pongoTag = "{% endwith %}{% empty %}"
		}
		switch {
		case b == nil:
			t.misplaced(name, "if")
		case b.elseSeen:
			t.fail(name.pos, "a second \"{% else %}\" in \"{% "+b.kind+" %}\"")
		default:
			b.elseSeen = true
			t.out.write(pongoTag)
		}
	case "endif":
		if t.closeBlock(name, "if") {
			t.out.write("{% endif %}")
		}
	}
}

// condTag writes {% if cond %} or {% elif cond %}.
func (t *translator) condTag(p *parser, tag string) {
	cond := p.parseTuple(tupleOpts{noCond: true})
	requireEnd(p)
	e := t.newEmitter()
	if p.err == nil {
		e.w("{% " + tag + " ")
		e.boolExpr(cond)
		e.w(" %}")
	}
	t.flush(p, e)
}

// targetNames returns the names assigned by a for or set target: one name
// or a tuple of names.
func targetNames(p *parser, target node) (names []string, unpack bool) {
	if p.err != nil {
		return nil, false
	}
	items := []node{target}
	if tuple, ok := target.(*tupleNode); ok {
		items, unpack = tuple.items, true
	}
	for _, it := range items {
		n, ok := it.(*nameNode)
		if !ok {
			p.fail(it.position(), "can only assign to names here")
			return nil, false
		}
		if n.name == "loop" {
			p.fail(n.pos, "the name \"loop\" is reserved")
			return nil, false
		}
		if msg := nameProblem(n.name); msg != "" {
			p.fail(n.pos, msg)
			return nil, false
		}
		names = append(names, n.name)
	}
	return names, unpack
}

// writeUnpack writes {% set name = __.unpack(src, i, n) %} for every name.
func writeUnpack(e *emitter, src string, names []string) {
	n := strconv.Itoa(len(names))
	for i, name := range names {
		e.w("{% set " + name + ` = __.unpack(__.var("` + src + `"), ` + strconv.Itoa(i) + ", " + n + ") %}")
	}
}

func (t *translator) tempName(prefix string) string {
	t.temps++
	return prefix + strconv.Itoa(t.temps)
}

// forTag translates {% for %}. Jinja gives every iteration a fresh scope
// (a {% set %} in the body does not carry over to the next iteration), so
// the body is wrapped in a pongo2 {% with %}, which copies the scope each
// time it runs. A loop filter "for x in xs if cond" first collects the
// items that pass into a list, so that loop.* counts only those.
func (t *translator) forTag(name token, p *parser) {
	if name.val == "endfor" {
		b := t.top("for")
		if t.closeBlock(name, "for") {
			if !b.elseSeen {
				t.out.write("{% endwith %}")
			}
			t.out.write("{% endfor %}")
		}
		return
	}
	target := p.parseTuple(tupleOpts{simplified: true, endNames: []string{"in"}})
	if p.err == nil && !p.isName("in") {
		p.failHere("\"in\"")
	}
	p.next()
	iter := p.parseTuple(tupleOpts{noCond: true, endNames: []string{"recursive"}})
	var cond node
	if p.err == nil && p.isName("if") {
		p.next()
		cond = p.parseExpression(true)
	}
	if p.err == nil && p.isName("recursive") {
		p.fail(p.cur().pos, "unsupported Jinja construct \"{% for ... recursive %}\"")
	}
	requireEnd(p)
	names, unpack := targetNames(p, target)
	e := t.newEmitter()
	if p.err == nil {
		if cond == nil {
			e.w("{% for ")
			t.loopHead(e, names, unpack, func() { e.expr(iter) })
		} else {
			filtered := t.tempName("__f")
			e.w("{% set " + filtered + " = __.list() %}{% for ")
			item := t.loopHead(e, names, unpack, func() { e.expr(iter) })
			inLoop := e.inLoop
			e.inLoop = false
			e.w("{% if ")
			e.boolExpr(cond)
			e.inLoop = inLoop
			e.w(" %}{% do __.method(" + filtered + `, "", "append", __.var("` + item + `")) %}{% endif %}{% endfor %}{% for `)
			t.loopHead(e, names, unpack, func() { e.w(filtered) })
		}
		e.w("{% with __iteration=true %}")
	}
	t.flush(p, e)
	t.blocks = append(t.blocks, block{kind: "for", pos: name.pos})
}

// loopHead writes "target in __.iter(...) %}" and the unpacking of a tuple
// target; it returns the pongo2 expression of the current item.
func (t *translator) loopHead(e *emitter, names []string, unpack bool, iterable func()) string {
	loopVar := names[0]
	if unpack {
		loopVar = t.tempName("__p")
	}
	e.w(loopVar + " in __.iter(")
	iterable()
	e.w(") %}")
	if unpack {
		writeUnpack(e, loopVar, names)
	}
	return loopVar
}

func (t *translator) setTag(name token, p *parser) {
	if name.val == "endset" {
		if t.closeBlock(name, "set") {
			t.out.write("{% endsetblock %}")
		}
		return
	}
	if p.cur().kind == tkName && p.peek(1).kind == tkOp && p.peek(1).val == "." {
		t.namespaceSet(p)
		return
	}
	target := p.parseTuple(tupleOpts{simplified: true})
	names, unpack := targetNames(p, target)
	if p.err == nil && !p.isOp("=") {
		t.blockSet(name, p, names, unpack)
		return
	}
	p.next()
	value := p.parseTuple(tupleOpts{})
	requireEnd(p)
	e := t.newEmitter()
	if p.err == nil {
		dest := names[0]
		if unpack {
			dest = t.tempName("__t")
		}
		e.w("{% set " + dest + " = ")
		e.expr(value)
		e.w(" %}")
		if unpack {
			writeUnpack(e, dest, names)
		}
	}
	t.flush(p, e)
}

// blockSet handles {% set x %}...{% endset %}.
func (t *translator) blockSet(name token, p *parser, names []string, unpack bool) {
	switch {
	case p.isOp("|"):
		p.fail(p.cur().pos, "unsupported Jinja construct \"{% set x | filter %}\"")
	case unpack:
		p.fail(name.pos, "a block \"{% set %}\" assigns a single name")
	}
	requireEnd(p)
	if p.err != nil {
		t.flush(p, nil)
		return
	}
	t.out.write("{% setblock " + names[0] + " %}")
	t.blocks = append(t.blocks, block{kind: "set", pos: name.pos})
}

// namespaceSet handles {% set ns.attr = value %}.
func (t *translator) namespaceSet(p *parser) {
	ns := p.next()
	p.next()
	attr := p.cur()
	if attr.kind != tkName {
		p.failHere("an attribute name")
	}
	p.next()
	p.expectOp("=")
	value := p.parseTuple(tupleOpts{})
	requireEnd(p)
	e := t.newEmitter()
	if p.err == nil {
		e.w("{% do __.setattr(")
		e.expr(&nameNode{pos: ns.pos, name: ns.val})
		e.w(", ")
		e.q(attr.val)
		e.w(", ")
		e.expr(value)
		e.w(") %}")
	}
	t.flush(p, e)
}

func (t *translator) macroTag(name token, p *parser) {
	if name.val == "endmacro" {
		if t.closeBlock(name, "macro") {
			t.out.write("{% endmacro %}")
		}
		return
	}
	macroName := p.cur()
	if macroName.kind != tkName {
		p.failHere("a macro name")
	} else if msg := nameProblem(macroName.val); msg != "" {
		p.fail(macroName.pos, msg)
	}
	p.next()
	p.expectOp("(")
	var params []string
	var defaults []node
	for p.err == nil && !p.isOp(")") {
		if len(params) > 0 && !p.expectOp(",") {
			break
		}
		param := p.cur()
		if param.kind != tkName {
			p.failHere("a parameter name")
			break
		}
		if msg := nameProblem(param.val); msg != "" {
			p.fail(param.pos, msg)
		}
		p.next()
		var def node
		if p.isOp("=") {
			p.next()
			def = p.parseExpression(true)
		} else if len(defaults) > 0 && defaults[len(defaults)-1] != nil {
			p.fail(param.pos, "non-default parameter \""+param.val+"\" follows a default parameter")
		}
		params = append(params, param.val)
		defaults = append(defaults, def)
	}
	p.expectOp(")")
	requireEnd(p)
	if p.err == nil && len(t.blocks) > 0 {
		p.fail(name.pos, "\"{% macro %}\" must be at the top level of the file, not inside \"{% "+t.blocks[len(t.blocks)-1].kind+" %}\"")
	}
	e := t.newEmitter()
	if p.err == nil {
		e.w("{% macro " + macroName.val + "(")
		for i, param := range params {
			if i > 0 {
				e.w(", ")
			}
			e.w(param)
			if defaults[i] != nil {
				e.w("=")
				e.expr(defaults[i])
			}
		}
		e.w(") %}")
	}
	t.flush(p, e)
	t.blocks = append(t.blocks, block{kind: "macro", pos: name.pos})
}

func (t *translator) withTag(name token, p *parser) {
	if name.val == "endwith" {
		if t.closeBlock(name, "with") {
			t.out.write("{% endwith %}")
		}
		return
	}
	args := t.keywordList(p, true)
	e := t.newEmitter()
	if p.err == nil {
		e.w("{% with")
		for _, kw := range args {
			e.w(" " + kw.name + "=")
			e.expr(kw.value)
		}
		if len(args) == 0 {
			e.w(" __unused=__.none")
		}
		e.w(" %}")
	}
	t.flush(p, e)
	t.blocks = append(t.blocks, block{kind: "with", pos: name.pos})
}

// keywordList parses "a = x, b = y" up to the end of the tag; commas are
// optional unless requireCommas.
func (t *translator) keywordList(p *parser, requireCommas bool) []kwargNode {
	var args []kwargNode
	for p.err == nil && !p.atEOF() {
		if len(args) > 0 && (requireCommas || p.isOp(",")) && !p.expectOp(",") {
			break
		}
		key := p.cur()
		if key.kind != tkName {
			p.failHere("a name")
			break
		}
		if msg := nameProblem(key.val); msg != "" {
			p.fail(key.pos, msg)
		}
		p.next()
		p.expectOp("=")
		args = append(args, kwargNode{pos: key.pos, name: key.val, value: p.parseExpression(true)})
	}
	return args
}

func (t *translator) doTag(p *parser) {
	value := p.parseTuple(tupleOpts{})
	requireEnd(p)
	e := t.newEmitter()
	if p.err == nil {
		e.w("{% do ")
		e.expr(value)
		e.w(" %}")
	}
	t.flush(p, e)
}

// configTag handles martlet's {% config materialized="table" %}, the tag
// form of {{ config(materialized="table") }}.
func (t *translator) configTag(p *parser) {
	args := t.keywordList(p, false)
	e := t.newEmitter()
	if p.err == nil {
		e.w("{% do config(")
		e.args(callArgs{kwargs: args}, false)
		e.w(") %}")
	}
	t.flush(p, e)
}
