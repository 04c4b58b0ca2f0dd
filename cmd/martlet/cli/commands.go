package cli

import (
	"encoding/json"
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
	stateFlag       = &ucli.StringFlag{Name: "state", Usage: "a directory holding the manifest.json of an earlier build, for state: selection and --defer"}
	deferFlag       = &ucli.BoolFlag{Name: "defer", Usage: "resolve refs to unselected models to their relations in the --state manifest"}
	resourceType    = &ucli.StringSliceFlag{Name: "resource-type", Usage: "only nodes of these types: model, seed, test, snapshot, source"}
	outputFlag      = &ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "text", Usage: "text or json"}
)

func commands() []*ucli.Command {
	selection := []ucli.Flag{selectFlag, excludeFlag, stateFlag, deferFlag, resourceType}
	execution := append([]ucli.Flag{fullRefreshFlag, failFastFlag, watchFlag}, selection...)
	return []*ucli.Command{
		{Name: "compile", Usage: "render and check every model; write target/compiled and target/manifest.json", Flags: selection, Action: compileAction},
		{Name: "seed", Usage: "load seeds", Flags: execution, Action: execAction(runner.ModeSeed)},
		{Name: "run", Usage: "materialize models in dependency order", Flags: execution, Action: execAction(runner.ModeRun)},
		{Name: "test", Usage: "run data tests", Flags: execution, Action: execAction(runner.ModeTest)},
		{Name: "snapshot", Usage: "run snapshots (SCD type 2 history)", Flags: execution, Action: execAction(runner.ModeSnapshot)},
		{Name: "build", Usage: "seeds, models, snapshots and tests in dependency order", Flags: execution, Action: execAction(runner.ModeBuild)},
		{Name: "ls", Aliases: []string{"list"}, Usage: "print the selected nodes in dependency order", Flags: append([]ucli.Flag{outputFlag}, selection...), Action: lsAction},
		showCommand(),
		initCommand(),
		debugCommand(),
		docsCommand(),
		lineageCommand(),
		{Name: "clean", Usage: "remove the target directory", Action: cleanAction},
	}
}

// compileAndSelect compiles the project and applies the selection.
func compileAndSelect(c *ucli.Context) (*session, []string, error) {
	s, err := newSession(c)
	if err != nil {
		return nil, nil, err
	}
	return s, s.selected, nil
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
	format := c.String("output")
	if format != "text" && format != "json" {
		return usageErrorf("martlet ls: --output must be text or json, not %q", format)
	}
	s, ids, err := compileAndSelect(c)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(c.App.Writer)
	for _, id := range ids {
		n := s.result.Manifest.Node(id)
		if format == "text" {
			fmt.Fprintln(c.App.Writer, n.Name)
			continue
		}
		if err := enc.Encode(lsEntry{
			Name: n.Name, UniqueID: n.ID, ResourceType: string(n.Kind), Path: n.Path,
			Materialized: n.Config.Materialized, Tags: n.Config.Tags, DependsOn: n.DependsOn,
		}); err != nil {
			return err
		}
	}
	return nil
}

// lsEntry is one line of `ls --output json`.
type lsEntry struct {
	Name         string   `json:"name"`
	UniqueID     string   `json:"unique_id"`
	ResourceType string   `json:"resource_type"`
	Path         string   `json:"path"`
	Materialized string   `json:"materialized,omitempty"`
	Tags         []string `json:"tags"`
	DependsOn    []string `json:"depends_on"`
}

func cleanAction(c *ucli.Context) error {
	p, ds := project.Load(c.String("project-dir"), project.Options{ProfilesDir: profilesDir(c)})
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
		if c.Bool("watch") {
			return watch(c, mode)
		}
		s, ids, err := compileAndSelect(c)
		if err != nil {
			return err
		}
		return s.execute(c, mode, ids)
	}
}
