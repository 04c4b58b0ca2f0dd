// Package template owns rendering martlet's templates: models, tests,
// hooks and macros, written in dbt's Jinja and rendered by pongo2 through
// the compiler/jinja dialect. It provides the builtins every template sees
// (var, env_var, target, return, the project's macros, namespaced macro
// calls) and asks a Resolver, supplied per render by the compiler, for the
// node-specific ones (ref, source, config, this, is_incremental).
package template

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/flosch/pongo2/v6"

	"martlet/compiler/diag"
	"martlet/compiler/jinja"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
)

func init() {
	pongo2.SetAutoescape(false)
}

// Resolver answers the node-specific template calls of one render.
type Resolver interface {
	// Ref returns the relation for ref(name) or ref(package, name): a value
	// that prints as the relation and may have attributes (jinja.Attributed).
	Ref(args []string) (any, error)
	// Source returns the relation for source(source, table), as Ref does.
	Source(source, table string) (any, error)
	// Config records config(key=value, ...) settings.
	Config(settings map[string]any) error
	// This returns the node's own relation.
	This() any
	// IsIncremental reports the value of is_incremental().
	IsIncremental() bool
	// AllowSecrets reports whether env_var may read MARTLET_SECRET_*
	// variables (hooks may, models may not).
	AllowSecrets() bool
	// ConfigGet returns the node's configuration value for key as it
	// stands (project, properties file, the config() calls so far), for
	// config.get and config.require.
	ConfigGet(key string) (any, bool)
}

// Env is what every render shares: vars, the target, and the project's
// macro library. It is immutable after NewEnv and safe for concurrent use.
type Env struct {
	vars   map[string]any
	target map[string]any
	macros map[string]*macro
	// sets holds one pongo2 template set per core, sharing the globals:
	// a set records that it has parsed a template, so one set must not
	// parse on two goroutines at once.
	sets   chan *pongo2.TemplateSet
	getenv func(string) (string, bool)
}

// macro is one parsed {% macro %} definition.
type macro struct {
	jinja.Macro
	file string
	tpl  *pongo2.Template
	// volatile is set when the body reads invocation_id or run_started_at.
	volatile bool
	// pure is set when the body depends on its arguments alone; its
	// renderings are then cached by argument list.
	pure  bool
	cache sync.Map
}

// Template is one parsed template file.
type Template struct {
	file   string
	tpl    *pongo2.Template
	macros map[string]*macro
	// volatile is set when the template reads invocation_id or
	// run_started_at.
	volatile bool
}

// volatileNames are the names whose values differ from one invocation to
// the next.
var volatileNames = []string{`"invocation_id"`, `"run_started_at"`}

// readsVolatile reports whether translated source names a volatile name:
// the translation reads every name through __.var("name") or calls it
// through __.fn("name", ...), so the quoted name is in its text.
func readsVolatile(translated string) bool {
	for _, name := range volatileNames {
		if strings.Contains(translated, name) {
			return true
		}
	}
	return false
}

// EnvOptions are what every render of a compile shares.
type EnvOptions struct {
	// Project is the project's name (project_name) and Profile its dbt
	// profile (target.profile_name; the project's name when it has none).
	Project, Profile string
	Vars             map[string]any
	Target           project.Target
	Invocation       Invocation
	// MacroFiles hold the project's macros and generic tests.
	MacroFiles []project.File
}

// NewEnv parses the macro files and prepares the shared environment.
func NewEnv(o EnvOptions) (*Env, diag.List) {
	profile := o.Profile
	if profile == "" {
		profile = o.Project
	}
	e := &Env{
		vars: o.Vars,
		target: map[string]any{
			"name": o.Target.Name, "target_name": o.Target.Name, "schema": o.Target.Schema,
			"type": o.Target.Type, "threads": o.Target.Threads, "profile_name": profile,
			"database": o.Target.Database(),
		},
		macros: map[string]*macro{},
		getenv: os.LookupEnv,
	}
	globals := staticGlobals(o.Project, e.target, o.Invocation)
	e.sets = make(chan *pongo2.TemplateSet, runtime.GOMAXPROCS(0))
	for range cap(e.sets) {
		set := pongo2.NewSet("martlet", pongo2.MustNewLocalFileSystemLoader(os.TempDir()))
		set.Globals = globals
		e.sets <- set
	}
	var ds diag.List
	for _, f := range o.MacroFiles {
		translated, errs := jinja.Translate(rewriteTestBlocks(string(f.Data)))
		if addJinjaErrors(&ds, f.Path, errs) {
			continue
		}
		_, macros, errs := jinja.ExtractMacros(translated)
		if addJinjaErrors(&ds, f.Path, errs) {
			continue
		}
		for _, m := range macros {
			if prev, dup := e.macros[m.Name]; dup {
				ds.Add(diag.At(f.Path, m.Line, m.Col, "macro %q is defined twice (also in %s:%d)", m.Name, prev.file, prev.Line))
				continue
			}
			parsed, d := e.parseMacro(f.Path, m)
			if d != nil {
				ds.Add(d)
				continue
			}
			e.macros[m.Name] = parsed
		}
	}
	return e, ds
}

func (e *Env) parseMacro(file string, m jinja.Macro) (*macro, *diag.Diagnostic) {
	tpl, err := e.fromString(m.Body)
	if err != nil {
		return nil, pongoDiagnostic(file, err)
	}
	params := make([]string, len(m.Params))
	for i, p := range m.Params {
		params[i] = p.Name
	}
	return &macro{Macro: m, file: file, tpl: tpl, pure: isPure(m.Body, params), volatile: readsVolatile(m.Body)}, nil
}

// fromString parses pongo2 source with a template set no other goroutine
// is using.
func (e *Env) fromString(src string) (*pongo2.Template, error) {
	set := <-e.sets
	defer func() { e.sets <- set }()
	return set.FromString(src)
}

// Parse translates and parses one template file. Macros defined in the
// file are available to it alone.
func (e *Env) Parse(file, src string) (*Template, diag.List) {
	var ds diag.List
	translated, errs := jinja.Translate(src)
	if addJinjaErrors(&ds, file, errs) {
		return nil, ds
	}
	rest, macros, errs := jinja.ExtractMacros(translated)
	if addJinjaErrors(&ds, file, errs) {
		return nil, ds
	}
	t := &Template{file: file, volatile: readsVolatile(rest)}
	for _, m := range macros {
		parsed, d := e.parseMacro(file, m)
		if d != nil {
			ds.Add(d)
			continue
		}
		if t.macros == nil {
			t.macros = map[string]*macro{}
		}
		t.macros[m.Name] = parsed
	}
	tpl, err := e.fromString(rest)
	if err != nil {
		ds.Add(pongoDiagnostic(file, err))
		return nil, ds
	}
	t.tpl = tpl
	return t, ds
}

// MacroChecksums maps every project macro to a checksum of its
// definition (parameters and body, comments and whitespace folded).
func (e *Env) MacroChecksums() map[string]string {
	out := make(map[string]string, len(e.macros))
	for name, m := range e.macros {
		h := sha256.New()
		for _, p := range m.Params {
			fmt.Fprintf(h, "%s=%s;", p.Name, p.Default)
		}
		h.Write([]byte(manifest.NormalizeSQL(m.Body)))
		out[name] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// HasMacro reports whether the project defines a macro of that name.
func (e *Env) HasMacro(name string) bool { return e.macros[name] != nil }

// Output is the result of one render.
type Output struct {
	SQL string
	// MacrosUsed and VarsUsed list, sorted, the macros called and the vars
	// read during the render.
	MacrosUsed []string
	VarsUsed   []string
	// EnvReads are the environment variables env_var() read, in order.
	EnvReads []EnvRead
	// Volatile is set when the render read what its file and the reads
	// above do not determine: invocation_id or run_started_at, which
	// differ in every invocation, or the node's configuration
	// (config.get), which the project and properties files set.
	Volatile bool
}

// EnvRead is one environment variable a render read.
type EnvRead struct {
	Name, Value string
	// Set reports whether the variable was set.
	Set bool
}

// EnvUnchanged reports whether every variable in reads has the value it
// had then.
func (e *Env) EnvUnchanged(reads []EnvRead) bool {
	for _, r := range reads {
		if v, ok := e.getenv(r.Name); v != r.Value || ok != r.Set {
			return false
		}
	}
	return true
}

// Render executes a parsed template with a node's resolver. An error is a
// diagnostic at the place the problem is, which may be in a macro file.
func (e *Env) Render(t *Template, r Resolver) (Output, *diag.Diagnostic) {
	s := &renderState{env: e, tmpl: t, resolver: r, macrosUsed: map[string]bool{}, varsUsed: map[string]bool{}}
	ctx := s.context()
	out, err := t.tpl.Execute(ctx)
	if err != nil {
		if s.located != nil {
			d := *s.located
			if d.File != t.file {
				d.Msg += " (rendering " + t.file + ")"
			}
			return Output{}, &d
		}
		return Output{}, pongoDiagnostic(t.file, err)
	}
	return Output{SQL: out, MacrosUsed: sortedKeys(s.macrosUsed), VarsUsed: sortedKeys(s.varsUsed),
		EnvReads: s.envReads, Volatile: t.volatile || s.volatile}, nil
}

// RenderString renders a one-off template text (a hook) as if it stood in
// file.
func (e *Env) RenderString(file, src string, r Resolver) (string, *diag.Diagnostic) {
	t, ds := e.Parse(file, src)
	if len(ds) > 0 {
		return "", ds[0]
	}
	out, d := e.Render(t, r)
	return out.SQL, d
}

func addJinjaErrors(ds *diag.List, file string, errs []*jinja.Error) bool {
	for _, err := range errs {
		ds.Add(diag.At(file, err.Line, err.Col, "%s", err.Msg))
	}
	return len(errs) > 0
}

// pongoDiagnostic normalizes a pongo2 error into a diagnostic at its line
// and column.
func pongoDiagnostic(file string, err error) *diag.Diagnostic {
	var pe *pongo2.Error
	if errors.As(err, &pe) {
		msg := "template error"
		if pe.OrigError != nil {
			msg = pe.OrigError.Error()
		}
		return diag.At(file, pe.Line, pe.Column, "%s", cleanPongoMessage(msg))
	}
	return diag.At(file, 0, 0, "%v", err)
}

// cleanPongoMessage strips pongo2's own decoration from a message.
func cleanPongoMessage(msg string) string {
	msg = strings.TrimSpace(msg)
	if i := strings.LastIndex(msg, "] "); strings.HasPrefix(msg, "[Error") && i > 0 {
		msg = msg[i+2:]
	}
	return msg
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
