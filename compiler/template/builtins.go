package template

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/flosch/pongo2/v6"
	"github.com/google/uuid"

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
	envReads   []EnvRead
	// volatile is set when a macro that reads invocation_id or
	// run_started_at was called, or config.get or config.require.
	volatile bool
	located  *diag.Diagnostic
	depth    int
}

// maxMacroDepth bounds macro recursion.
const maxMacroDepth = 100

// context builds the names a render sees on top of the environment's
// globals: the node's own functions, and a lookup for macros, so that a
// project's many macros are not copied into every context.
func (s *renderState) context() pongo2.Context {
	return pongo2.Context{
		"ref":                  s.ref,
		"source":               s.source,
		"config":               s.config,
		"var":                  s.varFunc,
		"env_var":              s.envVar,
		"this":                 s.resolver.This(),
		"is_incremental":       s.resolver.IsIncremental,
		jinja.NamespaceCallKey: jinja.NamespaceCall(s.namespaced),
		jinja.LookupKey:        jinja.Lookup(s.lookup),
	}
}

// lookup returns the function for a macro a template calls: its own file's
// macros first, then the project's.
func (s *renderState) lookup(name string) any {
	m := s.tmpl.macros[name]
	if m == nil {
		m = s.env.macros[name]
	}
	if m == nil {
		return nil
	}
	return s.macroFunc(m)
}

// Invocation is what templates know of the command rendering them: dbt's
// invocation_id and run_started_at.
type Invocation struct {
	ID        string
	StartedAt time.Time
}

// NewInvocation returns a new invocation: a random UUID, started now, in
// UTC as dbt's run_started_at is.
func NewInvocation() Invocation {
	return Invocation{ID: uuid.NewString(), StartedAt: time.Now().UTC()}
}

// staticGlobals are the names every render shares, set once on the
// environment's template sets. execute is true: martlet has no parse-only
// pass, every render is for execution.
func staticGlobals(project string, target map[string]any, inv Invocation) pongo2.Context {
	return jinja.Globals(map[string]any{
		"project_name":   project,
		"target":         target,
		"execute":        true,
		"invocation_id":  inv.ID,
		"run_started_at": jinja.Datetime{Time: inv.StartedAt},
		"log":            func(args ...*pongo2.Value) (*pongo2.Value, error) { return pongo2.AsValue(""), nil },
		"exceptions": map[string]any{
			"raise_compiler_error": raiseCompilerError,
			"warn":                 func(args ...*pongo2.Value) (*pongo2.Value, error) { return pongo2.AsValue(""), nil },
		},
	})
}

func raiseCompilerError(args ...*pongo2.Value) (*pongo2.Value, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) == 0 {
		return nil, errors.New("compilation error raised by the template")
	}
	return nil, errors.New(pos[0].String())
}

func (s *renderState) ref(args ...*pongo2.Value) (*pongo2.Value, error) {
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
	return value(s.resolver.Ref(names))
}

// value wraps a resolver's answer for the template.
func value(v any, err error) (*pongo2.Value, error) {
	if err != nil {
		return nil, err
	}
	return pongo2.AsValue(v), nil
}

func (s *renderState) source(args ...*pongo2.Value) (*pongo2.Value, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) != 2 || !pos[0].IsString() || !pos[1].IsString() {
		return nil, fmt.Errorf(`source() takes a source name and a table name: source("raw", "events")`)
	}
	return value(s.resolver.Source(pos[0].String(), pos[1].String()))
}

func (s *renderState) config(args ...*pongo2.Value) (*pongo2.Value, error) {
	pos, kw := jinja.SplitArgs(args)
	settings := make(map[string]any, len(kw))
	for _, p := range pos {
		m, ok := p.Interface().(map[string]any)
		if !ok {
			return nil, fmt.Errorf(`config() takes keyword arguments: config(materialized="table")`)
		}
		for k, v := range m {
			settings[k] = v
		}
	}
	for k, v := range kw {
		settings[k] = jinja.ToGo(v)
	}
	return value("", s.resolver.Config(settings))
}

func (s *renderState) varFunc(args ...*pongo2.Value) (*pongo2.Value, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) < 1 || len(pos) > 2 || !pos[0].IsString() {
		return nil, fmt.Errorf(`var() takes a name and optionally a default: var("start_date", "2024-01-01")`)
	}
	name := pos[0].String()
	s.varsUsed[name] = true
	if v, ok := s.env.vars[name]; ok {
		return pongo2.AsValue(v), nil
	}
	if len(pos) == 2 {
		return pos[1], nil
	}
	return nil, fmt.Errorf("var %q is not defined: set it under vars: in martlet.yml, pass it with --vars, or give var() a default", name)
}

func (s *renderState) envVar(args ...*pongo2.Value) (*pongo2.Value, error) {
	pos, _ := jinja.SplitArgs(args)
	if len(pos) < 1 || len(pos) > 2 || !pos[0].IsString() {
		return nil, fmt.Errorf(`env_var() takes a name and optionally a default: env_var("NAME", "x")`)
	}
	name := pos[0].String()
	if strings.HasPrefix(name, SecretPrefix) && !s.resolver.AllowSecrets() {
		return nil, fmt.Errorf("env_var(%q): %s* variables hold secrets and may be used only in targets and hooks, not in model SQL", name, SecretPrefix)
	}
	v, ok := s.env.getenv(name)
	s.envReads = append(s.envReads, EnvRead{Name: name, Value: v, Set: ok})
	if ok {
		return pongo2.AsValue(v), nil
	}
	if len(pos) == 2 {
		return pos[1], nil
	}
	return nil, fmt.Errorf("environment variable %s is not set and env_var() has no default", name)
}

// namespaced resolves dotted calls: adapter.dispatch("m") to the
// function of the project macro m (or its duckdb__/postgres__/default__
// implementation), and dbt.x(...), dbt_utils.x(...) to the project macro x.
func (s *renderState) namespaced(dotted string, args []*pongo2.Value) (*pongo2.Value, error) {
	_, name, _ := strings.Cut(dotted, ".")
	switch dotted {
	case "config.get", "config.require":
		return s.configGet(dotted, args)
	}
	if dotted == "adapter.dispatch" {
		pos, _ := jinja.SplitArgs(args)
		if len(pos) == 0 || !pos[0].IsString() {
			return nil, errors.New(`adapter.dispatch() takes a macro name: adapter.dispatch("m")(args)`)
		}
		m := s.dispatchMacro(pos[0].String())
		if m == nil {
			return nil, fmt.Errorf("adapter.dispatch(%q): no macro %s__%s or default__%s in this project", pos[0].String(), s.env.target["type"], pos[0].String(), pos[0].String())
		}
		return pongo2.AsValue(s.macroFunc(m)), nil
	}
	m := s.tmpl.macros[name]
	if m == nil {
		m = s.env.macros[name]
	}
	if m == nil {
		m = s.dispatchMacro(name)
	}
	if m == nil {
		return nil, fmt.Errorf("%s: no macro %q in this project (namespaced calls resolve to project macros of the same name)", dotted, name)
	}
	return s.macroFunc(m)(args...)
}

// configGet answers config.get(key, default=None) and config.require(key)
// with the node's configuration as it stands.
func (s *renderState) configGet(dotted string, args []*pongo2.Value) (*pongo2.Value, error) {
	pos, kw := jinja.SplitArgs(args)
	if len(pos) < 1 || len(pos) > 2 || !pos[0].IsString() {
		return nil, fmt.Errorf(`%s() takes a config key and optionally a default: %s("materialized")`, dotted, dotted)
	}
	s.volatile = true
	key := pos[0].String()
	if v, ok := s.resolver.ConfigGet(key); ok {
		return pongo2.AsValue(v), nil
	}
	if dotted == "config.require" {
		return nil, fmt.Errorf("config.require(%q): the model's configuration has no %s", key, key)
	}
	if len(pos) == 2 {
		return pos[1], nil
	}
	if d, ok := kw["default"]; ok {
		return d, nil
	}
	return pongo2.AsValue(jinja.None), nil
}

// dispatchMacro finds the implementation adapter.dispatch picks, as dbt
// does: <adapter>__name, then default__name.
func (s *renderState) dispatchMacro(name string) *macro {
	for _, prefix := range []string{s.env.target["type"].(string) + "__", "default__"} {
		if m := s.env.macros[prefix+name]; m != nil {
			return m
		}
	}
	return nil
}
