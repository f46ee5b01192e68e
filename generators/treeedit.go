package generators

import (
	"math/rand"
)

// member is one object member or array element of a tree: its container and
// its position there.
type member struct {
	parent *node
	index  int
}

// members lists every member and element below root, breadth-first.
func members(root *node) []member {
	var out []member
	root.walk(func(n, _ *node) {
		for i := range n.kids {
			out = append(out, member{n, i})
		}
	})
	return out
}

// objectMembers lists the object members only (not array elements).
func objectMembers(root *node) []member {
	var out []member
	for _, m := range members(root) {
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

// stringMembers lists the members whose value is a string.
func stringMembers(root *node) []member {
	var out []member
	for _, m := range members(root) {
		if m.value().kind == kindString {
			out = append(out, m)
		}
	}
	return out
}

// findMember returns a member with the given key anywhere in the tree.
func findMember(root *node, r *rand.Rand, keys ...string) (member, bool) {
	var found []member
	for _, m := range objectMembers(root) {
		if contains(keys, m.key()) {
			found = append(found, m)
		}
	}
	if len(found) == 0 {
		return member{}, false
	}
	return found[r.Intn(len(found))], true
}

// copyTree deep-copies a tree (raw bytes are shared: they are never written to).
func copyTree(n *node) *node {
	c := &node{kind: n.kind, raw: n.raw}
	if n.kids != nil {
		c.keys = append([][]byte(nil), n.keys...)
		c.kids = make([]*node, len(n.kids))
		for i, k := range n.kids {
			c.kids[i] = copyTree(k)
		}
	}
	return c
}
