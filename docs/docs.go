// Package docs generates martlet's lineage docs site: one self-contained
// HTML page that holds the compiled project, the last run's results and
// every script and style it needs, so that it opens offline from a file or
// from Serve. The page draws the dependency graph (laid out by the vendored
// @dagrejs/dagre), a page per node with its columns, tests, SQL and last
// run, column-level lineage, and search.
//
// The page's scripts build the DOM with textContent only, the data is
// inlined as JSON with <, >, & and U+2028/U+2029 escaped, and a
// Content-Security-Policy that allows only the page's own scripts and
// styles (by hash) and no network access backs both up.
package docs

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"

	"martlet/compiler/manifest"
)

// DefaultFullGraphLimit is the node count above which the page draws only
// the lineage of the focused node rather than the whole graph.
const DefaultFullGraphLimit = 400

// Options tune the generated page.
type Options struct {
	// Title is the page title; the project name when empty.
	Title string
	// FullGraphLimit overrides DefaultFullGraphLimit when positive.
	FullGraphLimit int
}

var (
	//go:embed assets
	assetFS embed.FS
	//go:embed vendor/dagre.min.js
	dagreJS string
)

// scripts are the page's own scripts, in load order; they share one scope.
var scripts = []string{"dom.js", "data.js", "sql.js", "graph.js", "graphview.js", "lineage.js", "page.js", "search.js", "app.js"}

// styles are the page's style sheets, in order.
var styles = []string{"base.css", "graph.css", "page.css"}

// Generate writes the docs page for m to w. results, the last run's
// results, may be nil.
func Generate(w io.Writer, m *manifest.Manifest, results *RunResults, opts Options) error {
	if m == nil {
		return errors.New("docs: no manifest")
	}
	p := newPayload(m, results, opts)
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("docs: encoding the project: %v", err)
	}
	css, err := concat(styles, "")
	if err != nil {
		return err
	}
	app, err := concat(scripts, "(function () {\n\"use strict\";\n")
	if err != nil {
		return err
	}
	app += "})();\n"
	for _, code := range []string{dagreJS, app} {
		if strings.Contains(strings.ToLower(code), "</script") {
			return errors.New("docs: a script holds </script")
		}
	}

	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src %s %s; style-src %s; base-uri 'none'; form-action 'none'">
<meta name="generator" content="martlet docs">
<title>%s · martlet docs</title>
<style>%s</style>
</head>
<body>
<noscript>The martlet docs need JavaScript.</noscript>
<script type="application/json" id="martlet-data">`,
		cspHash(dagreJS), cspHash(app), cspHash(css), html.EscapeString(p.Title), css)
	// json.Marshal escapes <, >, &, U+2028 and U+2029, so no text in the
	// data can end the script element or break the JSON.
	bw.Write(data)
	fmt.Fprintf(bw, "</script>\n<script>%s</script>\n<script>%s</script>\n</body>\n</html>\n", dagreJS, app)
	return bw.Flush()
}

// concat joins embedded assets, after prefix.
func concat(names []string, prefix string) (string, error) {
	var b strings.Builder
	b.WriteString(prefix)
	for _, name := range names {
		data, err := assetFS.ReadFile("assets/" + name)
		if err != nil {
			return "", fmt.Errorf("docs: %v", err)
		}
		fmt.Fprintf(&b, "/* %s */\n", name)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// cspHash is the Content-Security-Policy source that allows one inline
// script or style element with this content.
func cspHash(content string) string {
	sum := sha256.Sum256([]byte(content))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
