package runner_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
)

// noisyTarget measures a fixed amount of work per case with noise that only
// ever adds, as CPU time does (garbage collection, page faults, other
// load): utilization = work × (1 + E), E exponential with mean 0.3. The
// median is then 1.21 × work and one run in ten is above 1.69 × work, as
// the emulator measured the benchmark's worst clean input (docs/runtime.md,
// "Noise and confirmation"). The stream is
// seeded: one campaign at concurrency 1 is one sequence of measurements.
type noisyTarget struct {
	work int
	rng  *rand.Rand
}

func (*noisyTarget) Name() string { return "noisy" }
func (*noisyTarget) Close() error { return nil }

func (t *noisyTarget) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	u := int(float64(t.work) * (1 + 0.3*t.rng.ExpFloat64()))
	return &cffuzz.Outcome{Target: t.Name(), Attempts: 1, Status: 200, Decision: cffuzz.DecisionAllow,
		Utilization: u, Latency: time.Microsecond}, ctx.Err()
}

// confirmWith is an oracle whose signals ask for confirm re-runs instead
// of the ones its inner oracle asks for, with no gap between them (the
// fake's noise has no bursts to wait out).
type confirmWith struct {
	oracles.Oracle
	confirm int
}

func (o confirmWith) Check(c *cffuzz.Case, out *cffuzz.Outcome) []cffuzz.Signal {
	s := o.Oracle.Check(c, out)
	for i := range s {
		s[i].Confirm, s[i].ConfirmGap = o.confirm, 0
	}
	return s
}

// productionCases are identical production inputs: every case measures
// the same work, so whatever is confirmed is confirmed on noise or on work.
var productionCases = runner.CaseFunc(func(seed int64, i uint64) cffuzz.Case {
	return cffuzz.Case{Seed: seed, Index: i, Family: "production", Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"203.0.113.7"}`)}
})

// TestNoisyUtilizationConfirmation runs campaigns of 300 cases on a target
// whose measurements are noisy, with the utilization oracle at its default
// threshold (70). A function whose work is 45 points measures above 70 in
// about one run in six (its median is 54): out of 300 cases some always
// raise the signal, and the old rule, two re-runs that must both be above,
// confirms it in about one campaign in forty (7 of these 300). With
// UtilizationConfirm re-runs none may be confirmed (expected: about one in
// 10,000). A function whose work is above the threshold measures above it
// every time, so it is always confirmed, at the band and with the
// utilization its median run shows: medium or high for work 80 (its
// median run is 97), high for work 110.
func TestNoisyUtilizationConfirmation(t *testing.T) {
	tests := []struct {
		reason    string
		work      int
		confirm   int
		campaigns int
		// wantMin and wantMax bound how many campaigns confirm a finding,
		// at wantSeverity or above.
		wantMin, wantMax int
		wantSeverity     cffuzz.Severity
	}{
		{"the old rule (2 re-runs) lets noise through: the test can fail", 45, 2, 300, 3, 300, cffuzz.SeverityMedium},
		{"noise on a function under the threshold is never confirmed", 45, oracles.UtilizationConfirm, 300, 0, 0, 0},
		{"work above the threshold is always confirmed", 80, oracles.UtilizationConfirm, 10, 10, 10, cffuzz.SeverityMedium},
		{"work above the whole budget is always confirmed, at high", 110, oracles.UtilizationConfirm, 10, 10, 10, cffuzz.SeverityHigh},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			confirmed := 0
			for seed := range tt.campaigns {
				target := &noisyTarget{work: tt.work, rng: rand.New(rand.NewPCG(uint64(seed), 7))}
				res := run(t, runner.Options{Target: target, Cases: productionCases, Seed: int64(seed), MaxCases: 300, Concurrency: 1,
					Oracles: []oracles.Oracle{confirmWith{oracles.Utilization(oracles.UtilizationOptions{}), tt.confirm}}})
				if len(res.Findings) == 0 {
					continue
				}
				confirmed++
				f := res.Findings[0]
				if f.Severity < tt.wantSeverity {
					t.Errorf("campaign %d: confirmed at %s, want %s or more (%s)", seed, f.Severity, tt.wantSeverity, f.Message)
				}
				// The message states the median confirming measurement:
				// never below the work, and, for a function above the
				// threshold, no more than the noise's spread above it.
				var u int
				if _, err := fmt.Sscanf(f.Message[strings.Index(f.Message, "utilization "):], "utilization %d", &u); err != nil {
					t.Fatalf("message %q: %v", f.Message, err)
				}
				if u < tt.work || (tt.work > 70 && u > 2*tt.work) {
					t.Errorf("campaign %d: confirmed utilization %d (work %d): %s", seed, u, tt.work, f.Message)
				}
			}
			t.Logf("%d of %d campaigns confirmed a finding", confirmed, tt.campaigns)
			if confirmed < tt.wantMin || confirmed > tt.wantMax {
				t.Errorf("%d of %d campaigns confirmed a finding, want %d to %d", confirmed, tt.campaigns, tt.wantMin, tt.wantMax)
			}
		})
	}
}

// timedTarget measures every case at the same utilization and records
// when each run started.
type timedTarget struct {
	noisyTarget
	mu     sync.Mutex
	starts []time.Time
}

func (t *timedTarget) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	t.mu.Lock()
	t.starts = append(t.starts, time.Now())
	t.mu.Unlock()
	return &cffuzz.Outcome{Target: t.Name(), Attempts: 1, Status: 200, Decision: cffuzz.DecisionAllow,
		Utilization: t.work, Latency: time.Microsecond}, ctx.Err()
}

// TestConfirmGap checks that confirming runs are at least ConfirmGap apart
// (a lower bound: sleeping never ends early, so the test does not depend
// on the machine's speed).
func TestConfirmGap(t *testing.T) {
	const gap = 15 * time.Millisecond
	target := &timedTarget{noisyTarget: noisyTarget{work: 90}}
	res := run(t, runner.Options{Target: target, Cases: productionCases, Seed: 1, MaxCases: 1, Concurrency: 1,
		Oracles: []oracles.Oracle{gapOracle{oracles.Utilization(oracles.UtilizationOptions{}), gap}}})
	if len(res.Findings) != 1 {
		t.Fatalf("findings %v, want the slow one", signatures(res.Findings))
	}
	starts := target.starts
	if len(starts) != 1+oracles.UtilizationConfirm {
		t.Fatalf("%d runs, want the case and %d confirming runs", len(starts), oracles.UtilizationConfirm)
	}
	for i := 2; i < len(starts); i++ {
		if d := starts[i].Sub(starts[i-1]); d < gap {
			t.Errorf("confirming runs %d and %d were %v apart, want at least %v", i-1, i, d, gap)
		}
	}
}

// gapOracle is an oracle whose signals ask for confirming runs gap apart.
type gapOracle struct {
	oracles.Oracle
	gap time.Duration
}

func (o gapOracle) Check(c *cffuzz.Case, out *cffuzz.Outcome) []cffuzz.Signal {
	s := o.Oracle.Check(c, out)
	for i := range s {
		s[i].ConfirmGap = o.gap
	}
	return s
}

// scriptedTarget measures the utilizations of script in turn, then the
// last one forever.
type scriptedTarget struct {
	noisyTarget
	mu     sync.Mutex
	script []int
}

func (t *scriptedTarget) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	t.mu.Lock()
	u := t.script[0]
	if len(t.script) > 1 {
		t.script = t.script[1:]
	}
	t.mu.Unlock()
	return &cffuzz.Outcome{Target: t.Name(), Attempts: 1, Status: 200, Decision: cffuzz.DecisionAllow,
		Utilization: u, Latency: time.Microsecond}, ctx.Err()
}

// TestConfirmationBand checks how a confirmed utilization finding gets its
// band: from the median of the confirming runs (the first measurement is
// the run that raised it), so one quick run does not make a function whose
// typical run is over the budget a medium finding, nor one slow run a
// medium function a high one; and every run must be above the threshold.
func TestConfirmationBand(t *testing.T) {
	tests := []struct {
		reason string
		script []int
		want   cffuzz.Severity // 0: no finding
		wantU  string
	}{
		{"typically over the budget, one quick run: high", []int{150, 95, 130, 140, 150, 160}, cffuzz.SeverityHigh, "utilization 140"},
		{"typically under the budget, two slow runs: medium", []int{150, 75, 80, 85, 130, 140}, cffuzz.SeverityMedium, "utilization 85"},
		{"one run under the threshold: no finding", []int{150, 120, 130, 60, 140, 150}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			target := &scriptedTarget{script: tt.script}
			res := run(t, runner.Options{Target: target, Cases: productionCases, Seed: 1, MaxCases: 1, Concurrency: 1,
				Oracles: []oracles.Oracle{confirmWith{oracles.Utilization(oracles.UtilizationOptions{}), oracles.UtilizationConfirm}}})
			switch {
			case tt.want == 0 && len(res.Findings) != 0:
				t.Errorf("findings %v, want none", signatures(res.Findings))
			case tt.want != 0 && (len(res.Findings) != 1 || res.Findings[0].Severity != tt.want || !strings.Contains(res.Findings[0].Message, tt.wantU)):
				t.Errorf("findings %+v, want one at %s stating %q", res.Findings, tt.want, tt.wantU)
			}
		})
	}
}
