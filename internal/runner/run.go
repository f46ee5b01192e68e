package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cffuzz/cffuzz"
)

// Stop reasons, in Report.StopReason (cffuzz.StopReason).
const (
	StopCases       = cffuzz.StopCases
	StopDuration    = cffuzz.StopDuration
	StopInterrupted = cffuzz.StopInterrupted
	// StopTargetHung: requests were in flight and none was answered for
	// Options.HangTimeout; the campaign ended without confirming anything.
	StopTargetHung = cffuzz.StopTargetHung
)

// Result is what a campaign produced: its totals and its findings, sorted
// by severity (highest first), then signature.
type Result struct {
	Report   cffuzz.Report
	Findings []cffuzz.Finding
	// Answers counts the requests that got an HTTP answer (any status): a
	// campaign with requests and no answer never reached its target.
	Answers int64
}

// job is one case to run: a replayed corpus input or a generated index.
type job struct {
	pos    position
	replay *cffuzz.Case
}

// campaign is the state of one Run.
type campaign struct {
	opts Options
	// budget is the number of cases the run will run (Snapshot.Budget).
	budget int64
	pace   *pacer
	sigs   signatures
	tl     timeline
	start  time.Time

	cases, requests, throttles, retries, transportErrs atomic.Int64
	// answers counts HTTP answers; inflight the requests being sent;
	// lastAnswer (UnixNano) when the latest answer came, for the watchdog.
	answers, inflight, lastAnswer atomic.Int64
	hung                          atomic.Bool
	// unstarted counts jobs dropped because dispatch ended (the duration
	// was spent) before the pacer let them start.
	unstarted atomic.Int64
	phase     atomic.Value // string
	// loopEnd is when the case loop ended.
	loopEnd time.Time
	// liveUtil counts utilization values as they come, for Snapshot's p95.
	liveUtil [maxUtil + 1]atomic.Int64

	storeErrs []error
}

// Run runs a campaign: the replayed inputs, then the generated cases of
// the shard within the budget, paced and retried, each checked by the
// oracles; then it confirms, minimizes and stores each unique signature
// raised, in a deterministic order. A fixed seed and budget give the same
// findings whatever the concurrency, and whatever throttles and transient
// failures the target injects, as long as retries absorb them.
//
// When ctx is cancelled, Run stops issuing cases, lets in-flight ones
// finish, processes the findings within Options.Grace and returns the
// Result with StopReason "interrupted" and no error. The error is for bad
// options, or for findings the Store failed to save (the Result is then
// complete otherwise).
func Run(ctx context.Context, opts Options) (*Result, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &campaign{opts: opts, budget: budget(opts)}
	r.phase.Store(cffuzz.PhaseCases)
	r.pace = newPacer(opts.Rate, opts.Burst, opts.MinRate, opts.Observer)
	r.start = opts.Clock()
	opts.Observer.Started(r.start)
	if opts.Rate > 0 {
		opts.Observer.RateChanged(opts.Rate)
	}

	// drain outlives ctx by the grace period, so that in-flight cases and
	// the findings pipeline can finish after an interrupt.
	drain, stopDrain := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDrain()
	stopGrace := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(opts.Grace, stopDrain)
		context.AfterFunc(drain, func() { t.Stop() })
	})
	defer stopGrace()

	stopTicker := r.startTicker()
	totals, reason := r.loop(ctx, drain)
	r.loopEnd = opts.Clock()

	r.phase.Store(cffuzz.PhaseFindings)
	// Confirming or shrinking on a hung target would hang as well: keep
	// what was raised as it was raised, whether the target hung during
	// the loop or hangs now (the watchdog keeps watching).
	fctx, stopFindings := context.WithCancel(drain)
	if r.hung.Load() {
		stopFindings()
	}
	stopWatchdog := r.watchdog(stopFindings)
	findings := r.findings(fctx)
	stopWatchdog()
	stopFindings()
	if r.hung.Load() {
		reason = StopTargetHung
	}
	stopTicker()

	finished := opts.Clock()
	opts.Observer.Completed(finished)
	final := r.snapshot()
	if opts.Progress != nil {
		opts.Progress(final)
	}
	rep := r.report(totals, reason, findings, finished, final)
	res := &Result{Report: rep, Findings: findings, Answers: r.answers.Load()}
	if len(r.storeErrs) > 0 {
		return res, fmt.Errorf("runner: saving findings: %w", errors.Join(r.storeErrs...))
	}
	return res, nil
}

// loop runs the cases and returns their merged tally and why it stopped.
func (r *campaign) loop(ctx, drain context.Context) (*tally, cffuzz.StopReason) {
	opts := r.opts
	dispatch, cancel := context.WithCancel(ctx)
	if opts.MaxDuration > 0 {
		dispatch, cancel = context.WithTimeout(ctx, opts.MaxDuration)
	}
	defer cancel()
	// Cases in flight when dispatch ends (the duration is spent, the
	// target hangs) get the grace period to finish, then are abandoned:
	// a request that never returns cannot hold the campaign past its
	// budget.
	running, stopRunning := context.WithCancel(drain)
	defer stopRunning()
	stopAfter := context.AfterFunc(dispatch, func() {
		t := time.AfterFunc(opts.Grace, stopRunning)
		context.AfterFunc(running, func() { t.Stop() })
	})
	defer stopAfter()
	stopWatchdog := r.watchdog(func() { cancel(); stopRunning() })
	defer stopWatchdog()

	jobs := make(chan job)
	tallies := make([]*tally, opts.Concurrency)
	var wg sync.WaitGroup
	for w := range tallies {
		tallies[w] = newTally()
		wg.Go(func() { r.worker(dispatch, running, jobs, tallies[w]) })
	}
	reason := r.produce(dispatch, jobs)
	close(jobs)
	wg.Wait()
	switch {
	case r.hung.Load():
		reason = StopTargetHung
	case ctx.Err() != nil:
		reason = StopInterrupted
	case reason == StopCases && r.unstarted.Load() > 0 && opts.MaxDuration > 0:
		// Every job was handed out, but the duration ran out before the
		// pacer let some start: the duration stopped the campaign.
		reason = StopDuration
	}

	total := newTally()
	for _, t := range tallies {
		total.merge(t)
	}
	return total, reason
}

// produce sends the jobs of the shard in order until the budget is spent
// or dispatch is done, and returns the stop reason.
func (r *campaign) produce(dispatch context.Context, jobs chan<- job) cffuzz.StopReason {
	opts := r.opts
	send := func(j job) bool {
		if opts.MaxDuration > 0 && opts.Clock().Sub(r.start) >= opts.MaxDuration {
			return false
		}
		select {
		case jobs <- j:
			return true
		case <-dispatch.Done():
			return false
		}
	}
	stopped := func() cffuzz.StopReason {
		if opts.MaxDuration > 0 && (dispatch.Err() == context.DeadlineExceeded || opts.Clock().Sub(r.start) >= opts.MaxDuration) {
			return StopDuration
		}
		return StopInterrupted
	}
	for i := range opts.Replay {
		if !opts.Shard.Contains(uint64(i)) {
			continue
		}
		c := opts.Replay[i]
		c.Family = "corpus"
		if !send(job{pos: position{index: uint64(i)}, replay: &c}) {
			return stopped()
		}
	}
	if opts.Cases == nil {
		return StopCases
	}
	for i := opts.Shard.first(); opts.MaxCases == 0 || i < uint64(opts.MaxCases); i += opts.Shard.step() {
		if !send(job{pos: position{generated: true, index: i}}) {
			return stopped()
		}
	}
	return StopCases
}

// worker runs jobs until the channel closes. A job whose first pacer slot
// cannot be had before dispatch ends is dropped uncounted; once started, a
// case runs on the drain context.
func (r *campaign) worker(dispatch, drain context.Context, jobs <-chan job, t *tally) {
	opts := r.opts
	learner, _ := opts.Cases.(Learner)
	for j := range jobs {
		if r.pace.wait(dispatch) != nil {
			r.unstarted.Add(1)
			continue
		}
		var c cffuzz.Case
		if j.replay != nil {
			c = *j.replay
		} else {
			c = opts.Cases.Case(opts.Seed, j.pos.index)
		}
		res := r.run(drain, &c, true)
		if res.aborted {
			continue
		}
		if learner != nil && res.o != nil {
			learner.Learn(&c, res.o)
		}
		if len(res.signals) > 0 {
			now := opts.Clock()
			raised := r.sigs.record(j.pos, &c, res.o, res.signals, now, func(s cffuzz.Signal, unique bool) {
				opts.Observer.Finding(s.Oracle, s.Severity, unique)
			})
			if opts.Raised != nil {
				for _, sg := range raised {
					opts.Raised(provisional(sg, &c, j.pos, now))
				}
			}
		}
		if res.label != OutcomeThrottled && res.o.OK() {
			if res.o.Utilization >= 0 {
				t.util.add(res.o.Utilization)
				r.liveUtil[min(res.o.Utilization, maxUtil)].Add(1)
				opts.Observer.Utilization(res.o.Utilization)
			}
			t.decided(res.o.Decision)
		}
		t.add(&c, j.replay != nil, res.label)
		r.cases.Add(1)
		opts.Observer.CaseDone(opts.Target.Name(), c.Family, c.Class, res.label)
	}
}

// watchdog ends the case loop (calling stop) when requests are in flight
// and no answer has come for HangTimeout, and marks the campaign hung. It
// returns the function that stops it.
func (r *campaign) watchdog(stop func()) func() {
	r.lastAnswer.Store(time.Now().UnixNano())
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(min(r.opts.HangTimeout/10, 250*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				if r.inflight.Load() > 0 && now.Sub(time.Unix(0, r.lastAnswer.Load())) >= r.opts.HangTimeout {
					r.hung.Store(true)
					stop()
					return
				}
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// snapshot returns the progress now.
func (r *campaign) snapshot() Snapshot {
	elapsed := r.opts.Clock().Sub(r.start)
	s := Snapshot{
		Phase: r.phase.Load().(cffuzz.Phase), Elapsed: elapsed, Cases: r.cases.Load(), Findings: r.sigs.len(),
		Requests: r.requests.Load(), Throttles: r.throttles.Load(), Retries: r.retries.Load(),
		TransportErrors: r.transportErrs.Load(), Rate: r.pace.rate(),
		FindingsBySeverity: r.sigs.bySeverity(), UtilizationP95: r.liveP95(),
	}
	if elapsed > 0 {
		s.CasesPerSec = float64(s.Cases) / elapsed.Seconds()
	}
	s.Budget, s.Duration = r.budget, r.opts.MaxDuration
	if s.Phase == cffuzz.PhaseCases {
		s.ETA = eta(s)
	}
	return s
}

// eta estimates the time the case loop has left: the cases left at the
// average rate so far, or the duration left if that ends first.
func eta(s Snapshot) time.Duration {
	var d time.Duration
	if s.Budget > 0 && s.CasesPerSec > 0 && s.Cases < s.Budget {
		d = time.Duration(float64(s.Budget-s.Cases) / s.CasesPerSec * float64(time.Second))
	}
	if s.Duration > 0 {
		left := max(s.Duration-s.Elapsed, 0)
		if d == 0 || left < d {
			d = left
		}
	}
	return d
}

// budget counts the cases a run of opts runs when its case budget is not
// cut short: the replayed inputs of its shard, and the indexes of its shard
// below MaxCases. It is 0 when only a duration bounds the generated cases.
func budget(opts Options) int64 {
	var n int64
	for i := range opts.Replay {
		if opts.Shard.Contains(uint64(i)) {
			n++
		}
	}
	if opts.Cases == nil {
		return n
	}
	if opts.MaxCases == 0 {
		return 0
	}
	if first, step := opts.Shard.first(), opts.Shard.step(); uint64(opts.MaxCases) > first {
		n += int64((uint64(opts.MaxCases) - first + step - 1) / step)
	}
	return n
}

// liveP95 is the 95th percentile of the utilization values seen so far.
func (r *campaign) liveP95() int {
	var u utilCounts
	for v := range r.liveUtil {
		if c := r.liveUtil[v].Load(); c > 0 {
			u.n += c
			u.counts[v] = c
			u.max = v
		}
	}
	return u.percentile(95)
}

// startTicker samples the timeline every second and calls Progress every
// ProgressInterval until the returned function is called.
func (r *campaign) startTicker() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		sample := time.NewTicker(time.Second)
		defer sample.Stop()
		var progress <-chan time.Time
		if r.opts.Progress != nil {
			t := time.NewTicker(r.opts.ProgressInterval)
			defer t.Stop()
			progress = t.C
		}
		for {
			select {
			case <-done:
				return
			case <-sample.C:
				r.tl.tick(r.snapshot())
			case <-progress:
				r.opts.Progress(r.snapshot())
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// report assembles the campaign's Report.
func (r *campaign) report(t *tally, reason cffuzz.StopReason, findings []cffuzz.Finding, finished time.Time, final Snapshot) cffuzz.Report {
	opts := r.opts
	rep := cffuzz.Report{
		Version: 1, Tool: "cffuzz", Campaign: opts.Campaign, Function: opts.Function, Target: opts.Target.Name(),
		Seed: opts.Seed, Shard: opts.Shard.String(), Started: r.start, Finished: finished,
		DurationMS: finished.Sub(r.start).Milliseconds(), StopReason: reason,
		Cases: t.cases, Replayed: t.replayed,
		Requests: r.requests.Load(), Throttles: r.throttles.Load(), Retries: r.retries.Load(), TransportErr: r.transportErrs.Load(),
		ByFamily: t.byFamily, ByClass: t.byClass, ByOutcome: t.byOutcome, ByDecision: t.byDecision,
		Utilization:        t.util.summary(),
		FindingsBySeverity: map[string]int{},
		Timeline:           r.tl.final(final),
	}
	// The rate of the case loop: confirming and minimizing findings
	// afterwards is not case throughput.
	if d := r.loopEnd.Sub(r.start).Seconds(); d > 0 {
		rep.CasesPerSec = float64(t.cases) / d
	}
	for _, f := range findings {
		rep.FindingsBySeverity[f.Severity.String()]++
	}
	for _, o := range opts.Oracles {
		rep.Oracles = append(rep.Oracles, o.Name())
	}
	return rep
}
