package template

import (
	"errors"
	"fmt"
	"strings"

	"github.com/flosch/pongo2/v6"

	"martlet/compiler/diag"
	"martlet/compiler/jinja"
)

// SecretPrefix starts the names of environment variables that hold
// secrets: targets and hooks may read them, model SQL may not.
const SecretPrefix = "MARTLET_SECRET_"

// renderState is one render in progress: what it has read, and the first
// error raised inside a macro body.
type renderState struct {
	env        *Env
	tmpl       *Template
	resolver   Resolver
	macrosUsed map[string]bool
	varsUsed   map[string]bool
	located    *diag.Diagnostic
	depth      int
}

// maxMacroDepth bounds macro recursion.
const maxMacroDepth = 100

// context builds the names a template sees.
func (s *renderState) context() pongo2.Context {
	ctx := pongo2.Context{}
	ctx.Update(jinja.Globals())
	ctx["ref"] = s.ref
	ctx["source"] = s.source
	ctx["config"] = s.config
	ctx["var"] = s.varFunc
	ctx["env_var"] = s.envVar
	ctx["this"] = s.resolver.This()
	ctx["is_incremental"] = s.resolver.IsIncremental
	ctx["target"] = s.env.target
	ctx["log"] = func(args ...*pongo2.Value) string { return "" }
	ctx["exceptions"] = map[string]any{"raise_compiler_error": raiseCompilerError, "warn": func(args ...*pongo2.Value) string { return "" }}
	ctx["__ns"] = s.namespaced
	for name, m := range s.env.macros {
		ctx[name] = s.macroFunc(m)
	}
	for name, m := range s.tmpl.macros {
		ctx[name] = s.macroFunc(m)
	}
	return ctx
}

func raiseCompilerError(args ...*pongo2.Value) (string, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) == 0 {
		return "", errors.New("compilation error raised by the template")
	}
	return "", errors.New(pos[0].String())
}

func (s *renderState) ref(args ...*pongo2.Value) (any, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) < 1 || len(pos) > 2 {
		return nil, fmt.Errorf("ref() takes a model name (and optionally a package name), got %d arguments", len(pos))
	}
	names := make([]string, len(pos))
	for i, p := range pos {
		if !p.IsString() {
			return nil, fmt.Errorf("ref() arguments must be strings")
		}
		names[i] = p.String()
	}
	return s.resolver.Ref(names)
}

func (s *renderState) source(args ...*pongo2.Value) (any, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) != 2 || !pos[0].IsString() || !pos[1].IsString() {
		return nil, fmt.Errorf(`source() takes a source name and a table name: source("raw", "events")`)
	}
	return s.resolver.Source(pos[0].String(), pos[1].String())
}

func (s *renderState) config(args ...*pongo2.Value) (string, error) {
	pos, kw := jinja.SplitArgs(args)
	settings := make(map[string]any, len(kw))
	for _, p := range pos {
		m, ok := p.Interface().(map[string]any)
		if !ok {
			return "", fmt.Errorf(`config() takes keyword arguments: config(materialized="table")`)
		}
		for k, v := range m {
			settings[k] = v
		}
	}
	for k, v := range kw {
		settings[k] = plain(v)
	}
	return "", s.resolver.Config(settings)
}

func (s *renderState) varFunc(args ...*pongo2.Value) (any, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) < 1 || len(pos) > 2 || !pos[0].IsString() {
		return nil, fmt.Errorf(`var() takes a name and optionally a default: var("start_date", "2024-01-01")`)
	}
	name := pos[0].String()
	s.varsUsed[name] = true
	if v, ok := s.env.vars[name]; ok {
		return v, nil
	}
	if len(pos) == 2 {
		return plain(pos[1]), nil
	}
	return nil, fmt.Errorf("var %q is not defined: set it under vars: in martlet.yml, pass it with --vars, or give var() a default", name)
}

func (s *renderState) envVar(args ...*pongo2.Value) (any, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) < 1 || len(pos) > 2 || !pos[0].IsString() {
		return nil, fmt.Errorf(`env_var() takes a name and optionally a default: env_var("NAME", "x")`)
	}
	name := pos[0].String()
	if strings.HasPrefix(name, SecretPrefix) && !s.resolver.AllowSecrets() {
		return nil, fmt.Errorf("env_var(%q): %s* variables hold secrets and may be used only in targets and hooks, not in model SQL", name, SecretPrefix)
	}
	if v, ok := s.env.getenv(name); ok {
		return v, nil
	}
	if len(pos) == 2 {
		return plain(pos[1]), nil
	}
	return nil, fmt.Errorf("environment variable %s is not set and env_var() has no default", name)
}

// namespaced resolves dbt.x(...), dbt_utils.x(...) and adapter.dispatch
// calls to the project macro of that name.
func (s *renderState) namespaced(args ...*pongo2.Value) (*pongo2.Value, error) {
	if len(args) < 2 {
		return nil, errors.New("malformed namespaced call")
	}
	ns, name := args[0].String(), args[1].String()
	m := s.tmpl.macros[name]
	if m == nil {
		m = s.env.macros[name]
	}
	if m == nil {
		for _, prefix := range []string{"duckdb__", "postgres__", "default__"} {
			if m = s.env.macros[prefix+name]; m != nil {
				break
			}
		}
	}
	if m == nil {
		return nil, fmt.Errorf("%s.%s: no macro %q in this project (namespaced calls resolve to project macros of the same name)", ns, name, name)
	}
	return s.macroFunc(m)(args[2:]...)
}

// plain converts a template value into a Go value for configuration.
func plain(v *pongo2.Value) any {
	if v == nil || v.IsNil() {
		return nil
	}
	switch x := v.Interface().(type) {
	case int:
		return int64(x)
	case []*pongo2.Value:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case fmt.Stringer:
		return x.String()
	default:
		return x
	}
}
