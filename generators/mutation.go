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
	structuralMutations = []string{"drop-field", "duplicate-field", "retype-field", "swap-values", "change-char", "date-now", "class-value", "class-invalid", "class-chars"}
	byteMutations       = []string{"bit-flip", "truncate", "splice"}
)

// mutationCase mutates a seed (or, half of the time when there are seeds, a
// fresh production object). Every result is classified as Classify does:
// production when it is still an object CloudFront could send (a bit flip
// in a digit can leave one), boundary when empty or over the size limit,
// malformed otherwise.
func (g *Generator) mutationCase(w *draw, c *cffuzz.Case) {
	r := w.r
	sc := getScratch()
	defer sc.release()
	var base seedObject
	fresh := len(g.seeds) == 0 || chance(r, 0.5)
	if fresh {
		conn, _ := g.production.connection(w)
		b := sc.marshal(&conn)
		t, _ := sc.parse(b)
		base = seedObject{raw: b, tree: t}
	} else {
		base = g.seeds[r.Intn(len(g.seeds))]
	}
	if base.tree != nil && len(base.tree.kids) > 0 && chance(r, 0.75) {
		tree := base.tree
		if !fresh { // seeds are shared
			tree = sc.copy(tree)
		}
		if w.d != nil && w.take(len(w.d.all)) {
			c.Variant = pick(r, dictMutations...)
			w.mutateWithDict(tree, c.Variant)
		} else {
			c.Variant = pick(r, structuralMutations...)
			mutateTree(r, tree, c.Variant, g.now)
		}
		c.Object = tree.encode(nil, len(base.raw)+64)
		c.Class, c.Expect = classifyTree(tree, c.Object)
		return
	}
	c.Variant = pick(r, byteMutations...)
	c.Object = g.mutateBytes(r, base.raw, c.Variant)
	// Most byte mutations break the JSON, but a flipped bit in a date
	// digit or a hex digit leaves an object CloudFront could send: a
	// finding on it is a production finding.
	c.Class, c.Expect = classifyExpect(c.Object)
}

var hexDigits = "0123456789abcdefABCDEF"

func mutateTree(r *rand.Rand, root *node, variant string, now time.Time) {
	l := listMembers(root)
	defer l.release()
	all := l.ms
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
		v := pick(r, wrongTypes...)
		for v[0] == m.value().lead() {
			v = pick(r, wrongTypes...)
		}
		n, _ := parseValid([]byte(v)) // a real object or array node, for classifyTree
		m.set(n)
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
	case "class-value", "class-invalid": // a field's value replaced by one of a production-valid class of its model, or of another
		m, ok := classMember(r, root)
		if !ok {
			mutateTree(r, root, "class-chars", now)
			return
		}
		v, _ := classValue(r, m.key(), variant == "class-value")
		m.set(strNode(v))
	case "class-chars": // a run of characters of one class inserted, replaced or deleted
		if s, ok := pickString(r, root); ok {
			s.set(strNode(MutateString(r, decodeString(s.value().raw))))
		}
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
	if variant == "splice" {
		other := b
		if len(g.seeds) > 0 {
			other = g.seeds[r.Intn(len(g.seeds))].raw
		}
		i, j := r.Intn(len(b)+1), r.Intn(len(other)+1)
		out := make([]byte, 0, i+len(other)-j)
		return append(append(out, b[:i]...), other[j:]...)
	}
	if variant == "truncate" {
		return append([]byte(nil), b[:r.Intn(len(b))]...) // b may be scratch, or a shared seed
	}
	out := append([]byte(nil), b...)
	if variant == "bit-flip" {
		for k := 0; k < 1+r.Intn(4); k++ {
			i := r.Intn(len(out))
			out[i] ^= 1 << r.Intn(8)
		}
	}
	return out
}
