package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	ucli "github.com/urfave/cli/v2"

	"martlet/compiler/manifest"
	"martlet/compiler/project"
	"martlet/compiler/selector"
	"martlet/runner"
)

// watchFlag turns run, test and build into a loop that rebuilds on save.
var watchFlag = &ucli.BoolFlag{Name: "watch", Usage: "rebuild the changed nodes and their dependants on every save, until Ctrl-C"}

// debounce is how long the watcher waits for a burst of saves to end.
const debounce = 150 * time.Millisecond

// watch builds the selection once, then on every change to a project file
// compiles again and executes the selected nodes whose checksum changed,
// with their dependants. Errors are printed and the loop goes on. The
// database is opened only while a build runs, so other processes can read
// it in between.
func watch(c *ucli.Context, mode runner.Mode) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet: watching files: " + err.Error()}
	}
	defer w.Close()
	out := c.App.Writer
	var previous *manifest.Manifest
	build := func() {
		if p, _ := project.Load(c.String("project-dir"), project.Options{ProfilesDir: profilesDir(c)}); p != nil {
			if err := addWatches(w, p); err != nil {
				fmt.Fprintf(c.App.ErrWriter, "martlet: watching files: %v\n", err)
			}
		}
		s, err := newSession(c)
		if err != nil {
			reportWatchError(c, err)
			return
		}
		ids := s.selected
		if previous != nil {
			ids = changedSelection(s.result.Manifest, previous, ids)
		}
		previous = s.result.Manifest
		if len(ids) == 0 {
			fmt.Fprintln(out, "No selected node changed.")
			return
		}
		if err := s.execute(c, mode, ids); err != nil && !errors.Is(err, errFailed) {
			reportWatchError(c, err)
		}
	}
	build()
	for {
		fmt.Fprintln(out, "Watching for changes (Ctrl-C to stop)...")
		if !waitForChange(c, w) {
			return &exitError{code: ExitInterrupted}
		}
		fmt.Fprintf(out, "\n%s  Change detected; rebuilding.\n", time.Now().Format("15:04:05"))
		build()
	}
}

// reportWatchError prints an error of one build without ending the loop.
func reportWatchError(c *ucli.Context, err error) {
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(c.App.ErrWriter, ee.msg)
		}
		return
	}
	fmt.Fprintln(c.App.ErrWriter, err)
}

// changedSelection keeps, of the selected IDs, the nodes that are new or
// changed since previous and everything downstream of them.
func changedSelection(m, previous *manifest.Manifest, selected []string) []string {
	changed, _ := selector.SelectWith(m, []string{"state:modified+"}, nil, selector.Options{State: previous})
	keep := make(map[string]bool, len(changed))
	for _, id := range changed {
		keep[id] = true
	}
	var out []string
	for _, id := range selected {
		if keep[id] {
			out = append(out, id)
		}
	}
	return out
}

// waitForChange blocks until a project file changes (and the burst of
// events has settled) or the command is cancelled.
func waitForChange(c *ucli.Context, w *fsnotify.Watcher) bool {
	var settle <-chan time.Time
	for {
		select {
		case <-c.Context.Done():
			return false
		case ev, ok := <-w.Events:
			if !ok {
				return false
			}
			if relevant(ev) {
				settle = time.After(debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return false
			}
			fmt.Fprintf(c.App.ErrWriter, "martlet: watching files: %v\n", err)
		case <-settle:
			return true
		}
	}
}

// relevant reports whether an event is a change to a project file.
func relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	switch strings.ToLower(filepath.Ext(ev.Name)) {
	case ".sql", ".yml", ".yaml", ".csv":
		return true
	}
	return false
}

// addWatches watches the project file's directory and, recursively, the
// model, seed, macro, test and snapshot directories. fsnotify watches are
// not recursive, so a folder created since the last build is added now.
func addWatches(w *fsnotify.Watcher, p *project.Project) error {
	watched := map[string]bool{}
	for _, dir := range w.WatchList() {
		watched[dir] = true
	}
	add := func(dir string) error {
		if watched[dir] {
			return nil
		}
		watched[dir] = true
		return w.Add(dir)
	}
	if err := add(p.Root); err != nil {
		return err
	}
	var dirs []string
	for _, group := range [][]string{p.Paths.Models, p.Paths.Seeds, p.Paths.Macros, p.Paths.Tests, p.Paths.Snapshots} {
		dirs = append(dirs, group...)
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(p.Root, filepath.FromSlash(dir)), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if !d.IsDir() {
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return add(path)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
