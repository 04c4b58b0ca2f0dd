package jinja

import (
	"fmt"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"
)

// registerTags adds the pongo2 tags the translation emits:
// {% do expr %} evaluates expr and discards it, and
// {% setblock name %}...{% endsetblock %} renders its body into name.
func registerTags() {
	for name, parse := range map[string]pongo2.TagParser{"do": parseDoTag, "setblock": parseSetBlockTag} {
		if err := pongo2.RegisterTag(name, parse); err != nil {
			panic(fmt.Sprintf("jinja: pongo2 tag %q: %v", name, err))
		}
	}
}

type doNode struct {
	expr pongo2.IEvaluator
}

func (n *doNode) Execute(ctx *pongo2.ExecutionContext, _ pongo2.TemplateWriter) *pongo2.Error {
	_, err := n.expr.Evaluate(ctx)
	return err
}

func parseDoTag(_ *pongo2.Parser, _ *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	expr, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	if args.Remaining() > 0 {
		return nil, args.Error("malformed do tag", nil)
	}
	return &doNode{expr: expr}, nil
}

type setBlockNode struct {
	name string
	body *pongo2.NodeWrapper
}

func (n *setBlockNode) Execute(ctx *pongo2.ExecutionContext, _ pongo2.TemplateWriter) *pongo2.Error {
	var b strings.Builder
	if err := n.body.Execute(ctx, &b); err != nil {
		return err
	}
	ctx.Private[n.name] = pongo2.AsValue(b.String())
	return nil
}

func parseSetBlockTag(doc *pongo2.Parser, _ *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	name := args.MatchType(pongo2.TokenIdentifier)
	if name == nil || args.Remaining() > 0 {
		return nil, args.Error("setblock takes one name", nil)
	}
	body, endArgs, err := doc.WrapUntilTag("endsetblock")
	if err != nil {
		return nil, err
	}
	if endArgs.Count() > 0 {
		return nil, endArgs.Error("endsetblock takes no arguments", nil)
	}
	return &setBlockNode{name: name.Val, body: body}, nil
}

// exprCacheLimit bounds the cache of compiled EvalExpr templates.
const exprCacheLimit = 4096

var exprCache = struct {
	sync.Mutex
	templates map[string]*pongo2.Template
}{templates: map[string]*pongo2.Template{}}

// EvalExpr evaluates a pongo2 expression source (e.g. a macro parameter
// default) in ctx, which must include Globals(), and returns its value.
func EvalExpr(expr string, ctx pongo2.Context) (*pongo2.Value, error) {
	tpl, err := compileExpr(expr)
	if err != nil {
		return nil, err
	}
	result := pongo2.AsValue(nil)
	local := make(pongo2.Context, len(ctx)+1)
	for k, v := range ctx {
		local[k] = v
	}
	local["__capture"] = func(v *pongo2.Value) string {
		result = v
		return ""
	}
	if _, err := tpl.Execute(local); err != nil {
		return nil, err
	}
	return result, nil
}

func compileExpr(expr string) (*pongo2.Template, error) {
	exprCache.Lock()
	defer exprCache.Unlock()
	if tpl, ok := exprCache.templates[expr]; ok {
		return tpl, nil
	}
	if strings.Contains(expr, "\n") {
		return nil, fmt.Errorf("expression %q spans lines", expr)
	}
	tpl, err := pongo2.FromString("{{ __capture(" + expr + ") }}")
	if err != nil {
		return nil, err
	}
	if len(exprCache.templates) >= exprCacheLimit {
		clear(exprCache.templates)
	}
	exprCache.templates[expr] = tpl
	return tpl, nil
}
