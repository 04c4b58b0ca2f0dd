package selector

import (
	"strings"
	"unicode/utf8"
)

// hasGlob reports whether s holds a shell wildcard character.
func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }

// match compares name with a selection value: a glob when the value holds
// a wildcard, an exact comparison otherwise.
func match(pattern, name string) bool {
	if !hasGlob(pattern) {
		return pattern == name
	}
	return globMatch(pattern, name)
}

// pattern is a selection value prepared for matching many names.
type pattern struct {
	text string
	glob bool
}

func newPattern(s string) pattern { return pattern{text: s, glob: hasGlob(s)} }

// match is match(p.text, name) without looking for wildcards again.
func (p pattern) match(name string) bool {
	if !p.glob {
		return p.text == name
	}
	return globMatch(p.text, name)
}

// globMatch reports whether name matches the shell-style pattern the way
// Python's fnmatch (and so dbt) does: `*` matches any run of characters,
// dots and slashes included, `?` any one character, `[seq]` any character
// in seq and `[!seq]` any character not in it. A `[` without a closing `]`
// is an ordinary character. Matching is case-sensitive.
func globMatch(pattern, name string) bool {
	px, nx := 0, 0
	starPx, starNx := -1, 0
	for px < len(pattern) || nx < len(name) {
		if px < len(pattern) {
			if pattern[px] == '*' {
				starPx, starNx = px, nx
				px++
				continue
			}
			if step(pattern, name, &px, &nx) {
				continue
			}
		}
		if starPx >= 0 && starNx < len(name) {
			// Let the last star swallow one more character and retry.
			_, w := utf8.DecodeRuneInString(name[starNx:])
			starNx += w
			px, nx = starPx+1, starNx
			continue
		}
		return false
	}
	return true
}

// step advances over one pattern element other than a star when it
// matches at name[*nx:].
func step(pattern, name string, px, nx *int) bool {
	c := pattern[*px]
	if *nx >= len(name) {
		return false
	}
	r, w := utf8.DecodeRuneInString(name[*nx:])
	switch c {
	case '?':
		*px++
	case '[':
		matched, n := matchClass(pattern[*px:], r)
		switch {
		case n == 0 && r == '[':
			*px++
		case n > 0 && matched:
			*px += n
		default:
			return false
		}
	default:
		pr, pw := utf8.DecodeRuneInString(pattern[*px:])
		if pr != r {
			return false
		}
		*px += pw
	}
	*nx += w
	return true
}

// matchClass matches r against the bracket expression that starts p. It
// returns whether r is in the class and the length of the expression, or
// a length of 0 when the `[` is not closed.
func matchClass(p string, r rune) (matched bool, n int) {
	i := 1
	negate := i < len(p) && p[i] == '!'
	if negate {
		i++
	}
	start := i
	if i < len(p) && p[i] == ']' {
		i++ // a `]` first in the class is a member
	}
	for i < len(p) && p[i] != ']' {
		i++
	}
	if i >= len(p) {
		return false, 0
	}
	body := p[start:i]
	for body != "" {
		lo, w := utf8.DecodeRuneInString(body)
		body = body[w:]
		hi := lo
		if len(body) >= 2 && body[0] == '-' {
			hi, w = utf8.DecodeRuneInString(body[1:])
			body = body[1+w:]
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
	return matched != negate, i + 1
}

// matchPath reports whether the slash-separated name matches pattern
// segment by segment: each segment is a glob, and a `**` segment matches
// any number of segments, as in a recursive file glob.
func matchPath(pattern, name string) bool {
	for {
		pseg, prest, pmore := strings.Cut(pattern, "/")
		if pseg == "**" {
			if !pmore {
				return true
			}
			for {
				if matchPath(prest, name) {
					return true
				}
				_, nrest, nmore := strings.Cut(name, "/")
				if !nmore {
					return false
				}
				name = nrest
			}
		}
		nseg, nrest, nmore := strings.Cut(name, "/")
		if !match(pseg, nseg) {
			return false
		}
		if !pmore || !nmore {
			return pmore == nmore
		}
		pattern, name = prest, nrest
	}
}
