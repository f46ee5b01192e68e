package oracles_test

import (
	"errors"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

// denyWithoutCert is a property: a connection without a client certificate is denied.
func denyWithoutCert(conn map[string]any, _ []byte, o *cffuzz.Outcome) error {
	if _, has := conn["clientCertificate"]; !has && o.Decision == cffuzz.DecisionAllow {
		return errors.New("allowed a connection without a client certificate")
	}
	return nil
}

func TestProperty(t *testing.T) {
	noCert := &cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"192.0.2.1"}`)}
	violation := func(sev cffuzz.Severity) []cffuzz.Signal {
		return []cffuzz.Signal{{Oracle: "property", Severity: sev, Kind: "deny-without-cert",
			Message: "property deny-without-cert does not hold: allowed a connection without a client certificate",
			Key:     "decision-allow"}}
	}
	malformedNoCert := &cffuzz.Case{Family: "malformed", Class: cffuzz.ClassMalformed, Object: []byte(`{"clientIp":7}`)}
	tests := []oracleCase{
		{"holds", prod(), ok(), nil},
		{"violated", noCert, ok(), violation(cffuzz.SeverityHigh)},
		{"violated on a malformed object: capped", malformedNoCert, ok(), violation(cffuzz.SeverityLow)},
		{"not evaluated on a non-object input", &cffuzz.Case{Class: cffuzz.ClassMalformed, Object: []byte(`[1]`)}, ok(), nil},
		{"not evaluated on non-JSON", malformed(), ok(), nil},
		{"not evaluated on an API error", noCert, apiErr(400, "InvalidArgument"), nil},
	}
	runOracleTable(t, oracles.Property("deny-without-cert", denyWithoutCert), tests)
}

func TestPropertyPanicIsAViolation(t *testing.T) {
	or := oracles.Property("p", func(map[string]any, []byte, *cffuzz.Outcome) error { panic("nil map") })
	got := or.Check(prod(), ok())
	if len(got) != 1 || got[0].Message != "property p does not hold: property panicked: nil map" {
		t.Errorf("got %+v, want one violation naming the panic", got)
	}
}

// TestPropertySignature checks that a property's messages, which quote the
// input, do not split one broken property into several findings, while
// the two ways of breaking it (wrongly allowing, wrongly denying) stay apart.
func TestPropertySignature(t *testing.T) {
	var msg string
	p := oracles.Property("fp", func(map[string]any, []byte, *cffuzz.Outcome) error { return errors.New(msg) })
	sig := func(m string, d cffuzz.Decision) string {
		msg = m
		s := p.Check(prod(), ok(func(o *cffuzz.Outcome) { o.Decision = d }))
		if len(s) != 1 {
			t.Fatalf("got %v, want one signal", s)
		}
		return s[0].Signature()
	}
	a := sig("allowed fingerprint AB:CD:EF", cffuzz.DecisionAllow)
	b := sig("allowed fingerprint _w6bJ7aOAlGOj7NUhJxTfsfee", cffuzz.DecisionAllow)
	c := sig("denied fingerprint AB:CD:EF", cffuzz.DecisionDeny)
	if a != b {
		t.Errorf("messages quoting different inputs split one bug: %q vs %q", a, b)
	}
	if a == c {
		t.Errorf("wrongly allowing and wrongly denying share %q", a)
	}
}
