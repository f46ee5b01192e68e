package runner_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/runner"
)

// TestDecisionCounts checks Report.ByDecision against what the fake target
// decides for each case (boom: none, deny: deny, anything else: allow).
func TestDecisionCounts(t *testing.T) {
	ft := &fakeTarget{}
	res := run(t, runner.Options{MaxCases: 300, Target: ft, Cases: fakeCases, Oracles: defaultOracles, Concurrency: 3})
	want := map[string]int64{}
	for i := uint64(0); i < 300; i++ {
		c := fakeCases.Case(0, i)
		switch {
		case bytes.Contains(c.Object, []byte("boom")):
			want["none"]++
		case bytes.Contains(c.Object, []byte("deny")):
			want["deny"]++
		default:
			want["allow"]++
		}
	}
	got := res.Report.ByDecision
	for _, d := range []string{"allow", "deny", "none"} {
		if got[d] != want[d] {
			t.Errorf("by_decision[%s] = %d, want %d (all: %v)", d, got[d], want[d], got)
		}
	}
}

// TestStopReasonDurationWhenPacingHoldsCases: with --rate 2 --cases 10
// --duration 1s every job is handed to a worker at once, but the pacer
// lets only a few start before the duration ends: the duration stopped the
// campaign, not the case budget.
func TestStopReasonDurationWhenPacingHoldsCases(t *testing.T) {
	res := run(t, runner.Options{MaxCases: 10, MaxDuration: time.Second, Rate: 2, Concurrency: 10,
		Target: &fakeTarget{}, Cases: fakeCases, Oracles: defaultOracles})
	if res.Report.StopReason != runner.StopDuration || res.Report.Cases >= 10 {
		t.Errorf("stopped by %q after %d cases, want %q before 10", res.Report.StopReason, res.Report.Cases, runner.StopDuration)
	}
	// All cases run: the budget stopped it.
	res = run(t, runner.Options{MaxCases: 10, MaxDuration: time.Minute, Concurrency: 10,
		Target: &fakeTarget{}, Cases: fakeCases, Oracles: defaultOracles})
	if res.Report.StopReason != runner.StopCases || res.Report.Cases != 10 {
		t.Errorf("stopped by %q after %d cases, want %q after 10", res.Report.StopReason, res.Report.Cases, runner.StopCases)
	}
}
