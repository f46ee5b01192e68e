package engine

import (
	"math"
	"math/rand"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz/generators"
)

// The mutation variants, as they appear in Case.Variant.
const (
	VariantI2S     = "i2s"      // input-to-state replacement
	VariantDict    = "cmp-dict" // a captured operand put in a field
	VariantNumeric = "numeric"  // neighbours of captured numbers, dates around captured times
	VariantSplice  = "splice"   // a field or certificate of another queue entry
	VariantGrow    = "grow"     // a longer chain, SAN list, DN or value
	VariantHavoc   = "havoc"    // character-class edits of fields
)

// mutate builds a child of p and names how.
func (e *Engine) mutate(r *rand.Rand, p *entry) ([]byte, string) {
	t := p.tree.Clone()
	variant := ""
	switch k := r.Intn(100); {
	case k < 35 && len(p.cmps) > 0:
		if e.i2s(r, t, p.cmps) {
			variant = VariantI2S
		}
	case k < 50:
		if e.dictMutate(r, t) {
			variant = VariantDict
		}
	case k < 65:
		if e.numeric(r, t) {
			variant = VariantNumeric
		}
	case k < 77:
		if e.splice(r, t) {
			variant = VariantSplice
		}
	case k < 85:
		if grow(r, t) {
			variant = VariantGrow
		}
	}
	if variant == "" {
		havoc(r, t)
		variant = VariantHavoc
	}
	// Stack a second edit now and then, as havoc stages do.
	if variant != VariantI2S && chance(r, 0.25) {
		if !(chance(r, 0.5) && e.dictMutate(r, t)) {
			havoc(r, t)
		}
	}
	return t.Bytes(), variant
}

// havoc edits one to three fields by character class.
func havoc(r *rand.Rand, t *generators.Tree) {
	leaves := t.Leaves()
	if len(leaves) == 0 {
		return
	}
	for range 1 + r.Intn(3) {
		l := leaves[r.Intn(len(leaves))]
		t.Set(l, generators.MutateString(r, l.Value))
		leaves = t.Leaves()
	}
}

// dictMutate puts a captured operand in a field: as the whole value, as
// one of its parts, in front or at the end.
func (e *Engine) dictMutate(r *rand.Rand, t *generators.Tree) bool {
	s := &e.st
	n := len(s.dictStr) + len(s.dictNum)
	leaves := t.Leaves()
	if n == 0 || len(leaves) == 0 {
		return false
	}
	var tok string
	if i := r.Intn(n); i < len(s.dictStr) {
		tok = s.dictStr[i]
	} else {
		tok = formatNum(s.dictNum[i-len(s.dictStr)] + float64(r.Intn(3)-1))
	}
	l := leaves[r.Intn(len(leaves))]
	t.Set(l, place(r, l.Value, tok))
	return true
}

// place puts tok in v: instead of it, instead of one of its parts, in
// front of it, after it, or over its start or end (keeping its length, for
// fixed-length fields: fingerprints, serials).
func place(r *rand.Rand, v, tok string) string {
	switch r.Intn(6) {
	case 4:
		if len(tok) < len(v) {
			return tok + v[len(tok):]
		}
		return tok
	case 5:
		if len(tok) < len(v) {
			return v[:len(v)-len(tok)] + tok
		}
		return tok
	case 0:
		return tok
	case 1:
		if parts := splitParts(v); len(parts) > 1 {
			i := r.Intn(len(parts))
			return v[:parts[i][0]] + tok + v[parts[i][1]:]
		}
		return tok
	case 2:
		return tok + v
	}
	return v + tok
}

// splitParts returns the [start, end) ranges of v's parts between
// separators (, ; = / : space and dots), the pieces policy code splits on.
func splitParts(v string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || strings.IndexByte(",;=/: .", v[i]) >= 0 {
			if i > start {
				out = append(out, [2]int{start, i})
			}
			start = i + 1
		}
	}
	return out
}

// splice takes something of another queue entry: a whole certificate or
// object at the same path, or the value of a field with the same key.
func (e *Engine) splice(r *rand.Rand, t *generators.Tree) bool {
	q := e.st.queue
	if len(q) < 2 {
		return false
	}
	o := q[r.Intn(len(q))].tree
	if chance(r, 0.4) {
		paths := o.Subtrees()
		if len(paths) > 0 && t.Graft(o, paths[r.Intn(len(paths))]) {
			return true
		}
	}
	src := o.Leaves()
	dst := t.Leaves()
	if len(src) == 0 || len(dst) == 0 {
		return false
	}
	a := src[r.Intn(len(src))]
	var same []generators.Leaf
	for _, l := range dst {
		if l.Key == a.Key {
			same = append(same, l)
		}
	}
	if len(same) == 0 {
		return false
	}
	t.Set(same[r.Intn(len(same))], a.Value)
	return true
}

// grow makes a repeated structure longer: another element of an array (a
// longer chain), more entries of a list value (SANs, DN components), or a
// repeated piece of a value.
func grow(r *rand.Rand, t *generators.Tree) bool {
	if arrs := t.Arrays(); len(arrs) > 0 && chance(r, 0.35) {
		a := arrs[r.Intn(len(arrs))]
		for range 1 + r.Intn(3) {
			t.Duplicate(a, r.Intn(a.Len))
		}
		return true
	}
	leaves := t.Leaves()
	if len(leaves) == 0 {
		return false
	}
	l := leaves[r.Intn(len(leaves))]
	v := l.Value
	if v == "" {
		return false
	}
	if sep := listSeparator(v); sep != "" {
		parts := strings.Split(v, sep)
		k := 1 + r.Intn(len(parts)*2)
		extra := make([]string, 0, k)
		for range k {
			extra = append(extra, parts[r.Intn(len(parts))])
		}
		t.Set(l, v+sep+strings.Join(extra, sep))
		return true
	}
	rs := []rune(v)
	i := r.Intn(len(rs))
	j := i + 1 + r.Intn(len(rs)-i)
	piece := string(rs[i:j])
	t.Set(l, string(rs[:j])+strings.Repeat(piece, 1+r.Intn(8))+string(rs[j:]))
	return true
}

// listSeparator returns the separator of a list-like value (", " or ","
// or ";"), or "".
func listSeparator(v string) string {
	switch {
	case strings.Contains(v, ", "):
		return ", "
	case strings.Contains(v, ","):
		return ","
	case strings.Contains(v, ";"):
		return ";"
	}
	return ""
}

// formatNum writes a number the way JavaScript's String() does for the
// values that matter here (integers without a fraction).
func formatNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
