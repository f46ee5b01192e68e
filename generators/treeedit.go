package generators

import (
	"math/rand"
	"sync"
)

// member is one object member or array element of a tree: its container and
// its position there.
type member struct {
	parent *node
	index  int
}

// memberList is a list of members, kept in a pool between uses: listing
// the members of a tree is the only allocation most edits would make.
type memberList struct{ ms []member }

var memberLists = sync.Pool{New: func() any { return new(memberList) }}

// listMembers lists every member and element below root, breadth-first
// (the order of walk). The list is its own queue. Release it when done;
// the members picked from it stay valid.
func listMembers(root *node) *memberList {
	l := memberLists.Get().(*memberList)
	out := l.ms[:0]
	for i := range root.kids {
		out = append(out, member{root, i})
	}
	for j := 0; j < len(out); j++ {
		n := out[j].value()
		for i := range n.kids {
			out = append(out, member{n, i})
		}
	}
	l.ms = out
	return l
}

// release returns l to the pool.
func (l *memberList) release() {
	clear(l.ms) // the pool must not keep trees alive
	l.ms = l.ms[:0]
	memberLists.Put(l)
}

// objects keeps the object members only (not array elements), in place.
func (l *memberList) objects() []member {
	out := l.ms[:0]
	for _, m := range l.ms {
		if m.parent.kind == kindObject {
			out = append(out, m)
		}
	}
	return out
}

// value is the member's value node.
func (m member) value() *node { return m.parent.kids[m.index] }

// key is the member's decoded key ("" for array elements).
func (m member) key() string {
	if m.parent.kind != kindObject {
		return ""
	}
	return decodeString(m.parent.keys[m.index])
}

// set replaces the member's value.
func (m member) set(v *node) { m.parent.kids[m.index] = v }

// remove deletes the member from its container.
func (m member) remove() {
	p := m.parent
	p.kids = append(p.kids[:m.index:m.index], p.kids[m.index+1:]...)
	if p.kind == kindObject {
		p.keys = append(p.keys[:m.index:m.index], p.keys[m.index+1:]...)
	}
}

// addMember appends key: v to an object node.
func addMember(obj *node, key string, v *node) {
	obj.keys = append(obj.keys, encodeString(key))
	obj.kids = append(obj.kids, v)
}

// raw makes a node that writes b verbatim (any JSON text, or not).
func raw(b string) *node { return &node{kind: kindLiteral, raw: []byte(b)} }

// strNode makes a string node.
func strNode(s string) *node { return &node{kind: kindString, raw: encodeString(s)} }

// findMember returns a member with the given key anywhere in the tree.
func findMember(root *node, r *rand.Rand, keys ...string) (member, bool) {
	l := listMembers(root)
	defer l.release()
	found := l.objects()
	n := 0
	for _, m := range found {
		if m.keyIn(keys) {
			found[n] = m
			n++
		}
	}
	if n == 0 {
		return member{}, false
	}
	return found[r.Intn(n)], true
}

// keyIn reports whether the member's key is one of keys, without decoding
// keys that have no escapes.
func (m member) keyIn(keys []string) bool {
	for _, k := range keys {
		if keyIs(m.parent.keys[m.index], k) {
			return true
		}
	}
	return false
}

// copyTree deep-copies a tree (raw bytes are shared: they are never written
// to). The copy's nodes, kids and keys come from three exactly sized slabs,
// and every slice handed out is capped, so that an append to one reallocates
// instead of writing over its neighbour.
func copyTree(n *node) *node {
	var s treeSlab
	nodes, kids, keys := countTree(n)
	s.nodes, s.kids, s.keys = make([]node, 0, nodes), make([]*node, 0, kids), make([][]byte, 0, keys)
	return s.copy(n)
}

// treeSlab holds the storage of a copied tree.
type treeSlab struct {
	nodes []node
	kids  []*node
	keys  [][]byte
	// from, when set, are the original's cached leaves; leaves collects
	// them re-pointed at the copy (see Tree.Clone).
	from, leaves []Leaf
}

// countTree counts the nodes under n (n included) and the kids and keys
// copyTree copies.
func countTree(n *node) (nodes, kids, keys int) {
	nodes = 1
	if n.kids != nil {
		kids, keys = len(n.kids), len(n.keys)
		for _, k := range n.kids {
			a, b, c := countTree(k)
			nodes, kids, keys = nodes+a, kids+b, keys+c
		}
	}
	return nodes, kids, keys
}

func (s *treeSlab) copy(n *node) *node {
	s.nodes = append(s.nodes, node{kind: n.kind, raw: n.raw})
	c := &s.nodes[len(s.nodes)-1]
	if n.kids != nil {
		if len(n.keys) > 0 {
			a := len(s.keys)
			s.keys = append(s.keys, n.keys...)
			c.keys = s.keys[a:len(s.keys):len(s.keys)]
		}
		a, b := len(s.kids), len(s.kids)+len(n.kids)
		s.kids = s.kids[:b]
		c.kids = s.kids[a:b:b]
		for i, k := range n.kids {
			c.kids[i] = s.copy(k)
			if s.from != nil && k.kind == kindString {
				// Leaves are listed depth first in document order, the
				// order of this copy: the next cached leaf must be this
				// one, or the cache is not used.
				if j := len(s.leaves); j < len(s.from) && s.from[j].m == (member{n, i}) {
					l := s.from[j]
					l.m = member{c, i}
					s.leaves = append(s.leaves, l)
				} else {
					s.from = nil
				}
			}
		}
	}
	return c
}
