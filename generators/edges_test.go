package generators_test

import (
	"encoding/json"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/generators"
)

// TestDNEdges checks that production DNs include the empty-component and
// empty-value edge cases, in a fixed-seed sample, that those objects stay
// production, and that plain DNs stay the norm.
func TestDNEdges(t *testing.T) {
	edges := []struct {
		reason, name string
		match        func(string) bool
	}{
		{"an attribute may carry an empty value", "empty value (O=)", regexp.MustCompile(`(^|[^\\],\s*)[A-Za-z]+=(,|$)`).MatchString},
		{"a CN with nothing after it", `whole "CN="`, func(s string) bool { return s == "CN=" }},
		{"loops must skip a leading empty component", "leading separator", func(s string) bool { return strings.HasPrefix(s, ",") && len(s) > 2 }},
		{"loops must stop after a trailing separator", "trailing separator", func(s string) bool { return len(s) > 2 && (strings.HasSuffix(s, ",") || strings.HasSuffix(s, ", ")) }},
		{"an empty component between two", "doubled separator", regexp.MustCompile(`[^\\],\s*,.`).MatchString},
		{"a component with neither name nor value", `lone "="`, regexp.MustCompile(`(^|,\s*)=(,|$)`).MatchString},
	}
	g := newGen(t, generators.Options{Weights: map[string]int{generators.FamilyProduction: 1}})
	counts := make([]int, len(edges))
	total, edged := 0, 0
	for i := uint64(0); i < 3000; i++ {
		c := g.Case(11, i)
		if c.Class != cffuzz.ClassProduction || generators.Classify(c.Object) != cffuzz.ClassProduction {
			t.Fatalf("case %d (%s): class %s, want production", i, c.Variant, c.Class)
		}
		if err := generators.Validate(c.Object); err != nil {
			t.Fatalf("case %d (%s): %v", i, c.Variant, err)
		}
		for _, dn := range fieldsOf(t, c.Object).dns {
			total++
			hit := false
			for k, e := range edges {
				if e.match(dn) {
					counts[k]++
					hit = true
				}
			}
			if hit {
				edged++
			}
		}
	}
	for k, e := range edges {
		if counts[k] == 0 {
			t.Errorf("%s: %s never produced in 3000 production cases", e.reason, e.name)
		}
	}
	if edged*5 > total {
		t.Errorf("%d of %d DNs are edge cases: plain DNs should stay the norm", edged, total)
	}
	t.Logf("DN edges in %d DNs: %d (%v)", total, edged, counts)
}

// serialValue is the number a hex or colon-hex serial stands for.
func serialValue(s string) (*big.Int, bool) {
	return new(big.Int).SetString(strings.ReplaceAll(s, ":", ""), 16)
}

// TestNearMissTokens checks that number-shaped dictionary tokens also come
// as near misses: serials one off in the last digit or byte in production
// (still valid colon hex), and in mutations also without colons, in upper
// case, with a leading 00, and decimal numbers ±1.
func TestNearMissTokens(t *testing.T) {
	const hexTok, decTok = "4a3f5c92d1e87b6c", "9007199254740993"
	want, _ := serialValue(hexTok)
	lastDigit := func(s string) bool {
		h := strings.TrimLeft(strings.ToLower(strings.ReplaceAll(s, ":", "")), "0")
		return len(h) == len(hexTok) && h[:len(h)-1] == hexTok[:len(hexTok)-1] && h != hexTok
	}
	offByOne := func(s string) bool {
		v, ok := serialValue(s)
		return ok && new(big.Int).Abs(new(big.Int).Sub(v, want)).Cmp(big.NewInt(1)) == 0
	}
	near := func(s string) bool { return lastDigit(s) || offByOne(s) }
	tests := []struct {
		reason, name string
		family       string
		match        func(string) bool
	}{
		{"exact tokens stay", "exact serial", generators.FamilyProduction, func(s string) bool { return strings.ReplaceAll(strings.ToLower(s), ":", "") == hexTok }},
		{"lossy hex parsers equate the last digit ±1", "serial last digit ±1", generators.FamilyProduction, lastDigit},
		{"lossy number parsers equate the number ±1", "serial ±1", generators.FamilyProduction, offByOne},
		{"a near miss without colons", "plain hex near miss", generators.FamilyMutation, func(s string) bool { return !strings.Contains(s, ":") && near(s) }},
		{"a near miss in upper case", "upper-case near miss", generators.FamilyMutation, func(s string) bool { return s != strings.ToLower(s) && near(s) }},
		{"a near miss with a leading zero byte", "00: near miss", generators.FamilyMutation, func(s string) bool { return strings.HasPrefix(s, "00") && near(s) }},
		{"decimal numbers ±1", "decimal ±1", generators.FamilyMutation, func(s string) bool { return s == "9007199254740992" || s == "9007199254740994" }},
	}
	samples := map[string][]string{}
	for _, family := range []string{generators.FamilyProduction, generators.FamilyMutation} {
		g := newGen(t, generators.Options{Weights: map[string]int{family: 1}, Dictionary: []string{hexTok, decTok}})
		for i := uint64(0); i < 3000; i++ {
			c := g.Case(5, i)
			if family == generators.FamilyProduction {
				if err := generators.Validate(c.Object); err != nil {
					t.Fatalf("production case %d (%s): %v", i, c.Variant, err)
				}
				samples[family] = append(samples[family], fieldsOf(t, c.Object).serials...)
				continue
			}
			var v any
			if json.Unmarshal(c.Object, &v) == nil {
				samples[family] = appendStrings(samples[family], v)
			}
		}
	}
	for _, tt := range tests {
		n := 0
		for _, s := range samples[tt.family] {
			if tt.match(s) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: %s never produced by the %s family in 3000 cases", tt.reason, tt.name, tt.family)
		}
	}
	exact, nearN := 0, 0
	for _, s := range samples[generators.FamilyProduction] {
		switch {
		case tests[0].match(s):
			exact++
		case near(s):
			nearN++
		}
	}
	if nearN == 0 || nearN > exact {
		t.Errorf("production serials: %d exact, %d near misses; want near misses at a modest share", exact, nearN)
	}
}

// appendStrings appends every string of a decoded JSON value.
func appendStrings(out []string, v any) []string {
	switch x := v.(type) {
	case string:
		out = append(out, x)
	case []any:
		for _, e := range x {
			out = appendStrings(out, e)
		}
	case map[string]any:
		for _, e := range x {
			out = appendStrings(out, e)
		}
	}
	return out
}
