package runner

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/cffuzz/cffuzz"
)

// findings turns the raised signatures into Findings: each is confirmed
// and minimized (up to Concurrency at a time; each on its own, so the
// result does not depend on the order), then stored and given its
// reproducer one by one, in the deterministic order of sorted().
func (r *campaign) findings(ctx context.Context) []cffuzz.Finding {
	states := r.sigs.sorted()
	built := make([]*cffuzz.Finding, len(states))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(r.opts.Concurrency, len(states)) {
		wg.Go(func() {
			for i := range next {
				if f, ok := r.finding(ctx, states[i]); ok {
					built[i] = &f
				}
			}
		})
	}
	for i := range states {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []cffuzz.Finding
	for _, f := range built {
		if f == nil {
			continue
		}
		if r.opts.Store != nil {
			path, _, err := r.opts.Store.Add(*f)
			if err != nil {
				r.storeErrs = append(r.storeErrs, err)
			}
			f.CorpusFile = path
		}
		if r.opts.Reproducer != nil {
			f.Reproducer = r.opts.Reproducer(*f)
		}
		out = append(out, *f)
	}
	cffuzz.SortFindings(out)
	return out
}

// finding turns one raised signature into a Finding: it confirms it (when
// the signal asks for it) and minimizes its first case's input. It returns
// false when confirmation failed. When ctx is done, the steps that need the
// target are skipped and the finding is kept as raised.
func (r *campaign) finding(ctx context.Context, st *sigState) (cffuzz.Finding, bool) {
	c := st.c
	if !r.confirm(ctx, st) {
		return cffuzz.Finding{}, false
	}
	minimized, steps := c.Object, 0
	if r.opts.Minimize != nil && c.Wire == nil && len(c.Object) > 0 && ctx.Err() == nil {
		sctx, cancel := context.WithTimeout(ctx, r.opts.ShrinkTimeout)
		fails := func(candidate []byte) bool {
			if sctx.Err() != nil {
				return false
			}
			cc := r.opts.Reclassify(c, candidate)
			// The candidate must raise the same bug at the same severity:
			// shrinking a production input into one CloudFront could never
			// send (whose findings are capped) would prove nothing. A
			// signal that needs confirming must hold on the candidate on
			// up to shrinkRuns runs (every one raising it, the median at
			// the severity), or noise would let shrinking drift to an
			// input that raised it once by chance; the result is then
			// confirmed in full (below).
			if !r.holds(sctx, &cc, st.signature, st.signal.Severity, min(1+st.signal.Confirm, shrinkRuns)) {
				return false
			}
			r.opts.Observer.ShrinkStep()
			return true
		}
		m, n := r.opts.Minimize(sctx, c.Object, fails)
		cancel()
		if n > 0 && st.signal.Confirm > 0 {
			// The candidates' runs followed one another: the reproducer
			// is confirmed as the input was (ConfirmGap apart), or the
			// confirmed input is kept as it is.
			mc := r.opts.Reclassify(c, m)
			if !r.reconfirm(ctx, &mc, st) {
				n = 0
			}
		}
		if n > 0 {
			minimized, steps = m, n
		}
	}
	sg := st.signal
	f := cffuzz.Finding{
		Oracle: sg.Oracle, Severity: sg.Severity, Kind: sg.Kind, Signature: st.signature, Message: sg.Message,
		Count: st.count, Seed: c.Seed, Case: c.Index, Family: c.Family, Class: c.Class, Variant: c.Variant,
		Line: sg.Line, Column: sg.Column,
		Original: c.Object, Minimized: minimized, OriginalSize: len(c.Object), MinimizedSize: len(minimized),
		ShrinkSteps: steps, Wire: c.Wire, FirstSeen: st.firstSeen, Replayed: !st.pos.generated,
	}
	return f, true
}

// confirm re-runs the case Confirm times, ConfirmGap apart: the signature
// must fire every time, and the finding takes the median run's signal
// (its severity and message). A re-run may raise it at a lower severity (a
// utilization of 113, then 95): the finding is then confirmed at the
// median's severity, and st's signal is lowered to it.
//
// Every run must fire because the requirement is meant for measurements
// whose noise only ever adds (CPU time: other load, garbage collection,
// page faults): whether there is a finding at all is then decided by the
// least of the runs, the order statistic closest to the work itself, and
// not by the one instance, out of many, that noise pushed furthest (which
// is what raised it). How bad it is (the band) is the median run's: a
// function whose typical run is over the whole budget is not made a
// medium finding by one quick run. Confirm and ConfirmGap are the oracle's
// choice of how many runs, how far apart, make noise unlikely to pass
// (oracles.UtilizationConfirm says how they were chosen); the runner
// knows nothing of what is measured.
func (r *campaign) confirm(ctx context.Context, st *sigState) bool {
	if st.signal.Confirm <= 0 {
		return true
	}
	c := st.c
	median, ok, done := r.measure(ctx, &c, st.signature, st.signal.Confirm, st.signal.ConfirmGap)
	if !done {
		return true // no time left to confirm: keep what was seen
	}
	if !ok {
		return false
	}
	// The median may be at a lower severity or score, or a higher one:
	// the finding says what a typical run shows. The progress ticker
	// reads the severities under the table's lock.
	median.Confirm, median.ConfirmGap = st.signal.Confirm, st.signal.ConfirmGap
	r.sigs.mu.Lock()
	st.signal = median
	r.sigs.mu.Unlock()
	return true
}

// reconfirm reports whether c holds st's signal as its input did: every
// one of Confirm runs, ConfirmGap apart, raises the signature, and the
// median run does at st's severity or above. When ctx ends first, what was
// seen is kept (true).
func (r *campaign) reconfirm(ctx context.Context, c *cffuzz.Case, st *sigState) bool {
	median, ok, done := r.measure(ctx, c, st.signature, st.signal.Confirm, st.signal.ConfirmGap)
	return !done || (ok && median.Severity >= st.signal.Severity)
}

// measure runs c runs times, gap apart, and reports whether every run
// raised signature (stopping at the first that does not) and, if so, the
// median run's signal by severity, then Score. done is false when ctx
// ended before the runs did.
func (r *campaign) measure(ctx context.Context, c *cffuzz.Case, signature string, runs int, gap time.Duration) (median cffuzz.Signal, ok, done bool) {
	var got []cffuzz.Signal
	for i := range max(runs, 1) {
		if i > 0 && gap > 0 && !sleep(ctx, gap) {
			return cffuzz.Signal{}, false, false
		}
		if ctx.Err() != nil {
			return cffuzz.Signal{}, false, false
		}
		run := *c
		s, raised := r.raisedSignal(ctx, &run, signature)
		if !raised {
			return cffuzz.Signal{}, false, ctx.Err() == nil
		}
		got = append(got, s)
	}
	slices.SortFunc(got, func(a, b cffuzz.Signal) int {
		if a.Severity != b.Severity {
			return cmp.Compare(a.Severity, b.Severity)
		}
		return cmp.Compare(a.Score, b.Score)
	})
	return got[len(got)/2], true, true
}

// raisedSignal runs c and returns the highest-severity signal with
// signature it raises, and whether it raises one at all.
//
// A run that got no usable answer (throttled past its retries, a transport
// failure or a transient 5xx that is not the bug itself) proves nothing:
// it is run again, up to maxUnansweredReruns times, so that faults do not
// make confirmation drop a finding or shrinking stop early.
func (r *campaign) raisedSignal(ctx context.Context, c *cffuzz.Case, signature string) (cffuzz.Signal, bool) {
	for rerun := 0; ; rerun++ {
		res := r.run(ctx, c, false)
		if res.aborted {
			return cffuzz.Signal{}, false
		}
		var best cffuzz.Signal
		ok := false
		for _, s := range res.signals {
			if s.Signature() == signature && (!ok || s.Severity > best.Severity) {
				best, ok = s, true
			}
		}
		unanswered := res.label == OutcomeThrottled || res.o.Transport != "" || transient(res.o, nil)
		if ok || !unanswered || rerun >= maxUnansweredReruns || !sleep(ctx, backoff(rerun+1)) {
			return best, ok
		}
	}
}

// maxUnansweredReruns bounds the reruns of a confirmation or shrink run
// that got no usable answer.
const maxUnansweredReruns = 5

// shrinkRuns bounds the runs that judge one shrink candidate of a signal
// that needs confirming: each accepted candidate costs that many, and
// shrinking has ShrinkTimeout in all.
const shrinkRuns = 3

// holds reports whether c holds signature at severity on runs runs back
// to back: every run raises it (stopping at the first that does not) and
// the median run at severity or above.
func (r *campaign) holds(ctx context.Context, c *cffuzz.Case, signature string, severity cffuzz.Severity, runs int) bool {
	median, ok, done := r.measure(ctx, c, signature, runs, 0)
	return done && ok && median.Severity >= severity
}

// provisional is the finding of a signal as it was raised by c, before any
// confirmation or shrinking: its input is the raw one.
func provisional(sg cffuzz.Signal, c *cffuzz.Case, pos position, now time.Time) cffuzz.Finding {
	return cffuzz.Finding{
		Oracle: sg.Oracle, Severity: sg.Severity, Kind: sg.Kind, Signature: sg.Signature(), Message: sg.Message,
		Count: 1, Seed: c.Seed, Case: c.Index, Family: c.Family, Class: c.Class, Variant: c.Variant,
		Line: sg.Line, Column: sg.Column, Original: c.Object, OriginalSize: len(c.Object),
		Wire: c.Wire, FirstSeen: now, Replayed: !pos.generated,
	}
}
