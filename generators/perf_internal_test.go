package generators

import (
	"bytes"
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
