package engine

import (
	"math"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/generators"
)

// transform is one way policy code turns a field into what it compares:
// fwd is what the program sees, inv a field value (given the original) that
// the program sees as the given string.
type transform struct {
	name string
	fwd  func(v string) string
	inv  func(orig, seen string) string
}

func keep(_, seen string) string { return seen }

// transforms are the transforms input-to-state replacement tries: as is,
// case-folded, trimmed, and hex with and without colons in either case.
var transforms = []transform{
	{"identity", func(v string) string { return v }, keep},
	{"lower", strings.ToLower, keep},
	{"upper", strings.ToUpper, keep},
	{"trim", strings.TrimSpace, keep},
	{"hex", func(v string) string { return strings.ToLower(stripHex(v)) }, unHex},
	{"HEX", func(v string) string { return strings.ToUpper(stripHex(v)) }, unHex},
}

// stripHex removes the colons and spaces of colon- or space-separated hex.
func stripHex(v string) string {
	if strings.IndexByte(v, ':') < 0 && strings.IndexByte(v, ' ') < 0 {
		return v
	}
	return hexSeparators.Replace(v)
}

var hexSeparators = strings.NewReplacer(":", "", " ", "")

// unHex writes hex digits seen in the shape of orig: colon-separated pairs
// when orig had colons, in orig's letter case.
func unHex(orig, seen string) string {
	if strings.ToUpper(orig) == orig && strings.ToLower(orig) != orig {
		seen = strings.ToUpper(seen)
	} else if strings.ToLower(orig) == orig {
		seen = strings.ToLower(seen)
	}
	if !strings.Contains(orig, ":") || len(seen)%2 != 0 || !isHex(seen) {
		return seen
	}
	var b strings.Builder
	for i := 0; i < len(seen); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(seen[i : i+2])
	}
	return b.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// hexVal is the value of the hex digit c (checked by isHex).
func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// op returns the operator of comparison site i, or "" without a map.
func (e *Engine) op(site int) string {
	if e.m == nil || site < 0 || site >= len(e.m.Sites) {
		return ""
	}
	return e.m.Sites[site].Op
}

// i2s is input-to-state replacement: a compared operand that is (or is
// part of, or contains) a field of the input, directly or through a
// transform, gives a child with the other operand in its place.
func (e *Engine) i2s(r *rand.Rand, t *generators.Tree, p *entry) bool {
	cmps := p.cmps
	leaves := t.Leaves()
	if len(leaves) == 0 {
		return false
	}
	// t is an unedited copy of p's tree until a replacement succeeds (and
	// then i2s returns): p's views of its fields hold for it.
	views := p.views
	if len(views) != len(leaves) {
		views = nil
	}
	// Comparisons at sites that have not yet gone both ways are the ones
	// whose other arm is still to reach: most tries go to them.
	// Comparisons of strings carry the most (a CN, a key, a prefix);
	// numbers compared with -1 are search results, whose strings the
	// method's own capture has.
	var open, strs []coverage.Comparison
	for _, c := range cmps {
		if c.Left.Kind == "number" && (c.Left.Num == -1 || c.Right.Num == -1) {
			continue
		}
		if st := e.st.sites[c.Site]; st == nil || st.results != 3 {
			open = append(open, c)
			if c.Left.Kind == "string" || c.Left.Kind == "regexp" {
				strs = append(strs, c)
			}
		}
	}
	if len(strs) > 0 && chance(r, 0.6) {
		open = strs
	}
	// What the entry solved first (a comparison that held for the first
	// time in its run) is explored around most of the time it is picked.
	if len(p.solved) > 0 && chance(r, 0.4) {
		var fresh []coverage.Comparison
		for _, c := range cmps {
			if slices.Contains(p.solved, c.Site) && c.Result {
				fresh = append(fresh, c)
			}
		}
		if len(fresh) > 0 {
			open = fresh
		}
	}
	for range 8 {
		c := cmps[r.Intn(len(cmps))]
		if len(open) > 0 && chance(r, 0.8) {
			c = open[r.Intn(len(open))]
		}
		a, b, left := c.Left, c.Right, true
		if chance(r, 0.5) {
			a, b, left = b, a, false
		}
		op := e.op(c.Site)
		var ok bool
		if (op == "get" || op == "exists") && c.Right.Kind == "string" && len(e.keys) > 0 {
			// A key-value store lookup: the key is the argument; aim at
			// one of the store's keys, the nearest most of the time.
			k := e.nearestKey(r, c.Right.Str)
			if k != c.Right.Str && replaceString(r, t, leaves, views, c.Right.Str, k, "===", false) {
				return true
			}
			continue
		}
		switch {
		case a.Kind == "string" && b.Kind == "string" && matched(op, c.Result):
			// The comparison held: putting b there again changes nothing.
			// Sometimes make it fail instead, by changing what the program
			// saw (the other arm of the branch).
			// Or keep the value and write it in another form (the same
			// bytes as colon hex or base64url, a DN spaced differently):
			// does the program's normalization agree?
			switch k := r.Intn(10); {
			case k < 3:
				ok = reformMatched(r, t, leaves, a.Str) || escapeBefore(t, leaves, a.Str)
			case k < 6:
				// Another value the field takes (an enumeration's other
				// members: the OCSP status that is neither of the ones
				// compared), or the value changed.
				ok = chance(r, 0.5) && e.sibling(r, t, leaves, a.Str) ||
					replaceString(r, t, leaves, views, a.Str, flip(r, a.Str, b.Str), "===", left)
			case k < 9:
				ok = escapeBefore(t, leaves, a.Str)
			}
		case a.Kind == "string" && b.Kind == "string":
			// As the program saw it, or in the space of bytes (an operand
			// that is a field's bytes in another form, or a broken
			// normalization of them).
			if chance(r, 0.5) {
				ok = replaceBytes(r, t, leaves, a.Str, b.Str, op, left) || replaceString(r, t, leaves, views, a.Str, b.Str, op, left)
			} else {
				ok = replaceString(r, t, leaves, views, a.Str, b.Str, op, left) || replaceBytes(r, t, leaves, a.Str, b.Str, op, left)
			}
		case a.Kind == "string" && b.Kind == "regexp" || a.Kind == "regexp" && b.Kind == "string":
			// A field tested with a regular expression: an instance of the
			// expression in its place (the whole value when the expression
			// is anchored at both ends, else inserted).
			s, re := a.Str, b.Str
			if a.Kind == "regexp" {
				s, re = b.Str, a.Str
			}
			if x, anchored, good := matchOf(r, re); good && x != s {
				if anchored {
					ok = replaceString(r, t, leaves, views, s, x, "===", true)
				} else {
					ok = replaceString(r, t, leaves, views, s, x, "includes", true)
				}
			}
		case a.Kind == "number" && b.Kind == "number":
			ok = replaceNumber(r, t, leaves, a.Num, b.Num, op, e.now)
		case a.Kind == "string" && b.Kind == "number":
			ok = replaceString(r, t, leaves, views, a.Str, formatNum(pickTarget(r, b.Num, op)), op, left)
		}
		if ok {
			return true
		}
	}
	return false
}

// wants returns what to put where the program saw a so that comparing it
// with b by op goes the other way (or further): b itself, or for the
// string methods b in front of, after or around what was there.
func wants(r *rand.Rand, a, b, op string, left bool) string {
	switch op {
	case "startsWith":
		if left {
			return pick(r, b+a, b)
		}
		return b[:r.Intn(len(b)+1)]
	case "endsWith":
		if left {
			return pick(r, a+b, b)
		}
		return b[r.Intn(len(b)+1):]
	case "includes", "indexOf", "lastIndexOf", "split", "test", "exec", "match", "search", "replace":
		if left {
			return pick(r, insert(r, a, b), insert(r, a, b), b)
		}
		if parts := splitParts(b); len(parts) > 1 && chance(r, 0.7) {
			p := parts[r.Intn(len(parts))]
			return b[p[0]:p[1]]
		}
		return b
	case "", "switch", "===", "!==", "==", "!=":
		if op == "" && chance(r, 0.3) {
			return pick(r, b+a, a+b)
		}
		return b
	}
	return b
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.Intn(len(xs))] }

// replaceString finds a (what the program saw) in a field, through one of
// the transforms, and puts the wanted value there. The field may contain a
// (a DN component, a SAN name), or a may contain the field (a key built as
// "dev:" + serial): then the other operand, with the same prefix and
// suffix, gives the field's new value.
//
// views, when not nil, holds each leaf's value through each transform
// (fieldViews of the same leaves): the same values, computed once.
func replaceString(r *rand.Rand, t *generators.Tree, leaves []generators.Leaf, views [][]string, a, b, op string, left bool) bool {
	if a == b && op != "includes" && op != "startsWith" && op != "endsWith" {
		return false
	}
	start := r.Intn(len(leaves))
	view := func(li, ti int) string {
		if views != nil {
			return views[li][ti]
		}
		return transforms[ti].fwd(leaves[li].Value)
	}
	// First a field that holds a as a whole component (between DN or list
	// separators: "CN=Intermediate CA", not "CN=Example Corp Intermediate
	// CA"): where a value the program extracted most likely came from.
	if len(a) >= 3 {
		for k := range leaves {
			li := (start + k) % len(leaves)
			l := leaves[li]
			for ti, tr := range transforms {
				fv := view(li, ti)
				if tr.name != "identity" && fv == l.Value {
					continue
				}
				if fv == a {
					break // the whole field: the loop below takes it
				}
				if i := componentIndex(r, fv, a); i >= 0 {
					x := wants(r, a, b, op, left)
					t.Set(l, tr.inv(l.Value, fv[:i]+x+fv[i+len(a):]))
					return true
				}
			}
		}
	}
	for k := range leaves {
		li := (start + k) % len(leaves)
		l := leaves[li]
		for ti, tr := range transforms {
			fv := view(li, ti)
			if tr.name != "identity" && fv == l.Value {
				continue // the transform changes nothing here: identity covered it
			}
			switch {
			case fv == a || (len(a) >= 3 && partIndex(nil, fv, a) >= 0):
				// Any occurrence: the value may hold a more than once
				// (an L= and a CN= of the same text), and which one the
				// program read is not known.
				i := partIndex(r, fv, a)
				if fv == a {
					i = 0
				}
				x := wants(r, a, b, op, left)
				t.Set(l, tr.inv(l.Value, fv[:i]+x+fv[i+len(a):]))
				return true
			default:
				// a and the field share a piece: a holds the field, or
				// part of it ("op:" + its first 16 hex digits).
				i, j, n := overlap(a, fv)
				if n < min(len(fv), minOverlap) || n < 4 {
					continue
				}
				pre, suf := a[:i], a[i+n:]
				x := wants(r, a, b, op, left)
				if len(x) >= len(pre)+len(suf) && strings.HasPrefix(x, pre) && strings.HasSuffix(x, suf) {
					t.Set(l, tr.inv(l.Value, fv[:j]+x[len(pre):len(x)-len(suf)]+fv[j+n:]))
					return true
				}
			}
		}
	}
	return false
}

// fieldViews returns each leaf's value through each of transforms.
func fieldViews(leaves []generators.Leaf) [][]string {
	out := make([][]string, len(leaves))
	for i, l := range leaves {
		out[i] = make([]string, len(transforms))
		for k, tr := range transforms {
			out[i][k] = tr.fwd(l.Value)
		}
	}
	return out
}

// partIndex is strings.Index(v, a), except that a short a (under 8
// bytes: "Ram", "Edge") must be a whole part of v, between separators: a
// short operand found inside another word is likelier a coincidence than
// the field the program compared.
//
// With r, it returns a random one of the occurrences (nil: the first).
func partIndex(r *rand.Rand, v, a string) int {
	const seps = ",;=/: .+-_@\\"
	return pickOccurrence(r, v, a, func(i, j int) bool {
		return len(a) >= 8 || (i == 0 || strings.IndexByte(seps, v[i-1]) >= 0 || strings.IndexByte(seps, a[0]) >= 0) &&
			(j == len(v) || strings.IndexByte(seps, v[j]) >= 0 || strings.IndexByte(seps, a[len(a)-1]) >= 0)
	})
}

// componentIndex returns the start of a random occurrence of a in v that
// is a whole component of a DN or list: preceded by the start or one of
// ",;=+/" (spaces after them allowed) and followed by the end or one of
// ",;+/"; -1 when there is none.
func componentIndex(r *rand.Rand, v, a string) int {
	return pickOccurrence(r, v, a, func(i, j int) bool {
		p := i
		for p > 0 && v[p-1] == ' ' {
			p--
		}
		return (p == 0 || strings.IndexByte(",;=+/", v[p-1]) >= 0) && (j == len(v) || strings.IndexByte(",;+/", v[j]) >= 0)
	})
}

// pickOccurrence returns the start of an occurrence v[i:j] of a in v
// (overlapping ones included) for which ok holds: a uniformly random one
// with r, the first with r nil; -1 when there is none.
func pickOccurrence(r *rand.Rand, v, a string, ok func(i, j int) bool) int {
	found, seen := -1, 0
	for off := 0; off+len(a) <= len(v); {
		k := strings.Index(v[off:], a)
		if k < 0 {
			break
		}
		i := off + k
		if ok(i, i+len(a)) {
			if seen++; r == nil {
				return i
			} else if r.Intn(seen) == 0 {
				found = i
			}
		}
		off = i + 1
	}
	return found
}

// pickTarget returns the number to aim at to move a comparison with b by
// op: b for equality, b or its neighbours for order.
func pickTarget(r *rand.Rand, b float64, op string) float64 {
	switch op {
	case "===", "==", "!==", "!=", "switch":
		return b
	}
	switch r.Intn(5) {
	case 0:
		return b + 1
	case 1:
		return b - 1
	case 2:
		if b != math.Trunc(b) {
			return pick(r, math.Floor(b), math.Ceil(b))
		}
	}
	return b
}

// replaceNumber finds the number a in a field (a date as milliseconds or
// seconds, a length, a list's size, a decimal or hex token) and puts a
// number next to b in its place. When no field holds a, a date is shifted
// by b-a in some unit: a number computed from a date (days since expiry)
// then moves towards b.
func replaceNumber(r *rand.Rand, t *generators.Tree, leaves []generators.Leaf, a, b float64, op string, now time.Time) bool {
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false
	}
	target := pickTarget(r, b, op)
	start := r.Intn(len(leaves))
	var dates []generators.Leaf
	for k := range leaves {
		l := leaves[(start+k)%len(leaves)]
		v := l.Value
		if tm, layout, ok := parseDate(v); ok {
			dates = append(dates, l)
			ms := float64(tm.UnixMilli())
			switch {
			case ms == a:
				t.Set(l, formatDate(time.UnixMilli(int64(target)), layout))
				return true
			case float64(tm.Unix()) == a:
				t.Set(l, formatDate(time.Unix(int64(target), 0), layout))
				return true
			}
			continue
		}
		if a >= 0 && a == math.Trunc(a) && target >= 0 && target <= 4096 && target == math.Trunc(target) {
			if n := float64(len([]rune(v))); n == a && n > 0 {
				t.Set(l, resize(v, int(target)))
				return true
			}
			if sep := listSeparator(v); sep != "" && float64(strings.Count(v, sep)+1) == a && target >= 1 {
				t.Set(l, resizeList(v, sep, int(target)))
				return true
			}
		}
		if nv, ok := replaceToken(v, a, target); ok {
			t.Set(l, nv)
			return true
		}
		if nv, ok := replaceIPv4(v, a, target); ok {
			t.Set(l, nv)
			return true
		}
		if nv, ok := replaceHexRun(r, v, a, target); ok {
			t.Set(l, nv)
			return true
		}
	}
	// A number no field holds may be computed from a date (days since
	// expiry, a lifetime in days); or not: two small whole numbers are
	// likelier a calendar field of the current time (a month, a day).
	if len(dates) == 0 || a == b || !chance(r, 0.6) || (smallInt(a) && smallInt(b)) {
		return false
	}
	l := dates[r.Intn(len(dates))]
	tm, layout, _ := parseDate(l.Value)
	unit := pick(r, time.Millisecond, time.Second, time.Minute, time.Hour, 24*time.Hour)
	delta := target - a
	if chance(r, 0.5) {
		delta = -delta
	}
	shift := time.Duration(delta * float64(unit))
	if math.Abs(delta*float64(unit)) > float64(math.MaxInt64/2) {
		return false
	}
	t.Set(l, formatDate(tm.Add(shift), layout))
	return true
}

// dateLayouts are the date forms recognised in fields: the documented ISO
// 8601 UTC form, with and without milliseconds.
var dateLayouts = []string{"2006-01-02T15:04:05Z", "2006-01-02T15:04:05.000Z", time.RFC3339Nano}

func parseDate(v string) (time.Time, string, bool) {
	if len(v) < 19 || v[4] != '-' {
		return time.Time{}, "", false
	}
	for _, l := range dateLayouts {
		if tm, err := time.Parse(l, v); err == nil {
			return tm, l, true
		}
	}
	return time.Time{}, "", false
}

func formatDate(tm time.Time, layout string) string {
	if layout == time.RFC3339Nano {
		layout = "2006-01-02T15:04:05.000Z07:00"
	}
	return tm.UTC().Format(layout)
}

// resize makes v n characters long: cut, or padded by repeating its end.
func resize(v string, n int) string {
	rs := []rune(v)
	if n <= len(rs) {
		return string(rs[:n])
	}
	out := append([]rune(nil), rs...)
	for len(out) < n {
		out = append(out, rs[len(out)%len(rs)])
	}
	return string(out)
}

// resizeList makes a list of n entries from v's entries.
func resizeList(v, sep string, n int) string {
	parts := strings.Split(v, sep)
	out := make([]string, n)
	for i := range out {
		out[i] = parts[i%len(parts)]
	}
	return strings.Join(out, sep)
}

// replaceToken replaces a token of v (a run of letters and digits) whose
// value, read as decimal or as hex, is a, by target written the same way.
func replaceToken(v string, a, target float64) (string, bool) {
	if a < 0 || a != math.Trunc(a) || target < 0 || target != math.Trunc(target) || target > 1<<53 {
		return "", false
	}
	for p, ok := nextToken(v, 0); ok; p, ok = nextToken(v, p[1]) {
		tok := v[p[0]:p[1]]
		if n, err := strconv.ParseUint(tok, 10, 64); err == nil && float64(n) == a {
			return v[:p[0]] + strconv.FormatUint(uint64(target), 10) + v[p[1]:], true
		}
		if len(tok) <= 13 && isHex(tok) {
			if n, err := strconv.ParseUint(tok, 16, 64); err == nil && float64(n) == a {
				h := strconv.FormatUint(uint64(target), 16)
				for len(h) < len(tok) {
					h = "0" + h
				}
				if strings.ToUpper(tok) == tok {
					h = strings.ToUpper(h)
				}
				return v[:p[0]] + h + v[p[1]:], true
			}
		}
	}
	// The whole of colon hex (a serial read as one integer).
	if s := stripHex(v); s != v && len(s) <= 13 && isHex(s) {
		if n, err := strconv.ParseUint(s, 16, 64); err == nil && float64(n) == a {
			h := strconv.FormatUint(uint64(target), 16)
			for len(h) < len(s) {
				h = "0" + h
			}
			return unHex(v, h), true
		}
	}
	return "", false
}

// tokens returns the [start, end) ranges of v's runs of ASCII letters and digits.
func tokens(v string) [][2]int {
	var out [][2]int
	for p, ok := nextToken(v, 0); ok; p, ok = nextToken(v, p[1]) {
		out = append(out, p)
	}
	return out
}

// nextToken returns the [start, end) range of the first run of ASCII
// letters and digits of v at or after from, without allocating.
func nextToken(v string, from int) ([2]int, bool) {
	start := -1
	for i := from; i <= len(v); i++ {
		alnum := i < len(v) && isAlnum(v[i])
		switch {
		case alnum && start < 0:
			start = i
		case !alnum && start >= 0:
			return [2]int{start, i}, true
		}
	}
	return [2]int{}, false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// numeric places neighbours of captured numbers in a numeric field or a
// date: dates at captured timestamps, or now ± a captured count of days,
// hours, minutes or seconds (±1); tokens at captured numbers ±1; or a date
// shifted by a round amount.
func (e *Engine) numeric(r *rand.Rand, t *generators.Tree) bool {
	leaves := t.Leaves()
	if len(leaves) == 0 {
		return false
	}
	nums := e.st.dictNum
	var dates, numbered []generators.Leaf
	for _, l := range leaves {
		if _, _, ok := parseDate(l.Value); ok {
			dates = append(dates, l)
		} else if _, ok := nextToken(l.Value, 0); ok {
			numbered = append(numbered, l)
		}
	}
	if len(dates) > 0 && (len(numbered) == 0 || chance(r, 0.6)) {
		l := dates[r.Intn(len(dates))]
		tm, layout, _ := parseDate(l.Value)
		eps := time.Duration(r.Intn(3)-1) * pick(r, time.Second, time.Millisecond, time.Minute, time.Hour, 24*time.Hour)
		var n float64
		have := len(nums) > 0 && chance(r, 0.7)
		if have {
			n = nums[r.Intn(len(nums))]
		}
		switch {
		case have && n >= 1e9 && n < 1e10: // seconds since the epoch
			tm = time.Unix(int64(n), 0).Add(eps)
		case have && n >= 1e11 && n < 1e14: // milliseconds since the epoch
			tm = time.UnixMilli(int64(n)).Add(eps)
		case have && math.Abs(n) > 0 && math.Abs(n) <= 1e5:
			unit := pick(r, 24*time.Hour, time.Hour, time.Minute, time.Second)
			sign := pick(r, -1.0, 1.0)
			tm = e.now.Add(time.Duration(sign*n*float64(unit)) + eps)
		default:
			unit := pick(r, time.Second, time.Minute, time.Hour, 24*time.Hour, 7*24*time.Hour, 30*24*time.Hour, 365*24*time.Hour)
			tm = tm.Add(time.Duration(r.Intn(7)-3) * unit)
			if chance(r, 0.3) {
				tm = e.now.Add(time.Duration(r.Intn(7)-3) * unit)
			}
		}
		t.Set(l, formatDate(tm, layout))
		return true
	}
	if len(numbered) == 0 {
		return false
	}
	l := numbered[r.Intn(len(numbered))]
	toks := tokens(l.Value)
	p := toks[r.Intn(len(toks))]
	tok := l.Value[p[0]:p[1]]
	var x string
	if len(nums) > 0 && chance(r, 0.6) {
		n := nums[r.Intn(len(nums))] + float64(r.Intn(3)-1)
		x = formatNum(n)
		if isHex(tok) && !isDecimal(tok) && n >= 0 && n == math.Trunc(n) && n < 1<<53 {
			x = strconv.FormatUint(uint64(n), 16)
		}
	} else if v, err := strconv.ParseInt(tok, 10, 64); err == nil {
		x = strconv.FormatInt(v+int64(pick(r, -1, 1, 10, -10)), 10)
	} else {
		x = generators.MutateString(r, tok)
	}
	t.Set(l, l.Value[:p[0]]+x+l.Value[p[1]:])
	return true
}

func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// replaceIPv4 reads a dotted IPv4 address as the 32-bit integer policy
// code turns it into; when that is a, it writes target as an address.
func replaceIPv4(v string, a, target float64) (string, bool) {
	if target < 0 || target > math.MaxUint32 || target != math.Trunc(target) {
		return "", false
	}
	prefix := ""
	s := v
	if strings.HasPrefix(strings.ToLower(s), "::ffff:") {
		prefix, s = s[:7], s[7:]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return "", false
	}
	var n float64
	for _, p := range parts {
		o, err := strconv.Atoi(p)
		if err != nil || o < 0 || o > 255 {
			return "", false
		}
		n = n*256 + float64(o)
	}
	if n != a {
		return "", false
	}
	x := uint32(target)
	return prefix + strconv.Itoa(int(x>>24)) + "." + strconv.Itoa(int(x>>16&0xff)) + "." +
		strconv.Itoa(int(x>>8&0xff)) + "." + strconv.Itoa(int(x&0xff)), true
}

// replaceHexRun reads runs of consecutive bytes of colon hex (a serial's
// last two bytes, its first three) as one integer; when one is a, it
// writes target over those bytes, in as many bytes.
func replaceHexRun(r *rand.Rand, v string, a, target float64) (string, bool) {
	if !strings.Contains(v, ":") || a < 0 || target < 0 || target != math.Trunc(target) {
		return "", false
	}
	parts := strings.Split(v, ":")
	for _, p := range parts {
		if len(p) != 2 || !isHex(p) {
			return "", false
		}
	}
	// Every window that holds a is a candidate (a serial of repeated
	// bytes holds it more than once); r picks one (nil: the first).
	bestK, bestI, seen := 0, 0, 0
	for k := 1; k <= 6 && k <= len(parts); k++ {
		if target >= math.Pow(256, float64(k)) {
			continue
		}
		for i := 0; i+k <= len(parts); i++ {
			// The window's bytes as one integer (at most 6 checked hex
			// pairs: it cannot overflow), without joining them.
			var n uint64
			for _, p := range parts[i : i+k] {
				n = n<<8 | uint64(hexVal(p[0]))<<4 | uint64(hexVal(p[1]))
			}
			if float64(n) != a {
				continue
			}
			if seen++; seen == 1 || r != nil && r.Intn(seen) == 0 {
				bestK, bestI = k, i
			}
		}
	}
	if seen == 0 {
		return "", false
	}
	k, i := bestK, bestI
	h := strconv.FormatUint(uint64(target), 16)
	for len(h) < 2*k {
		h = "0" + h
	}
	if strings.ToUpper(v) == v {
		h = strings.ToUpper(h)
	}
	out := append([]string(nil), parts...)
	for j := 0; j < k; j++ {
		out[i+j] = h[2*j : 2*j+2]
	}
	return strings.Join(out, ":"), true
}

// minOverlap is the shortest piece shared by an operand and a field (unless
// the field is shorter) that input-to-state replacement trusts.
const minOverlap = 6

// overlap returns the longest piece a and f share: its start in a, its
// start in f and its length.
func overlap(a, f string) (i, j, n int) {
	if len(a) < 4 || len(f) < 4 {
		return 0, 0, 0
	}
	// The bytes f holds: a seed with a byte f lacks is not searched for
	// (most are not, between a number and a DN, or hex and text).
	var in [4]uint64
	for k := 0; k < len(f); k++ {
		in[f[k]>>6] |= 1 << (f[k] & 63)
	}
	has := func(s string) bool {
		for k := 0; k < len(s); k++ {
			if in[s[k]>>6]&(1<<(s[k]&63)) == 0 {
				return false
			}
		}
		return true
	}
	for ai := 0; ai+max(n, 3) < len(a); ai++ {
		seed := a[ai : ai+min(4, len(a)-ai)]
		if !has(seed) {
			continue
		}
		for off := 0; ; {
			k := strings.Index(f[off:], seed)
			if k < 0 {
				break
			}
			fj := off + k
			m := 0
			for ai+m < len(a) && fj+m < len(f) && a[ai+m] == f[fj+m] {
				m++
			}
			if m > n {
				i, j, n = ai, fj, m
			}
			off = fj + 1
		}
	}
	return i, j, n
}

// insert puts b into a where a list-shaped value (a DN, a SAN list) takes a
// new entry: at the start or the end, or before one of its parts, with a's
// separator; anywhere in a value without separators.
func insert(r *rand.Rand, a, b string) string {
	sep := listSeparator(a)
	if sep == "" {
		i := r.Intn(len(a) + 1)
		return a[:i] + b + a[i:]
	}
	parts := strings.Split(a, sep)
	i := r.Intn(len(parts) + 1)
	out := append(append(append([]string(nil), parts[:i]...), b), parts[i:]...)
	return strings.Join(out, sep)
}

// sibling gives a field whose value is a another value that fields of the
// same name take in production objects (the generator's), when there is
// one: for a documented enumeration, another of its members.
func (e *Engine) sibling(r *rand.Rand, t *generators.Tree, leaves []generators.Leaf, a string) bool {
	if e.donor == nil || a == "" {
		return false
	}
	var at []generators.Leaf
	for _, l := range leaves {
		if l.Value == a {
			at = append(at, l)
		}
	}
	if len(at) == 0 {
		return false
	}
	l := at[r.Intn(len(at))]
	for range 6 {
		c := e.donor.Case(r.Int63(), r.Uint64())
		d, ok := generators.ParseTree(c.Object)
		if !ok {
			continue
		}
		var other []string
		for _, dl := range d.Leaves() {
			if dl.Key == l.Key && dl.Value != a {
				other = append(other, dl.Value)
			}
		}
		if len(other) > 0 {
			t.Set(l, other[r.Intn(len(other))])
			return true
		}
	}
	return false
}

// flip returns a value near a that no longer matches b: a without b in it,
// or a with a character changed.
func flip(r *rand.Rand, a, b string) string {
	if b != "" && strings.Contains(a, b) && a != b && chance(r, 0.5) {
		return strings.Replace(a, b, "", 1)
	}
	return generators.MutateString(r, a)
}

// matched reports whether a comparison with op and result found its
// operands alike: equal for === and ==, unequal for !== and != evaluating
// to false, contained or matching for the string methods. Unknown
// operators never count as matched.
func matched(op string, result bool) bool {
	switch op {
	case "", "<", "<=", ">", ">=":
		return false
	case "!==", "!=":
		return !result
	}
	return result
}

func smallInt(f float64) bool { return f == math.Trunc(f) && math.Abs(f) < 32 }

// escapeBefore escapes the separator in front of a matched list part (a
// DN component the program found by splitting at commas), which makes it
// part of the previous value for a parser that honours RFC 4514 escapes:
// does the program's own parse agree?
func escapeBefore(t *generators.Tree, leaves []generators.Leaf, part string) bool {
	if part == "" {
		return false
	}
	for _, l := range leaves {
		for _, sep := range []string{", ", ",", "+"} {
			if i := strings.Index(l.Value, sep+part); i > 0 && l.Value[i-1] != '\\' {
				t.Set(l, l.Value[:i]+"\\"+l.Value[i:])
				return true
			}
		}
	}
	// The part opens its field: give it an escaped predecessor.
	for _, l := range leaves {
		if strings.HasPrefix(l.Value, part) && strings.Contains(part, "=") {
			t.Set(l, "CN=a\\,"+l.Value)
			return true
		}
	}
	return false
}

// nearestKey returns a key of the store for a looked-up key: one sharing
// the longest prefix or suffix with it (a random one of those), or any.
func (e *Engine) nearestKey(r *rand.Rand, key string) string {
	if chance(r, 0.2) {
		return e.keys[r.Intn(len(e.keys))]
	}
	best, n := -1, 0
	var pickKey string
	for _, k := range e.keys {
		c := closeness(k, key)
		switch {
		case c > best:
			best, n, pickKey = c, 1, k
		case c == best:
			n++
			if r.Intn(n) == 0 {
				pickKey = k
			}
		}
	}
	return pickKey
}
