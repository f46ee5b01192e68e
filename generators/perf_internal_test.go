package generators

import (
	"bytes"
	"encoding/json"

	"github.com/cffuzz/cffuzz"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// referenceLeaves is Leaves written plainly (a path string per level),
// the specification the allocation-saving listLeaves must match.
func referenceLeaves(t *Tree) []Leaf {
	out := []Leaf{}
	var visit func(n *node, path, key string)
	visit = func(n *node, path, key string) {
		for i, k := range n.kids {
			p, kk := strconv.Itoa(i), key
			if n.kind == kindObject {
				kk = decodeString(n.keys[i])
				p = kk
			}
			if path != "" {
				p = path + "." + p
			}
			switch k.kind {
			case kindString:
				out = append(out, Leaf{Path: p, Key: kk, Value: decodeString(k.raw), m: member{n, i}})
			case kindObject, kindArray:
				visit(k, p, kk)
			}
		}
	}
	visit(t.root, "", "")
	return out
}

// TestLeavesMatchReference checks Leaves against referenceLeaves on
// crafted trees (escaped and empty keys, nested arrays) and on generated
// cases of every family.
func TestLeavesMatchReference(t *testing.T) {
	objects := []string{
		`{}`,
		`{"":{"":"a"},"x":["b",["c",{"issuer":"d"}]]}`,
		`{"iss\u0075er":"a","clientIp":1,"san":["x","y"],"leaf":{"subject":"s","validity":{"notAfter":"n"}}}`,
		`{"clientCertificate":{"certificates":{"intermediates":[{"issuer":"a"},{"subject":"b"}]}},"k\"q":"v"}`,
	}
	g, err := New(Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < 2000; i++ {
		objects = append(objects, string(g.Case(1, i).Object))
	}
	for i, o := range objects {
		tr, ok := ParseTree([]byte(o))
		if !ok {
			continue
		}
		want := referenceLeaves(tr)
		if got := tr.Leaves(); !reflect.DeepEqual(got, want) {
			t.Fatalf("object %d %.200s: Leaves differ from the reference:\ngot  %+v\nwant %+v", i, o, got, want)
		}
	}
}

// TestWellFormedFastPath checks wellFormed's shortcut for tokens without
// escapes against its full rule.
func TestWellFormedFastPath(t *testing.T) {
	full := func(raw []byte, decoded string) bool {
		return utf8.Valid(raw) && (!strings.ContainsRune(decoded, utf8.RuneError) ||
			bytes.Contains(raw, []byte("\uFFFD")) || bytes.Contains(raw, []byte("\ufffd")) || bytes.ContainsRune(raw, utf8.RuneError))
	}
	for _, raw := range []string{`""`, `"abc"`, `"a\u00e9"`, `"\ud800"`, `"\ufffd"`, `"\uFFFD"`, "\"\uFFFD\"", "\"\xff\"", `"a\\b"`, `"é"`, `"\"x\""`} {
		decoded := decodeString([]byte(raw))
		if got, want := wellFormed([]byte(raw), decoded), full([]byte(raw), decoded); got != want {
			t.Errorf("wellFormed(%q) = %v, want %v", raw, got, want)
		}
	}
}

// TestCopyTreeSlab checks that a slab-allocated copy equals the original,
// keeps nil and empty slices as they were, and is independent of it and
// of its own siblings (an append to one node's kids cannot reach another's).
func TestCopyTreeSlab(t *testing.T) {
	g, err := New(Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	objects := []string{`{}`, `{"a":[],"b":{},"c":[1,{"d":[[]]}],"e":"x"}`}
	for i := uint64(0); i < 500; i++ {
		objects = append(objects, string(g.Case(1, i).Object))
	}
	for i, o := range objects {
		tr, ok := ParseTree([]byte(o))
		if !ok {
			continue
		}
		c := tr.Clone()
		if !reflect.DeepEqual(c.root, tr.root) {
			t.Fatalf("object %d: the copy differs from the original", i)
		}
		if string(c.Bytes()) != string(tr.Bytes()) {
			t.Fatalf("object %d: the copy encodes differently", i)
		}
		// Grow every container of the copy; the original must not change.
		before := string(tr.Bytes())
		var grow func(n *node)
		grow = func(n *node) {
			if n.kind != kindObject && n.kind != kindArray {
				return
			}
			for _, k := range n.kids {
				grow(k)
			}
			if n.kind == kindObject {
				n.keys = append(n.keys, []byte(`"zz"`))
			}
			n.kids = append(n.kids, &node{kind: kindNumber, raw: []byte("7")})
		}
		grow(c.root)
		if string(tr.Bytes()) != before {
			t.Fatalf("object %d: growing the copy changed the original", i)
		}
		if want := strings.Count(before, "{") + strings.Count(before, "["); strings.Count(string(c.Bytes()), "7") < want {
			t.Fatalf("object %d: a container of the copy lost an appended member: %s", i, c.Bytes())
		}
	}
}

// TestReclassifyTree checks ReclassifyTree against Reclassify of the
// tree's bytes on generated objects of every family, edited the ways the
// engine edits them (field values, dropped subtrees, duplicated and
// removed elements, grafts, repairs).
func TestReclassifyTree(t *testing.T) {
	g, err := New(Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r := newRand(7, 0)
	var donor *Tree
	n, classes := 0, map[cffuzz.Class]int{}
	for i := uint64(0); i < 1500; i++ {
		tr, ok := ParseTree(g.Case(1, i).Object)
		if !ok {
			continue
		}
		for step := 0; step < 6; step++ {
			switch ls := tr.Leaves(); {
			case step%3 == 0 && len(ls) > 0:
				l := ls[r.Intn(len(ls))]
				tr.Set(l, MutateString(r, l.Value))
			case step%3 == 1:
				if subs := tr.Subtrees(); len(subs) > 0 {
					if donor != nil && r.Intn(2) == 0 {
						tr.Graft(donor, subs[r.Intn(len(subs))])
					} else {
						tr.Drop(subs[r.Intn(len(subs))])
					}
				}
			default:
				if as := tr.Arrays(); len(as) > 0 {
					a := as[r.Intn(len(as))]
					if r.Intn(2) == 0 {
						tr.Duplicate(a, 0)
					} else {
						tr.Remove(a, 0)
					}
				} else {
					tr.Repair(r)
				}
			}
			c := cffuzz.Case{Family: "feedback"}
			want, got := Reclassify(c, tr.Bytes()), ReclassifyTree(c, tr)
			if got.Class != want.Class || !reflect.DeepEqual(got.Expect, want.Expect) || string(got.Object) != string(want.Object) {
				t.Fatalf("case %d step %d: ReclassifyTree = %s %+v, Reclassify = %s %+v for %.300s", i, step, got.Class, got.Expect, want.Class, want.Expect, want.Object)
			}
			n++
			classes[got.Class]++
		}
		donor = tr
	}
	t.Logf("%d edited objects compared: %v", n, classes)
}

// TestCloneKeepsLeaves checks that a clone of a tree whose leaves are
// cached carries them over, re-pointed at its own nodes, and that edits
// of either side leave the other's leaves alone.
func TestCloneKeepsLeaves(t *testing.T) {
	g, err := New(Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r := newRand(3, 0)
	for i := uint64(0); i < 500; i++ {
		tr, ok := ParseTree(g.Case(1, i).Object)
		if !ok {
			continue
		}
		if ls := tr.Leaves(); len(ls) > 0 {
			tr.Set(ls[r.Intn(len(ls))], "edited before the clone")
		}
		c := tr.Clone()
		if len(tr.leaves) > 0 && c.leaves == nil {
			t.Fatalf("case %d: the clone did not keep the cached leaves", i)
		}
		if !reflect.DeepEqual(c.Leaves(), referenceLeaves(c)) {
			t.Fatalf("case %d: the clone's carried leaves differ from its own", i)
		}
		if ls := c.Leaves(); len(ls) > 0 {
			c.Set(ls[r.Intn(len(ls))], "edited in the clone")
		}
		if !reflect.DeepEqual(tr.Leaves(), referenceLeaves(tr)) || !reflect.DeepEqual(c.Leaves(), referenceLeaves(c)) {
			t.Fatalf("case %d: an edit of the clone reached the original's leaves, or the other way round", i)
		}
	}
}

// BenchmarkParseTree parses generated objects of every family, as the
// engine does with each input it mutates.
func BenchmarkParseTree(b *testing.B) {
	g, err := New(Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	var objects [][]byte
	for i := uint64(0); len(objects) < 256; i++ {
		if o := g.Case(1, i).Object; len(o) < 8192 && isJSONObject(o) {
			objects = append(objects, o)
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ParseTree(objects[i%len(objects)])
	}
}

// TestDecodeStringMatchesUnmarshal checks decodeString against
// encoding/json on escapes, surrogates (paired, lone, reversed), invalid
// UTF-8 and the string leaves of generated objects of every family.
func TestDecodeStringMatchesUnmarshal(t *testing.T) {
	tokens := []string{`""`, `"a"`, `"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\u4e2d"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00\ud800"`,
		`"\ud800x"`, `"\ud800\u0041"`, `"\uDBFF\uDFFF"`, "\"\xff\xfe\"", "\"\xed\xa0\x80\"", `"\u0000"`, `"a\\,b"`, "\"é\\n\"", `"\ufffd"`}
	g, err := New(Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < 3000; i++ {
		if tr, ok := ParseTree(g.Case(9, i).Object); ok {
			tr.root.walk(func(n, _ *node) {
				if n.kind == kindString {
					tokens = append(tokens, string(n.raw))
				}
			})
		}
	}
	for _, tok := range tokens {
		var want string
		if err := json.Unmarshal([]byte(tok), &want); err != nil {
			want = ""
		}
		if got := decodeString([]byte(tok)); got != want {
			t.Fatalf("decodeString(%q) = %q, encoding/json gives %q", tok, got, want)
		}
	}
}

func FuzzDecodeString(f *testing.F) {
	f.Add([]byte(`"\ud83d\ude00\ud800"`))
	f.Add([]byte("\"\xff\""))
	f.Fuzz(func(t *testing.T, b []byte) {
		var want string
		err := json.Unmarshal(b, &want)
		got, ok := unquote(b)
		token := len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' // tree tokens have no white space around them
		if err == nil && token && (!ok || got != want) {
			t.Fatalf("unquote(%q) = %q, %v; encoding/json gives %q", b, got, ok, want)
		}
	})
}
