package runner

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/cffuzz/cffuzz"
)

// position orders cases: replayed corpus inputs first (by position in
// Options.Replay), then generated cases by index. It is the same whatever
// the concurrency, so "the lowest case that raised a signature" is too.
type position struct {
	generated bool
	index     uint64
}

func (p position) less(q position) bool {
	if p.generated != q.generated {
		return !p.generated
	}
	return p.index < q.index
}

// sigState is what the campaign keeps per signature: a count, and the case
// that raised it at the highest severity (the first such, by position), with
// its outcome and signal. Neither depends on the order cases finish in.
type sigState struct {
	signature string
	signal    cffuzz.Signal
	count     int
	pos       position
	c         cffuzz.Case
	o         *cffuzz.Outcome
	firstSeen time.Time
}

// signatures is the campaign's table of raised signatures.
type signatures struct {
	mu sync.Mutex
	m  map[string]*sigState
}

// record counts the signals of one case (each signature once per case) and
// reports, per signal, whether its signature is new. It returns the
// signals that were raised anew: a new signature, or a known one at a
// higher severity than before.
func (s *signatures) record(pos position, c *cffuzz.Case, o *cffuzz.Outcome, signals []cffuzz.Signal, now time.Time, seen func(cffuzz.Signal, bool)) (raised []cffuzz.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]*sigState{}
	}
	var done []string
	for _, sg := range signals {
		sig := sg.Signature()
		if slices.Contains(done, sig) {
			continue
		}
		done = append(done, sig)
		st, ok := s.m[sig]
		seen(sg, !ok)
		if !ok {
			s.m[sig] = &sigState{signature: sig, signal: sg, count: 1, pos: pos, c: *c, o: o, firstSeen: now}
			raised = append(raised, sg)
			continue
		}
		st.count++
		if now.Before(st.firstSeen) {
			st.firstSeen = now
		}
		// Keep the worst instance of the bug, and of those the first: a
		// bug that a malformed input and a production input both raise is
		// a production bug (its severity is not capped), and is shrunk
		// from the production input.
		if better(sg, c, pos, st) {
			if sg.Severity > st.signal.Severity {
				raised = append(raised, sg)
			}
			st.signal, st.pos, st.c, st.o = sg, pos, *c, o
		}
	}
	return raised
}

// bySeverity counts the signatures by the severity of their worst instance.
func (s *signatures) bySeverity() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for _, st := range s.m {
		m[st.signal.Severity.String()]++
	}
	return m
}

// better reports whether the instance (sg, c, pos) of a bug is a better
// one to report than st's: a higher severity first; then a connection
// object over a raw wire request (it can be minimized and replayed through
// the SDK); then the higher Score (the clearest instance, which re-runs
// confirm); then the first by position. Scores come from measurements
// (utilization), so for such signals the chosen case may vary from run to
// run; the signature and severity do not.
func better(sg cffuzz.Signal, c *cffuzz.Case, pos position, st *sigState) bool {
	if sg.Severity != st.signal.Severity {
		return sg.Severity > st.signal.Severity
	}
	if wire, stWire := c.Wire != nil, st.c.Wire != nil; wire != stWire {
		return !wire
	}
	if sg.Score != st.signal.Score {
		return sg.Score > st.signal.Score
	}
	return pos.less(st.pos)
}

func (s *signatures) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// sorted returns the states in a deterministic order: by first position, then signature.
func (s *signatures) sorted() []*sigState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*sigState, 0, len(s.m))
	for _, st := range s.m {
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *sigState) int {
		switch {
		case a.pos.less(b.pos):
			return -1
		case b.pos.less(a.pos):
			return 1
		}
		return cmp.Compare(a.signature, b.signature)
	})
	return out
}
