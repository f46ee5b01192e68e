package engine

import (
	"strconv"
	"testing"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/generators"
)

// TestDictionarySeenIsBounded feeds an engine far more distinct operands
// than its dictionary holds, as a long campaign captures them: the seen
// set stays bounded, the dictionary holds the newest operands without
// duplicates, and an operand still in the dictionary is not added again.
func TestDictionarySeenIsBounded(t *testing.T) {
	g, err := generators.New(generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const maxD = 64
	e, err := New(Options{Generator: g, MaxDictionary: maxD})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 * dictSeenFactor * maxD {
		e.remember(coverage.Operand{Kind: "string", Str: "operand-" + strconv.Itoa(i)})
		e.remember(coverage.Operand{Kind: "number", Str: strconv.Itoa(i), Num: float64(i)})
		if n := len(e.st.dictSeen); n > dictSeenFactor*maxD {
			t.Fatalf("after %d operands the seen set holds %d, want at most %d", 2*(i+1), n, dictSeenFactor*maxD)
		}
	}
	if len(e.st.dictStr) != maxD || len(e.st.dictNum) != maxD || len(e.st.dictNumKey) != maxD {
		t.Fatalf("dictionary holds %d strings, %d numbers (%d keys), want %d each", len(e.st.dictStr), len(e.st.dictNum), len(e.st.dictNumKey), maxD)
	}
	seen := map[string]bool{}
	for _, s := range e.st.dictStr {
		if seen[s] {
			t.Errorf("string %q is in the dictionary twice", s)
		}
		seen[s] = true
	}
	for i, f := range e.st.dictNum {
		if e.st.dictNumKey[i] != strconv.Itoa(int(f)) {
			t.Errorf("number %v is keyed %q", f, e.st.dictNumKey[i])
		}
	}
	// An operand in the dictionary is still known after the set was
	// rebuilt: remembering it again changes nothing.
	before := append([]string(nil), e.st.dictStr...)
	e.forgetSeen()
	e.remember(coverage.Operand{Kind: "string", Str: before[0]})
	for i := range before {
		if e.st.dictStr[i] != before[i] {
			t.Fatalf("remembering %q again changed the dictionary at %d: %q", before[0], i, e.st.dictStr[i])
		}
	}
}
