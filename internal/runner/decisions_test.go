package runner_test

import (
	"bytes"
	"testing"

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
