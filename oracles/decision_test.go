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
	multi := func(sev cffuzz.Severity, key, msg string) cffuzz.Signal {
		return cffuzz.Signal{Oracle: "decision", Severity: sev, Kind: "multiple-decisions", Message: msg, Key: key}
	}
	tests := []oracleCase{
		{"one allow is fine", prod(), ok(), nil},
		{"one deny is fine", prod(), ok(calls(cffuzz.DecisionDeny, "deny")), nil},
		{"no call at all", prod(), ok(calls(cffuzz.DecisionNone)), []cffuzz.Signal{none}},
		{"allow then deny", prod(), ok(calls(cffuzz.DecisionAllow, "allow", "deny")), []cffuzz.Signal{
			multi(cffuzz.SeverityMedium, "allow+deny", "the function decided 2 times (allow, deny): only the first counts")}},
		{"the same decision three times keys without the count", prod(), ok(calls(cffuzz.DecisionDeny, "deny", "deny", "deny")), []cffuzz.Signal{
			multi(cffuzz.SeverityMedium, "repeated-deny", "the function decided 3 times (deny, deny, deny): only the first counts")}},
		{"malformed inputs are capped", malformed(), ok(calls(cffuzz.DecisionAllow, "allow", "allow")), []cffuzz.Signal{
			multi(cffuzz.SeverityLow, "repeated-allow", "the function decided 2 times (allow, allow): only the first counts")}},
		{"a function error is the crash oracle's", prod(), ok(calls(cffuzz.DecisionNone), func(o *cffuzz.Outcome) { o.FunctionError = "Error: x" }), nil},
		{"an unknown decision (AWS output not understood) raises nothing", prod(), ok(calls("")), nil},
		{"an API error has no decision", prod(), &cffuzz.Outcome{Status: 404, ErrorCode: "EntityNotFound", Decision: cffuzz.DecisionNone}, nil},
	}
	runOracleTable(t, oracles.Decision(), tests)
}
