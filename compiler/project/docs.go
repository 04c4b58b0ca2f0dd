package project

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"martlet/compiler/diag"
)

// docsDirs are the directories searched for `{% docs %}` blocks: dbt's
// docs-paths when the project file sets them, else every resource
// directory that holds nodes with descriptions.
func (p *Project) docsDirs() []string {
	if len(p.Paths.Docs) > 0 {
		return p.Paths.Docs
	}
	var dirs []string
	for _, group := range [][]string{p.Paths.Models, p.Paths.Seeds, p.Paths.Macros, p.Paths.Snapshots} {
		for _, d := range group {
			if !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

// readDocs reads the .md files of the docs directories into Files.Docs
// and returns their docs blocks by name. A name defined twice is an error.
func (p *Project) readDocs(ds *diag.List) map[string]string {
	seen := map[string]bool{}
	for _, dir := range p.docsDirs() {
		for _, f := range p.walk(dir, ds, ".md") {
			if !seen[f.Path] {
				seen[f.Path] = true
				p.Files.Docs = append(p.Files.Docs, f)
			}
		}
	}
	docs := map[string]string{}
	at := map[string]Pos{}
	for _, f := range p.Files.Docs {
		parseDocBlocks(f, docs, at, ds)
	}
	return docs
}

// blockTag matches a Jinja block tag's opening and its first word, and
// docsName a docs block's name and the tag's end.
var (
	blockTag = regexp.MustCompile(`\{%-?\s*(\w*)`)
	docsName = regexp.MustCompile(`^\s+(\w+)\s*-?%\}`)
	tagEnd   = regexp.MustCompile(`^\s*-?%\}`)
)

// parseDocBlocks adds the `{% docs name %}...{% enddocs %}` blocks of f to
// docs (their text trimmed, as dbt does) and their places to at. Text
// outside the blocks is ignored.
func parseDocBlocks(f File, docs map[string]string, at map[string]Pos, ds *diag.List) {
	src := string(f.Data)
	errorf := func(off int, format string, args ...any) {
		line, col := lineCol(src, off)
		ds.Add(diag.At(f.Path, line, col, format, args...))
	}
	var name string // the open block's name
	var open, body int
	for off := 0; ; {
		m := blockTag.FindStringSubmatchIndex(src[off:])
		if m == nil {
			break
		}
		start, word, rest := off+m[0], src[off+m[2]:off+m[3]], off+m[1]
		off = rest
		switch word {
		case "docs":
			if name != "" {
				errorf(start, "docs block %q is not closed before the next {%% docs %%}", name)
				return
			}
			dm := docsName.FindStringSubmatchIndex(src[rest:])
			if dm == nil {
				errorf(start, "a docs block needs a name: {%% docs name %%}")
				return
			}
			name, open, body = src[rest+dm[2]:rest+dm[3]], start, rest+dm[1]
			off = body
		case "enddocs":
			em := tagEnd.FindStringIndex(src[rest:])
			if name == "" || em == nil {
				errorf(start, "{%% enddocs %%} without a {%% docs name %%} before it")
				return
			}
			line, col := lineCol(src, open)
			if prev, dup := at[name]; dup {
				errorf(open, "docs block %q is defined twice (also at %s:%d)", name, prev.File, prev.Line)
			} else {
				docs[name] = strings.TrimSpace(src[body:start])
				at[name] = Pos{File: f.Path, Line: line, Col: col}
			}
			name, off = "", rest+em[1]
		}
	}
	if name != "" {
		errorf(open, "docs block %q is not closed with {%% enddocs %%}", name)
	}
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(src string, off int) (line, col int) {
	before := src[:off]
	line = strings.Count(before, "\n") + 1
	return line, off - strings.LastIndexByte(before, '\n')
}

// docRef matches a `{{ doc("name") }}` call in a description.
var docRef = regexp.MustCompile(`\{\{-?\s*doc\(\s*(?:'(\w+)'|"(\w+)")\s*\)\s*-?\}\}`)

// resolveDocs replaces each `{{ doc("name") }}` in a description with the
// docs block of that name. unknown lists the names that have no block.
func resolveDocs(desc string, docs map[string]string) (out string, unknown []string) {
	if !strings.Contains(desc, "doc(") {
		return desc, nil
	}
	out = docRef.ReplaceAllStringFunc(desc, func(call string) string {
		m := docRef.FindStringSubmatch(call)
		name := m[1] + m[2]
		text, ok := docs[name]
		if !ok {
			unknown = append(unknown, name)
			return call
		}
		return text
	})
	return out, unknown
}

// unknownDocMessage says a description names a docs block that does not
// exist, suggesting a close name.
func unknownDocMessage(name string, docs map[string]string) string {
	msg := fmt.Sprintf("unknown docs block %q in doc()", name)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	if s := diag.Suggest(name, sortedCopy(names)); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}
