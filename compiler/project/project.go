// Package project owns reading a martlet project from disk: the project
// file (martlet.yml, or dbt's dbt_project.yml with its profiles.yml), its
// folder-scoped configuration, targets and vars, the properties YAML files
// with their docs blocks, and the lists of model, seed, macro, test and
// snapshot files. It reads and validates; rendering is the compiler's.
package project

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"martlet/compiler/diag"
	"martlet/compiler/yamltree"
)

// FileName is the project file every martlet project has at its root.
const FileName = "martlet.yml"

// Project is a loaded, validated project directory.
type Project struct {
	// Root is the absolute project directory; every Path below is
	// relative to it, with forward slashes.
	Root string
	// File is the project file read: FileName, or DbtFileName for a dbt
	// project. Diagnostics about the project file name it.
	File string
	Name string
	// Vars are the project's vars with --vars applied on top.
	Vars map[string]any

	Models    *FolderConfig
	Seeds     *FolderConfig
	Snapshots *FolderConfig
	Tests     *FolderConfig

	Targets       map[string]Target
	DefaultTarget string
	OnRunStart    []string
	OnRunEnd      []string

	// Profile is the dbt profile whose outputs are the targets, and
	// ProfilesFile the profiles.yml it was read from (relative to Root
	// when inside it, else absolute); both are empty for a project that
	// names no profile.
	Profile      string
	ProfilesFile string
	// badTargets holds the errors of profile outputs that could not be
	// read; they are reported when Target selects one.
	badTargets map[string]diag.List

	Paths Paths
	Files Files
	Props *Properties
}

// Paths are the project's directories, relative to Root.
type Paths struct {
	Models    []string
	Seeds     []string
	Macros    []string
	Tests     []string
	Snapshots []string
	Target    string
	// Docs are dbt's docs-paths: the directories of the .md files with
	// {% docs %} blocks. When empty, the model, seed, macro and snapshot
	// directories are searched.
	Docs []string
}

// File is one project file, read into memory.
type File struct {
	// Path is relative to the project root, with forward slashes.
	Path string
	// Rel is the path below its resource directory (e.g. marts/orders.sql).
	Rel string
	// Data is the file's content; for a seed CSV, its header line only
	// (the database reads the rows from the file itself).
	Data []byte
}

// Stem is the file name without its extension: the node name.
func (f File) Stem() string {
	base := path.Base(f.Path)
	return strings.TrimSuffix(base, path.Ext(base))
}

// Parts returns the folders below the resource directory and the stem,
// for FolderConfig.SettingsFor.
func (f File) Parts() []string {
	dir := path.Dir(f.Rel)
	var parts []string
	if dir != "." {
		parts = strings.Split(dir, "/")
	}
	return append(parts, f.Stem())
}

// Files are the project's source files, sorted by path.
type Files struct {
	Models     []File
	Seeds      []File
	Macros     []File
	Tests      []File
	Snapshots  []File
	Properties []File
	// Docs are the .md files searched for {% docs %} blocks.
	Docs []File
}

// Options adjust loading.
type Options struct {
	// Vars is a YAML mapping given on the command line (--vars), merged
	// over the project's vars.
	Vars string
	// ProfilesDir is the directory of profiles.yml (--profiles-dir) for a
	// dbt_project.yml project; when empty, $DBT_PROFILES_DIR, the project
	// directory and ~/.dbt are searched, as dbt does.
	ProfilesDir string
	// Trees, when set, keeps the parsed trees of properties files from
	// one load to the next.
	Trees ParsedTrees
}

// ParsedTrees keeps parsed YAML trees by file content (the compiler's
// partial-parse cache).
type ParsedTrees interface {
	// Tree returns the tree kept for a file of this content.
	Tree(data []byte) (*yamltree.Node, bool)
	// KeepTree keeps the tree parsed from a file of this content.
	KeepTree(data []byte, n *yamltree.Node)
}

// Load reads the project at dir. Diagnostics hold every problem found;
// the returned project is nil only if the project file itself could not be
// read.
func Load(dir string, opts Options) (*Project, diag.List) {
	var ds diag.List
	root, err := filepath.Abs(dir)
	if err != nil {
		ds.Add(diag.At("", 0, 0, "project directory %s: %v", dir, err))
		return nil, ds
	}
	file, data, err := readProjectFile(root)
	if err != nil {
		if os.IsNotExist(err) {
			ds.Add(diag.At("", 0, 0, "no %s or %s in %s: not a martlet project (run `martlet init` to create one, or pass --project-dir)", FileName, DbtFileName, dir))
		} else {
			ds.Add(diag.At(file, 0, 0, "%v", err))
		}
		return nil, ds
	}
	p := &Project{Root: root, File: file}
	tree := p.parseProjectFile(file, data, &ds)
	if p.Name == "" {
		return nil, ds
	}
	if file == DbtFileName {
		p.loadProfile(tree.Get("profile"), opts.ProfilesDir, &ds)
	}
	if opts.Vars != "" {
		p.applyCLIVars(opts.Vars, &ds)
	}
	p.discover(&ds)
	p.Props = parseAllProperties(p.Files.Properties, p.readDocs(&ds), opts.Trees, &ds)
	return p, ds
}

// parseProjectFile reads the project file and returns its tree (nil when
// it is not a valid project file, and then Name stays empty).
func (p *Project) parseProjectFile(file string, data []byte, ds *diag.List) *yamltree.Node {
	root, d := yamltree.Parse(file, data)
	if d != nil {
		ds.Add(d)
		return nil
	}
	if root.Kind != yamltree.Map {
		ds.Add(diag.At(file, root.Line, root.Col, "the project file must be a mapping"))
		return nil
	}
	name := root.Get("name")
	if name == nil || name.String() == "" {
		ds.Add(diag.At(file, root.Line, root.Col, "missing required key `name`"))
		return nil
	}
	p.Name = name.String()
	p.Paths = Paths{
		Models: []string{"models"}, Seeds: []string{"seeds"}, Macros: []string{"macros"},
		Tests: []string{"tests"}, Snapshots: []string{"snapshots"}, Target: "target",
	}
	p.Vars = map[string]any{}
	p.Models, p.Seeds, p.Snapshots, p.Tests = &FolderConfig{}, &FolderConfig{}, &FolderConfig{}, &FolderConfig{}
	p.Targets = map[string]Target{}
	for i, k := range root.Keys {
		v := root.Values[i]
		switch key := k.String(); key {
		case "name", "profile":
		case "vars":
			p.parseVars(file, v, ds)
		case "models":
			p.Models = parseFolderConfig(file, v, p.Name, ds)
		case "seeds":
			p.Seeds = parseFolderConfig(file, v, p.Name, ds)
		case "snapshots":
			p.Snapshots = parseFolderConfig(file, v, p.Name, ds)
		case "tests", "data_tests":
			p.Tests = parseFolderConfig(file, v, p.Name, ds)
		case "targets":
			p.parseTargets(file, v, ds)
		case "target":
			p.DefaultTarget = v.String()
		case "on-run-start", "on_run_start":
			p.OnRunStart = stringList(file, key, v, ds)
		case "on-run-end", "on_run_end":
			p.OnRunEnd = stringList(file, key, v, ds)
		case "model-paths":
			p.Paths.Models = stringList(file, key, v, ds)
		case "seed-paths":
			p.Paths.Seeds = stringList(file, key, v, ds)
		case "macro-paths":
			p.Paths.Macros = stringList(file, key, v, ds)
		case "test-paths":
			p.Paths.Tests = stringList(file, key, v, ds)
		case "snapshot-paths":
			p.Paths.Snapshots = stringList(file, key, v, ds)
		case "target-path":
			p.Paths.Target = v.String()
		case "docs-paths":
			p.Paths.Docs = stringList(file, key, v, ds)
		default:
			if slices.Contains(dbtIgnoredKeys, key) {
				continue
			}
			known := []string{"name", "vars", "models", "seeds", "snapshots", "tests", "targets", "target",
				"on-run-start", "on-run-end", "model-paths", "seed-paths", "macro-paths", "test-paths",
				"snapshot-paths", "target-path", "docs-paths"}
			msg := fmt.Sprintf("unknown key %q in the project file", key)
			if s := diag.Suggest(key, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			ds.Add(diag.WarnAt(file, k.Line, k.Col, "%s", msg))
		}
	}
	if len(p.Targets) == 0 {
		p.Targets["dev"] = DefaultTarget()
	}
	if p.DefaultTarget == "" {
		p.DefaultTarget = "dev"
	}
	return root
}

func (p *Project) parseVars(file string, v *yamltree.Node, ds *diag.List) {
	if v.Kind == yamltree.Null {
		return
	}
	if v.Kind != yamltree.Map {
		ds.Add(diag.At(file, v.Line, v.Col, "vars must be a mapping"))
		return
	}
	// dbt scopes vars by project: the entries of `vars: {<project name>:
	// {...}}` are this project's, over the global ones.
	var scoped *yamltree.Node
	for i, k := range v.Keys {
		if k.String() == p.Name && v.Values[i].Kind == yamltree.Map {
			scoped = v.Values[i]
			continue
		}
		p.Vars[k.String()] = v.Values[i].Interface()
	}
	if scoped != nil {
		for i, k := range scoped.Keys {
			p.Vars[k.String()] = scoped.Values[i].Interface()
		}
	}
}

func (p *Project) applyCLIVars(doc string, ds *diag.List) {
	n, d := yamltree.Parse("--vars", []byte(doc))
	if d != nil {
		ds.Add(diag.At("", 0, 0, "--vars is not valid YAML: %s", strings.TrimPrefix(d.Error(), "--vars:")))
		return
	}
	if n.Kind != yamltree.Map {
		ds.Add(diag.At("", 0, 0, "--vars must be a YAML mapping such as '{start_date: \"2024-01-01\"}', not %s", n.Kind))
		return
	}
	for i, k := range n.Keys {
		p.Vars[k.String()] = n.Values[i].Interface()
	}
}

func stringList(file, key string, v *yamltree.Node, ds *diag.List) []string {
	out, ok := v.Strings()
	if !ok {
		ds.Add(diag.At(file, v.Line, v.Col, "%s must be a string or a list of strings", key))
	}
	return out
}

// discover lists and reads the project's files. Property files may sit in
// any resource directory.
func (p *Project) discover(ds *diag.List) {
	kinds := []struct {
		dirs []string
		ext  string
		dst  *[]File
	}{
		{p.Paths.Models, ".sql", &p.Files.Models},
		{p.Paths.Seeds, ".csv", &p.Files.Seeds},
		{p.Paths.Macros, ".sql", &p.Files.Macros},
		{p.Paths.Tests, ".sql", &p.Files.Tests},
		{p.Paths.Snapshots, ".sql", &p.Files.Snapshots},
	}
	for _, k := range kinds {
		for _, dir := range k.dirs {
			for _, f := range p.walk(dir, ds, k.ext, ".yml", ".yaml") {
				if strings.EqualFold(path.Ext(f.Path), k.ext) {
					*k.dst = append(*k.dst, f)
				} else {
					p.Files.Properties = append(p.Files.Properties, f)
				}
			}
		}
	}
}

// walk returns the files below dir with one of the extensions exts,
// sorted. A missing directory is not an error: a project need not have
// seeds. Of a CSV file only the header line is read. Files are read on
// several goroutines: reading is bound by system calls, which overlap.
func (p *Project) walk(dir string, ds *diag.List, exts ...string) []File {
	base := filepath.Join(p.Root, filepath.FromSlash(dir))
	var out []File
	var paths []string
	err := filepath.WalkDir(base, func(abs string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && abs == base {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if abs != base && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		fileExt := strings.ToLower(filepath.Ext(d.Name()))
		if !slices.Contains(exts, fileExt) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, _ := filepath.Rel(p.Root, abs)
		below, _ := filepath.Rel(base, abs)
		out = append(out, File{Path: filepath.ToSlash(rel), Rel: filepath.ToSlash(below)})
		paths = append(paths, abs)
		return nil
	})
	if err == nil {
		err = readAll(out, paths)
	}
	if err != nil {
		ds.Add(diag.At(dir, 0, 0, "%v", err))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// readers is how many files walk reads at once.
const readers = 8

// readAll reads paths[i] into files[i].Data (of a CSV file, its first
// line) and returns the first error.
func readAll(files []File, paths []string) error {
	errs := make([]error, len(files))
	forEach(len(files), readers, func(i int) {
		read := os.ReadFile
		if strings.EqualFold(filepath.Ext(paths[i]), ".csv") {
			read = readFirstLine
		}
		files[i].Data, errs[i] = read(paths[i])
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// forEach calls f(i) for every i below n on at most workers goroutines.
func forEach(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(workers, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// readFirstLine reads a file's first line (a CSV header).
func readFirstLine(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(f, 64<<10).ReadSlice('\n')
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}
