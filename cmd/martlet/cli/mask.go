package cli

import (
	"io"
	"os"
	"sort"
	"strings"

	"martlet/compiler/template"
)

// secretMask replaces the values of MARTLET_SECRET_* environment variables
// in everything martlet prints or writes, so that a database error that
// echoes a hook's SQL does not leak a secret.
type secretMask struct {
	replacer *strings.Replacer
}

// newSecretMask reads the secrets from the environment. Values shorter
// than four characters are not masked: they would mask ordinary text.
func newSecretMask() *secretMask {
	var values []string
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, template.SecretPrefix) && len(value) >= 4 {
			values = append(values, value)
		}
	}
	if len(values) == 0 {
		return &secretMask{}
	}
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		pairs = append(pairs, v, "*****")
	}
	return &secretMask{replacer: strings.NewReplacer(pairs...)}
}

// String masks secrets in s.
func (m *secretMask) String(s string) string {
	if m.replacer == nil {
		return s
	}
	return m.replacer.Replace(s)
}

// Writer wraps w so that what is written through it is masked. Writers of
// martlet's output write whole lines, so a secret is never split between
// two writes.
func (m *secretMask) Writer(w io.Writer) io.Writer {
	if m.replacer == nil {
		return w
	}
	return &maskedWriter{w: w, m: m}
}

type maskedWriter struct {
	w io.Writer
	m *secretMask
}

func (mw *maskedWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(mw.w, mw.m.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
