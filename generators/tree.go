package generators

import (
	"math/rand"
	"strconv"
	"strings"
)

// Tree is a connection object parsed for field-level editing: an ordered
// JSON tree that keeps member order, duplicate keys and the bytes of
// everything an edit does not touch. Feedback-guided mutation (the engine's
// input-to-state replacement, splicing, growth) works on it, so that a
// mutated object keeps the structure of the typed model.
//
// A Tree is not safe for concurrent edits; Clone it first.
type Tree struct {
	root *node
	size int
	// leaves caches Leaves until the structure changes (Set keeps it).
	leaves []Leaf
}

// ParseTree parses a connection object that is a JSON object; it reports
// false for anything else.
func ParseTree(object []byte) (*Tree, bool) {
	n, err := parseJSON(object)
	if err != nil || n.kind != kindObject {
		return nil, false
	}
	return &Tree{root: n, size: len(object)}, true
}

// Clone returns a deep copy of t, which can be edited independently.
// The copy keeps the cached leaves, re-pointed at its own nodes.
func (t *Tree) Clone() *Tree {
	var s treeSlab
	nodes, kids, keys := countTree(t.root)
	s.nodes, s.kids, s.keys = make([]node, 0, nodes), make([]*node, 0, kids), make([][]byte, 0, keys)
	if t.leaves != nil {
		s.from, s.leaves = t.leaves, make([]Leaf, 0, len(t.leaves))
	}
	c := &Tree{root: s.copy(t.root), size: t.size}
	if s.from != nil && len(s.leaves) == len(t.leaves) {
		c.leaves = s.leaves
	}
	return c
}

// Bytes returns the compact JSON encoding of t.
func (t *Tree) Bytes() []byte { return t.root.encode(nil, t.size+64) }

// Leaf is one string field of a Tree: its path ("clientCertificate.
// certificates.leaf.issuer", array elements as indexes:
// "certificates.intermediates.0.subject"), its key (the last object key on
// the path: "issuer" also for elements of a string array) and its value.
type Leaf struct {
	Path  string
	Key   string
	Value string
	m     member
}

// Leaves lists the string fields of t in a fixed order (depth first, in
// document order), so that the same structure always gives the same list.
// The slice is t's own: read it, do not change it.
func (t *Tree) Leaves() []Leaf {
	if t.leaves == nil {
		t.leaves = t.listLeaves()
	}
	return t.leaves
}

func (t *Tree) listLeaves() []Leaf {
	out := make([]Leaf, 0, countLeaves(t.root))
	appendLeaves(&out, t.root, make([]byte, 0, 128), "")
	return out
}

// countLeaves counts the string fields under n.
func countLeaves(n *node) int {
	c := 0
	for _, k := range n.kids {
		switch k.kind {
		case kindString:
			c++
		case kindObject, kindArray:
			c += countLeaves(k)
		}
	}
	return c
}

// appendLeaves appends the string fields under n, whose path is path (a
// buffer it may grow: each leaf's Path is one allocation) and whose key is
// key, to out.
func appendLeaves(out *[]Leaf, n *node, path []byte, key string) {
	base := len(path)
	for i, k := range n.kids {
		if k.kind != kindString && k.kind != kindObject && k.kind != kindArray {
			continue
		}
		p, kk := path[:base], key
		if base > 0 {
			p = append(p, '.')
		}
		if n.kind == kindObject {
			kk = keyString(n.keys[i])
			p = append(p, kk...)
		} else {
			p = strconv.AppendInt(p, int64(i), 10)
		}
		if k.kind == kindString {
			*out = append(*out, Leaf{Path: string(p), Key: kk, Value: decodeString(k.raw), m: member{n, i}})
		} else {
			appendLeaves(out, k, p, kk)
		}
		path = p[:base]
	}
}

// knownKeys are the keys of the documented connection object, so that
// listing leaves does not allocate a string for each of them.
var knownKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"certificates", "chainValidity", "clientCertificate", "clientIp", "connectionId",
		"distributionId", "endpoint", "errorType", "intermediates", "issuer", "leaf", "method", "notAfter",
		"notBefore", "ocspEndpoint", "revocationStatus", "san", "sanHex", "serialNumber", "sha256Fingerprint",
		"spki", "status", "subject", "validity"} {
		m[k] = k
	}
	return m
}()

// keyString is decodeString for a raw object key, without allocating for
// the documented keys.
func keyString(raw []byte) string {
	if len(raw) >= 2 {
		if k, ok := knownKeys[string(raw[1:len(raw)-1])]; ok {
			return k
		}
	}
	return decodeString(raw)
}

// Set replaces the value of a leaf of t (one of t.Leaves()).
func (t *Tree) Set(l Leaf, value string) {
	l.m.set(strNode(value))
	t.size += len(value) - len(l.Value)
	for i := range t.leaves {
		if t.leaves[i].m == l.m {
			t.leaves[i].Value = value
		}
	}
}

// Array is an array of t with at least one element: its path and length.
type Array struct {
	Path string
	Len  int
	n    *node
}

// Arrays lists the non-empty arrays of t (the chain's intermediates, the
// revocation results), in the order of Leaves.
func (t *Tree) Arrays() []Array {
	var out []Array
	t.containers(func(k *node, path string) {
		if k.kind == kindArray && len(k.kids) > 0 {
			out = append(out, Array{Path: path, Len: len(k.kids), n: k})
		}
	})
	return out
}

// containers calls f for each object and array below the root of t with its
// dotted path, parents before their children.
func (t *Tree) containers(f func(k *node, path string)) {
	var visit func(n *node, path string)
	visit = func(n *node, path string) {
		for i, k := range n.kids {
			if k.kind != kindObject && k.kind != kindArray {
				continue
			}
			p := strconv.Itoa(i)
			if n.kind == kindObject {
				p = decodeString(n.keys[i])
			}
			if path != "" {
				p = path + "." + p
			}
			f(k, p)
			visit(k, p)
		}
	}
	visit(t.root, "")
}

// Duplicate appends a copy of element i of a to the end of a: a longer
// chain (for cost, and for loops in a chain walk) of the same shape.
func (t *Tree) Duplicate(a Array, i int) {
	t.leaves = nil
	if i < 0 || i >= len(a.n.kids) {
		return
	}
	c := copyTree(a.n.kids[i])
	a.n.kids = append(a.n.kids, c)
	t.size += len(c.encode(nil, 64)) + 1
}

// Remove drops element i of a.
func (t *Tree) Remove(a Array, i int) {
	t.leaves = nil
	if i < 0 || i >= len(a.n.kids) {
		return
	}
	member{a.n, i}.remove()
}

// Lookup returns the leaf of t at path, if t has one.
func (t *Tree) Lookup(path string) (Leaf, bool) {
	for _, l := range t.Leaves() {
		if l.Path == path {
			return l, true
		}
	}
	return Leaf{}, false
}

// Graft puts a copy of the value at path in src into t at the same path:
// it replaces t's value there, or adds the member when t has the object
// that holds it but not the member (splicing a whole certificate, the
// revocation status, an optional field between objects). It reports
// whether it did.
func (t *Tree) Graft(src *Tree, path string) bool {
	t.leaves = nil
	parts := strings.Split(path, ".")
	from, to := src.root, t.root
	for i, part := range parts {
		from = child(from, part)
		if from == nil {
			return false
		}
		next := child(to, part)
		if next == nil {
			if i != len(parts)-1 || to.kind != kindObject {
				return false
			}
			c := copyTree(from)
			addMember(to, part, c)
			t.size += len(part) + len(c.encode(nil, 64)) + 4
			return true
		}
		to = next
	}
	// Replace to's contents in place: its parent keeps the pointer.
	c := copyTree(from)
	*to = *c
	t.size += len(c.encode(nil, 64))
	return true
}

// child returns the member part (a key, or an index for arrays) of n.
func child(n *node, part string) *node {
	switch n.kind {
	case kindObject:
		return n.field(part)
	case kindArray:
		i, err := strconv.Atoi(part)
		if err != nil || i < 0 || i >= len(n.kids) {
			return nil
		}
		return n.kids[i]
	}
	return nil
}

// Subtrees lists the paths of the objects of t (certificates, revocation
// results), which Graft can splice between objects.
func (t *Tree) Subtrees() []string {
	var out []string
	t.containers(func(_ *node, path string) { out = append(out, path) })
	return out
}

// Drop removes the member or element at path (a field, a certificate, the
// revocation status), as optional parts of a connection object can be
// absent. It reports whether there was one to remove.
func (t *Tree) Drop(path string) bool {
	t.leaves = nil
	parts := strings.Split(path, ".")
	parent := t.root
	for _, part := range parts[:len(parts)-1] {
		if parent = child(parent, part); parent == nil {
			return false
		}
	}
	last := parts[len(parts)-1]
	switch parent.kind {
	case kindObject:
		for i := len(parent.keys) - 1; i >= 0; i-- {
			if keyIs(parent.keys[i], last) {
				member{parent, i}.remove()
				return true
			}
		}
	case kindArray:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(parent.kids) {
			member{parent, i}.remove()
			return true
		}
	}
	return false
}

// Repair restores the invariants of the connection-object model that a
// field-level edit can break: an OCSP result has an errorType exactly when
// its status is "Error" (an edit that set the status to Error gets an
// errorType; one that changed it from Error loses it). It reports whether
// it changed t.
func (t *Tree) Repair(r *rand.Rand) bool {
	t.leaves = nil
	changed := false
	if ip := t.root.field("clientIp"); ip != nil && ip.kind == kindString {
		if s := decodeString(ip.raw); !validIP(s) {
			if c := completeIPPrefix(r, s); c != "" {
				for i := range t.root.kids {
					if t.root.kids[i] == ip {
						t.root.kids[i] = strNode(c)
						changed = true
					}
				}
			}
		}
	}
	t.root.walk(func(n, _ *node) {
		if n.kind != kindObject {
			return
		}
		st := n.field("status")
		if st == nil || st.kind != kindString || n.field("method") == nil {
			return
		}
		isError := decodeString(st.raw) == "Error"
		has := false
		for i := len(n.keys) - 1; i >= 0; i-- {
			if keyIs(n.keys[i], "errorType") {
				has = true
				switch {
				case !isError:
					member{n, i}.remove()
					changed = true
				case n.kids[i].kind != kindString || !validErrorType(decodeString(n.kids[i].raw)):
					n.kids[i] = strNode(pick(r, ocspErrorTypes...))
					changed = true
				}
			}
		}
		if isError && !has {
			addMember(n, "errorType", strNode(pick(r, ocspErrorTypes...)))
			changed = true
		}
	})
	return changed
}

// completeIPPrefix completes the longest IPv4 prefix s starts with (octets
// of at most 255, at most four) to an address, or returns "".
func completeIPPrefix(r *rand.Rand, s string) string {
	end, octet, dots := 0, 0, 0
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' && digits < 3 && octet*10+int(c-'0') <= 255:
			octet = octet*10 + int(c-'0')
			digits++
			end = i + 1
		case c == '.' && digits > 0 && dots < 3:
			dots++
			octet, digits = 0, 0
			end = i + 1
		default:
			i = len(s)
		}
	}
	if end == 0 {
		return ""
	}
	c := completeV4(r, strings.TrimSuffix(s[:end], "."))
	if !validIP(c) {
		return ""
	}
	return c
}
