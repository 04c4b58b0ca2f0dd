package compiler

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"os"

	"martlet/compiler/internal/atomicfile"
)

// compiledIndexName is the file, in the target directory's compiled
// folder, where WriteCompiled records the size, modification time and
// content hash of every compiled file, so that the next compile can tell
// that a file is unchanged from its metadata instead of reading it back.
const compiledIndexName = ".martlet-index"

// indexMagic starts an index file and names its format. Each entry then
// holds the compiled path (uvarint length, bytes), the size and the
// modification time in Unix nanoseconds (varints), and the SHA-256.
const indexMagic = "martlet compiled index v1\n"

// fileState is what a compiled file was seen to be: a regular file of
// this size and modification time whose content has this SHA-256.
type fileState struct {
	size, modTime int64
	sum           [sha256.Size]byte
}

// stateOf records fi, a regular file, as holding content with sum.
func stateOf(fi os.FileInfo, sum [sha256.Size]byte) fileState {
	return fileState{size: fi.Size(), modTime: fi.ModTime().UnixNano(), sum: sum}
}

// sameFile reports whether fi is a regular file with the recorded size
// and modification time.
func (s fileState) sameFile(fi os.FileInfo) bool {
	return fi.Mode().IsRegular() && fi.Size() == s.size && fi.ModTime().UnixNano() == s.modTime
}

// readCompiledIndex returns the file states the index at path records,
// by compiled path. It leaves out those whose modification time is not
// before the index's own: a file changed in the clock tick it was
// recorded in may have kept its modification time. A missing or corrupt
// index records nothing.
func readCompiledIndex(path string) map[string]fileState {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil
	}
	rest, ok := bytes.CutPrefix(data, []byte(indexMagic))
	if !ok {
		return nil
	}
	before := fi.ModTime().UnixNano()
	states := map[string]fileState{}
	for len(rest) > 0 {
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return nil
		}
		name := string(rest[k : k+int(n)])
		rest = rest[k+int(n):]
		var s fileState
		if s.size, k = binary.Varint(rest); k <= 0 {
			return nil
		}
		rest = rest[k:]
		if s.modTime, k = binary.Varint(rest); k <= 0 {
			return nil
		}
		rest = rest[k:]
		if len(rest) < len(s.sum) {
			return nil
		}
		rest = rest[copy(s.sum[:], rest):]
		if s.modTime < before {
			states[name] = s
		}
	}
	return states
}

// writeCompiledIndex replaces the index at path with one that records
// states[i] for names[i], skipping the names whose state is nil.
func writeCompiledIndex(path string, names []string, states []*fileState) error {
	buf := []byte(indexMagic)
	for i, s := range states {
		if s == nil {
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(len(names[i])))
		buf = append(buf, names[i]...)
		buf = binary.AppendVarint(buf, s.size)
		buf = binary.AppendVarint(buf, s.modTime)
		buf = append(buf, s.sum[:]...)
	}
	return atomicfile.Write(path, buf)
}
