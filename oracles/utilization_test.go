package oracles_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func util(n int) func(*cffuzz.Outcome) { return func(o *cffuzz.Outcome) { o.Utilization = n } }

// timedOut makes an outcome a TimeoutError function error.
func timedOut(o *cffuzz.Outcome) {
	o.FunctionError, o.ErrorName = "TimeoutError: execution took too long", "TimeoutError"
}

// slow is the utilization signal of severity sev with message msg, scored
// by the utilization it measured.
func slow(sev cffuzz.Severity, msg string, score float64) []cffuzz.Signal {
	return []cffuzz.Signal{{Oracle: "utilization", Severity: sev, Kind: oracles.KindSlow, Message: msg, Key: "compute-utilization",
		Confirm: oracles.UtilizationConfirm, ConfirmGap: oracles.UtilizationConfirmGap, Score: score}}
}

func TestUtilization(t *testing.T) {
	const (
		outOfTime = "the function ran out of time (TimeoutError: execution took too long): CloudFront stops and throttles such functions"
		whole     = ": the function used its whole time budget; CloudFront throttles such functions"
		likely    = " is above 70: CloudFront is likely to throttle this function"
	)
	tests := []oracleCase{
		{"comfortable utilization raises nothing", prod(), ok(util(35)), nil},
		{"exactly the threshold is not above it", prod(), ok(util(70)), nil},
		{"above the threshold is a medium slow signal confirmed twice", prod(), ok(util(71)),
			slow(cffuzz.SeverityMedium, "compute utilization 71"+likely, 71)},
		{"100 is the whole budget: high", prod(), ok(util(100)),
			slow(cffuzz.SeverityHigh, "compute utilization 100"+whole, 100)},
		{"over 100 without a timeout is high", prod(), ok(util(140)),
			slow(cffuzz.SeverityHigh, "compute utilization 140"+whole, 140)},
		{"a malformed input is capped to low", malformed(), ok(util(90)),
			slow(cffuzz.SeverityLow, "compute utilization 90"+likely, 90)},
		{"a malformed input over 100 is capped to low too", malformed(), ok(util(120)),
			slow(cffuzz.SeverityLow, "compute utilization 120"+whole, 120)},
		{"a timeout is a high slow signal (the crash oracle leaves it here)", prod(), ok(util(250), timedOut),
			slow(cffuzz.SeverityHigh, outOfTime, 250)},
		{"a timeout is high whatever utilization it reports", prod(), ok(util(20), timedOut),
			slow(cffuzz.SeverityHigh, outOfTime, 20)},
		{"a timeout with unknown utilization is still reported", prod(), ok(util(-1), timedOut),
			slow(cffuzz.SeverityHigh, outOfTime, 0)},
		{"a timeout on a malformed input is capped", malformed(), ok(util(250), timedOut),
			slow(cffuzz.SeverityLow, outOfTime, 250)},
		{"another error with high utilization still counts", prod(), ok(util(95), func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "TypeError: x", "TypeError"
		}), slow(cffuzz.SeverityMedium, "compute utilization 95"+likely, 95)},
		{"unknown utilization (-1) raises nothing", prod(), ok(util(-1)), nil},
		{"an API error has no utilization to judge", prod(), &cffuzz.Outcome{Status: 400, ErrorCode: "InvalidArgument", Utilization: 99}, nil},
	}
	runOracleTable(t, oracles.Utilization(oracles.UtilizationOptions{}), tests)
}

func TestUtilizationThreshold(t *testing.T) {
	const whole = ": the function used its whole time budget; CloudFront throttles such functions"
	tests := []struct {
		threshold, util int
		want            []cffuzz.Signal
		reason          string
	}{
		{50, 50, nil, "at a custom threshold: nothing"},
		{50, 51, slow(cffuzz.SeverityMedium, "compute utilization 51 is above 50: CloudFront is likely to throttle this function", 51),
			"the medium band's message names the custom threshold"},
		{50, 100, slow(cffuzz.SeverityHigh, "compute utilization 100"+whole, 100),
			"the high band does not move with the threshold"},
		{120, 99, nil, "a threshold at or above 100 leaves no medium band"},
		{120, 110, slow(cffuzz.SeverityHigh, "compute utilization 110"+whole, 110),
			"a threshold at or above 100 still raises the high band"},
	}
	for _, tt := range tests {
		got := oracles.Utilization(oracles.UtilizationOptions{Threshold: tt.threshold}).Check(prod(), ok(util(tt.util)))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: threshold %d, utilization %d (-want +got):\n%s", tt.reason, tt.threshold, tt.util, diff)
		}
	}
}

func TestUtilizationSignature(t *testing.T) {
	or := oracles.Utilization(oracles.UtilizationOptions{})
	tests := []struct {
		o      *cffuzz.Outcome
		reason string
	}{
		{ok(util(71)), "the medium band"},
		{ok(util(100)), "the whole-budget band"},
		{ok(util(250), timedOut), "a timeout"},
	}
	const want = "utilization/slow/compute-utilization"
	for _, tt := range tests {
		got := or.Check(prod(), tt.o)
		if len(got) != 1 {
			t.Fatalf("%s: %d signals, want 1", tt.reason, len(got))
		}
		if s := got[0].Signature(); s != want {
			t.Errorf("%s: signature %q, want %q: every band is one finding", tt.reason, s, want)
		}
	}
}
