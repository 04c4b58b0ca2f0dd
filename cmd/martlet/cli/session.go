package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"martlet/compiler"
	"martlet/compiler/diag"
	"martlet/compiler/manifest"
	"martlet/compiler/project"
	"martlet/compiler/selector"
	"martlet/runner"
	"martlet/runner/adapter"
	"martlet/runner/adapter/duckdb"
	"martlet/runner/adapter/postgres"
)

// inProjectDir resolves a relative path given on the command line against
// --project-dir: -C DIR works as if martlet were started in DIR, as with
// git -C and make -C.
func inProjectDir(c *ucli.Context, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(c.String("project-dir"), path)
}

// profilesDir is --profiles-dir resolved like every path argument, or "".
func profilesDir(c *ucli.Context) string {
	if dir := c.String("profiles-dir"); dir != "" {
		return inProjectDir(c, dir)
	}
	return ""
}

// session is one command's compiled project and selection.
type session struct {
	result   *compiler.Result
	selected []string
	color    bool
}

// newSession compiles the project, prints its diagnostics, writes the
// compiled files and the manifest, and applies the selection. It fails
// with exit 1 on any project error and exit 2 on a bad selection.
func newSession(c *ucli.Context) (*session, error) {
	var state *manifest.Manifest
	if dir := c.String("state"); dir != "" {
		m, err := manifest.Read(filepath.Join(inProjectDir(c, dir), "manifest.json"))
		if err != nil {
			return nil, usageErrorf("martlet: --state %s: %v", dir, err)
		}
		state = m
	}
	if c.Bool("defer") && state == nil {
		return nil, usageErrorf("martlet: --defer needs --state DIR (the manifest of the build to defer to)")
	}
	types := make([]manifest.Kind, 0, len(c.StringSlice("resource-type")))
	for _, t := range c.StringSlice("resource-type") {
		types = append(types, manifest.Kind(t))
	}
	indirect := selector.IndirectSelection(c.String("indirect-selection"))
	var selectDiags diag.List
	var selected []string
	selectNodes := func(m *manifest.Manifest) []string {
		selected, selectDiags = selector.SelectWith(m, c.StringSlice("select"), c.StringSlice("exclude"),
			selector.Options{State: state, ResourceTypes: types, IndirectSelection: indirect})
		return selected
	}
	opts := compiler.Options{
		ProjectDir:     c.String("project-dir"),
		Target:         c.String("target"),
		Vars:           c.String("vars"),
		Threads:        c.Int("threads"),
		ProfilesDir:    profilesDir(c),
		NoPartialParse: c.Bool("no-partial-parse"),
	}
	if c.Bool("defer") {
		opts.Defer = &compiler.Defer{State: state, Select: selectNodes}
	}
	res, err := compiler.Compile(opts)
	printDiagnostics(c, res.Diagnostics)
	if err != nil {
		if werr := res.WriteCompiled(); werr != nil {
			fmt.Fprintf(c.App.ErrWriter, "martlet: writing compiled SQL: %v\n", werr)
		}
		n := len(res.Diagnostics.Errors())
		return nil, &exitError{code: ExitFailure, msg: fmt.Sprintf("martlet: %d %s; nothing was built", n, plural(n, "error", "errors"))}
	}
	if err := res.WriteArtifacts(); err != nil {
		return nil, &exitError{code: ExitFailure, msg: fmt.Sprintf("martlet: writing artifacts: %v", err)}
	}
	if opts.Defer == nil {
		selectNodes(res.Manifest)
	}
	printDiagnostics(c, selectDiags)
	if selectDiags.HasErrors() {
		return nil, &exitError{code: ExitUsage}
	}
	return &session{result: res, selected: selected, color: useColor(c)}, nil
}

// printDiagnostics prints compile diagnostics: compiler-style lines on
// stderr, or with --log-format json one "diagnostic" event each on stdout.
func printDiagnostics(c *ucli.Context, ds diag.List) {
	for _, d := range ds {
		if !jsonLog(c) {
			fmt.Fprintln(c.App.ErrWriter, d.Error())
			continue
		}
		level := runner.LevelError
		if d.Severity == diag.Warning {
			level = runner.LevelWarn
		}
		runner.WriteJSONLine(c.App.Writer, "diagnostic", level, map[string]any{
			"file": d.File, "line": d.Line, "column": d.Col, "message": d.Msg,
		})
	}
}

// jsonLog reports whether --log-format is json.
func jsonLog(c *ucli.Context) bool { return c.App.Metadata[jsonLogKey] == true }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// execute runs the selected nodes on the target and writes run_results.json.
func (s *session) execute(c *ucli.Context, mode runner.Mode, ids []string) error {
	ad, err := s.openAdapter(c.Context)
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet: " + err.Error()}
	}
	defer ad.Close()
	res := s.result
	results, runErr := runner.Execute(c.Context, runner.Options{
		Mode:        mode,
		Manifest:    res.Manifest,
		Selected:    ids,
		Adapter:     ad,
		ProjectRoot: res.Project.Root,
		Threads:     res.Target.Threads,
		FailFast:    c.Bool("fail-fast"),
		FullRefresh: c.Bool("full-refresh"),
		Out:         c.App.Writer,
		Color:       s.color && !jsonLog(c),
		LogFormat:   c.String("log-format"),
		Live:        c.App.Metadata[terminalKey] == true && !jsonLog(c),
		Width:       c.App.Metadata[widthKey].(int),
	})
	if results != nil {
		mask := c.App.Metadata[secretMaskKey].(*secretMask)
		for i := range results.Results {
			results.Results[i].Message = mask.String(results.Results[i].Message)
		}
		if err := results.WriteJSON(filepath.Join(res.Project.Root, res.Project.Paths.Target, "run_results.json")); err != nil {
			fmt.Fprintf(c.App.ErrWriter, "martlet: writing run_results.json: %v\n", err)
		}
	}
	if c.Context.Err() != nil {
		return &exitError{code: ExitInterrupted, msg: "martlet: interrupted; running queries were cancelled"}
	}
	if runErr != nil {
		return &exitError{code: ExitFailure, msg: "martlet: " + runErr.Error()}
	}
	if results.Failed() {
		return errFailed
	}
	return nil
}

// openAdapter connects to the session's target.
func (s *session) openAdapter(ctx context.Context) (adapter.Adapter, error) {
	return openAdapter(ctx, s.result.Project.Root, s.result.Target)
}

// openAdapter connects to target t of the project at root: a DuckDB file
// relative to the project, or a PostgreSQL server whose DSN is in the
// environment variable dsn_env names, or in dsn.
func openAdapter(ctx context.Context, root string, t project.Target) (adapter.Adapter, error) {
	switch t.Type {
	case "duckdb":
		path := t.Path
		if path != ":memory:" && path != "" && !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		return duckdb.Open(path, t.Threads)
	case "postgres":
		dsn, err := t.ConnString()
		if err != nil {
			return nil, err
		}
		return postgres.Open(ctx, dsn, t.Threads)
	}
	return nil, errors.New("target type " + strings.TrimSpace(t.Type) + " is not supported")
}
