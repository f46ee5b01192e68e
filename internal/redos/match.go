package redos

import "unicode"

// matcher is a backtracking matcher of parsed patterns, in the order
// ECMAScript specifies (greedy and lazy quantifiers, alternatives left to
// right, the empty-iteration check), that counts its steps: how much work a
// backtracking engine such as CloudFront's does on an input. It stops at a
// budget of steps.
type matcher struct {
	in       []rune
	fl       flags
	caps     [][2]int
	steps    int
	budget   int
	exceeded bool
}

// steps runs the pattern on in from position 0 only and returns the steps
// taken (at most budget) and whether the budget ran out.
func countSteps(root *node, fl flags, groups int, in []rune, budget int) (int, bool) {
	m := &matcher{in: in, fl: fl, caps: make([][2]int, groups+1), budget: budget}
	for i := range m.caps {
		m.caps[i] = [2]int{-1, -1}
	}
	m.match(root, 0, func(int) bool { return true })
	return m.steps, m.exceeded
}

// match matches n at i, then the continuation k.
func (m *matcher) match(n *node, i int, k func(int) bool) bool {
	m.steps++
	if m.steps > m.budget {
		m.exceeded = true
		return true // unwind
	}
	switch n.kind {
	case kChar:
		return i < len(m.in) && n.set.contains(m.in[i]) && k(i+1)
	case kEmpty:
		return k(i)
	case kConcat:
		return m.seq(n.subs, i, k)
	case kAlt:
		for _, s := range n.subs {
			if m.match(s, i, k) || m.exceeded {
				return true
			}
		}
		return false
	case kGroup:
		if n.capture == 0 {
			return m.match(n.subs[0], i, k)
		}
		saved := m.caps[n.capture]
		if m.match(n.subs[0], i, func(j int) bool {
			inner := m.caps[n.capture]
			m.caps[n.capture] = [2]int{i, j}
			if k(j) {
				return true
			}
			m.caps[n.capture] = inner
			return false
		}) {
			return true
		}
		m.caps[n.capture] = saved
		return false
	case kRepeat:
		return m.repeat(n, 0, i, -1, k)
	case kLook:
		var ok bool
		if n.behind {
			for j := i; j >= 0 && !ok; j-- {
				ok = m.match(n.subs[0], j, func(e int) bool { return e == i })
			}
		} else {
			ok = m.match(n.subs[0], i, func(int) bool { return true })
		}
		if m.exceeded {
			return true
		}
		return ok != n.neg && k(i)
	case kAssert:
		return m.assert(n.assert, i) && k(i)
	case kBackref:
		c := m.caps[n.ref]
		if c[0] < 0 {
			return k(i)
		}
		l := c[1] - c[0]
		if i+l > len(m.in) {
			return false
		}
		for x := range l {
			a, b := m.in[c[0]+x], m.in[i+x]
			if a != b && !(m.fl.ignoreCase && unicode.SimpleFold(a) == b) {
				return false
			}
		}
		return k(i + l)
	}
	return false
}

func (m *matcher) seq(subs []*node, i int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(i)
	}
	return m.match(subs[0], i, func(j int) bool { return m.seq(subs[1:], j, k) })
}

// repeat matches the rest of a repetition after count iterations, the
// last of which started at last (-1 before the first).
func (m *matcher) repeat(n *node, count, i, last int, k func(int) bool) bool {
	more := func() bool {
		if n.max >= 0 && count >= n.max {
			return false
		}
		return m.match(n.subs[0], i, func(j int) bool {
			if j == i && count >= n.min {
				return false // an empty iteration ends the loop (ES RepeatMatcher)
			}
			return m.repeat(n, count+1, j, i, k)
		})
	}
	done := func() bool { return count >= n.min && k(i) }
	if n.lazy {
		return done() || m.exceeded || more()
	}
	return more() || m.exceeded || done()
}

func isWord(r rune) bool { return wordSet.contains(r) }

func (m *matcher) assert(a rune, i int) bool {
	switch a {
	case '^':
		return i == 0 || m.fl.multiline && lineTerminators.contains(m.in[i-1])
	case '$':
		return i == len(m.in) || m.fl.multiline && lineTerminators.contains(m.in[i])
	case 'b', 'B':
		before := i > 0 && isWord(m.in[i-1])
		after := i < len(m.in) && isWord(m.in[i])
		return (before != after) == (a == 'b')
	}
	return true
}
