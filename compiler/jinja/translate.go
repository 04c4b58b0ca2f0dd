// Package jinja owns martlet's Jinja dialect: it translates dbt-style
// Jinja template source into pongo2 source with the same line structure,
// extracts {% macro %} definitions, and provides the runtime helpers,
// filters, tests and tags the translated source relies on. Every Jinja
// construct either renders what Jinja renders or is reported as an *Error
// at its line and column in the original source.
package jinja

import (
	"sort"
	"strings"
	"unicode"
)

// Translate rewrites Jinja source into pongo2 source with the same line
// structure: the output has as many lines as the input and every output
// line comes from the same input line, so pongo2's line numbers are the
// original ones. CRLF line ends become LF and, as in Jinja, a single
// trailing newline of the template is not rendered.
//
// The output is meant for ExtractMacros and then pongo2, rendered with
// Globals() in the context. Names are read with __.var and calls made with
// __.fn, so a function in the context is only called when the template
// calls it; keyword arguments arrive as Kwarg values (see SplitArgs).
func Translate(src string) (string, []*Error) {
	if strings.Contains(src, "\r\n") {
		src = strings.ReplaceAll(src, "\r\n", "\n")
	}
	body, trailingNewline := strings.CutSuffix(src, "\n")
	segs, lexErrs := lexTemplate(body)
	t := &translator{src: body, segs: segs, errs: lexErrs}
	t.out.b = make([]byte, 0, len(body)+len(body)/2)
	t.run()
	if trailingNewline {
		t.hidden(1)
	}
	return string(t.out.b), t.errors()
}

// translator turns segments into pongo2 source.
type translator struct {
	src    string
	segs   []segment
	out    buffer
	errs   []posError
	blocks []block
	temps  int
	// mark is where the output of the tag being translated starts.
	mark int
}

// buffer accumulates output; unlike strings.Builder it can be cut back to
// drop the partial output of a tag that fails to translate.
type buffer struct{ b []byte }

func (w *buffer) write(s string) { w.b = append(w.b, s...) }

func (w *buffer) writeByte(c byte) { w.b = append(w.b, c) }

// block is an open block tag.
type block struct {
	kind     string
	pos      int
	elseSeen bool
	// unsupported marks a block of an unsupported tag ({% call %}, ...),
	// kept only so that its end tag is not reported a second time.
	unsupported bool
}

func (t *translator) fail(pos int, msg string) {
	t.errs = append(t.errs, posError{pos: pos, msg: msg})
}

func (t *translator) errors() []*Error {
	if len(t.errs) == 0 {
		return nil
	}
	sort.SliceStable(t.errs, func(i, j int) bool { return t.errs[i].pos < t.errs[j].pos })
	li := newLineIndex(t.src)
	out := make([]*Error, len(t.errs))
	for i, e := range t.errs {
		line, col := li.position(e.pos)
		out[i] = &Error{Line: line, Col: col, Msg: e.msg}
	}
	return out
}

func (t *translator) run() {
	for i, seg := range t.segs {
		switch seg.kind {
		case segText:
			t.text(i)
		case segVar:
			t.varTag(seg)
		case segBlock:
			t.blockTag(seg)
		default:
			t.hidden(strings.Count(t.src[seg.start:seg.end], "\n"))
		}
	}
	for _, b := range t.blocks {
		if !b.unsupported {
			t.fail(b.pos, "unclosed \"{% "+b.kind+" %}\": missing \"{% end"+b.kind+" %}\"")
		}
	}
}

// hidden writes n newlines that render nothing, keeping the line count of
// removed source (comments, multi-line tags, trimmed whitespace).
func (t *translator) hidden(n int) {
	if n > 0 {
		t.out.write("{% comment %}")
		for range n {
			t.out.writeByte('\n')
		}
		t.out.write("{% endcomment %}")
	}
}

// text writes template data, applying the whitespace control of the
// neighbouring tags.
func (t *translator) text(i int) {
	seg := t.segs[i]
	s := t.src[seg.start:seg.end]
	a, z := 0, len(s)
	if i > 0 && t.segs[i-1].trimRight {
		a = len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	}
	if i+1 < len(t.segs) && t.segs[i+1].trimLeft {
		z = a + len(strings.TrimRightFunc(s[a:], unicode.IsSpace))
	}
	t.hidden(strings.Count(s[:a], "\n"))
	writeText(&t.out, s[a:z])
	t.hidden(strings.Count(s[z:], "\n"))
}

// writeText writes s as pongo2 template data: a "{" that pongo2 could read
// as the start of a tag (with what follows it in the output) is written
// with {% templatetag openbrace %}, and a lone carriage return, which
// Jinja renders as a newline, as {{ __.nl }}. U+0001, which pongo2's lexer
// takes for the end of its input, is written as {{ __.soh }}.
func writeText(b *buffer, s string) {
	if strings.IndexByte(s, '{') < 0 && strings.IndexByte(s, '\r') < 0 && strings.IndexByte(s, '\x01') < 0 {
		b.write(s)
		return
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && (i+1 == len(s) || strings.IndexByte("{%#\r\x01", s[i+1]) >= 0):
			b.write("{% templatetag openbrace %}")
		case c == '\r':
			b.write("{{ __.nl }}")
		case c == '\x01':
			b.write("{{ __.soh }}")
		default:
			b.writeByte(c)
		}
	}
}

// inLoop tells whether the current position is in the body of a for loop.
func (t *translator) inLoop() bool {
	for i := len(t.blocks) - 1; i >= 0; i-- {
		if t.blocks[i].kind == "for" {
			return !t.blocks[i].elseSeen
		}
	}
	return false
}

// newEmitter returns an emitter writing to the output.
func (t *translator) newEmitter() *emitter {
	t.mark = len(t.out.b)
	return &emitter{b: &t.out, inLoop: t.inLoop()}
}

// flush keeps what the emitter wrote, or drops it and records the first
// error of the parser or emitter instead.
func (t *translator) flush(p *parser, e *emitter) {
	var err *posError
	switch {
	case p != nil && p.err != nil:
		err = p.err
	case e != nil && e.err != nil:
		err = e.err
	default:
		return
	}
	t.errs = append(t.errs, *err)
	if e != nil {
		t.out.b = t.out.b[:t.mark]
	}
}

func (t *translator) varTag(seg segment) {
	defer t.hidden(strings.Count(t.src[seg.start:seg.end], "\n"))
	if seg.bad {
		return
	}
	p := newParser(seg.toks, seg.end-2)
	n := p.parseTuple(tupleOpts{})
	requireEnd(p)
	e := t.newEmitter()
	if p.err == nil {
		if c, ok := n.(*constNode); ok && isPlainString(c.val) {
			writeText(e.b, c.val.(string))
		} else {
			e.w("{{ __.str(")
			e.expr(n)
			e.w(") }}")
		}
	}
	t.flush(p, e)
}

func isPlainString(v any) bool {
	s, ok := v.(string)
	return ok && !strings.Contains(s, "\n")
}

// requireEnd reports tokens left over after a complete tag.
func requireEnd(p *parser) {
	if p.err == nil && !p.atEOF() {
		p.failHere("end of tag")
	}
}

// unsupportedTags are Jinja tags martlet does not implement; the bool
// tells whether the tag opens a block with an end tag.
var unsupportedTags = map[string]bool{
	"call": true, "filter": true, "block": true, "autoescape": true, "trans": true,
	"extends": false, "include": false, "import": false, "from": false,
	"break": false, "continue": false, "pluralize": false,
}

func (t *translator) blockTag(seg segment) {
	defer t.hidden(strings.Count(t.src[seg.start:seg.end], "\n"))
	if len(seg.toks) == 0 || seg.toks[0].kind != tkName {
		if !seg.bad {
			t.fail(seg.start, "expected a tag name after \"{%\"")
		}
		return
	}
	name := seg.toks[0]
	if seg.bad {
		t.structureOnly(name)
		return
	}
	p := newParser(seg.toks[1:], seg.end-2)
	switch name.val {
	case "if", "elif", "else", "endif":
		t.ifTag(name, p)
	case "for", "endfor":
		t.forTag(name, p)
	case "set", "endset":
		t.setTag(name, p)
	case "macro", "endmacro":
		t.macroTag(name, p)
	case "with", "endwith":
		t.withTag(name, p)
	case "do":
		t.doTag(p)
	case "config":
		t.configTag(p)
	case "raw", "endraw":
		if !seg.rawDelim {
			t.fail(name.pos, "unexpected \"{% endraw %}\" without \"{% raw %}\"")
		}
	default:
		t.otherTag(name)
	}
}

// otherTag reports unsupported and unknown tags.
func (t *translator) otherTag(name token) {
	kind, isEnd := strings.CutPrefix(name.val, "end")
	if hasBody, ok := unsupportedTags[kind]; ok && isEnd && hasBody {
		if n := len(t.blocks); n > 0 && t.blocks[n-1].kind == kind {
			t.blocks = t.blocks[:n-1]
			return
		}
	}
	hasBody, ok := unsupportedTags[name.val]
	if !ok {
		t.fail(name.pos, "unknown tag \"{% "+name.val+" %}\"")
		return
	}
	t.fail(name.pos, "unsupported Jinja construct \"{% "+name.val+" %}\"")
	if hasBody {
		t.blocks = append(t.blocks, block{kind: name.val, pos: name.pos, unsupported: true})
	}
}

// structureOnly keeps the block structure for a tag that failed to lex.
func (t *translator) structureOnly(name token) {
	switch name.val {
	case "if", "for", "macro", "with":
		t.blocks = append(t.blocks, block{kind: name.val, pos: name.pos, unsupported: true})
	case "endif", "endfor", "endmacro", "endwith", "endset":
		if n := len(t.blocks); n > 0 && "end"+t.blocks[n-1].kind == name.val {
			t.blocks = t.blocks[:n-1]
		}
	}
}

// top returns the innermost open block if it is of the given kind.
func (t *translator) top(kind string) *block {
	if n := len(t.blocks); n > 0 && t.blocks[n-1].kind == kind {
		return &t.blocks[n-1]
	}
	return nil
}

// closeBlock pops the innermost block for an end tag, or reports a
// nesting mistake.
func (t *translator) closeBlock(name token, kind string) bool {
	if t.top(kind) != nil {
		t.blocks = t.blocks[:len(t.blocks)-1]
		return true
	}
	t.misplaced(name, kind)
	return false
}

func (t *translator) misplaced(name token, kind string) {
	msg := "unexpected \"{% " + name.val + " %}\""
	if n := len(t.blocks); n > 0 {
		msg += ": the innermost open block is \"{% " + t.blocks[n-1].kind + " %}\""
	} else {
		msg += " outside of a \"{% " + kind + " %}\" block"
	}
	t.fail(name.pos, msg)
}
