package generators

import (
	"math/rand"
	"time"

	"github.com/cffuzz/cffuzz"
)

// seedObject is a mutation seed: its bytes and, when it is a JSON object, its tree.
type seedObject struct {
	raw  []byte
	tree *node
}

func parseSeeds(seeds [][]byte) []seedObject {
	out := make([]seedObject, 0, len(seeds))
	for _, s := range seeds {
		so := seedObject{raw: append([]byte(nil), s...)}
		if t, err := parseJSON(s); err == nil && t.kind == kindObject {
			so.tree = t
		}
		out = append(out, so)
	}
	return out
}

// The mutations: structural ones edit a JSON tree, byte-level ones the
// bytes; dictionary ones (when there is a dictionary) put a token in a
// string value.
var (
	dictMutations       = []string{"dict-replace", "dict-splice"}
	structuralMutations = []string{"drop-field", "duplicate-field", "retype-field", "swap-values", "change-char", "date-now"}
	byteMutations       = []string{"bit-flip", "truncate", "splice"}
)

// mutationCase mutates a seed (or, half of the time when there are seeds, a
// fresh production object). Structural mutations are classified by Classify:
// production when the result is still an object CloudFront could send.
// Byte-level mutations are malformed.
func (g *Generator) mutationCase(w *draw, c *cffuzz.Case) {
	r := w.r
	var base seedObject
	fresh := len(g.seeds) == 0 || chance(r, 0.5)
	if fresh {
		conn, _ := g.production.connection(w)
		b := conn.Marshal()
		t, _ := parseValid(b)
		base = seedObject{raw: b, tree: t}
	} else {
		base = g.seeds[r.Intn(len(g.seeds))]
	}
	if base.tree != nil && len(base.tree.kids) > 0 && chance(r, 0.75) {
		tree := base.tree
		if !fresh { // seeds are shared
			tree = copyTree(tree)
		}
		if w.d != nil && w.take(len(w.d.all)) {
			c.Variant = pick(r, dictMutations...)
			w.mutateWithDict(tree, c.Variant)
		} else {
			c.Variant = pick(r, structuralMutations...)
			mutateTree(r, tree, c.Variant, g.now)
		}
		c.Object = tree.encode(nil, len(base.raw)+64)
		c.Class, c.Expect = classifyExpect(c.Object)
		return
	}
	c.Variant = pick(r, byteMutations...)
	c.Object = g.mutateBytes(r, base.raw, c.Variant)
	c.Class = cffuzz.ClassMalformed
	if len(c.Object) == 0 || len(c.Object) > MaxObjectSize {
		c.Class = cffuzz.ClassBoundary
	}
	c.Expect = expectFor(c.Object)
}

var hexDigits = "0123456789abcdefABCDEF"

func mutateTree(r *rand.Rand, root *node, variant string, now time.Time) {
	all := members(root)
	m := all[r.Intn(len(all))]
	switch variant {
	case "drop-field":
		m.remove()
	case "duplicate-field":
		if m.parent.kind == kindObject {
			m.parent.keys = append(m.parent.keys, m.parent.keys[m.index])
		}
		m.parent.kids = append(m.parent.kids, copyTree(m.value()))
	case "retype-field":
		v := raw(pick(r, wrongTypes...))
		for v.raw[0] == m.value().encode(nil, 0)[0] {
			v = raw(pick(r, wrongTypes...))
		}
		m.set(v)
	case "swap-values":
		o := all[r.Intn(len(all))]
		a, b := m.value(), o.value()
		if !contains2(a, b) && !contains2(b, a) {
			m.set(b)
			o.set(a)
		}
	case "change-char":
		s, ok := pickString(r, root)
		if !ok {
			return
		}
		str := []byte(decodeString(s.value().raw))
		if len(str) == 0 {
			s.set(strNode(string(hexDigits[r.Intn(len(hexDigits))])))
			return
		}
		i := r.Intn(len(str))
		if isHex(str[i]) && chance(r, 0.7) { // stay in the field's alphabet
			str[i] = hexDigits[r.Intn(len(hexDigits))]
		} else {
			str[i] = byte(' ' + r.Intn(95))
		}
		s.set(strNode(string(str)))
	case "date-now":
		d, ok := findMember(root, r, "notBefore", "notAfter")
		if !ok {
			mutateTree(r, root, "change-char", now)
			return
		}
		eps := pick(r, 0, time.Second, -time.Second, time.Minute, -time.Minute, 24*time.Hour, -24*time.Hour)
		d.set(strNode(now.Add(eps).Format(dateLayout)))
	}
}

// contains2 reports whether b is a node inside a (so swapping would make a cycle).
func contains2(a, b *node) bool {
	found := false
	a.walk(func(n, _ *node) {
		if n == b {
			found = true
		}
	})
	return found
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func (g *Generator) mutateBytes(r *rand.Rand, b []byte, variant string) []byte {
	if len(b) == 0 {
		return []byte{byte(r.Intn(256))}
	}
	out := append([]byte(nil), b...)
	switch variant {
	case "bit-flip":
		for k := 0; k < 1+r.Intn(4); k++ {
			i := r.Intn(len(out))
			out[i] ^= 1 << r.Intn(8)
		}
	case "truncate":
		out = out[:r.Intn(len(out))]
	case "splice":
		other := b
		if len(g.seeds) > 0 {
			other = g.seeds[r.Intn(len(g.seeds))].raw
		}
		i, j := r.Intn(len(b)+1), r.Intn(len(other)+1)
		out = append(append([]byte(nil), b[:i]...), other[j:]...)
	}
	return out
}
