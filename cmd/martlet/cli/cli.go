// Package cli owns martlet's command line: the urfave/cli application, its
// global options and commands, and the mapping of outcomes to exit codes
// (0 passed, 1 a node failed or the project is invalid, 2 bad usage, 130
// interrupted). The martlet binary's main only calls Main, so tests drive
// the whole command line in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	ucli "github.com/urfave/cli/v2"

	"martlet/compiler/selector"
	"martlet/runner"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// exitError carries an exit code out of a command action.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, msg: fmt.Sprintf(format, args...)}
}

// errFailed reports that the command printed its failure already.
var errFailed = &exitError{code: ExitFailure}

// Main runs martlet with args (without the program name) and returns the
// exit code. Ctrl-C cancels the running work.
func Main(args []string, stdout, stderr io.Writer) int {
	tuneGC()
	if path := os.Getenv("MARTLET_CPUPROFILE"); path != "" {
		stopProfile, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintf(stderr, "martlet: MARTLET_CPUPROFILE: %v\n", err)
			return ExitUsage
		}
		defer stopProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, stdout, stderr)
}

// startCPUProfile writes a CPU profile of the command to path (for `go
// tool pprof`) until the returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// tuneGC trades memory for speed, as a short-lived compiler can: the
// garbage collector runs at a quarter of its default frequency, within a
// soft limit that keeps a 10,000-model compile under 1 GiB. GOGC and
// GOMEMLIMIT set in the environment win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(900 << 20)
	}
}

// Run is Main with a caller's context.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	mask := newSecretMask()
	terminal, width := isTerminal(stdout), terminalWidth(stdout)
	stdout, stderr = mask.Writer(stdout), mask.Writer(stderr)
	app := newApp(stdout, stderr)
	app.Metadata = map[string]any{secretMaskKey: mask, terminalKey: terminal, widthKey: width}
	err := app.RunContext(ctx, append([]string{"martlet"}, normalizeArgs(app, args)...))
	if err == nil {
		return ExitOK
	}
	code, msg := ExitFailure, err.Error()
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code, msg = ee.code, ee.msg
	case ctx.Err() != nil:
		code, msg = ExitInterrupted, "interrupted"
	}
	if msg != "" {
		if app.Metadata[jsonLogKey] == true {
			runner.WriteJSONLine(stdout, "error", runner.LevelError, map[string]any{"message": msg, "exit_code": code})
		} else {
			fmt.Fprintln(stderr, msg)
		}
	}
	return code
}

func newApp(stdout, stderr io.Writer) *ucli.App {
	app := &ucli.App{
		Name:      "martlet",
		Usage:     "build SQL data marts from a dbt-style project",
		Version:   Version,
		Writer:    stdout,
		ErrWriter: stderr,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "project-dir", Aliases: []string{"C"}, Value: ".", Usage: "the project directory"},
			&ucli.StringFlag{Name: "target", Aliases: []string{"t"}, Usage: "the target to use (default: the project's target)"},
			&ucli.StringFlag{Name: "vars", Usage: "YAML mapping of vars overriding the project's, e.g. '{start_date: \"2024-02-01\"}'"},
			&ucli.IntFlag{Name: "threads", Usage: "how many nodes to run at once (default: the target's threads)"},
			&ucli.StringFlag{Name: "log-format", Value: "text", Usage: "text or json"},
			&ucli.BoolFlag{Name: "no-color", Usage: "plain output without colours"},
			&ucli.BoolFlag{Name: "no-partial-parse", Usage: "render, check and analyse every model afresh instead of reusing what the last compile kept in target/partial_parse.gob"},
			&ucli.StringFlag{Name: "profiles-dir", Usage: "where a dbt project's profiles.yml is (default: $DBT_PROFILES_DIR, the project directory, ~/.dbt)"},
			&ucli.StringFlag{Name: "indirect-selection", EnvVars: []string{"DBT_INDIRECT_SELECTION"}, Value: string(selector.IndirectEager),
				Usage: "which tests come in with the selected nodes: eager (any of their nodes selected), cautious (all), buildable (all selected or upstream) or empty (none)"},
		},
		Commands:        commands(),
		HideHelpCommand: true,
		ExitErrHandler:  func(*ucli.Context, error) {},
		OnUsageError: func(c *ucli.Context, err error, isSubcommand bool) error {
			return usageErrorf("martlet: %v (see martlet --help)", err)
		},
		CommandNotFound: func(c *ucli.Context, name string) {},
		Before: func(c *ucli.Context) error {
			switch f := c.String("log-format"); f {
			case "text":
			case "json":
				c.App.Metadata[jsonLogKey] = true
			default:
				return usageErrorf("martlet: --log-format must be text or json, not %q", f)
			}
			if c.Int("threads") < 0 {
				return usageErrorf("martlet: --threads must be a positive number")
			}
			if _, err := selector.ParseIndirectSelection(c.String("indirect-selection")); err != nil {
				return usageErrorf("martlet: --indirect-selection: %v", err)
			}
			return nil
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("martlet: unknown command %q (see martlet --help)", c.Args().First())
			}
			return ucli.ShowAppHelp(c)
		},
	}
	for _, cmd := range app.Commands {
		setUsageHandler(cmd)
	}
	return app
}

// setUsageHandler makes every command's bad flags exit 2.
func setUsageHandler(cmd *ucli.Command) {
	cmd.OnUsageError = func(c *ucli.Context, err error, isSubcommand bool) error {
		return usageErrorf("martlet %s: %v (see martlet %s --help)", cmd.Name, err, cmd.Name)
	}
	for _, sub := range cmd.Subcommands {
		setUsageHandler(sub)
	}
}

// terminalKey and widthKey record in the app's metadata whether stdout is
// a terminal and how wide, as seen before output is wrapped for masking.
const (
	terminalKey = "terminal"
	widthKey    = "width"
)

// jsonLogKey is set in the app's metadata when --log-format is json.
const jsonLogKey = "jsonLog"

// secretMaskKey is where the app's metadata holds the secret mask.
const secretMaskKey = "secretMask"

// Version is martlet's version, set at build time with -ldflags.
var Version = "0.1.0-dev"
