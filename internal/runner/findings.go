package runner

import (
	"context"
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
			// signal that needs confirming must hold on the candidate as
			// it held on the input (its first run and Confirm more), or
			// noise would let shrinking drift to an input that raised it
			// once by chance.
			if !r.holds(sctx, &cc, st.signature, st.signal.Severity, 1+st.signal.Confirm) {
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
			if !r.reconfirm(ctx, &mc, st, false) {
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

// confirm re-runs the case Confirm times, ConfirmGap apart; the signature
// must fire every time. A re-run may raise it at a lower severity (a
// utilization of 113, then 95): the finding is then confirmed at the
// severity every run agrees on, and st's signal is lowered to it.
//
// Every run must fire because the requirement is meant for measurements
// whose noise only ever adds (CPU time: other load, garbage collection,
// page faults): the signal is then confirmed on the least of the runs, the
// order statistic closest to the work itself, and not on the one instance,
// out of many, that noise pushed furthest (which is what raised it). So of
// the runs at the agreed severity, the finding keeps the signal with the
// lowest Score, whose message states that least measurement. Confirm and
// ConfirmGap are the oracle's choice of how many runs, how far apart, make
// noise unlikely to pass (oracles.UtilizationConfirm says how they were
// chosen); the runner knows nothing of what is measured.
func (r *campaign) confirm(ctx context.Context, st *sigState) bool {
	c := st.c
	return r.reconfirm(ctx, &c, st, true)
}

// reconfirm runs c st.signal.Confirm times, ConfirmGap apart, and reports
// whether every run raised st's signature: at any severity, lowering st's
// signal to the least one (and the lowest Score), when lower is set; at
// st's severity or above otherwise. When ctx ends first, what was seen is
// kept (true).
func (r *campaign) reconfirm(ctx context.Context, c *cffuzz.Case, st *sigState, lower bool) bool {
	for i := range st.signal.Confirm {
		if i > 0 && st.signal.ConfirmGap > 0 && !sleep(ctx, st.signal.ConfirmGap) {
			return true
		}
		if ctx.Err() != nil {
			return true // no time left to confirm: keep what was seen
		}
		run := *c
		again, ok := r.raisedSignal(ctx, &run, st.signature)
		if !ok {
			return ctx.Err() != nil
		}
		if !lower {
			if again.Severity < st.signal.Severity {
				return false
			}
			continue
		}
		if again.Severity < st.signal.Severity || (again.Severity == st.signal.Severity && again.Score < st.signal.Score) {
			// Confirmed at the lower severity, or measured lower: take
			// that run's signal, so the message matches the severity and
			// states the least measurement. The progress ticker reads the
			// severities under the table's lock.
			again.Confirm, again.ConfirmGap = st.signal.Confirm, st.signal.ConfirmGap
			r.sigs.mu.Lock()
			st.signal = again
			r.sigs.mu.Unlock()
		}
	}
	return true
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

// holds reports whether running c raises signature at severity or above
// on each of runs runs; it stops at the first that does not.
func (r *campaign) holds(ctx context.Context, c *cffuzz.Case, signature string, severity cffuzz.Severity, runs int) bool {
	for range max(runs, 1) {
		if s, ok := r.raisedSignal(ctx, c, signature); !ok || s.Severity < severity {
			return false
		}
	}
	return true
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
