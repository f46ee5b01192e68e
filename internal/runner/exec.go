package runner

import (
	"context"
	"time"

	"github.com/cffuzz/cffuzz"
)

// Case outcome labels, as passed to Observer.CaseDone and counted in
// Report.ByOutcome.
const (
	OutcomePass           = "pass"
	OutcomeFinding        = "finding"
	OutcomeAPIError       = "api-error"
	OutcomeTransportError = "transport-error"
	OutcomeThrottled      = "throttled"
)

// codeTestFunctionFailed is the API's answer for a function that failed: a
// real outcome, never retried although it is a 500.
const codeTestFunctionFailed = "TestFunctionFailed"

// ran is what running one case produced.
type ran struct {
	o       *cffuzz.Outcome
	signals []cffuzz.Signal
	label   string
	// aborted is set when the case could not finish (the grace period
	// after cancellation ran out); it is then not counted.
	aborted bool
}

// transient reports whether an answer is worth retrying: no HTTP answer,
// or a 5xx other than TestFunctionFailed (503 ServiceUnavailable, 500
// InternalError from fault injection, a proxy's 502).
func transient(o *cffuzz.Outcome, err error) bool {
	return err != nil || (o.Status >= 500 && o.ErrorCode != codeTestFunctionFailed)
}

// attempt runs c on t until it gets an answer worth keeping: throttles are
// retried (adapting the pace) up to MaxThrottleRetries, transient failures
// up to MaxTransportRetries with a short back-off. paced tells whether the
// first attempt's pacer slot was already taken. It returns nil when ctx
// ended before any answer.
func (r *campaign) attempt(ctx context.Context, t cffuzz.Target, c *cffuzz.Case, paced bool) (o *cffuzz.Outcome, throttledOut bool) {
	op := cffuzz.OpTest
	if c.Wire != nil {
		op = "Wire"
	}
	throttles, retries := 0, 0
	for n := 1; ; n++ {
		if !paced || n > 1 {
			if r.pace.wait(ctx) != nil {
				return nil, false
			}
		}
		sentAt := time.Now()
		r.inflight.Add(1)
		got, err := t.Test(ctx, c)
		r.inflight.Add(-1)
		r.requests.Add(1)
		if got == nil {
			got = &cffuzz.Outcome{Target: t.Name(), Transport: cffuzz.TransportClass(err), Utilization: -1}
		}
		if err == nil && got.Transport == "" {
			r.answers.Add(1)
			r.lastAnswer.Store(time.Now().UnixNano())
		}
		r.opts.Observer.Request(op, got.Status, got.Latency)
		if err != nil && ctx.Err() != nil {
			return nil, false
		}
		if err != nil || got.Transport != "" {
			r.transportErrs.Add(1)
		}
		got.Attempts, got.Throttles = n, throttles
		switch {
		case got.Throttled():
			r.throttles.Add(1)
			r.opts.Observer.Throttled()
			r.pace.throttled(sentAt)
			if throttles >= r.opts.MaxThrottleRetries {
				return got, true
			}
			throttles++
		case transient(got, err):
			if retries >= r.opts.MaxTransportRetries {
				return got, false
			}
			retries++
			r.retries.Add(1)
			r.opts.Observer.Retried()
			if !sleep(ctx, backoff(retries)) {
				return nil, false
			}
		default:
			r.pace.succeeded()
			return got, false
		}
	}
}

// backoff is the pause before transient retry n (1-based): 5 ms doubling, at most 200 ms.
func backoff(n int) time.Duration {
	return min(5*time.Millisecond<<min(n-1, 6), 200*time.Millisecond)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// run runs c on the target (and its peer), checks the outcome with every
// oracle and labels it.
func (r *campaign) run(ctx context.Context, c *cffuzz.Case, paced bool) ran {
	o, throttled := r.attempt(ctx, r.opts.Target, c, paced)
	if o == nil {
		return ran{aborted: true}
	}
	if throttled {
		return ran{o: o, label: OutcomeThrottled}
	}
	if peer := r.peer(); peer != nil && o.Transport == "" {
		p, pThrottled := r.attempt(ctx, peer, c, false)
		if p == nil {
			return ran{aborted: true}
		}
		if pThrottled {
			return ran{o: o, label: OutcomeThrottled}
		}
		o.Peer = p
	}
	var signals []cffuzz.Signal
	for _, or := range r.opts.Oracles {
		signals = append(signals, or.Check(c, o)...)
	}
	res := ran{o: o, signals: signals}
	switch {
	case o.Transport != "":
		res.label = OutcomeTransportError
	case len(signals) > 0:
		res.label = OutcomeFinding
	case !o.OK():
		res.label = OutcomeAPIError
	default:
		res.label = OutcomePass
	}
	return res
}

// peer returns the target whose outcome goes into Outcome.Peer, or nil.
func (r *campaign) peer() cffuzz.Target {
	if r.opts.Determinism {
		return r.opts.Target
	}
	return r.opts.Compare
}
