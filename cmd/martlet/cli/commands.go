package cli

import (
	"fmt"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"martlet/compiler/project"
	"martlet/runner"
)

var (
	selectFlag      = &ucli.StringSliceFlag{Name: "select", Aliases: []string{"s"}, Usage: "nodes to include (dbt selection syntax); may be repeated"}
	excludeFlag     = &ucli.StringSliceFlag{Name: "exclude", Usage: "nodes to leave out"}
	fullRefreshFlag = &ucli.BoolFlag{Name: "full-refresh", Usage: "rebuild incremental models from scratch"}
	failFastFlag    = &ucli.BoolFlag{Name: "fail-fast", Usage: "stop at the first failure"}
)

func commands() []*ucli.Command {
	selection := []ucli.Flag{selectFlag, excludeFlag}
	execution := append([]ucli.Flag{fullRefreshFlag, failFastFlag}, selection...)
	return []*ucli.Command{
		{Name: "compile", Usage: "render and check every model; write target/compiled and target/manifest.json", Flags: selection, Action: compileAction},
		{Name: "seed", Usage: "load seeds", Flags: execution, Action: execAction(runner.ModeSeed)},
		{Name: "run", Usage: "materialize models in dependency order", Flags: execution, Action: execAction(runner.ModeRun)},
		{Name: "test", Usage: "run data tests", Flags: execution, Action: execAction(runner.ModeTest)},
		{Name: "build", Usage: "seed, run and test in dependency order", Flags: execution, Action: execAction(runner.ModeBuild)},
		{Name: "ls", Aliases: []string{"list"}, Usage: "print the selected nodes in dependency order", Flags: selection, Action: lsAction},
		{Name: "clean", Usage: "remove the target directory", Action: cleanAction},
	}
}

// compileAndSelect compiles the project and applies the selection.
func compileAndSelect(c *ucli.Context) (*session, []string, error) {
	s, err := newSession(c)
	if err != nil {
		return nil, nil, err
	}
	ids, err := s.selectNodes(c)
	return s, ids, err
}

func compileAction(c *ucli.Context) error {
	s, _, err := compileAndSelect(c)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "Compiled %d nodes into %s\n", len(s.result.Manifest.Nodes), filepath.Join(s.result.Project.Paths.Target, "compiled"))
	return nil
}

func lsAction(c *ucli.Context) error {
	s, ids, err := compileAndSelect(c)
	if err != nil {
		return err
	}
	for _, id := range ids {
		fmt.Fprintln(c.App.Writer, s.result.Manifest.Node(id).Name)
	}
	return nil
}

func cleanAction(c *ucli.Context) error {
	p, ds := project.Load(c.String("project-dir"), project.Options{})
	if p == nil || ds.HasErrors() {
		return &exitError{code: ExitFailure, msg: ds.Errors().Error()}
	}
	dir := filepath.Join(p.Root, p.Paths.Target)
	if err := os.RemoveAll(dir); err != nil {
		return &exitError{code: ExitFailure, msg: err.Error()}
	}
	fmt.Fprintf(c.App.Writer, "Removed %s\n", p.Paths.Target)
	return nil
}

func execAction(mode runner.Mode) ucli.ActionFunc {
	return func(c *ucli.Context) error {
		s, ids, err := compileAndSelect(c)
		if err != nil {
			return err
		}
		return s.execute(c, mode, ids)
	}
}
