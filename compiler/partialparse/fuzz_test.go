package partialparse

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode reads arbitrary bytes as a cache file: decoding must not
// panic, what it decodes must be usable, and saving it must work.
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
		loaded := New()
		loaded.decode(data)
		loaded.Checked(duck, "select 1")
		loaded.Lineage(duck, `select x from "main"."a"`, testCatalog())
		loaded.Render(RenderKey("env", "model.p.a", "models/a.sql", "select 1"))
		if _, _, err := loaded.encode(); err != nil {
			t.Fatal(err)
		}
	})
}
