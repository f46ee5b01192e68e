package runner_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
)

// hangTarget answers its first answered requests, then never answers
// again: Test blocks until its context ends.
type hangTarget struct {
	answered int64
	n        atomic.Int64
}

func (*hangTarget) Name() string { return "hang" }
func (*hangTarget) Close() error { return nil }

func (h *hangTarget) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	if h.n.Add(1) <= h.answered {
		return &cffuzz.Outcome{Target: "hang", Status: 200, Decision: cffuzz.DecisionAllow, Calls: []string{"allow"}, Utilization: 5}, nil
	}
	<-ctx.Done()
	return &cffuzz.Outcome{Target: "hang", Transport: "timeout", Utilization: -1}, ctx.Err()
}

// TestHangingTargetEndsTheCampaign: requests that never return cannot hold
// the campaign past its duration, nor forever without one; the result says
// the target hung, and no case that never finished is counted.
func TestHangingTargetEndsTheCampaign(t *testing.T) {
	tests := []struct {
		reason      string
		answered    int64
		opts        runner.Options
		wantReason  cffuzz.StopReason
		wantAnswers int64
		bound       time.Duration
	}{
		{"a duration ends the loop even when every request hangs; the grace abandons them",
			0, runner.Options{MaxDuration: 300 * time.Millisecond, HangTimeout: time.Hour, Grace: 200 * time.Millisecond},
			runner.StopDuration, 0, 5 * time.Second},
		{"with no duration, the watchdog ends a case budget that would wait forever",
			0, runner.Options{MaxCases: 20, HangTimeout: 300 * time.Millisecond, Grace: 200 * time.Millisecond},
			runner.StopTargetHung, 0, 5 * time.Second},
		{"a target that stops answering midway is hung too, and the answers so far are counted",
			5, runner.Options{MaxCases: 1000, Concurrency: 1, HangTimeout: 300 * time.Millisecond, Grace: 200 * time.Millisecond},
			runner.StopTargetHung, 5, 5 * time.Second},
	}
	for _, tt := range tests {
		opts := tt.opts
		opts.Target = &hangTarget{answered: tt.answered}
		opts.Cases = runner.CaseFunc(func(seed int64, i uint64) cffuzz.Case {
			return cffuzz.Case{Seed: seed, Index: i, Family: "f", Class: cffuzz.ClassProduction, Object: []byte(`{}`)}
		})
		opts.Oracles = oracles.Default(oracles.DefaultOptions{})
		start := time.Now()
		res, err := runner.Run(context.Background(), opts)
		el := time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if el > tt.bound {
			t.Errorf("%s: took %s, want under %s", tt.reason, el, tt.bound)
		}
		if res.Report.StopReason != tt.wantReason || res.Answers != tt.wantAnswers || res.Report.Cases != tt.wantAnswers {
			t.Errorf("%s: stop %q answers %d cases %d, want %q, %d, %d", tt.reason, res.Report.StopReason, res.Answers, res.Report.Cases,
				tt.wantReason, tt.wantAnswers, tt.wantAnswers)
		}
	}
}

// TestShrinkUnderFaults: a shrink or confirmation run that gets no usable
// answer (throttled past its retries, a dropped connection) is run again
// rather than counted as "does not fail", so minimization under heavy
// faults reaches the same minimal input as on a clean target.
func TestShrinkUnderFaults(t *testing.T) {
	campaign := func(ft *fakeTarget) *runner.Result {
		return run(t, runner.Options{Target: ft, Cases: fakeCases, Seed: 42, MaxCases: 200, Concurrency: 2,
			Oracles: defaultOracles, Minimize: dropMinimizer, MaxThrottleRetries: 1, MaxTransportRetries: 1,
			Rate: 1e6, MinRate: 1e5, ShrinkTimeout: time.Minute})
	}
	clean := campaign(&fakeTarget{})
	if len(clean.Findings) == 0 {
		t.Fatal("no finding on the clean target: nothing to compare")
	}
	faulty := campaign(&fakeTarget{throttle: 0.25, drop: 0.1, unavail: 0.1})
	want := map[string]int{}
	for _, f := range clean.Findings {
		want[f.Signature] = f.MinimizedSize
	}
	for _, f := range faulty.Findings {
		t.Logf("%s: case %d original %d minimized %d", f.Signature, f.Case, f.OriginalSize, f.MinimizedSize)
		if n, ok := want[f.Signature]; ok && f.MinimizedSize != n {
			t.Errorf("%s: minimized to %d bytes under faults, %d without", f.Signature, f.MinimizedSize, n)
		}
		delete(want, f.Signature)
	}
	if len(want) > 0 {
		t.Errorf("findings lost under faults (confirmation failed): %v", want)
	}
}

// TestRandomThrottlesDoNotCollapseTheRate: with one request in five
// throttled at random (not because of the rate), the adaptive rate dips
// and recovers instead of sinking towards the floor. At concurrency 1 the
// throttles fall on the same requests every time, so the sequence of
// rates is deterministic: no wall-clock assertion.
func TestRandomThrottlesDoNotCollapseTheRate(t *testing.T) {
	rec := &recorder{}
	ft := &fakeTarget{throttle: 0.2}
	run(t, runner.Options{Target: ft, Cases: fakeCases, MaxCases: 300, Rate: 5000, Concurrency: 1, Observer: rec,
		MaxThrottleRetries: 50, Oracles: defaultOracles})
	r := rec.rates
	if len(r) < 20 {
		t.Fatalf("rates %v: want the rate to move on throttles", r)
	}
	var sum float64
	low := r[0]
	for _, v := range r[len(r)/2:] {
		sum += v
		low = min(low, v)
	}
	mean := sum / float64(len(r)-len(r)/2)
	t.Logf("%d rate changes; second half: mean %.0f, lowest %.0f of 5000", len(r), mean, low)
	if mean < 0.5*5000 || low < 0.05*5000 {
		t.Errorf("the rate collapsed under random throttles: mean %.0f, lowest %.0f of 5000 (want a mean above half and a floor above a twentieth)", mean, low)
	}
}

// TestHangDuringFindings: a target that stops answering after the case
// loop, while findings are confirmed, is caught by the watchdog too: the
// findings are kept as raised and the campaign ends as hung.
func TestHangDuringFindings(t *testing.T) {
	// The first 5 answers are the loop's (one raises a signal that asks
	// for confirmation); the confirmation runs hang.
	h := &hangTarget{answered: 5}
	opts := runner.Options{Target: h, MaxCases: 5, Concurrency: 1, HangTimeout: 300 * time.Millisecond, Grace: 200 * time.Millisecond,
		Cases: runner.CaseFunc(func(seed int64, i uint64) cffuzz.Case {
			return cffuzz.Case{Seed: seed, Index: i, Family: "f", Class: cffuzz.ClassProduction, Object: []byte(`{}`)}
		}),
		Oracles: []oracles.Oracle{oracles.Utilization(oracles.UtilizationOptions{Threshold: 1})}}
	start := time.Now()
	res, err := runner.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %s", el)
	}
	if res.Report.StopReason != runner.StopTargetHung || len(res.Findings) != 1 {
		t.Errorf("stop %q, %d findings; want %q and the raised finding kept", res.Report.StopReason, len(res.Findings), runner.StopTargetHung)
	}
}
