package runner

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// pacer is the campaign's shared rate limiter with additive-increase,
// multiplicative-decrease adaptation to throttles: a throttle halves the
// rate (from the observed rate when unlimited), each success closes a
// quarter of the gap to the goal (at least a small step), the rate never
// falls below the floor nor rises above the ceiling (Options.Rate, or
// unlimited again once it doubles the rate it started backing off from).
//
// The recovery is proportional to the gap so that sparse throttles that
// have nothing to do with the rate (a service's random refusals, injected
// faults) cost a dip, not a collapse: with one request in five throttled
// at random, the rate settles near 80 % of its goal instead of sinking
// towards the floor, while sustained throttling (every request over a
// quota refused) still halves it again and again.
type pacer struct {
	lim       *rate.Limiter
	unlimited atomic.Bool
	obs       Observer

	mu       sync.Mutex
	cur      float64 // current rate; +Inf when unlimited
	ceiling  float64 // Options.Rate, or +Inf
	floor    float64
	step     float64 // additive increase per success
	base     float64 // rate the first back-off started from
	lastHalf time.Time

	start time.Time
	sent  atomic.Int64 // requests sent, for the observed rate
}

func newPacer(perSecond float64, burst int, floor float64, obs Observer) *pacer {
	p := &pacer{obs: obs, floor: floor, start: time.Now()}
	if perSecond > 0 {
		p.cur, p.ceiling = perSecond, perSecond
		p.step = max(perSecond/50, floor/10)
		p.lim = rate.NewLimiter(rate.Limit(perSecond), burst)
		p.lim.AllowN(time.Now(), burst-1) // start with one token: no opening burst
	} else {
		p.cur, p.ceiling = math.Inf(1), math.Inf(1)
		p.lim = rate.NewLimiter(rate.Inf, burst)
		p.unlimited.Store(true)
	}
	return p
}

// wait blocks until the next request may go, or ctx is done.
func (p *pacer) wait(ctx context.Context) error {
	p.sent.Add(1)
	if p.unlimited.Load() {
		return ctx.Err()
	}
	return p.lim.Wait(ctx)
}

// rate returns the current rate (0 when unlimited).
func (p *pacer) rate() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if math.IsInf(p.cur, 1) {
		return 0
	}
	return p.cur
}

// throttled halves the rate for a throttled request sent at sentAt. Only
// requests sent after the last halving count, so that the throttled
// answers to requests already in flight halve the rate once.
func (p *pacer) throttled(sentAt time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !sentAt.After(p.lastHalf) {
		return
	}
	if math.IsInf(p.cur, 1) {
		observed := float64(p.sent.Load()) / max(now.Sub(p.start).Seconds(), 1e-3)
		p.base = max(observed, 2*p.floor)
		p.step = max(p.base/50, p.floor/10)
		p.cur = p.base
	}
	p.lastHalf = now
	p.set(max(p.floor, p.cur/2))
}

// succeeded creeps the rate back up by one step.
func (p *pacer) succeeded() {
	if p.unlimited.Load() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur >= p.ceiling {
		return
	}
	goal := p.ceiling
	if math.IsInf(goal, 1) {
		goal = 2 * p.base
	}
	next := min(p.ceiling, p.cur+max(p.step, (goal-p.cur)/4))
	if math.IsInf(p.ceiling, 1) && next >= goal*0.99 {
		next = p.ceiling
	}
	p.set(next)
}

// set applies a new rate; p.mu is held.
func (p *pacer) set(r float64) {
	if r == p.cur {
		return
	}
	p.cur = r
	if math.IsInf(r, 1) {
		p.lim.SetLimit(rate.Inf)
		p.unlimited.Store(true)
		p.obs.RateChanged(0)
		return
	}
	p.unlimited.Store(false)
	p.lim.SetLimit(rate.Limit(r))
	p.obs.RateChanged(r)
}
