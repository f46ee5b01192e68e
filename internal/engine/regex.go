package engine

import (
	"math/rand"
	"regexp/syntax"
	"strings"
	"unicode"
)

// A regular expression a program tests a field with is a description of
// the values it wants there: matchOf builds a string the expression
// matches (a generator of regular-expression instances, as grammar-based
// fuzzers derive inputs from a grammar), and input-to-state replacement
// puts it in the field the expression was tested on.

// maxMatchLen bounds a string matchOf builds.
const maxMatchLen = 256

// matchOf returns a string the captured regular expression re ("/body/flags",
// as the instrumentation records a RegExp) matches, with quantifiers drawn
// near their minimum, and whether the expression is anchored at both ends
// (then the string is the whole value, else a piece of one). It reports
// false for an expression Go's parser does not take (lookarounds,
// backreferences).
func matchOf(r *rand.Rand, re string) (s string, anchored, ok bool) {
	i := strings.LastIndexByte(re, '/')
	if len(re) < 2 || re[0] != '/' || i <= 0 {
		return "", false, false
	}
	body, flags := re[1:i], re[i+1:]
	f := syntax.Perl
	if strings.ContainsRune(flags, 'i') {
		f |= syntax.FoldCase
	}
	tree, err := syntax.Parse(body, f)
	if err != nil {
		return "", false, false
	}
	var b strings.Builder
	gen(r, tree, &b)
	if b.Len() > maxMatchLen {
		return "", false, false
	}
	anchored = strings.HasPrefix(body, "^") && strings.HasSuffix(body, "$")
	return b.String(), anchored, true
}

// gen writes an instance of the regular expression node re.
func gen(r *rand.Rand, re *syntax.Regexp, b *strings.Builder) {
	if b.Len() > maxMatchLen {
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		b.WriteRune(classRune(r, re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune(pick(r, 'a', 'z', '0', '7', 'Q'))
	case syntax.OpCapture:
		gen(r, re.Sub[0], b)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			gen(r, s, b)
		}
	case syntax.OpAlternate:
		gen(r, re.Sub[r.Intn(len(re.Sub))], b)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := 0, 2
		switch re.Op {
		case syntax.OpPlus:
			lo, hi = 1, 3
		case syntax.OpQuest:
			lo, hi = 0, 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
			if hi < 0 || hi > lo+3 {
				hi = lo + 3
			}
		}
		for range lo + r.Intn(hi-lo+1) {
			gen(r, re.Sub[0], b)
		}
	}
	// Anchors, word boundaries and empty matches write nothing.
}

// classRune picks a rune of a character class (pairs of inclusive ranges),
// printable ASCII when the class has some.
func classRune(r *rand.Rand, ranges []rune) rune {
	if len(ranges) < 2 {
		return 'a'
	}
	var printable [][2]rune
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := max(ranges[i], 0x20), min(ranges[i+1], 0x7e)
		if lo <= hi {
			printable = append(printable, [2]rune{lo, hi})
		}
	}
	if len(printable) > 0 {
		p := printable[r.Intn(len(printable))]
		return p[0] + rune(r.Intn(int(p[1]-p[0])+1))
	}
	i := 2 * r.Intn(len(ranges)/2)
	lo, hi := ranges[i], min(ranges[i+1], ranges[i]+0xff)
	c := lo + rune(r.Intn(int(hi-lo)+1))
	if !unicode.IsPrint(c) {
		return lo
	}
	return c
}
