package redos

import (
	"slices"
	"unicode"
)

// Sentinels: the start and the end of the input, read as characters so
// that ^ and $ (outside multiline mode) are ordinary automaton positions.
const (
	bos rune = unicode.MaxRune + 1
	eos rune = unicode.MaxRune + 2
)

// runeRange is the inclusive range [lo, hi].
type runeRange struct{ lo, hi rune }

// charSet is a set of runes: sorted, disjoint, non-adjacent ranges.
type charSet []runeRange

func single(r rune) charSet      { return charSet{{r, r}} }
func span(lo, hi rune) charSet   { return charSet{{lo, hi}} }
func (a charSet) isEmpty() bool  { return len(a) == 0 }
func anyChar() charSet           { return span(0, unicode.MaxRune) }
func (a charSet) clone() charSet { return slices.Clone(a) }
func (a charSet) contains(r rune) bool {
	i, _ := slices.BinarySearchFunc(a, r, func(rr runeRange, r rune) int {
		switch {
		case rr.hi < r:
			return -1
		case rr.lo > r:
			return 1
		}
		return 0
	})
	return i < len(a) && a[i].lo <= r && r <= a[i].hi
}

// normalize sorts and merges ranges.
func normalize(rs []runeRange) charSet {
	slices.SortFunc(rs, func(a, b runeRange) int { return int(a.lo - b.lo) })
	var out charSet
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

func (a charSet) union(b charSet) charSet {
	return normalize(append(slices.Clone(a), b...))
}

func (a charSet) intersect(b charSet) charSet {
	var out charSet
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		lo, hi := max(a[i].lo, b[j].lo), min(a[i].hi, b[j].hi)
		if lo <= hi {
			out = append(out, runeRange{lo, hi})
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// overlaps reports whether a and b share a rune, without allocating.
func (a charSet) overlaps(b charSet) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if max(a[i].lo, b[j].lo) <= min(a[i].hi, b[j].hi) {
			return true
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return false
}

// negate is the complement within the runes (never a sentinel).
func (a charSet) negate() charSet {
	var out charSet
	next := rune(0)
	for _, r := range a {
		if r.lo > unicode.MaxRune {
			break
		}
		if r.lo > next {
			out = append(out, runeRange{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, runeRange{next, unicode.MaxRune})
	}
	return out
}

// foldCase adds the simple case foldings of the set's runes (ranges over
// 2,000 runes wide are assumed to fold onto themselves, as \w, \S and . do
// nearly).
func (a charSet) foldCase() charSet {
	out := slices.Clone(a)
	for _, r := range a {
		if r.hi-r.lo > 2000 || r.lo > unicode.MaxRune {
			continue
		}
		for c := r.lo; c <= r.hi; c++ {
			for f := unicode.SimpleFold(c); f != c; f = unicode.SimpleFold(f) {
				out = append(out, runeRange{f, f})
			}
		}
	}
	return normalize(out)
}

// pickOrder lists the runes an attack string prefers, readable first.
var pickOrder = []rune("a0A_ b-.!x1zZ9\t\n")

// pick returns a representative rune of a non-empty set: a readable one
// when there is one.
func (a charSet) pick() rune {
	for _, r := range pickOrder {
		if a.contains(r) {
			return r
		}
	}
	for _, r := range a {
		for c := max(r.lo, 0x21); c <= min(r.hi, 0x7e); c++ {
			return c
		}
	}
	return a[0].lo
}

// Predefined classes.
var (
	digitSet = span('0', '9')
	wordSet  = normalize([]runeRange{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}})
	spaceSet = normalize([]runeRange{{'\t', '\r'}, {' ', ' '}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x2000, 0x200a},
		{0x2028, 0x2029}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}, {0xfeff, 0xfeff}})
	lineTerminators = normalize([]runeRange{{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}})
)
