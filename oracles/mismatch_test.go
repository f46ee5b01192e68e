package oracles_test

import (
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func apiErr(status int, code string) *cffuzz.Outcome {
	return &cffuzz.Outcome{Status: status, ErrorCode: code, ErrorMessage: "m", Utilization: -1}
}

func TestMismatch(t *testing.T) {
	sig := func(kind, msg, key string) []cffuzz.Signal {
		return []cffuzz.Signal{{Oracle: "mismatch", Severity: cffuzz.SeverityMedium, Kind: kind, Message: msg, Key: key}}
	}
	withExpect := func(c *cffuzz.Case, status int, code string) *cffuzz.Case {
		c.Expect = &cffuzz.Expectation{Status: status, Code: code}
		return c
	}
	wire := &cffuzz.Case{Family: "wire", Class: cffuzz.ClassWire, Variant: "missing-if-match", Wire: &cffuzz.WireRequest{Method: "POST"}}
	tests := []oracleCase{
		{"a valid object answered 200 is fine", prod(), ok(), nil},
		{"a valid object refused", prod(), apiErr(400, "InvalidArgument"),
			sig("refused", "the API answered 400 InvalidArgument, the case expected 200", "want 200 got 400 InvalidArgument")},
		{"malformed objects default to 200 as well", malformed(), ok(), nil},
		{"a case's own expectation: malformed accepted", withExpect(malformed(), 400, "InvalidArgument"), ok(),
			sig("accepted", "the API answered 200, the case expected 400 InvalidArgument", "want 400 InvalidArgument got 200")},
		{"the wrong error code", withExpect(malformed(), 400, "InvalidArgument"), apiErr(400, "MalformedXML"),
			sig("code-mismatch", "the API answered 400 MalformedXML, the case expected 400 InvalidArgument", "want 400 InvalidArgument got 400 MalformedXML")},
		{"the wrong status", withExpect(malformed(), 400, ""), apiErr(413, "EntitySizeLimitExceeded"),
			sig("status-mismatch", "the API answered 413 EntitySizeLimitExceeded, the case expected 400", "want 400 got 413 EntitySizeLimitExceeded")},
		{"a code-only expectation ignores the status", withExpect(malformed(), 0, "InvalidArgument"), apiErr(413, "InvalidArgument"), nil},
		{"wire cases have no default", wire, apiErr(400, "InvalidIfMatchVersion"), nil},
		{"a throttle is never a mismatch", prod(), apiErr(400, "Throttling"), nil},
		{"5xx is the crash oracle's", prod(), apiErr(503, "ServiceUnavailable"), nil},
		{"a transport failure is the crash oracle's", prod(), &cffuzz.Outcome{Transport: "EOF"}, nil},
	}
	runOracleTable(t, oracles.Mismatch(oracles.MismatchOptions{}), tests)
}

func TestMismatchExpectationsOverride(t *testing.T) {
	exp, err := oracles.LoadExpectations(strings.NewReader(`
rules:
  - family: malformed
    variant: not-*
    status: 400
    code: InvalidArgument
  - family: malformed
    status: 200
`))
	if err != nil {
		t.Fatal(err)
	}
	or := oracles.Mismatch(oracles.MismatchOptions{Expectations: exp})
	c := malformed() // variant not-json
	c.Expect = &cffuzz.Expectation{Status: 200}
	tests := []struct {
		c        *cffuzz.Case
		o        *cffuzz.Outcome
		wantKind string
		reason   string
	}{
		{c, apiErr(400, "InvalidArgument"), "", "the file's rule wins over Case.Expect"},
		{c, ok(), "accepted", "the file expects a refusal"},
		{&cffuzz.Case{Family: "malformed", Class: cffuzz.ClassMalformed, Variant: "drop-field"}, apiErr(400, "InvalidArgument"), "refused", "the second rule matches other variants"},
		{prod(), apiErr(400, "InvalidArgument"), "refused", "no rule matches: the class default applies"},
	}
	for _, tt := range tests {
		got := or.Check(tt.c, tt.o)
		kind := ""
		if len(got) > 0 {
			kind = got[0].Kind
		}
		if kind != tt.wantKind {
			t.Errorf("%s: kind %q, want %q (%v)", tt.reason, kind, tt.wantKind, got)
		}
	}
}
