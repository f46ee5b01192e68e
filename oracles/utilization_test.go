package oracles_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func util(n int) func(*cffuzz.Outcome) { return func(o *cffuzz.Outcome) { o.Utilization = n } }

func TestUtilization(t *testing.T) {
	over70 := func(sev cffuzz.Severity, msg string) []cffuzz.Signal {
		return []cffuzz.Signal{{Oracle: "utilization", Severity: sev, Kind: "over-70", Message: msg, Key: "compute-utilization", Confirm: 2}}
	}
	over100 := func(msg string) []cffuzz.Signal {
		return []cffuzz.Signal{{Oracle: "utilization", Severity: cffuzz.SeverityHigh, Kind: "over-100", Message: msg, Key: "compute-utilization", Confirm: 2}}
	}
	tests := []oracleCase{
		{"comfortable utilization raises nothing", prod(), ok(util(35)), nil},
		{"exactly the threshold is not above it", prod(), ok(util(70)), nil},
		{"above the threshold is medium and must be confirmed twice", prod(), ok(util(71)),
			over70(cffuzz.SeverityMedium, "compute utilization 71 is above 70: CloudFront is likely to throttle this function")},
		{"100 is the whole budget: high", prod(), ok(util(100)),
			over100("compute utilization 100 is above 70: CloudFront is likely to throttle this function")},
		{"over 100 without a timeout is still over-100", prod(), ok(util(140)),
			over100("compute utilization 140 is above 70: CloudFront is likely to throttle this function")},
		{"a malformed input is capped to low", malformed(), ok(util(90)),
			over70(cffuzz.SeverityLow, "compute utilization 90 is above 70: CloudFront is likely to throttle this function")},
		{"a timeout is the crash oracle's, not reported twice", prod(), ok(util(250), func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "TimeoutError: execution took too long", "TimeoutError"
		}), nil},
		{"another error with high utilization still counts", prod(), ok(util(95), func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "TypeError: x", "TypeError"
		}), over70(cffuzz.SeverityMedium, "compute utilization 95 is above 70: CloudFront is likely to throttle this function")},
		{"unknown utilization (-1) raises nothing", prod(), ok(util(-1)), nil},
		{"an API error has no utilization to judge", prod(), &cffuzz.Outcome{Status: 400, ErrorCode: "InvalidArgument", Utilization: 99}, nil},
	}
	runOracleTable(t, oracles.Utilization(oracles.UtilizationOptions{}), tests)
}

func TestUtilizationThreshold(t *testing.T) {
	or := oracles.Utilization(oracles.UtilizationOptions{Threshold: 50})
	tests := []struct {
		util     int
		wantKind string
		reason   string
	}{
		{50, "", "at a custom threshold: nothing"},
		{51, "over-50", "the band is named after the threshold"},
		{100, "over-100", "the top band does not move"},
	}
	for _, tt := range tests {
		got := or.Check(prod(), ok(util(tt.util)))
		kind := ""
		if len(got) > 0 {
			kind = got[0].Kind
		}
		if kind != tt.wantKind {
			t.Errorf("%s: utilization %d gave kind %q, want %q", tt.reason, tt.util, kind, tt.wantKind)
		}
	}
}
