package jinja

import (
	"math"
	"strconv"
	"strings"
)

// emitter writes a Jinja expression as pongo2 expression source. Of
// pongo2's expressions it uses literals, calls of helpers from Globals and
// the short-circuit and/or; names, calls and every Jinja operator become
// helper calls so that they keep Jinja's semantics. The first error sticks.
type emitter struct {
	b *buffer
	// inLoop tells whether the expression is inside the body of a for loop,
	// where loop.* maps onto pongo2's forloop.
	inLoop bool
	err    *posError
}

func (e *emitter) fail(pos int, msg string) {
	if e.err == nil {
		e.err = &posError{pos: pos, msg: msg}
	}
}

func (e *emitter) w(s string) { e.b.write(s) }

// q writes s, a name or an operator that needs no escaping, quoted.
func (e *emitter) q(s string) {
	e.b.writeByte('"')
	e.b.write(s)
	e.b.writeByte('"')
}

// reservedNames cannot be template names: pongo2 keywords, pongo2's own
// names and the helper namespace "__".
var reservedNames = map[string]bool{
	"in": true, "and": true, "or": true, "not": true, "true": true, "false": true,
	"as": true, "export": true, "forloop": true, "pongo2": true,
}

// nameProblem explains why name cannot be used, or returns "".
func nameProblem(name string) string {
	if strings.HasPrefix(name, "__") || reservedNames[name] {
		return "the name \"" + name + "\" is reserved"
	}
	return ""
}

// expr writes n in value context.
func (e *emitter) expr(n node) {
	switch n := n.(type) {
	case *nameNode:
		// __.var reads the name without pongo2's habit of calling a
		// function value it finds (config.get must see config itself).
		if e.checkName(n) {
			e.w("__.var(")
			e.q(n.name)
			e.w(")")
		}
	case *constNode:
		e.constant(n)
	case *listNode:
		e.call("__.list", n.items)
	case *tupleNode:
		e.call("__.tuple", n.items)
	case *dictNode:
		pairs := make([]node, 0, 2*len(n.keys))
		for i := range n.keys {
			pairs = append(pairs, n.keys[i], n.vals[i])
		}
		e.call("__.dict", pairs)
	case *getattrNode:
		e.getattr(n)
	case *getitemNode:
		if isLoopName(n.obj) {
			e.fail(n.pos, `unsupported Jinja construct "loop[...]"`)
			return
		}
		e.call("__.getitem", []node{n.obj, n.key})
	case *sliceNode:
		e.w("__.slice(")
		e.expr(n.obj)
		for _, part := range []node{n.start, n.stop, n.step} {
			e.w(", ")
			if part == nil {
				e.w("__.none")
			} else {
				e.expr(part)
			}
		}
		e.w(")")
	case *callNode:
		e.callExpr(n)
	case *filterNode:
		if !filterExists(n.name) {
			e.fail(n.pos, "unknown filter \""+n.name+"\"")
			return
		}
		e.w("__.filter(")
		e.q(n.name)
		e.w(", ")
		e.expr(n.obj)
		e.args(n.args, true)
		e.w(")")
	case *testNode:
		e.test(n)
	case *unaryNode:
		e.unary(n)
	case *binNode:
		e.binary(n)
	case *concatNode:
		e.call("__.concat", n.items)
	case *compareNode:
		e.compare(n)
	case *condNode:
		// Only the chosen branch is evaluated: pongo2's and/or short-circuit
		// and __.stash keeps the value of the branch that ran for __.take.
		e.w("__.take((")
		e.boolExpr(n.cond)
		e.w(" and __.stash(")
		e.expr(n.then)
		e.w(")) or __.stash(")
		if n.other == nil {
			e.w("__.undefined")
		} else {
			e.expr(n.other)
		}
		e.w("))")
	}
}

// checkName reports a name that cannot be used in an expression.
func (e *emitter) checkName(n *nameNode) bool {
	if n.name == "loop" {
		e.fail(n.pos, `"loop" can only be used as loop.index, loop.index0, loop.first, loop.last, loop.length, loop.revindex, loop.revindex0 or loop.cycle(...)`)
		return false
	}
	if msg := nameProblem(n.name); msg != "" {
		e.fail(n.pos, msg)
		return false
	}
	return true
}

// boolExpr writes n where only its truth matters (if conditions, not,
// the condition of an inline if): and/or stay pongo2's short-circuit
// operators and every operand is made a Go bool. The whole and/or is
// parenthesized, because pongo2 parses "a or b and c" as "a or (b and c)"
// and the caller may continue the expression with its own and/or.
func (e *emitter) boolExpr(n node) {
	switch n := n.(type) {
	case *binNode:
		if n.op == "and" || n.op == "or" {
			e.w("((")
			e.boolExpr(n.l)
			e.w(") " + n.op + " (")
			e.boolExpr(n.r)
			e.w("))")
			return
		}
	case *unaryNode:
		if n.op == "not" {
			e.expr(n)
			return
		}
	case *compareNode, *testNode:
		e.expr(n)
		return
	case *constNode:
		if _, ok := n.val.(bool); ok {
			e.expr(n)
			return
		}
	}
	e.w("__.bool(")
	e.expr(n)
	e.w(")")
}

func (e *emitter) constant(n *constNode) {
	switch v := n.val.(type) {
	case string:
		writePongoString(e.b, v)
	case int:
		e.w(strconv.Itoa(v))
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			e.fail(n.pos, "float literal out of range")
			return
		}
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.ContainsRune(s, '.') {
			s += ".0"
		}
		e.w(s)
	case bool:
		e.w(strconv.FormatBool(v))
	case NoneType:
		e.w("__.none")
	}
}

// writePongoString writes s as a pongo2 string literal. pongo2 literals
// cannot hold a newline, so such strings are joined by __.lines at render
// time.
func writePongoString(b *buffer, s string) {
	if strings.IndexByte(s, '\x01') >= 0 {
		// pongo2's lexer takes U+0001 for the end of its input.
		b.write("__.concat(")
		for i, part := range strings.Split(s, "\x01") {
			if i > 0 {
				b.write(", __.soh, ")
			}
			writePongoString(b, part)
		}
		b.write(")")
		return
	}
	if strings.Contains(s, "\n") {
		b.write("__.lines(")
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				b.write(", ")
			}
			writePongoString(b, part)
		}
		b.write(")")
		return
	}
	b.writeByte('"')
	if !strings.ContainsAny(s, `\"`) {
		b.write(s)
	} else {
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' || s[i] == '"' {
				b.writeByte('\\')
			}
			b.writeByte(s[i])
		}
	}
	b.writeByte('"')
}

// call writes fn(items...).
func (e *emitter) call(fn string, items []node) {
	e.w(fn + "(")
	for i, it := range items {
		if i > 0 {
			e.w(", ")
		}
		e.expr(it)
	}
	e.w(")")
}

// args writes call arguments; leadingComma when something precedes them.
func (e *emitter) args(a callArgs, leadingComma bool) {
	sep := leadingComma
	for _, p := range a.positional {
		if sep {
			e.w(", ")
		}
		sep = true
		e.expr(p)
	}
	for _, kw := range a.kwargs {
		if sep {
			e.w(", ")
		}
		sep = true
		if msg := nameProblem(kw.name); msg != "" {
			e.fail(kw.pos, msg)
		}
		e.w("__.kw(")
		e.q(kw.name)
		e.w(", ")
		e.expr(kw.value)
		e.w(")")
	}
}

func isLoopName(n node) bool {
	name, ok := n.(*nameNode)
	return ok && name.name == "loop"
}

// loopAttrs maps loop.* onto pongo2's forloop.
var loopAttrs = map[string]string{
	"index":     "forloop.Counter",
	"index0":    "forloop.Counter0",
	"first":     "forloop.First",
	"last":      "forloop.Last",
	"revindex":  "forloop.Revcounter",
	"revindex0": "forloop.Revcounter0",
	"length":    "__.add(forloop.Counter0, forloop.Revcounter)",
}

func (e *emitter) getattr(n *getattrNode) {
	if !isLoopName(n.obj) {
		e.w("__.getattr(")
		e.expr(n.obj)
		e.w(", ")
		e.q(n.attr)
		e.w(")")
		return
	}
	if !e.inLoop {
		e.fail(n.obj.position(), "\"loop."+n.attr+"\" outside of a for loop body")
		return
	}
	src, ok := loopAttrs[n.attr]
	if !ok {
		e.fail(n.pos, "unsupported Jinja construct \"loop."+n.attr+"\"")
		return
	}
	e.w(src)
}

// dottedPath returns "a.b.c" for a chain of names, or "".
func dottedPath(n node) string {
	switch n := n.(type) {
	case *nameNode:
		return n.name
	case *getattrNode:
		if p := dottedPath(n.obj); p != "" {
			return p + "." + n.attr
		}
	}
	return ""
}

// receiver writes the object of a method call. A chain of names a.b.c is
// read with __.path, which gives undefined instead of failing at an
// undefined link, so that modules.datetime.date.today() can still reach
// the NamespaceCall.
func (e *emitter) receiver(n node) {
	attr, ok := n.(*getattrNode)
	if !ok || isLoopName(attr.obj) || dottedPath(n) == "" {
		e.expr(n)
		return
	}
	var names []string
	for ; attr != nil; attr, _ = n.(*getattrNode) {
		names = append(names, attr.attr)
		n = attr.obj
	}
	e.w("__.path(")
	e.expr(n)
	for i := len(names) - 1; i >= 0; i-- {
		e.w(", ")
		e.q(names[i])
	}
	e.w(")")
}

// callExpr writes a call. A call of a name goes through __.fn, which fails
// for an undefined name (pongo2 would render nothing); obj.m(...) goes
// through __.method, which applies Python methods of strings, lists and
// dicts and hands dotted names it cannot resolve (dbt.x(), adapter.y())
// to the NamespaceCall bound in the context; anything else is __.invoke.
func (e *emitter) callExpr(n *callNode) {
	switch fn := n.fn.(type) {
	case *nameNode:
		if e.checkName(fn) {
			e.w("__.fn(")
			e.q(fn.name)
			e.args(n.args, true)
			e.w(")")
		}
		return
	case *getattrNode:
		if isLoopName(fn.obj) {
			if fn.attr != "cycle" {
				e.fail(fn.pos, "unsupported Jinja construct \"loop."+fn.attr+"(...)\"")
				return
			}
			if !e.inLoop {
				e.fail(fn.obj.position(), "\"loop.cycle\" outside of a for loop body")
				return
			}
			e.w("__.cycle(forloop.Counter0")
			e.args(n.args, true)
			e.w(")")
			return
		}
		e.w("__.method(")
		e.receiver(fn.obj)
		e.w(", ")
		e.q(dottedPath(fn))
		e.w(", ")
		e.q(fn.attr)
		e.args(n.args, true)
		e.w(")")
		return
	}
	e.w("__.invoke(")
	e.expr(n.fn)
	e.args(n.args, true)
	e.w(")")
}

func (e *emitter) test(n *testNode) {
	if !testExists(n.name) {
		e.fail(n.pos, "unknown test \""+n.name+"\"")
		return
	}
	if n.negate {
		e.w("__.lnot(")
	}
	e.w("__.is(")
	e.q(n.name)
	e.w(", ")
	e.expr(n.obj)
	e.args(n.args, true)
	e.w(")")
	if n.negate {
		e.w(")")
	}
}

func (e *emitter) unary(n *unaryNode) {
	switch n.op {
	case "not":
		e.w("__.lnot(")
		e.boolExpr(n.x)
	case "-":
		e.w("__.neg(")
		e.expr(n.x)
	default:
		e.w("__.pos(")
		e.expr(n.x)
	}
	e.w(")")
}

var binaryHelpers = map[string]string{
	"+": "__.add", "-": "__.sub", "*": "__.mul", "/": "__.div",
	"//": "__.floordiv", "%": "__.mod", "**": "__.pow",
}

func (e *emitter) binary(n *binNode) {
	switch n.op {
	case "or":
		// __.keep_if_true stores l and stops the or when l is truthy;
		// otherwise r is evaluated and stored. __.take returns what is stored.
		e.w("__.take(__.keep_if_true(")
		e.expr(n.l)
		e.w(") or __.stash(")
		e.expr(n.r)
		e.w("))")
	case "and":
		e.w("__.take(__.keep_if_false(")
		e.expr(n.l)
		e.w(") or __.stash(")
		e.expr(n.r)
		e.w("))")
	default:
		e.call(binaryHelpers[n.op], []node{n.l, n.r})
	}
}

// compare writes a comparison. In a chain a < b < c, b is evaluated once
// (__.keep stores it, __.slot reads it back) and c only when a < b holds.
func (e *emitter) compare(n *compareNode) {
	if len(n.ops) > 1 {
		e.w("(")
	}
	for i, op := range n.ops {
		if i > 0 {
			e.w(" and ")
		}
		e.w("__.cmp(")
		if i == 0 {
			e.expr(n.first)
		} else {
			e.w("__.slot()")
		}
		e.w(", ")
		e.q(op)
		e.w(", ")
		if i < len(n.ops)-1 {
			e.w("__.keep(")
			e.expr(n.others[i])
			e.w(")")
		} else {
			e.expr(n.others[i])
		}
		e.w(")")
	}
	if len(n.ops) > 1 {
		e.w(")")
	}
}
