package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// Write saves the manifest as JSON at path: exactly what a json.Encoder
// writes for it (compact, with <, > and & escaped, and a final newline),
// but with the nodes encoded on all cores. An existing file is
// overwritten in place and then cut to length, not truncated first:
// emptying a large file and writing it again is many times slower.
func (m *Manifest) Write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	parts, err := m.encode()
	var size int64
	for _, p := range parts {
		if err == nil {
			var n int
			n, err = f.Write(p)
			size += int64(n)
		}
	}
	if terr := f.Truncate(size); err == nil {
		err = terr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// nodesKey is the key of the nodes in the JSON form.
const nodesKey = `"nodes":`

// encode returns the JSON form of the manifest, as json.Encoder.Encode
// writes it, in parts to be written one after the other. The manifest
// without its nodes is encoded as usual, and the nodes, encoded in
// parallel, take the place of the null after its first "nodes": key. A
// quote inside an encoded string is escaped, so the bytes "nodes": can
// only be a key, and the fields before the nodes (project, target,
// generated_at) hold no such key.
func (m *Manifest) encode() ([][]byte, error) {
	head := *m
	head.Nodes = nil
	var hb bytes.Buffer
	if err := json.NewEncoder(&hb).Encode(&head); err != nil {
		return nil, err
	}
	h := hb.Bytes()
	if m.Nodes == nil {
		return [][]byte{h}, nil
	}
	at := bytes.Index(h, []byte(nodesKey+"null"))
	if at < 0 {
		return nil, errors.New("manifest: no nodes field in the JSON form")
	}
	at += len(nodesKey)
	nodes, err := encodeNodes(m.Nodes)
	if err != nil {
		return nil, err
	}
	before := append(append([]byte(nil), h[:at]...), '[')
	after := append([]byte("]"), h[at+len("null"):]...)
	return slices.Concat([][]byte{before}, nodes, [][]byte{after}), nil
}

// encodeNodes encodes runs of consecutive nodes in parallel and returns,
// in order, the JSON array elements of each run, every element but the
// very first preceded by a comma.
func encodeNodes(nodes []*Node) ([][]byte, error) {
	n := min(len(nodes), 4*runtime.GOMAXPROCS(0))
	chunks := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			for j, node := range nodes[i*len(nodes)/n : (i+1)*len(nodes)/n] {
				if i > 0 || j > 0 {
					b.WriteByte(',')
				}
				if err := enc.Encode(node); err != nil {
					errs[i] = err
					return
				}
				b.Truncate(b.Len() - 1) // the newline Encode ends with
			}
			chunks[i] = b.Bytes()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return chunks, nil
}
