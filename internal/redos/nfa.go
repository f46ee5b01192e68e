package redos

import (
	"errors"
	"slices"
)

// nfa is the position (Glushkov) automaton of a pattern: state 0 is the
// start, every other state is one character position of the pattern and is
// entered by reading a character of its set. It has no empty moves, so two
// paths that read the same word are two ways the backtracking matcher can
// try.
type nfa struct {
	sets   []charSet // sets[q]: what entering q reads (sets[0] is unused)
	origin []int     // origin[q]: the pattern offset of position q
	succ   [][]int   // succ[q]: the states after q
	final  []bool
	// parallel lists the transitions p→q the pattern makes in two or more
	// ways (the inner and the outer loop of (a*)*): the automaton keeps one,
	// the backtracking matcher tries each.
	parallel [][2]int
}

// Expansion limits: counted repetitions are unrolled to at most
// maxCopies copies of their body (a larger count loops, which only adds
// ambiguity the confirmation step then rules out), and patterns of more than
// maxStates positions are not analyzed.
const (
	maxCopies = 4
	maxStates = 400
)

var errTooComplex = errors.New("the pattern has too many positions to analyze")

// glushkov is the summary of a subexpression: whether it matches the empty
// string, and the positions it can start and end with.
type glushkov struct {
	nullable    bool
	first, last []int
}

type builder struct {
	a   *nfa
	fl  flags
	err error
}

// buildNFA builds the position automaton of a parsed pattern. Lookarounds,
// backreferences, \b, \B and (in multiline mode) ^ and $ are read as empty:
// they only remove paths, and the confirmation step runs the real pattern.
func buildNFA(root *node, fl flags) (*nfa, error) {
	b := &builder{a: &nfa{sets: []charSet{nil}, origin: []int{0}, succ: [][]int{nil}}, fl: fl}
	g := b.build(root)
	if b.err != nil {
		return nil, b.err
	}
	a := b.a
	a.succ[0] = slices.Clone(g.first)
	a.final = make([]bool, len(a.sets))
	for _, p := range g.last {
		a.final[p] = true
	}
	a.final[0] = g.nullable
	for q := range a.succ {
		slices.Sort(a.succ[q])
		for i := 1; i < len(a.succ[q]); i++ {
			if a.succ[q][i] == a.succ[q][i-1] {
				a.parallel = append(a.parallel, [2]int{q, a.succ[q][i]})
			}
		}
		a.succ[q] = slices.Compact(a.succ[q])
	}
	return a, nil
}

func (b *builder) position(set charSet, pos int) glushkov {
	if len(b.a.sets) > maxStates {
		b.err = errTooComplex
		return glushkov{nullable: true}
	}
	q := len(b.a.sets)
	b.a.sets = append(b.a.sets, set)
	b.a.origin = append(b.a.origin, pos)
	b.a.succ = append(b.a.succ, nil)
	return glushkov{first: []int{q}, last: []int{q}}
}

func (b *builder) link(from, to []int) {
	for _, p := range from {
		b.a.succ[p] = append(b.a.succ[p], to...)
	}
}

func (b *builder) seq(x, y glushkov) glushkov {
	b.link(x.last, y.first)
	g := glushkov{nullable: x.nullable && y.nullable}
	g.first = slices.Clone(x.first)
	if x.nullable {
		g.first = append(g.first, y.first...)
	}
	g.last = slices.Clone(y.last)
	if y.nullable {
		g.last = append(g.last, x.last...)
	}
	return g
}

func (b *builder) build(n *node) glushkov {
	if b.err != nil {
		return glushkov{nullable: true}
	}
	switch n.kind {
	case kChar:
		return b.position(n.set, n.pos)
	case kAssert:
		if !b.fl.multiline {
			switch n.assert {
			case '^':
				return b.position(single(bos), n.pos)
			case '$':
				return b.position(single(eos), n.pos)
			}
		}
		return glushkov{nullable: true}
	case kEmpty, kLook, kBackref:
		return glushkov{nullable: true}
	case kGroup:
		return b.build(n.subs[0])
	case kConcat:
		g := glushkov{nullable: true}
		for _, s := range n.subs {
			g = b.seq(g, b.build(s))
		}
		return g
	case kAlt:
		var g glushkov
		for _, s := range n.subs {
			x := b.build(s)
			g.nullable = g.nullable || x.nullable
			g.first = append(g.first, x.first...)
			g.last = append(g.last, x.last...)
		}
		return g
	case kRepeat:
		return b.repeat(n)
	}
	return glushkov{nullable: true}
}

// repeat unrolls body{min,max}: min copies (at most maxCopies), then a loop
// when max is unbounded or beyond the copies, else nested optional copies.
func (b *builder) repeat(n *node) glushkov {
	body := n.subs[0]
	g := glushkov{nullable: true}
	copies := min(n.min, maxCopies)
	for range copies {
		g = b.seq(g, b.build(body))
	}
	if n.max >= 0 && n.max == n.min {
		return g
	}
	extra := -1 // a loop
	if n.max >= 0 && n.max-n.min <= maxCopies && copies == n.min {
		extra = n.max - n.min
	}
	if extra < 0 {
		x := b.build(body)
		b.link(x.last, x.first)
		x.nullable = true
		return b.seq(g, x)
	}
	return b.seq(g, b.optional(body, extra))
}

// optional is (body(body(...)?)?)? with k bodies.
func (b *builder) optional(body *node, k int) glushkov {
	if k == 0 {
		return glushkov{nullable: true}
	}
	x := b.seq(b.build(body), b.optional(body, k-1))
	x.nullable = true
	return x
}

// useful returns the states reachable from the start that can reach a
// final state.
func (a *nfa) useful() []bool {
	n := len(a.sets)
	fwd := make([]bool, n)
	stack := []int{0}
	fwd[0] = true
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, r := range a.succ[q] {
			if !fwd[r] {
				fwd[r] = true
				stack = append(stack, r)
			}
		}
	}
	pred := make([][]int, n)
	for q, ss := range a.succ {
		for _, r := range ss {
			pred[r] = append(pred[r], q)
		}
	}
	back := make([]bool, n)
	for q := range n {
		if a.final[q] {
			back[q] = true
			stack = append(stack, q)
		}
	}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, r := range pred[q] {
			if !back[r] {
				back[r] = true
				stack = append(stack, r)
			}
		}
	}
	for q := range fwd {
		fwd[q] = fwd[q] && back[q]
	}
	return fwd
}

// matchesFromStart reports whether some prefix of in (read with the start
// sentinel, at JavaScript position 0) is matched: a final state is entered.
func (a *nfa) matchesFromStart(in []rune) bool {
	cur := map[int]bool{0: true}
	if a.final[0] {
		return true
	}
	// A thread at position 0 may read the start sentinel (^) or not.
	for i, r := range append([]rune{bos}, append(slices.Clone(in), eos)...) {
		next := map[int]bool{}
		for q := range cur {
			for _, s := range a.succ[q] {
				if a.sets[s].contains(r) {
					if a.final[s] {
						return true
					}
					next[s] = true
				}
			}
		}
		if i == 0 {
			next[0] = true // the thread that does not read bos starts here
		}
		cur = next
		if len(cur) == 0 {
			return false
		}
	}
	return false
}
