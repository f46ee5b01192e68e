package redos

import "slices"

// Degrees of ambiguity.
const (
	// Exponential: a state with two different paths back to itself that
	// read the same word (EDA): a backtracking matcher tries 2^n paths on n
	// repetitions of it.
	Exponential = "exponential"
	// Polynomial: two different states p and q, with paths p→p, p→q and
	// q→q that read the same word (IDA): n repetitions cost at least n².
	Polynomial = "polynomial"
)

// witness is an ambiguity found in the automaton: a word that leads from the
// start to a state (prefix) and a word that can be repeated (pump) in two
// or more ways from there.
type witness struct {
	degree string
	state  int // the state the ambiguity is at (its pattern offset explains it)
	prefix []rune
	pump   []rune
}

// maxPairStates and maxTripleVisits bound the work of the product
// automata; larger patterns are left unanalyzed rather than slow.
const (
	maxPairStates   = 160
	maxPairEdges    = 4_000_000
	maxTripleVisits = 4_000_000
)

// findEDA looks for exponential ambiguity: a strongly connected component
// of the pair automaton (pairs of states that read the same characters)
// that holds a diagonal pair (q, q) and a pair of different states.
func (a *nfa) findEDA(useful []bool) *witness {
	n := len(a.sets)
	if n > maxPairStates {
		return nil
	}
	// A transition made in two ways on a cycle: two paths around it.
	for _, e := range a.parallel {
		p, q := e[0], e[1]
		if !useful[p] || !useful[q] {
			continue
		}
		label := func(v int) rune { return a.sets[v].pick() }
		keep := func(v int) bool { return useful[v] }
		succ := func(v int) []int { return a.succ[v] }
		var back []rune
		if p != q {
			if back = bfs(q, p, keep, succ, label); back == nil {
				continue
			}
		}
		return &witness{degree: Exponential, state: q, prefix: a.wordTo(p, useful), pump: append([]rune{a.sets[q].pick()}, back...)}
	}
	id := func(p, q int) int { return p*n + q }
	// Pair graph edges, generated on demand.
	succ := func(v int) []int {
		p, q := v/n, v%n
		var out []int
		for _, p2 := range a.succ[p] {
			if !useful[p2] {
				continue
			}
			for _, q2 := range a.succ[q] {
				if useful[q2] && a.sets[p2].overlaps(a.sets[q2]) {
					out = append(out, id(p2, q2))
				}
			}
		}
		return out
	}
	edges := 0
	for q := range n {
		edges += len(a.succ[q])
	}
	if edges*edges > maxPairEdges {
		return nil // too many pairs of transitions to explore
	}
	comp := tarjan(n*n, func(v int) bool { return useful[v/n] && useful[v%n] }, succ)
	// For each component: a diagonal and an off-diagonal member.
	diag := map[int]int{}
	off := map[int]int{}
	for v, c := range comp {
		if c < 0 {
			continue
		}
		if v/n == v%n {
			if _, ok := diag[c]; !ok {
				diag[c] = v
			}
		} else if _, ok := off[c]; !ok {
			off[c] = v
		}
	}
	best := -1
	for c, d := range diag {
		if _, ok := off[c]; ok && (best < 0 || d < diag[best]) {
			best = c
		}
	}
	if best < 0 {
		return nil
	}
	d, o := diag[best], off[best]
	inComp := func(v int) bool { return comp[v] == best }
	label := func(v int) rune { return a.sets[v/n].intersect(a.sets[v%n]).pick() }
	there := bfs(d, o, inComp, succ, label)
	back := bfs(o, d, inComp, succ, label)
	q := d / n
	return &witness{degree: Exponential, state: q, prefix: a.wordTo(q, useful), pump: append(there, back...)}
}

// findIDA looks for polynomial ambiguity: states p ≠ q, each on a cycle,
// with paths p→p, p→q and q→q that read one word: a path from (p, p, q) to
// (p, q, q) in the triple automaton.
func (a *nfa) findIDA(useful []bool) *witness {
	n := len(a.sets)
	if n > maxPairStates {
		return nil
	}
	comp := tarjan(n, func(q int) bool { return useful[q] }, func(q int) []int { return a.succ[q] })
	onCycle := make([]bool, n)
	size := map[int]int{}
	for _, c := range comp {
		size[c]++
	}
	for q := range n {
		if comp[q] < 0 {
			continue
		}
		onCycle[q] = size[comp[q]] > 1 || slices.Contains(a.succ[q], q)
	}
	reach := a.reachability(useful)
	visits := 0
	for p := 1; p < n; p++ {
		if !onCycle[p] {
			continue
		}
		for q := 1; q < n; q++ {
			if q == p || !onCycle[q] || comp[q] == comp[p] || !reach[p][q] {
				continue
			}
			w, ok := a.tripleWord(p, q, useful, &visits)
			if visits > maxTripleVisits {
				return nil
			}
			if ok {
				return &witness{degree: Polynomial, state: p, prefix: a.wordTo(p, useful), pump: w}
			}
		}
	}
	return nil
}

// tripleWord searches a word w with p→p, p→q and q→q, breadth first in the
// triple automaton, counting visits.
func (a *nfa) tripleWord(p, q int, useful []bool, visits *int) ([]rune, bool) {
	n := len(a.sets)
	key := func(x, y, z int) int { return (x*n+y)*n + z }
	type item struct{ x, y, z int }
	start, goal := key(p, p, q), key(p, q, q)
	prev := map[int]int{start: -1}
	char := map[int]rune{}
	queue := []item{{p, p, q}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		*visits++
		if *visits > maxTripleVisits {
			return nil, false
		}
		cur := key(it.x, it.y, it.z)
		for _, x2 := range a.succ[it.x] {
			if !useful[x2] {
				continue
			}
			for _, y2 := range a.succ[it.y] {
				if !useful[y2] {
					continue
				}
				xy := a.sets[x2].intersect(a.sets[y2])
				if xy.isEmpty() {
					continue
				}
				for _, z2 := range a.succ[it.z] {
					*visits++
					if !useful[z2] {
						continue
					}
					xyz := xy.intersect(a.sets[z2])
					if xyz.isEmpty() {
						continue
					}
					k := key(x2, y2, z2)
					if _, seen := prev[k]; seen {
						continue
					}
					prev[k], char[k] = cur, xyz.pick()
					if k == goal {
						var w []rune
						for v := goal; v != start; v = prev[v] {
							w = append(w, char[v])
						}
						slices.Reverse(w)
						return w, true
					}
					queue = append(queue, item{x2, y2, z2})
				}
			}
		}
	}
	return nil, false
}

// reachability returns reach[p][q]: q can be reached from p in one or more
// steps through useful states.
func (a *nfa) reachability(useful []bool) [][]bool {
	n := len(a.sets)
	reach := make([][]bool, n)
	for p := range n {
		reach[p] = make([]bool, n)
		stack := slices.Clone(a.succ[p])
		for len(stack) > 0 {
			q := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !useful[q] || reach[p][q] {
				continue
			}
			reach[p][q] = true
			stack = append(stack, a.succ[q]...)
		}
	}
	return reach
}

// wordTo returns a shortest word from the start to q.
func (a *nfa) wordTo(q int, useful []bool) []rune {
	if q == 0 {
		return nil
	}
	label := func(v int) rune { return a.sets[v].pick() }
	return bfs(0, q, func(v int) bool { return useful[v] }, func(v int) []int { return a.succ[v] }, label)
}

// bfs returns the labels of a shortest path from → to (of at least one
// step when from == to) through nodes for which keep holds; label(v) is
// the character read entering v.
func bfs(from, to int, keep func(int) bool, succ func(int) []int, label func(int) rune) []rune {
	prev := map[int]int{}
	queue := []int{from}
	found := false
	for len(queue) > 0 && !found {
		v := queue[0]
		queue = queue[1:]
		for _, w := range succ(v) {
			if !keep(w) {
				continue
			}
			if _, seen := prev[w]; seen {
				continue
			}
			prev[w] = v
			if w == to {
				found = true
				break
			}
			queue = append(queue, w)
		}
	}
	if !found {
		return nil
	}
	var word []rune
	for v := to; ; {
		word = append(word, label(v))
		v = prev[v]
		if v == from {
			break
		}
	}
	slices.Reverse(word)
	return word
}

// tarjan returns the strongly connected component of each of the n nodes
// (-1 for nodes outside keep), iteratively.
func tarjan(n int, keep func(int) bool, succ func(int) []int) []int {
	index := make([]int, n)
	low := make([]int, n)
	comp := make([]int, n)
	onStack := make([]bool, n)
	for i := range comp {
		comp[i], index[i] = -1, -1
	}
	var stack []int
	next, ncomp := 0, 0
	type frame struct {
		v     int
		succ  []int
		child int
	}
	for root := range n {
		if index[root] >= 0 || !keep(root) {
			continue
		}
		calls := []frame{{v: root, succ: succ(root)}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if f.child < len(f.succ) {
				w := f.succ[f.child]
				f.child++
				if !keep(w) {
					continue
				}
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{v: w, succ: succ(w)})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp
}
