package campaign_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// okCode allows every connection.
const okCode = "function connectionHandler(connection) {\n  connection.allow();\n}\n"

// TestRandomThrottlesKeepThroughput: throttles the emulator injects at
// random, not because of the rate, must not collapse the adaptive rate:
// 200 cases complete within a bound whatever the fault seed, and the rate
// recovers between throttles. (Before: halving on every throttle took 1 s
// to over 60 s across seeds.)
func TestRandomThrottlesKeepThroughput(t *testing.T) {
	tests := []struct {
		reason string
		rates  emulator.FaultRates
		rate   float64
	}{
		{"unlimited rate, 20% random throttles", emulator.FaultRates{Throttling: 0.2}, 0},
		{"a set rate of 100/s, 20% random throttles", emulator.FaultRates{Throttling: 0.2}, 100},
	}
	for _, tt := range tests {
		// Two fault seeds at the set rate (each ~5 s; 20-30 s before),
		// one when unlimited; one in -short mode.
		seeds := int64(2)
		if testing.Short() || tt.rate == 0 {
			seeds = 1
		}
		for seed := int64(1); seed <= seeds; seed++ {
			out := t.TempDir()
			cfg := campaign.Config{
				FunctionCode: []byte(okCode), Cases: 200, Seed: 3, Rate: tt.rate, Isolation: campaign.IsolationInProcess,
				Out: out, Corpus: filepath.Join(out, "corpus"), Faults: emulator.Faults{FaultRates: tt.rates, Seed: seed},
			}
			start := time.Now()
			res, err := campaign.Run(context.Background(), cfg)
			el := time.Since(start)
			if err != nil {
				t.Fatalf("%s, seed %d: %v", tt.reason, seed, err)
			}
			t.Logf("%s, seed %d: %d cases in %s, %d throttles", tt.reason, seed, res.Report.Cases, el.Round(time.Millisecond), res.Report.Throttles)
			if res.Report.Cases != 200 || res.Report.Throttles == 0 {
				t.Errorf("%s, seed %d: %d cases, %d throttles; want 200 cases and some throttles", tt.reason, seed, res.Report.Cases, res.Report.Throttles)
			}
			if el > 15*time.Second {
				t.Errorf("%s, seed %d: 200 cases took %s, want under 15 s (200 cases at 100/s take 2 s; 20-30 s before the fix)", tt.reason, seed, el)
			}
		}
	}
}
