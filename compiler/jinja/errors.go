package jinja

import (
	"sort"
	"strconv"
	"unicode/utf8"
)

// Error is a problem in a template source at a 1-based line and column.
type Error struct {
	Line, Col int
	Msg       string
}

// Error formats the error as "line:col: msg".
func (e *Error) Error() string {
	return strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}

// lineIndex converts byte offsets of a source into 1-based lines and
// columns; columns count characters, not bytes.
type lineIndex struct {
	src    string
	starts []int
}

func newLineIndex(src string) *lineIndex {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// position returns the line and column of byte offset off.
func (li *lineIndex) position(off int) (line, col int) {
	off = min(max(off, 0), len(li.src))
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	return i + 1, utf8.RuneCountInString(li.src[li.starts[i]:off]) + 1
}
