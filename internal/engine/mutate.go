package engine

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"math/rand"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz/generators"
)

// The mutation variants, as they appear in Case.Variant.
const (
	VariantI2S      = "i2s"      // input-to-state replacement
	VariantDict     = "cmp-dict" // a captured operand put in a field
	VariantNumeric  = "numeric"  // neighbours of captured numbers, dates around captured times
	VariantSplice   = "splice"   // a field or certificate of another queue entry
	VariantGrow     = "grow"     // a longer chain, SAN list, DN or value
	VariantHavoc    = "havoc"    // character-class edits of fields
	VariantDrop     = "drop"     // an optional part left out
	VariantReformat = "reformat" // a field in another of its documented forms
	VariantEscape   = "escape"   // a separator of a DN escaped (RFC 4514)
)

// mutate builds a child of p and names how.
func (e *Engine) mutate(r *rand.Rand, p *entry) (*generators.Tree, string) {
	t := p.tree.Clone()
	variant := ""
	k := r.Intn(100)
	switch {
	case (p.reason == ReasonCost || p == e.st.costliest) && chance(r, 0.5):
		k = 80 // an input that raised a hit count, or the costliest: grow it further
	case len(p.lists) > 0 && chance(r, 0.1):
		k = 80 // the program splits a field into a list: loops run over it
	case len(p.solved) > 0 && chance(r, 0.2):
		// It just got somewhere new: is the code there ready for a part
		// CloudFront leaves out (a revocation status, an optional field),
		// and what does it do with a part the entry lacks (a SAN list)?
		k = pick(r, 87, -1)
	}
	switch {
	case k < 0:
		if e.graftMissing(r, t) {
			variant = VariantSplice
		}
	case k < 35 && len(p.cmps) > 0:
		if e.i2s(r, t, p) {
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
	case k < 77 || (k < 80 && p.reason != ReasonCost):
		if e.splice(r, t) {
			variant = VariantSplice
		}
	case k < 85:
		if growEntry(r, t, p) {
			variant = VariantGrow
		}
	case k < 90:
		if drop(r, t) {
			variant = VariantDrop
		}
	case k < 93:
		if reformat(r, t) {
			variant = VariantReformat
		}
	case k < 97:
		if escapeDN(r, t) {
			variant = VariantEscape
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
	return t, variant
}

// havoc edits one to three fields by character class.
func havoc(r *rand.Rand, t *generators.Tree) {
	leaves := t.Leaves()
	if len(leaves) == 0 {
		return
	}
	for range 1 + r.Intn(3) {
		l := leaves[r.Intn(len(leaves))]
		if chance(r, 0.2) {
			t.Set(l, escapeSeparator(r, l.Value))
		} else {
			t.Set(l, generators.MutateString(r, l.Value))
		}
		leaves = t.Leaves()
	}
}

// escapeSeparator escapes one separator of v with a backslash (an RFC 4514
// escaped comma, plus or equals sign), the character that parsers which
// split at every separator get wrong.
func escapeSeparator(r *rand.Rand, v string) string {
	var at, commas []int
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(",+=;", v[i]) >= 0 && (i == 0 || v[i-1] != '\\') {
			at = append(at, i)
			if v[i] == ',' {
				commas = append(commas, i)
			}
		}
	}
	if len(commas) > 0 && chance(r, 0.7) {
		at = commas // the escaped comma, the classic
	}
	if len(at) == 0 {
		return v
	}
	i := at[r.Intn(len(at))]
	return v[:i] + "\\" + v[i:]
}

// dictMutate puts a dictionary token (a captured operand, or one of the
// function's literals and key-value store's keys and values) in a field:
// as the whole value, as one of its parts or DN values, in front, at the
// end, or over its start or end. A hex token goes into hex fields (serials,
// fingerprints) most of the time, placed in their digits whatever their
// colons and case.
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
	if len(tok) >= 4 && isHex(tok) && chance(r, 0.7) {
		var hexLeaves []generators.Leaf
		for _, h := range leaves {
			if len(h.Value) >= 8 && isHex(stripHex(h.Value)) {
				hexLeaves = append(hexLeaves, h)
			}
		}
		if len(hexLeaves) > 0 {
			l = hexLeaves[r.Intn(len(hexLeaves))]
			fv := strings.ToLower(stripHex(l.Value))
			t.Set(l, unHex(l.Value, place(r, fv, strings.ToLower(tok))))
			return true
		}
	}
	t.Set(l, place(r, l.Value, tok))
	return true
}

// place puts tok in v: instead of it, instead of one of its parts or of a
// DN attribute's value, in front of it, after it, or over its start or end
// (keeping its length, for fixed-length fields: fingerprints, serials).
func place(r *rand.Rand, v, tok string) string {
	switch r.Intn(7) {
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
	case 3:
		return v + tok
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
	}
	// A DN attribute's value: after an '=', up to the next ','.
	var eqs []int
	for i := 0; i < len(v); i++ {
		if v[i] == '=' {
			eqs = append(eqs, i)
		}
	}
	if len(eqs) == 0 {
		return tok
	}
	i := eqs[r.Intn(len(eqs))] + 1
	j := strings.IndexByte(v[i:], ',')
	if j < 0 {
		j = len(v) - i
	}
	return v[:i] + tok + v[i+j:]
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

// splice takes something of a donor — another queue entry, or a fresh
// object of the generator's families: a whole certificate or object, or
// an optional field t lacks, at the same path; or for one field the value
// a donor has under the same key (an OCSP errorType, an issuer).
func (e *Engine) splice(r *rand.Rand, t *generators.Tree) bool {
	donor := func() *generators.Tree {
		if q := e.st.queue; len(q) > 1 && chance(r, 0.5) {
			return q[r.Intn(len(q))].tree
		}
		c := e.donor.Case(r.Int63(), r.Uint64())
		d, _ := generators.ParseTree(c.Object)
		return d
	}
	if chance(r, 0.5) {
		o := donor()
		if o == nil {
			return false
		}
		// A few parts at once: the entry keeps what it solved, the donor
		// brings shapes the queue lacks (a SAN list, an OCSP result).
		done := false
		for range 1 + r.Intn(4) {
			done = graftOne(r, t, o) || done
		}
		return done
	}
	dst := t.Leaves()
	if len(dst) == 0 {
		return false
	}
	l := dst[r.Intn(len(dst))]
	for range 6 {
		o := donor()
		if o == nil {
			continue
		}
		var same []string
		for _, s := range o.Leaves() {
			if s.Key == l.Key && s.Value != l.Value {
				same = append(same, s.Value)
			}
		}
		if len(same) > 0 {
			t.Set(l, same[r.Intn(len(same))])
			return true
		}
	}
	return false
}

// graftMissing grafts into t a part it lacks that a fresh production
// object of the generator has (an optional field, the revocation status).
func (e *Engine) graftMissing(r *rand.Rand, t *generators.Tree) bool {
	if e.donor == nil {
		return false
	}
	have := map[string]bool{}
	for _, p := range t.Subtrees() {
		have[p] = true
	}
	for _, l := range t.Leaves() {
		have[l.Path] = true
	}
	for range 4 {
		c := e.donor.Case(r.Int63(), r.Uint64())
		o, ok := generators.ParseTree(c.Object)
		if !ok {
			continue
		}
		var missing []string
		for _, p := range o.Subtrees() {
			if !have[p] {
				missing = append(missing, p)
			}
		}
		for _, l := range o.Leaves() {
			if !have[l.Path] {
				missing = append(missing, l.Path)
			}
		}
		if len(missing) > 0 && t.Graft(o, missing[r.Intn(len(missing))]) {
			return true
		}
	}
	return false
}

// graftOne grafts one part of o into t: what t lacks, most of the time.
func graftOne(r *rand.Rand, t, o *generators.Tree) bool {
	paths := o.Subtrees()
	for _, l := range o.Leaves() {
		paths = append(paths, l.Path)
	}
	// What t lacks (an optional field, the revocation status, the
	// intermediates) first: few paths, each a new shape.
	var missing []string
	have := map[string]bool{}
	for _, p := range t.Subtrees() {
		have[p] = true
	}
	for _, l := range t.Leaves() {
		have[l.Path] = true
	}
	for _, p := range paths {
		if !have[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 && chance(r, 0.6) {
		paths = missing
	}
	return len(paths) > 0 && t.Graft(o, paths[r.Intn(len(paths))])
}

// growEntry grows a repeated structure of p's tree t: most of the time
// one of the lists the program split (when it split any), else any.
func growEntry(r *rand.Rand, t *generators.Tree, p *entry) bool {
	if len(p.lists) > 0 && chance(r, 0.7) {
		f := p.lists[r.Intn(len(p.lists))]
		if l, ok := t.Lookup(f.path); ok && growList(r, t, l, f.sep) {
			return true
		}
	}
	return grow(r, t)
}

// growList makes the list value of l, which the program splits at sep, two
// to four times as long (at least one entry more), with copies of its own
// entries, within maxGrownValue.
func growList(r *rand.Rand, t *generators.Tree, l generators.Leaf, sep string) bool {
	v := l.Value
	if v == "" {
		return false
	}
	all := strings.Split(v, sep)
	// Copies of the entries, not of empty ones (a loop over empty entries
	// is skipped by the checks inside it).
	parts := make([]string, 0, len(all))
	for _, p := range all {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return false
	}
	k := len(all) * (1 + r.Intn(3))
	var b strings.Builder
	b.WriteString(v)
	added := 0
	for range k {
		p := parts[r.Intn(len(parts))]
		if b.Len()+len(sep)+len(p) > maxGrownValue {
			break
		}
		b.WriteString(sep)
		b.WriteString(p)
		added++
	}
	if added == 0 {
		return false
	}
	t.Set(l, b.String())
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
	if chance(r, 0.5) {
		// The longest list (SANs, a DN): the likeliest to drive a loop.
		best := -1
		for _, c := range leaves {
			if sep := listSeparator(c.Value); sep != "" && strings.Count(c.Value, sep) > best {
				best, l = strings.Count(c.Value, sep), c
			}
		}
	}
	v := l.Value
	if v == "" {
		return false
	}
	if len(v) >= maxGrownValue {
		return false
	}
	if sep := listSeparator(v); sep != "" {
		parts := strings.Split(v, sep)
		k := 1 + r.Intn(len(parts)*4)
		extra := make([]string, 0, k)
		n := len(v)
		for range k {
			p := parts[r.Intn(len(parts))]
			if n += len(sep) + len(p); n > maxGrownValue {
				break
			}
			extra = append(extra, p)
		}
		if len(extra) == 0 {
			return false
		}
		t.Set(l, v+sep+strings.Join(extra, sep))
		return true
	}
	if chance(r, 0.5) {
		// A list of one (a single SAN name, one DN component): more
		// entries of it.
		k := 1 + r.Intn(4)
		if (len(v)+1)*(k+1) > maxGrownValue {
			return false
		}
		t.Set(l, strings.Repeat(v+",", k)+v)
		return true
	}
	rs := []rune(v)
	i := r.Intn(len(rs))
	j := i + 1 + r.Intn(len(rs)-i)
	piece := string(rs[i:j])
	times := min(1+r.Intn(8), (maxGrownValue-len(v))/max(len(piece), 1))
	if times < 1 {
		return false
	}
	t.Set(l, string(rs[:j])+strings.Repeat(piece, times)+string(rs[j:]))
	return true
}

// maxGrownValue bounds what growth makes of one value: well inside what one
// certificate carries (engine.MaxCertificateBytes), so that a grown input
// stays one CloudFront could send.
const maxGrownValue = 12 * 1024

// reformat writes a field in another of the forms its kind takes: hex
// with or without colons, in either case, or as base64url (the three
// documented fingerprint formats), a date with or without milliseconds.
func reformat(r *rand.Rand, t *generators.Tree) bool {
	var cands []generators.Leaf
	for _, l := range t.Leaves() {
		if h := stripHex(l.Value); len(h) >= 8 && len(h)%2 == 0 && isHex(h) {
			cands = append(cands, l)
		} else if _, _, ok := parseDate(l.Value); ok {
			cands = append(cands, l)
		}
	}
	if len(cands) == 0 {
		return false
	}
	l := cands[r.Intn(len(cands))]
	if tm, layout, ok := parseDate(l.Value); ok {
		if layout == dateLayouts[0] {
			layout = dateLayouts[1]
		} else {
			layout = dateLayouts[0]
		}
		t.Set(l, formatDate(tm, layout))
		return true
	}
	h := strings.ToLower(stripHex(l.Value))
	switch r.Intn(5) {
	case 0:
		t.Set(l, h)
	case 1:
		t.Set(l, strings.ToUpper(h))
	case 2:
		t.Set(l, unHex("a:b", h))
	case 3:
		t.Set(l, unHex("A:B", h))
	default:
		b, err := hex.DecodeString(h)
		if err != nil {
			return false
		}
		t.Set(l, base64.URLEncoding.EncodeToString(b))
	}
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

// drop leaves out a part of the object: a field, a certificate, the
// revocation status (CloudFront omits what it does not have).
//
// Half of the time it drops a whole part (an object or array: the
// revocation status, the intermediates), which are few among the many
// fields but are what code forgets to check.
func drop(r *rand.Rand, t *generators.Tree) bool {
	if subs := t.Subtrees(); len(subs) > 0 && chance(r, 0.5) {
		return t.Drop(subs[r.Intn(len(subs))])
	}
	var paths []string
	for _, l := range t.Leaves() {
		paths = append(paths, l.Path)
	}
	paths = append(paths, t.Subtrees()...)
	if len(paths) == 0 {
		return false
	}
	return t.Drop(paths[r.Intn(len(paths))])
}

// escapeDN escapes one separator of a distinguished name (a value holding
// "=" and ","): the escaped comma, plus or equals sign that parsers which
// split at every separator get wrong.
func escapeDN(r *rand.Rand, t *generators.Tree) bool {
	var dns []generators.Leaf
	for _, l := range t.Leaves() {
		if strings.Contains(l.Value, "=") && strings.ContainsAny(l.Value, ",+") {
			dns = append(dns, l)
		}
	}
	if len(dns) == 0 {
		return false
	}
	l := dns[r.Intn(len(dns))]
	v := escapeSeparator(r, l.Value)
	if v == l.Value {
		return false
	}
	t.Set(l, v)
	return true
}
