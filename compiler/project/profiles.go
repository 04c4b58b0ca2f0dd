package project

import (
	"cmp"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"martlet/compiler/diag"
	"martlet/compiler/yamltree"
)

// ProfilesFileName is dbt's connection file. Only dbt_project.yml projects
// read it; a martlet.yml project declares its own `targets:`.
const ProfilesFileName = "profiles.yml"

// ProfilesDirEnv is the environment variable naming the directory of
// profiles.yml, as in dbt.
const ProfilesDirEnv = "DBT_PROFILES_DIR"

// profilesDirs returns the directories to look for profiles.yml in, as dbt
// does: only the --profiles-dir directory when one is given, else only
// $DBT_PROFILES_DIR when it is set, else the project directory and then
// ~/.dbt.
func profilesDirs(root, flagDir string) []string {
	for _, dir := range []string{flagDir, os.Getenv(ProfilesDirEnv)} {
		if dir != "" {
			if abs, err := filepath.Abs(dir); err == nil {
				dir = abs
			}
			return []string{dir}
		}
	}
	dirs := []string{root}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".dbt"))
	}
	return dirs
}

// loadProfile replaces the project's targets with the outputs of the dbt
// profile that dbt_project.yml names in `profile:` (name; nil when it names
// none, and the project keeps martlet's default target). The profile's
// `target:` becomes the default target. As in dbt, only the output in use
// must be valid: the errors of an output are reported when Target selects
// it.
func (p *Project) loadProfile(name *yamltree.Node, flagDir string, ds *diag.List) {
	if name == nil || name.Kind == yamltree.Null {
		return
	}
	if name.Kind != yamltree.Scalar || name.String() == "" {
		ds.Add(diag.At(p.File, name.Line, name.Col, "profile must be the name of a profile in %s", ProfilesFileName))
		return
	}
	p.Profile = name.String()
	dirs := profilesDirs(p.Root, flagDir)
	var data []byte
	for _, dir := range dirs {
		abs := filepath.Join(dir, ProfilesFileName)
		b, err := os.ReadFile(abs)
		if os.IsNotExist(err) {
			continue
		}
		p.ProfilesFile = p.displayPath(abs)
		if err != nil {
			ds.Add(diag.At(p.ProfilesFile, 0, 0, "%v", err))
			return
		}
		data = b
		break
	}
	if p.ProfilesFile == "" {
		ds.Add(diag.At(p.File, name.Line, name.Col, "profile %q not found in %s (looked in: %s)", p.Profile, ProfilesFileName, strings.Join(dirs, ", ")))
		return
	}
	file := p.ProfilesFile
	tree, d := yamltree.Parse(file, data)
	if d != nil {
		ds.Add(d)
		return
	}
	if tree.Kind != yamltree.Map {
		ds.Add(diag.At(file, tree.Line, tree.Col, "%s must be a mapping of profile name to profile", ProfilesFileName))
		return
	}
	prof := tree.Get(p.Profile)
	if prof == nil {
		var names []string
		for _, k := range tree.Keys {
			if k.String() != "config" {
				names = append(names, k.String())
			}
		}
		msg := fmt.Sprintf("profile %q not found in %s", p.Profile, file)
		if s := diag.Suggest(p.Profile, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else if len(names) > 0 {
			msg += fmt.Sprintf(" (it defines %s)", joinQuoted(names))
		}
		ds.Add(diag.At(p.File, name.Line, name.Col, "%s", msg))
		return
	}
	p.parseProfile(file, prof, ds)
}

// parseProfile reads a profile: `target:` and `outputs:`.
func (p *Project) parseProfile(file string, prof *yamltree.Node, ds *diag.List) {
	if prof.Kind != yamltree.Map {
		ds.Add(diag.At(file, prof.Line, prof.Col, "profile %q must be a mapping with target and outputs", p.Profile))
		return
	}
	p.Targets = map[string]Target{}
	p.DefaultTarget = "default" // dbt's default when a profile names no target
	if prof.Get("outputs") == nil {
		ds.Add(diag.At(file, prof.Line, prof.Col, "profile %q has no outputs", p.Profile))
	}
	for i, k := range prof.Keys {
		v := prof.Values[i]
		switch key := k.String(); key {
		case "target":
			if s, ok := renderScalar(file, "target", v, ds); ok {
				p.DefaultTarget = s
			}
		case "outputs":
			p.parseOutputs(file, v, ds)
		default:
			ds.Add(diag.WarnAt(file, k.Line, k.Col, "unknown key %q in profile %q", key, p.Profile))
		}
	}
}

func (p *Project) parseOutputs(file string, n *yamltree.Node, ds *diag.List) {
	if n.Kind != yamltree.Map {
		ds.Add(diag.At(file, n.Line, n.Col, "outputs must be a mapping of target name to connection settings"))
		return
	}
	for i, k := range n.Keys {
		o := &outputReader{file: file, name: k.String(), node: n.Values[i], vals: map[string]string{}, nodes: map[string]*yamltree.Node{}}
		t := o.read()
		ds.Add(o.ds.Warnings()...)
		if errs := o.ds.Errors(); len(errs) > 0 {
			if p.badTargets == nil {
				p.badTargets = map[string]diag.List{}
			}
			p.badTargets[t.Name] = errs
			continue
		}
		p.Targets[t.Name] = t
	}
}

// outputKeys are the keys martlet reads from an output, by type;
// ignoredOutputKeys are valid dbt keys it accepts and does not use.
var (
	outputKeys = map[string][]string{
		"duckdb": {"type", "path", "schema", "threads"},
		"postgres": {"type", "host", "port", "user", "password", "pass", "dbname", "database", "schema", "threads",
			"sslmode", "connect_timeout", "sslcert", "sslkey", "sslrootcert", "application_name"},
	}
	ignoredOutputKeys = map[string][]string{
		"duckdb": {"database", "extensions", "settings", "attach", "plugins", "filesystems", "external_root",
			"secrets", "module_paths", "keep_open", "disable_transactions", "retries", "use_credential_provider", "config_options"},
		"postgres": {"keepalives_idle", "role", "search_path", "retries", "sslpassword"},
	}
)

// pgDSNParams are the output keys passed on in a PostgreSQL DSN's query.
var pgDSNParams = []string{"sslmode", "connect_timeout", "sslcert", "sslkey", "sslrootcert", "application_name"}

// outputReader reads one profile output into a Target, collecting its
// diagnostics apart from the project's.
type outputReader struct {
	file, name string
	node       *yamltree.Node
	// vals are the rendered values of the keys read, nodes their nodes.
	vals  map[string]string
	nodes map[string]*yamltree.Node
	ds    diag.List
}

func (o *outputReader) errorf(n *yamltree.Node, format string, args ...any) {
	o.ds.Add(diag.At(o.file, n.Line, n.Col, format, args...))
}

func (o *outputReader) read() Target {
	n := o.node
	t := Target{Name: o.name, Threads: 1, Pos: Pos{File: o.file, Line: n.Line, Col: n.Col}}
	if n.Kind != yamltree.Map {
		o.errorf(n, "output %q must be a mapping", o.name)
		return t
	}
	typ := n.Get("type")
	if typ == nil {
		o.errorf(n, "output %q needs a type (duckdb or postgres)", o.name)
		return t
	}
	var ok bool
	if t.Type, ok = renderScalar(o.file, "type", typ, &o.ds); !ok {
		return t
	}
	if outputKeys[t.Type] == nil {
		o.errorf(typ, "output %q has type %q, which martlet does not support (use duckdb or postgres)", o.name, t.Type)
		return t
	}
	for i, k := range n.Keys {
		key, v := k.String(), n.Values[i]
		switch {
		case slices.Contains(outputKeys[t.Type], key):
			if s, ok := renderScalar(o.file, key, v, &o.ds); ok {
				o.vals[key], o.nodes[key] = s, v
			}
		case slices.Contains(ignoredOutputKeys[t.Type], key):
		default:
			msg := fmt.Sprintf("unknown key %q in %s output %q", key, t.Type, o.name)
			if s := diag.Suggest(key, outputKeys[t.Type]); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			o.ds.Add(diag.WarnAt(o.file, k.Line, k.Col, "%s", msg))
		}
	}
	if s, ok := o.vals["threads"]; ok {
		th, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || th < 1 || th > 1024 {
			o.errorf(o.nodes["threads"], "threads must be a whole number from 1 to 1024")
		}
		t.Threads = th
	}
	t.Schema = o.vals["schema"]
	if t.Type == "duckdb" {
		t.Path = cmp.Or(o.vals["path"], ":memory:")
		t.Schema = cmp.Or(t.Schema, "main")
		return t
	}
	t.Schema = cmp.Or(t.Schema, "public")
	t.DSN = o.postgresDSN()
	return t
}

// postgresDSN builds a URL connection string from the output's settings,
// escaping each part.
func (o *outputReader) postgresDSN() string {
	host, user := o.vals["host"], o.vals["user"]
	db := cmp.Or(o.vals["dbname"], o.vals["database"])
	var missing []string
	for _, m := range []struct{ key, val string }{{"host", host}, {"user", user}, {"dbname", db}} {
		if m.val == "" {
			missing = append(missing, m.key)
		}
	}
	if len(missing) > 0 {
		o.errorf(o.node, "postgres output %q needs %s", o.name, strings.Join(missing, ", "))
		return ""
	}
	port := cmp.Or(strings.TrimSpace(o.vals["port"]), "5432")
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		o.errorf(o.nodes["port"], "port must be a whole number from 1 to 65535")
	}
	u := url.URL{Scheme: "postgres", User: url.User(user), Path: "/" + db, RawPath: "/" + url.PathEscape(db)}
	if pw := cmp.Or(o.vals["password"], o.vals["pass"]); pw != "" {
		u.User = url.UserPassword(user, pw)
	}
	q := url.Values{}
	if strings.HasPrefix(host, "/") { // a Unix socket directory
		q.Set("host", host)
		q.Set("port", port)
	} else {
		u.Host = net.JoinHostPort(host, port)
	}
	for _, k := range pgDSNParams {
		if v := o.vals[k]; v != "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// renderScalar reads a single value of a profile, rendering its
// env_var() templating. Errors name the value's position.
func renderScalar(file, key string, v *yamltree.Node, ds *diag.List) (string, bool) {
	if v.Kind == yamltree.Map || v.Kind == yamltree.Seq {
		ds.Add(diag.At(file, v.Line, v.Col, "%s must be a single value, not %s", key, v.Kind))
		return "", false
	}
	s, err := renderEnvVars(v.String())
	if err != nil {
		ds.Add(diag.At(file, v.Line, v.Col, "%v", err))
		return "", false
	}
	return s, true
}

// displayPath names a file in messages: relative to the project root when
// it is inside it, else absolute.
func (p *Project) displayPath(abs string) string {
	if rel, err := filepath.Rel(p.Root, abs); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return abs
}
