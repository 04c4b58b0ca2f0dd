package yamltree

import (
	"encoding/binary"
	"errors"
	"math"
)

// The value tags of the binary form.
const (
	tagNil byte = iota
	tagString
	tagInt
	tagUint
	tagFloat
	tagFalse
	tagTrue
)

// errBinary is the error of a damaged binary form.
var errBinary = errors.New("yamltree: damaged binary form")

// AppendBinary appends a compact binary form of the tree to b, for
// DecodeBinary: a cache of parsed files decodes it several times faster
// than the YAML parses. It reports false, appending nothing useful, for a
// value type Parse does not produce.
func (n *Node) AppendBinary(b []byte) ([]byte, bool) {
	b = append(b, byte(n.Kind))
	b = binary.AppendUvarint(b, uint64(n.Line))
	b = binary.AppendUvarint(b, uint64(n.Col))
	switch v := n.Value.(type) {
	case nil:
		b = append(b, tagNil)
	case string:
		b = append(b, tagString)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	case int64:
		b = append(b, tagInt)
		b = binary.AppendVarint(b, v)
	case uint64:
		b = append(b, tagUint)
		b = binary.AppendUvarint(b, v)
	case float64:
		b = append(b, tagFloat)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	case bool:
		tag := tagFalse
		if v {
			tag = tagTrue
		}
		b = append(b, tag)
	default:
		return b, false
	}
	ok := true
	for _, list := range [][]*Node{n.Keys, n.Values, n.Items} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, c := range list {
			if b, ok = c.AppendBinary(b); !ok {
				return b, false
			}
		}
	}
	return b, true
}

// DecodeBinary rebuilds a tree from its binary form (see AppendBinary).
func DecodeBinary(b []byte) (*Node, error) {
	d := decoder{b: b}
	n := d.node(0)
	if d.err == nil && len(d.b) > 0 {
		d.err = errBinary
	}
	if d.err != nil {
		return nil, d.err
	}
	return n, nil
}

// decoder reads a binary form; the first problem stops it.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errBinary
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errBinary
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// position reads a line or column.
func (d *decoder) position() int {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.err = errBinary
		return 0
	}
	return int(v)
}

// count reads a length, which cannot exceed the bytes left.
func (d *decoder) count() int {
	v := d.uvarint()
	if v > uint64(len(d.b)) {
		d.err = errBinary
		return 0
	}
	return int(v)
}

func (d *decoder) node(depth int) *Node {
	if depth > 2*maxDepth {
		d.err = errBinary
		return nil
	}
	kind := Kind(d.byte())
	if kind > Seq {
		d.err = errBinary
	}
	n := &Node{Kind: kind, Line: d.position(), Col: d.position()}
	switch d.byte() {
	case tagNil:
	case tagString:
		size := d.count()
		if d.err == nil {
			n.Value = string(d.b[:size])
			d.b = d.b[size:]
		}
	case tagInt:
		v, k := binary.Varint(d.b)
		if k <= 0 {
			d.err = errBinary
		} else {
			n.Value, d.b = v, d.b[k:]
		}
	case tagUint:
		n.Value = d.uvarint()
	case tagFloat:
		if len(d.b) < 8 {
			d.err = errBinary
		} else {
			n.Value, d.b = math.Float64frombits(binary.LittleEndian.Uint64(d.b)), d.b[8:]
		}
	case tagFalse:
		n.Value = false
	case tagTrue:
		n.Value = true
	default:
		d.err = errBinary
	}
	for _, list := range []*[]*Node{&n.Keys, &n.Values, &n.Items} {
		count := d.count()
		if d.err != nil {
			return nil
		}
		if count > 0 {
			*list = make([]*Node, count)
			for i := range *list {
				if (*list)[i] = d.node(depth + 1); d.err != nil {
					return nil
				}
			}
		}
	}
	return n
}
