package yamltree

import (
	"reflect"
	"testing"
)

// binaryCorpus are documents whose trees must survive the binary form.
var binaryCorpus = []string{
	"",
	"a: 1\nb: -2\nc: 18446744073709551615\nd: 1.5\ne: true\nf: false\ng: null\nh: text\ni: ''\n",
	"models:\n  - name: a\n    columns:\n      - name: id\n        tests: [unique, not_null]\n    config: {materialized: table, tags: [x]}\n",
	"base: &b {x: 1}\nderived:\n  <<: *b\n  y: [*b, *b]\n",
	"- - - deep\n  - []\n- {}\n",
	"s: \"quoted \\u00e9 \\n text\"\n",
}

func TestBinaryRoundTrip(t *testing.T) {
	for _, src := range append(binaryCorpus, string(synthProperties(t))) {
		n, d := Parse("f.yml", []byte(src))
		if d != nil {
			t.Fatalf("%q: %v", src, d)
		}
		b, ok := n.AppendBinary(nil)
		if !ok {
			t.Fatalf("%q: no binary form", src)
		}
		got, err := DecodeBinary(b)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if !reflect.DeepEqual(got, n) {
			t.Errorf("%q: the tree changed through its binary form:\n%#v\nwant\n%#v", src, got, n)
		}
	}
}

func TestBinaryRejectsDamage(t *testing.T) {
	n, _ := Parse("f.yml", []byte(binaryCorpus[2]))
	b, _ := n.AppendBinary(nil)
	for cut := range len(b) {
		if _, err := DecodeBinary(b[:cut]); err == nil {
			t.Errorf("a form cut at %d of %d bytes decoded", cut, len(b))
		}
	}
	if _, err := DecodeBinary(append(b, 0)); err == nil {
		t.Error("a form with a trailing byte decoded")
	}
}

// FuzzDecodeBinary decodes arbitrary bytes: no panic, and a tree that
// decodes survives encoding and decoding again. (Its bytes may not: a
// varint may have been written with redundant bytes.)
func FuzzDecodeBinary(f *testing.F) {
	for _, src := range binaryCorpus {
		n, _ := Parse("f.yml", []byte(src))
		b, _ := n.AppendBinary(nil)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := DecodeBinary(b)
		if err != nil {
			return
		}
		again, ok := n.AppendBinary(nil)
		if !ok {
			t.Fatalf("a decoded tree has no binary form: %x", b)
		}
		if n2, err := DecodeBinary(again); err != nil || !reflect.DeepEqual(n2, n) {
			t.Errorf("decoded %x; encoded again %x, which decodes to another tree (%v)", b, again, err)
		}
	})
}

// BenchmarkDecodeBinary decodes the tree of the file BenchmarkParse parses.
func BenchmarkDecodeBinary(b *testing.B) {
	n, d := Parse("f.yml", synthProperties(b))
	if d != nil {
		b.Fatal(d)
	}
	form, _ := n.AppendBinary(nil)
	b.SetBytes(int64(len(form)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBinary(form); err != nil {
			b.Fatal(err)
		}
	}
}
