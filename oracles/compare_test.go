package oracles_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func withPeer(o, peer *cffuzz.Outcome) *cffuzz.Outcome { o.Peer = peer; return o }

func named(target string, o *cffuzz.Outcome) *cffuzz.Outcome { o.Target = target; return o }

func fnErr(name string) func(*cffuzz.Outcome) {
	return func(o *cffuzz.Outcome) { o.FunctionError, o.ErrorName = name+": x", name }
}

func TestDifferential(t *testing.T) {
	sig := func(sev cffuzz.Severity, kind, msg, key string) []cffuzz.Signal {
		return []cffuzz.Signal{{Oracle: "differential", Severity: sev, Kind: kind, Message: msg, Key: key}}
	}
	a := func(mod ...func(*cffuzz.Outcome)) *cffuzz.Outcome { return named("dev", ok(mod...)) }
	b := func(mod ...func(*cffuzz.Outcome)) *cffuzz.Outcome { return named("live", ok(mod...)) }
	tests := []oracleCase{
		{"no peer, nothing to compare", prod(), a(), nil},
		{"agreeing peers", prod(), withPeer(a(), b()), nil},
		{"decisions differ", prod(), withPeer(a(), b(calls(cffuzz.DecisionDeny, "deny"))),
			sig(cffuzz.SeverityMedium, "decision-differs", "dev decided allow, live decided deny", "allow vs deny")},
		{"one side failed", prod(), withPeer(a(), b(fnErr("TypeError"))),
			sig(cffuzz.SeverityMedium, "error-differs", "dev answered no error, live answered function TypeError", "no error vs function TypeError")},
		{"both failed with different error names", prod(), withPeer(a(fnErr("RangeError")), b(fnErr("TypeError"))),
			sig(cffuzz.SeverityMedium, "error-differs", "dev answered function RangeError, live answered function TypeError", "function RangeError vs function TypeError")},
		{"the same error on both sides agrees", prod(), withPeer(a(fnErr("TypeError")), b(fnErr("TypeError"))), nil},
		{"an API error against a result", prod(), withPeer(a(), named("live", apiErr(400, "InvalidArgument"))),
			sig(cffuzz.SeverityMedium, "error-differs", "dev answered no error, live answered API 400 InvalidArgument", "no error vs API 400 InvalidArgument")},
		{"malformed inputs are capped", malformed(), withPeer(a(), b(calls(cffuzz.DecisionNone))),
			sig(cffuzz.SeverityLow, "decision-differs", "dev decided allow, live decided none", "allow vs none")},
		{"a throttled peer is not comparable", prod(), withPeer(a(), apiErr(400, "Throttling")), nil},
		{"a peer without an answer is not comparable", prod(), withPeer(a(), &cffuzz.Outcome{Transport: "EOF"}), nil},
	}
	runOracleTable(t, oracles.Differential(), tests)
}

func TestDeterminism(t *testing.T) {
	sig := func(key, msg string) []cffuzz.Signal {
		return []cffuzz.Signal{{Oracle: "determinism", Severity: cffuzz.SeverityMedium, Kind: "nondeterministic", Message: msg, Key: key}}
	}
	tests := []oracleCase{
		{"no peer", prod(), ok(), nil},
		{"the same twice", prod(), withPeer(ok(), ok()), nil},
		{"decisions differ", prod(), withPeer(ok(), ok(calls(cffuzz.DecisionDeny, "deny"))),
			sig("decision allow vs deny", "two runs of the same case decided allow and deny")},
		{"only one run failed", prod(), withPeer(ok(fnErr("TypeError")), ok()),
			sig("error-presence", "one run of the same case failed and the other did not: TypeError: x")},
		{"different error names are still both failures", prod(), withPeer(ok(fnErr("TypeError")), ok(fnErr("RangeError"))), nil},
		{"an API error on a rerun is not a determinism question", prod(), withPeer(ok(), apiErr(400, "InvalidArgument")), nil},
	}
	runOracleTable(t, oracles.Determinism(), tests)
}

func TestDefaultAndCap(t *testing.T) {
	var names []string
	for _, o := range oracles.Default(oracles.DefaultOptions{}) {
		names = append(names, o.Name())
	}
	if got, want := len(names), 4; got != want || names[0] != "crash" || names[1] != "utilization" || names[2] != "mismatch" || names[3] != "decision" {
		t.Errorf("Default = %v, want [crash utilization mismatch decision]", names)
	}
	tests := []struct {
		s     cffuzz.Severity
		class cffuzz.Class
		want  cffuzz.Severity
		why   string
	}{
		{cffuzz.SeverityHigh, cffuzz.ClassMalformed, cffuzz.SeverityLow, "malformed is capped"},
		{cffuzz.SeverityInfo, cffuzz.ClassMalformed, cffuzz.SeverityInfo, "the cap never raises"},
		{cffuzz.SeverityHigh, cffuzz.ClassBoundary, cffuzz.SeverityHigh, "boundary is real"},
		{cffuzz.SeverityCritical, cffuzz.ClassWire, cffuzz.SeverityCritical, "wire is not capped"},
	}
	for _, tt := range tests {
		if got := oracles.CapSeverity(tt.s, tt.class); got != tt.want {
			t.Errorf("%s: CapSeverity(%v, %v) = %v, want %v", tt.why, tt.s, tt.class, got, tt.want)
		}
	}
}
