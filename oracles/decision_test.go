package oracles_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func calls(d cffuzz.Decision, cs ...string) func(*cffuzz.Outcome) {
	return func(o *cffuzz.Outcome) { o.Decision, o.Calls = d, cs }
}

func TestDecision(t *testing.T) {
	none := cffuzz.Signal{Oracle: "decision", Severity: cffuzz.SeverityMedium, Kind: "no-decision",
		Message: "the function called neither allow() nor deny(): CloudFront denies the connection", Key: "none"}
	multi := func(sev cffuzz.Severity, msg string) cffuzz.Signal {
		return cffuzz.Signal{Oracle: "decision", Severity: sev, Kind: "multiple-decisions", Message: msg, Key: "multiple"}
	}
	tests := []oracleCase{
		{"one allow is fine", prod(), ok(), nil},
		{"one deny is fine", prod(), ok(calls(cffuzz.DecisionDeny, "deny")), nil},
		{"no call at all", prod(), ok(calls(cffuzz.DecisionNone)), []cffuzz.Signal{none}},
		{"allow then deny: the message names the pattern", prod(), ok(calls(cffuzz.DecisionAllow, "allow", "deny")), []cffuzz.Signal{
			multi(cffuzz.SeverityMedium, "the function decided 2 times (allow, deny), allow+deny: only the first counts")}},
		{"the same decision three times: the pattern has no count", prod(), ok(calls(cffuzz.DecisionDeny, "deny", "deny", "deny")), []cffuzz.Signal{
			multi(cffuzz.SeverityMedium, "the function decided 3 times (deny, deny, deny), repeated-deny: only the first counts")}},
		{"malformed inputs are capped", malformed(), ok(calls(cffuzz.DecisionAllow, "allow", "allow")), []cffuzz.Signal{
			multi(cffuzz.SeverityLow, "the function decided 2 times (allow, allow), repeated-allow: only the first counts")}},
		{"a function error is the crash oracle's", prod(), ok(calls(cffuzz.DecisionNone), func(o *cffuzz.Outcome) { o.FunctionError = "Error: x" }), nil},
		{"an unknown decision (AWS output not understood) raises nothing", prod(), ok(calls("")), nil},
		{"an API error has no decision", prod(), &cffuzz.Outcome{Status: 404, ErrorCode: "EntityNotFound", Decision: cffuzz.DecisionNone}, nil},
	}
	runOracleTable(t, oracles.Decision(), tests)
}

func TestDecisionSignature(t *testing.T) {
	tests := []struct {
		calls  []string
		reason string
	}{
		{[]string{"allow", "deny"}, "allow then deny"},
		{[]string{"deny", "deny"}, "deny twice"},
		{[]string{"allow", "allow", "allow"}, "allow three times"},
	}
	const want = "decision/multiple-decisions/multiple"
	for _, tt := range tests {
		got := oracles.Decision().Check(prod(), ok(calls(cffuzz.Decision(tt.calls[0]), tt.calls...)))
		if len(got) != 1 {
			t.Fatalf("%s: %d signals, want 1", tt.reason, len(got))
		}
		if s := got[0].Signature(); s != want {
			t.Errorf("%s: signature %q, want %q: every pattern is one bug", tt.reason, s, want)
		}
	}
}
