package redos

import (
	"fmt"
	"strconv"
	"strings"
)

// Finding is a regular expression whose matching time on a backtracking
// engine grows super-linearly with its input, with the input that shows it.
type Finding struct {
	// Pattern and Flags are the regular expression's source and flags.
	Pattern string
	Flags   string
	// Line and Column locate the literal in the function (1-based; 0 when
	// the pattern was analyzed alone).
	Line, Column int
	// Degree is Exponential or Polynomial.
	Degree string
	// Offset is where in the pattern (in characters) the ambiguous loop is.
	Offset int
	// The attack string is Prefix, then Pump repeated Pumps times, then
	// Suffix: Attack.
	Prefix, Pump, Suffix string
	Pumps                int
	Attack               string
	// Steps is how many backtracking steps a match of Attack from its first
	// character took (at least: counting stops at Budget).
	Steps int
	// Growth is how many times more steps twice as many pumps take.
	Growth float64
}

// Budget is the most steps the confirming matcher takes on one input.
const Budget = 250_000

// Message describes the finding for people.
func (f Finding) Message() string {
	steps := fmt.Sprintf("%d", f.Steps)
	if f.Steps >= Budget {
		steps = fmt.Sprintf("over %d", Budget)
	}
	what := "exponential"
	if f.Degree == Polynomial {
		what = "polynomial (at least quadratic)"
	}
	growth := fmt.Sprintf("each more repetition multiplies them by %.1f", f.Growth)
	if f.Degree == Polynomial {
		growth = fmt.Sprintf("twice the repetitions multiply them by %.1f", f.Growth)
	}
	return fmt.Sprintf("regular expression /%s/%s may take %s time on a backtracking engine (CloudFront's may backtrack where goja's RE2 path does not): the part at character %d matches %s in more than one way; the input %s (%s + %s×%d + %s) takes %s backtracking steps, and %s",
		truncate(f.Pattern, 80), f.Flags, what, f.Offset+1, quote(f.Pump), quote(truncate(f.Attack, 60)), quote(f.Prefix), quote(f.Pump), f.Pumps, quote(f.Suffix), steps, growth)
}

func quote(s string) string { return strconv.Quote(s) }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Analyze checks one regular expression (its source between the slashes,
// and its flags). It returns nil for a pattern that is safe, that it cannot
// parse, or that is too large to analyze; otherwise the finding, confirmed
// by counting the steps of a backtracking matcher on the attack string.
func Analyze(pattern, flagStr string) *Finding {
	fl := parseFlags(flagStr)
	root, err := parse(pattern, fl)
	if err != nil {
		return nil
	}
	a, err := buildNFA(root, fl)
	if err != nil {
		return nil
	}
	useful := a.useful()
	groups, _ := countGroups([]rune(pattern))
	for _, find := range []func([]bool) *witness{a.findEDA, a.findIDA} {
		w := find(useful)
		if w == nil {
			continue
		}
		if f := confirm(root, fl, groups, a, w); f != nil {
			f.Pattern, f.Flags = pattern, flagStr
			return f
		}
	}
	return nil
}

// strip removes the sentinels from a word.
func strip(w []rune) []rune {
	out := make([]rune, 0, len(w))
	for _, r := range w {
		if r != bos && r != eos {
			out = append(out, r)
		}
	}
	return out
}

// confirm builds an attack string from the witness and measures how the
// backtracking matcher's steps grow with the pumps.
func confirm(root *node, fl flags, groups int, a *nfa, w *witness) *Finding {
	prefix, pump := strip(w.prefix), strip(w.pump)
	if len(pump) == 0 {
		return nil
	}
	attack := func(n int, suffix []rune) []rune {
		out := append([]rune{}, prefix...)
		for range n {
			out = append(out, pump...)
		}
		return append(out, suffix...)
	}
	suffix, ok := failingSuffix(root, fl, groups, a, attack)
	if !ok {
		return nil
	}
	steps := func(n int) (int, bool) { return countSteps(root, fl, groups, attack(n, suffix), Budget) }
	f := &Finding{Offset: a.origin[w.state], Prefix: string(prefix), Pump: string(pump), Suffix: string(suffix)}

	// Exponential: each more pump multiplies the steps by a ratio that
	// stays above 1.3 (for a polynomial of degree d the ratio
	// ((n+1)/n)^d falls towards 1 as n grows).
	var s []int // s[i]: the steps of i+1 pumps
	exceededAt := 0
	for n := 1; n <= maxExpPumps; n++ {
		v, ex := steps(n)
		if ex {
			exceededAt = n
			break
		}
		s = append(s, v)
	}
	if k := len(s); k >= 4 && s[k-1] >= 1000 {
		r := func(i int) float64 { return float64(s[i]) / float64(max(s[i-1], 1)) }
		r1, r2, r3 := r(k-3), r(k-2), r(k-1)
		if r1 >= 1.3 && r2 >= 1.3 && r3 >= 1.3 && r3 >= 0.85*r1 {
			f.Degree, f.Growth = Exponential, r3
			f.Pumps, f.Steps = k, s[k-1]
			if exceededAt > 0 {
				f.Pumps, f.Steps = exceededAt, Budget
			}
			f.Attack = string(attack(f.Pumps, suffix))
			return f
		}
	}
	// Polynomial: doubling the pumps (from 128 characters of them down to
	// 16, the first length the budget allows) triples the steps or more
	// (linear matching doubles them).
	for _, length := range []int{128, 64, 32, 16} {
		n1 := max(4, length/len(pump))
		s1, ex1 := steps(n1)
		if ex1 {
			continue
		}
		s2, ex2 := steps(2 * n1)
		if ex2 && Budget < 3*s1 {
			continue // too costly to tell at this length: try a shorter one
		}
		if s2 < 3*s1 || s2 < 10*len(attack(2*n1, suffix)) {
			return nil
		}
		f.Degree, f.Pumps, f.Steps, f.Growth = Polynomial, 2*n1, s2, float64(s2)/float64(s1)
		if ex2 {
			f.Growth = float64(Budget) / float64(s1)
		}
		f.Attack = string(attack(f.Pumps, suffix))
		return f
	}
	return nil
}

// maxExpPumps is how many pumps the exponential test tries at most.
const maxExpPumps = 30

// failingSuffix picks a suffix after which no prefix of the attack string
// matches from its first character, so that the matcher must try every way
// of reading the pumps: the empty suffix, a character the pattern never
// reads, or common punctuation.
func failingSuffix(root *node, fl flags, groups int, a *nfa, attack func(int, []rune) []rune) ([]rune, bool) {
	var read charSet
	for _, s := range a.sets[1:] {
		read = read.union(s)
	}
	candidates := [][]rune{{}}
	if unread := read.negate(); !unread.isEmpty() {
		candidates = append(candidates, []rune{unread.pick()})
	}
	for _, c := range "!\x00 \n_-a0=" {
		candidates = append(candidates, []rune{c})
	}
	for _, s := range a.sets[1:] {
		if !s.isEmpty() && s[0].lo <= 0x10ffff {
			candidates = append(candidates, []rune{s.pick()})
		}
	}
	for _, z := range candidates {
		ok := true
		for k := 1; k <= 3 && ok; k++ {
			in := attack(k, z)
			m := &matcher{in: in, fl: fl, caps: make([][2]int, groups+1), budget: Budget}
			for i := range m.caps {
				m.caps[i] = [2]int{-1, -1}
			}
			if m.match(root, 0, func(int) bool { return true }) {
				ok = false // it matches (or is too slow to tell even at k ≤ 3)
			}
		}
		if ok {
			return z, true
		}
	}
	return nil, false
}

// String is a one-line summary, for tests and logs.
func (f Finding) String() string {
	return fmt.Sprintf("%s /%s/%s at %d:%d: %s×%d", f.Degree, f.Pattern, f.Flags, f.Line, f.Column, strings.TrimSpace(quote(f.Pump)), f.Pumps)
}
