package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"martlet/docs"
)

func docsCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "docs",
		Usage: "the lineage docs site",
		Subcommands: []*ucli.Command{
			{Name: "generate", Usage: "write target/docs/index.html, one self-contained page", Action: docsGenerate},
			{
				Name:   "serve",
				Usage:  "generate the docs and serve them on 127.0.0.1",
				Flags:  []ucli.Flag{&ucli.IntFlag{Name: "port", Value: 8080, Usage: "the port on 127.0.0.1 (0 picks a free one)"}},
				Action: docsServe,
			},
		},
	}
}

// writeDocs compiles the project and writes the docs page with the last
// run's results when there are any, returning the page.
func writeDocs(c *ucli.Context) ([]byte, string, error) {
	s, err := newSession(c)
	if err != nil {
		return nil, "", err
	}
	targetDir := filepath.Join(s.result.Project.Root, s.result.Project.Paths.Target)
	results, err := docs.ReadRunResults(filepath.Join(targetDir, "run_results.json"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(c.App.ErrWriter, "martlet: ignoring the last run's results: %v\n", err)
	}
	var page bytes.Buffer
	if err := docs.Generate(&page, s.result.Manifest, results, docs.Options{}); err != nil {
		return nil, "", &exitError{code: ExitFailure, msg: "martlet docs: " + err.Error()}
	}
	path := filepath.Join(targetDir, "docs", "index.html")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, "", &exitError{code: ExitFailure, msg: "martlet docs: " + err.Error()}
	}
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		return nil, "", &exitError{code: ExitFailure, msg: "martlet docs: " + err.Error()}
	}
	rel, _ := filepath.Rel(s.result.Project.Root, path)
	return page.Bytes(), rel, nil
}

func docsGenerate(c *ucli.Context) error {
	_, path, err := writeDocs(c)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "Wrote %s\n", path)
	return nil
}

func docsServe(c *ucli.Context) error {
	page, path, err := writeDocs(c)
	if err != nil {
		return err
	}
	srv, err := docs.Serve(c.Context, page, c.Int("port"))
	if err != nil {
		return &exitError{code: ExitFailure, msg: "martlet docs serve: " + err.Error()}
	}
	fmt.Fprintf(c.App.Writer, "Wrote %s\nServing the docs at %s (Ctrl-C to stop)\n", path, srv.URL())
	srv.Wait()
	return &exitError{code: ExitInterrupted}
}
