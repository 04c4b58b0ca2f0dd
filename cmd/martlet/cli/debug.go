package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"martlet/compiler/project"
)

func debugCommand() *ucli.Command {
	return &ucli.Command{
		Name:   "debug",
		Usage:  "show the resolved project, target and versions, and check the connection",
		Action: debugAction,
	}
}

// debugAction prints what martlet resolved, with secrets masked, and
// checks that the target answers. It exits 1 when the project cannot be
// loaded or the connection fails.
func debugAction(c *ucli.Context) error {
	w := c.App.Writer
	mask := c.App.Metadata[secretMaskKey].(*secretMask)
	fmt.Fprintf(w, "martlet %s (%s, %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			switch dep.Path {
			case "github.com/duckdb/duckdb-go/v2", "github.com/pganalyze/pg_query_go/v6", "github.com/jackc/pgx/v5", "github.com/flosch/pongo2/v6":
				fmt.Fprintf(w, "  %s %s\n", dep.Path, dep.Version)
			}
		}
	}
	p, ds := project.Load(c.String("project-dir"), project.Options{Vars: c.String("vars"), ProfilesDir: profilesDir(c)})
	printDiagnostics(c, ds)
	if p == nil {
		return errFailed
	}
	fmt.Fprintf(w, "\nproject %s at %s\n", p.Name, p.Root)
	fmt.Fprintf(w, "  %d models, %d seeds, %d macro files, %d singular tests, %d properties files\n",
		len(p.Files.Models), len(p.Files.Seeds), len(p.Files.Macros), len(p.Files.Tests), len(p.Files.Properties))
	t, err := p.Target(c.String("target"))
	if err != nil {
		return &exitError{code: ExitFailure, msg: err.Error()}
	}
	fmt.Fprintf(w, "\ntarget %s: type %s, schema %s, threads %d\n", t.Name, t.Type, t.Schema, t.Threads)
	if t.Path != "" {
		fmt.Fprintf(w, "  path %s\n", t.Path)
	}
	if t.DSNEnv != "" {
		fmt.Fprintf(w, "  dsn from $%s\n", t.DSNEnv)
	}
	start := time.Now()
	ad, err := openAdapter(c.Context, p.Root, t)
	if err != nil {
		fmt.Fprintf(w, "\nconnection: FAILED: %s\n", mask.String(err.Error()))
		return errFailed
	}
	defer ad.Close()
	rows, err := ad.Query(c.Context, "select version()", 1)
	if err != nil {
		fmt.Fprintf(w, "\nconnection: FAILED: %s\n", mask.String(err.Error()))
		return errFailed
	}
	version := ""
	if len(rows.Values) == 1 && len(rows.Values[0]) == 1 {
		version = strings.TrimSpace(fmt.Sprint(rows.Values[0][0]))
	}
	fmt.Fprintf(w, "\nconnection: OK in %.2fs (server %s)\n", time.Since(start).Seconds(), version)
	return nil
}
