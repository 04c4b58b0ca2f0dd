package partialparse

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode reads arbitrary bytes as a cache file: decoding must not
// panic, and what it decodes must be usable.
func FuzzDecode(f *testing.F) {
	seed := filepath.Join(f.TempDir(), "seed")
	c := New()
	c.AddChecked(duck, "select 1")
	analyzeInto(c, `select x from "main"."a"`)
	if err := c.Save(seed); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		old, ok := decode(bytes.NewReader(data), c.stamp)
		if !ok {
			return
		}
		loaded := New()
		loaded.old = old
		loaded.Checked(duck, "select 1")
		loaded.Lineage(duck, `select x from "main"."a"`, testCatalog())
		loaded.Render(RenderKey("env", "model.p.a", "models/a.sql", "select 1"))
	})
}
