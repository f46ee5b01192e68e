package generators

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// nodeKind is the JSON type of a node.
type nodeKind uint8

const (
	kindObject nodeKind = iota
	kindArray
	kindString
	kindNumber
	kindLiteral // true, false, null
)

// node is a JSON value in an ordered tree that keeps duplicate keys and the
// exact bytes of every scalar, so that re-encoding an unchanged tree never
// grows it and edits change only what they touch.
type node struct {
	kind nodeKind
	raw  []byte   // scalars: the token as written ("a\u0041", 1e3, true)
	keys [][]byte // objects: raw key tokens, parallel to kids
	kids []*node  // object values or array elements
}

// maxDepth bounds nesting like encoding/json does.
const maxDepth = 10000

var errNotJSON = errors.New("not valid JSON")

// parseJSON parses valid JSON into an ordered tree; it returns errNotJSON
// for anything encoding/json would reject.
func parseJSON(b []byte) (*node, error) {
	if !json.Valid(b) {
		return nil, errNotJSON
	}
	return parseValid(b)
}

// parseValid parses b, which must be valid JSON (for instance what
// Connection.Marshal returns): it skips the validity check.
func parseValid(b []byte) (*node, error) {
	p := parser{b: b}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	return n, nil
}

type parser struct {
	b    []byte
	i    int
	slab []node // nodes are allocated from here, a chunk at a time
}

// node returns a new node holding n.
func (p *parser) node(n node) *node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]node, 0, 32)
	}
	p.slab = append(p.slab, n)
	return &p.slab[len(p.slab)-1]
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value parses one value of input already known to be valid JSON.
func (p *parser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errors.New("JSON nested too deeply")
	}
	p.ws()
	switch c := p.b[p.i]; c {
	case '{':
		n := p.node(node{kind: kindObject})
		p.i++
		p.ws()
		if p.b[p.i] == '}' {
			p.i++
			return n, nil
		}
		for {
			p.ws()
			key := p.stringToken()
			p.ws()
			p.i++ // ':'
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, key)
			n.kids = append(n.kids, v)
			p.ws()
			p.i++ // ',' or '}'
			if p.b[p.i-1] == '}' {
				return n, nil
			}
		}
	case '[':
		n := p.node(node{kind: kindArray})
		p.i++
		p.ws()
		if p.b[p.i] == ']' {
			p.i++
			return n, nil
		}
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, v)
			p.ws()
			p.i++
			if p.b[p.i-1] == ']' {
				return n, nil
			}
		}
	case '"':
		return p.node(node{kind: kindString, raw: p.stringToken()}), nil
	default:
		start := p.i
		for p.i < len(p.b) && !isValueEnd(p.b[p.i]) {
			p.i++
		}
		k := kindNumber
		if c == 't' || c == 'f' || c == 'n' {
			k = kindLiteral
		}
		return p.node(node{kind: k, raw: p.b[start:p.i]}), nil
	}
}

// isValueEnd reports whether c ends a number or literal.
func isValueEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ']' || c == '}'
}

func (p *parser) stringToken() []byte {
	start := p.i
	p.i++
	for p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	p.i++
	return p.b[start:p.i]
}

// decodeString decodes a string node (or key token). Tokens without
// escapes, control characters or invalid UTF-8 (nearly all) are sliced,
// not unmarshalled.
func decodeString(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		plain := true
		for _, c := range raw[1 : len(raw)-1] {
			if c < 0x20 {
				plain = false
				break
			}
		}
		if plain {
			return string(raw[1 : len(raw)-1])
		}
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// encodeString encodes s as a JSON string without HTML escaping.
func encodeString(s string) []byte {
	return appendJSONString(make([]byte, 0, len(s)+2), s)
}

// keyIs reports whether the raw key token decodes to key, without
// allocating for keys that have no escapes.
func keyIs(raw []byte, key string) bool {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1:len(raw)-1]) == key
	}
	return decodeString(raw) == key
}

// field returns the last value of key in an object node (JSON.parse keeps
// the last duplicate), or nil.
func (n *node) field(key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	for i := len(n.keys) - 1; i >= 0; i-- {
		if keyIs(n.keys[i], key) {
			return n.kids[i]
		}
	}
	return nil
}

// edit changes one node while the tree is written: remove drops it from its
// container, replace writes other bytes in its place.
type edit struct {
	target  *node
	remove  bool
	replace []byte
}

// write appends the compact encoding of n, with e applied.
func (n *node) write(buf []byte, e *edit) []byte {
	if e != nil && e.target == n && e.replace != nil {
		return append(buf, e.replace...)
	}
	switch n.kind {
	case kindObject, kindArray:
		open, closing := byte('{'), byte('}')
		if n.kind == kindArray {
			open, closing = '[', ']'
		}
		buf = append(buf, open)
		first := true
		for i, k := range n.kids {
			if e != nil && e.remove && e.target == k {
				continue
			}
			if !first {
				buf = append(buf, ',')
			}
			first = false
			if n.kind == kindObject {
				buf = append(buf, n.keys[i]...)
				buf = append(buf, ':')
			}
			buf = k.write(buf, e)
		}
		return append(buf, closing)
	default:
		return append(buf, n.raw...)
	}
}

// encode returns the compact encoding of n with e applied.
func (n *node) encode(e *edit, sizeHint int) []byte {
	return n.write(make([]byte, 0, sizeHint), e)
}

// walk visits the tree breadth-first, calling visit with each node, its
// parent (nil for the root) and its depth.
func (n *node) walk(visit func(n, parent *node)) {
	type item struct{ n, parent *node }
	queue := []item{{n, nil}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		visit(it.n, it.parent)
		for _, k := range it.n.kids {
			queue = append(queue, item{k, it.n})
		}
	}
}
