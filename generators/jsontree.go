package generators

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"
	"unicode"
	"unicode/utf16"
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
	var a arena
	return a.parse(b)
}

// arena is the storage of parsed trees: nodes in chunks, and the keys and
// kids of containers in shared slices handed out at their exact length
// and capacity, so that an append to one reallocates instead of writing
// over its neighbour. A zero arena allocates what each parse needs; one
// kept for reuse (scratch) parses transient trees, which live until the
// arena is reset, without allocating in the steady state.
type arena struct {
	chunks [][]node // node storage; chunks[c][:used] are taken
	c      int      // the chunk nodes come from
	used   int      // nodes taken from chunks[c]
	kids   []*node
	keys   [][]byte
	// The members of the containers being parsed, innermost last.
	stackN []*node
	stackK [][]byte
	// grow is the size of the next chunk of nodes, kids and keys: set
	// from the first input's length, doubled after each chunk.
	grow [3]int
}

// The chunk kinds of arena.grow.
const (
	growNodes = iota
	growKids
	growKeys
)

// reset makes the whole arena free again. Trees parsed before must not be
// used any more.
func (a *arena) reset() {
	a.c, a.used = 0, 0
	a.kids, a.keys = a.kids[:0], a.keys[:0]
}

// parse parses b, which must be valid JSON, into a tree stored in a.
func (a *arena) parse(b []byte) (*node, error) {
	if len(a.chunks) == 0 && a.grow[growNodes] == 0 {
		// A fresh arena holds this tree only: size it exactly.
		nodes, kids, keys := countJSON(b)
		a.grow = [3]int{nodes, max(kids, 1), max(keys, 1)}
	}
	p := parser{b: b, a: a}
	n, err := p.value(0)
	a.stackN, a.stackK = a.stackN[:0], a.stackK[:0]
	if err != nil {
		return nil, err
	}
	return n, nil
}

// node returns a new node holding n.
func (a *arena) node(n node) *node {
	for a.c < len(a.chunks) && a.used == len(a.chunks[a.c]) {
		a.c, a.used = a.c+1, 0
	}
	if a.c == len(a.chunks) {
		a.chunks = append(a.chunks, make([]node, a.next(growNodes)))
		a.used = 0
	}
	ch := a.chunks[a.c]
	ch[a.used] = n
	a.used++
	return &ch[a.used-1]
}

// structural marks the bytes countJSON looks at outside strings.
var structural = func() (t [256]bool) {
	for _, c := range `",:{[` {
		t[c] = true
	}
	return t
}()

// countJSON counts the nodes, container members and object keys of b,
// which must be valid JSON: every member is followed by a comma but the
// last of each non-empty container, and every key by a colon.
func countJSON(b []byte) (nodes, kids, keys int) {
	commas, nonEmpty := 0, 0
	for i := 0; i < len(b); i++ {
		if !structural[b[i]] {
			continue
		}
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case ',':
			commas++
		case ':':
			keys++
		default: // { or [: empty unless the next non-space byte closes it
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && b[j] != '}' && b[j] != ']' {
				nonEmpty++
			}
		}
	}
	kids = commas + nonEmpty
	return kids + 1, kids, keys
}

// next returns the size of a new chunk, and doubles the one after.
func (a *arena) next(kind int) int {
	n := a.grow[kind]
	if n == 0 { // not sized by a parse (a copy)
		n = 64
	}
	a.grow[kind] = min(2*n, 1<<16)
	return n
}

// take moves the members stacked since mark into exactly sized slices.
func (a *arena) take(mark int, object bool) ([][]byte, []*node) {
	n := len(a.stackN) - mark
	if n == 0 {
		return nil, nil
	}
	if cap(a.kids)-len(a.kids) < n {
		a.kids = make([]*node, 0, max(n, a.next(growKids)))
	}
	k := len(a.kids)
	a.kids = append(a.kids, a.stackN[mark:]...)
	kids := a.kids[k : k+n : k+n]
	a.stackN = a.stackN[:mark]
	var keys [][]byte
	if object {
		if cap(a.keys)-len(a.keys) < n {
			a.keys = make([][]byte, 0, max(n, a.next(growKeys)))
		}
		k := len(a.keys)
		a.keys = append(a.keys, a.stackK[mark:]...)
		keys = a.keys[k : k+n : k+n]
		a.stackK = a.stackK[:mark]
	}
	return keys, kids
}

type parser struct {
	b []byte
	i int
	a *arena
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
	a := p.a
	switch c := p.b[p.i]; c {
	case '{':
		n := a.node(node{kind: kindObject})
		p.i++
		p.ws()
		if p.b[p.i] == '}' {
			p.i++
			return n, nil
		}
		mark := len(a.stackN)
		for {
			p.ws()
			key := p.stringToken()
			p.ws()
			p.i++ // ':'
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a.stackK = append(a.stackK, key)
			a.stackN = append(a.stackN, v)
			p.ws()
			p.i++ // ',' or '}'
			if p.b[p.i-1] == '}' {
				n.keys, n.kids = a.take(mark, true)
				return n, nil
			}
		}
	case '[':
		n := a.node(node{kind: kindArray})
		p.i++
		p.ws()
		if p.b[p.i] == ']' {
			p.i++
			return n, nil
		}
		mark := len(a.stackN)
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a.stackN = append(a.stackN, v)
			a.stackK = append(a.stackK, nil) // keeps the two stacks level
			p.ws()
			p.i++
			if p.b[p.i-1] == ']' {
				_, n.kids = a.take(mark, false)
				a.stackK = a.stackK[:mark]
				return n, nil
			}
		}
	case '"':
		return a.node(node{kind: kindString, raw: p.stringToken()}), nil
	default:
		start := p.i
		for p.i < len(p.b) && !isValueEnd(p.b[p.i]) {
			p.i++
		}
		k := kindNumber
		if c == 't' || c == 'f' || c == 'n' {
			k = kindLiteral
		}
		return a.node(node{kind: k, raw: p.b[start:p.i]}), nil
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
	s, _ := unquote(raw)
	return s
}

// unquote decodes a JSON string token exactly as encoding/json's
// Unmarshal into a string does (escapes, surrogate pairs; invalid UTF-8
// and lone surrogates become U+FFFD), without reflection; false (and "")
// for a token Unmarshal rejects.
func unquote(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	s := raw[1 : len(raw)-1]
	b := make([]byte, 0, len(s)+utf8.UTFMax)
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '\\':
			if i+1 >= len(s) {
				return "", false
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/', '\'':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := getu4(s[i:])
				if r < 0 {
					return "", false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2 := getu4(s[i:]); r2 >= 0 {
						if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
							i += 6
							b = utf8.AppendRune(b, d)
							continue
						}
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return "", false
			}
			i += 2
		case c == '"' || c < ' ':
			return "", false
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, unicode.ReplacementChar)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return string(b), true
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
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

// lead is the first byte of n's encoding, which tells its JSON type.
func (n *node) lead() byte {
	switch n.kind {
	case kindObject:
		return '{'
	case kindArray:
		return '['
	}
	return n.raw[0]
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

// scratch is the reusable working storage of one case: the encoding of
// the connection a family starts from, and an arena for trees that live
// only while the case is built or an object is classified. Nothing of it
// may end up in a Case: objects are always encoded into their own bytes.
type scratch struct {
	arena
	buf []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns a scratch from the pool; give it back with release.
func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release returns s to the pool. Trees parsed into s, and s.buf, must not
// be used any more.
func (s *scratch) release() {
	s.reset()
	s.buf = s.buf[:0]
	scratchPool.Put(s)
}

// marshal encodes c into s.buf, which is valid until s is released.
func (s *scratch) marshal(c *Connection) []byte {
	s.buf = c.appendJSON(s.buf[:0])
	return s.buf
}

// copy deep-copies the tree n into a (raw bytes are shared: they are never
// written to), with capped slices as parse makes them.
func (a *arena) copy(n *node) *node {
	c := a.node(node{kind: n.kind, raw: n.raw})
	if n.kids == nil {
		return c
	}
	if len(n.kids) == 0 {
		c.kids, c.keys = n.kids[:0:0], n.keys[:0:0]
		return c
	}
	mark := len(a.stackN)
	for i, k := range n.kids {
		k := a.copy(k)
		a.stackN = append(a.stackN, k)
		if n.kind == kindObject {
			a.stackK = append(a.stackK, n.keys[i])
		} else {
			a.stackK = append(a.stackK, nil)
		}
	}
	c.keys, c.kids = a.take(mark, n.kind == kindObject)
	a.stackK = a.stackK[:mark]
	return c
}
