package oracles_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/oracles"
)

func TestCrash(t *testing.T) {
	typeErr := func(o *cffuzz.Outcome) {
		o.Decision, o.Calls = cffuzz.DecisionNone, nil
		o.FunctionError = "TypeError: Cannot read property 'leaf' of null at line 3:12"
		o.ErrorName, o.Line, o.Column = "TypeError", 3, 12
	}
	tests := []oracleCase{
		{"a clean run raises nothing", prod(), ok(), nil},
		{"an uncaught TypeError is high, keyed without the location", prod(), ok(typeErr), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "TypeError",
			Message: "the function failed: TypeError: Cannot read property 'leaf' of null at line 3:12",
			Key:     "TypeError: Cannot read property 'leaf' of null", Line: 3, Column: 12,
		}}},
		{"the same error on a malformed input is capped to low", malformed(), ok(typeErr), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityLow, Kind: "TypeError",
			Message: "the function failed: TypeError: Cannot read property 'leaf' of null at line 3:12",
			Key:     "TypeError: Cannot read property 'leaf' of null", Line: 3, Column: 12,
		}}},
		{"the location comes from the message when the outcome has none", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError = "Error: client 10.1.2.3 refused at line 7:2"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "Error",
			Message: "the function failed: Error: client 10.1.2.3 refused at line 7:2",
			Key:     "Error: client <ip> refused", Line: 7, Column: 2,
		}}},
		{"a thrown string has no error name", prod(), ok(func(o *cffuzz.Outcome) { o.FunctionError = "boom 42" }), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "uncaught",
			Message: "the function failed: boom 42", Key: "boom <n>",
		}}},
		{"a timeout is high", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName, o.Utilization = "TimeoutError: execution took longer than 5ms", "TimeoutError", 180
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "timeout",
			Message: "the function failed: TimeoutError: execution took longer than 5ms",
			Key:     "timeout", Confirm: 1,
		}}},
		{"a timeout's location and wording do not split it", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "TimeoutError: the function ran longer than the 1s hard deadline at line 14:10", "TimeoutError"
			o.Line, o.Column = 14, 10
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "timeout",
			Message: "the function failed: TimeoutError: the function ran longer than the 1s hard deadline at line 14:10",
			Key:     "timeout", Confirm: 1,
		}}},
		{"a memory limit", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "MemoryError: over 2 MB", "MemoryError"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "memory",
			Message: "the function failed: MemoryError: over 2 MB", Key: "memory", Confirm: 1,
		}}},
		{"a RangeError about the stack is a stack overflow", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "RangeError: Maximum call stack size exceeded", "RangeError"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "stack-overflow",
			Message: "the function failed: RangeError: Maximum call stack size exceeded", Key: "stack-overflow",
		}}},
		{"another RangeError keeps its name", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "RangeError: Invalid array length", "RangeError"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "RangeError",
			Message: "the function failed: RangeError: Invalid array length", Key: "RangeError: Invalid array length",
		}}},
		{"TestFunctionFailed is high", prod(), &cffuzz.Outcome{Status: 500, ErrorCode: "TestFunctionFailed", ErrorMessage: "The CloudFront function failed.", Utilization: -1}, []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "TestFunctionFailed",
			Message: "the API answered 500 TestFunctionFailed: The CloudFront function failed.", Key: "The CloudFront function failed.",
		}}},
		{"TestFunctionFailed on a malformed input blames the function, so it is capped", malformed(), &cffuzz.Outcome{Status: 500, ErrorCode: "TestFunctionFailed", ErrorMessage: "x", Utilization: -1}, []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityLow, Kind: "TestFunctionFailed",
			Message: "the API answered 500 TestFunctionFailed: x", Key: "x",
		}}},
		{"another 5xx is an API failure, high even for malformed inputs", malformed(), &cffuzz.Outcome{Status: 503, ErrorCode: "ServiceUnavailable", ErrorMessage: "CloudFront encountered an internal error. Please try again.", Utilization: -1}, []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "http-5xx",
			Message: "the API answered 503 ServiceUnavailable: CloudFront encountered an internal error. Please try again.",
			Key:     "503 ServiceUnavailable CloudFront encountered an internal error. Please try again.",
		}}},
		{"no answer after retries is a transport crash", prod(), &cffuzz.Outcome{Transport: "dial tcp 127.0.0.1:4566: connect: connection refused", Attempts: 3, Utilization: -1}, []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "transport",
			Message: "no answer from the API after 3 attempts: dial tcp 127.0.0.1:4566: connect: connection refused",
			Key:     "dial tcp <ip>: connect: connection refused",
		}}},
		{"a throttle is not a crash", prod(), &cffuzz.Outcome{Status: 400, ErrorCode: "Throttling", Utilization: -1}, nil},
		{"a 4xx refusal is the mismatch oracle's", prod(), &cffuzz.Outcome{Status: 400, ErrorCode: "InvalidArgument", Utilization: -1}, nil},
	}
	runOracleTable(t, oracles.Crash(), tests)
}

func TestCrashSignatures(t *testing.T) {
	sig := func(msg, name string, line, col int) string {
		o := ok(func(o *cffuzz.Outcome) { o.FunctionError, o.ErrorName, o.Line, o.Column = msg, name, line, col })
		return oracles.Crash().Check(prod(), o)[0].Signature()
	}
	a := sig("TypeError: Cannot read property 'leaf' of null", "TypeError", 3, 12)
	if b := sig("TypeError: Cannot read property 'leaf' of null", "TypeError", 3, 12); a != b {
		t.Errorf("same bug, two signatures: %q, %q", a, b)
	}
	for _, other := range []string{
		sig("TypeError: Cannot read property 'split' of undefined", "TypeError", 3, 12),
		sig("TypeError: Cannot read property 'leaf' of null", "TypeError", 9, 1),
	} {
		if other == a {
			t.Errorf("two bugs share the signature %q", a)
		}
	}
	if s1, s2 := sig("Error: bad client 10.0.0.1", "Error", 4, 5), sig("Error: bad client 192.0.2.7", "Error", 4, 5); s1 != s2 {
		t.Errorf("inputs split one bug: %q vs %q", s1, s2)
	}
}
