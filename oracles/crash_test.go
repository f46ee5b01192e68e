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
		{"an uncaught TypeError with a line is high, keyed by its line, not its message", prod(), ok(typeErr), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "TypeError",
			Message: "the function failed: TypeError: Cannot read property 'leaf' of null at line 3:12",
			Key:     "at-line", Line: 3, Column: 12,
		}}},
		{"the same error on a malformed input is capped to low", malformed(), ok(typeErr), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityLow, Kind: "TypeError",
			Message: "the function failed: TypeError: Cannot read property 'leaf' of null at line 3:12",
			Key:     "at-line", Line: 3, Column: 12,
		}}},
		{"the location comes from the message when the outcome has none, and keys by line", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError = "Error: client 10.1.2.3 refused at line 7:2"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "Error",
			Message: "the function failed: Error: client 10.1.2.3 refused at line 7:2",
			Key:     "at-line", Line: 7, Column: 2,
		}}},
		{"without a line the key is the normalized message", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "Error: client 10.1.2.3 refused", "Error"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "Error",
			Message: "the function failed: Error: client 10.1.2.3 refused",
			Key:     "Error: client <ip> refused",
		}}},
		{"a thrown string has no error name", prod(), ok(func(o *cffuzz.Outcome) { o.FunctionError = "boom 42" }), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "uncaught",
			Message: "the function failed: boom 42", Key: "boom <n>",
		}}},
		{"a timeout is not a crash: the utilization oracle reports it", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName, o.Utilization = "TimeoutError: execution took longer than 5ms", "TimeoutError", 180
		}), nil},
		{"a timeout with a location is not a crash either", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "TimeoutError: the function ran longer than the 1s hard deadline at line 14:10", "TimeoutError"
			o.Line, o.Column = 14, 10
		}), nil},
		{"a timeout named only in the message is not a crash", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError = "TimeoutError: execution took longer than 5ms"
		}), nil},
		{"a memory limit is keyed by its kind and asks for LimitConfirm re-runs", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "MemoryError: over 2 MB", "MemoryError"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "memory",
			Message: "the function failed: MemoryError: over 2 MB", Key: "memory", Confirm: oracles.LimitConfirm,
		}}},
		{"a memory limit's line does not split it: the limit strikes anywhere", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "MemoryError: over 2 MB at line 5:3", "MemoryError"
			o.Line, o.Column = 5, 3
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "memory",
			Message: "the function failed: MemoryError: over 2 MB at line 5:3", Key: "memory", Confirm: oracles.LimitConfirm,
		}}},
		{"a RangeError about the stack is a stack overflow: keyed by kind, no confirm", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "RangeError: Maximum call stack size exceeded", "RangeError"
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "stack-overflow",
			Message: "the function failed: RangeError: Maximum call stack size exceeded", Key: "stack-overflow",
		}}},
		{"a stack overflow carries no location: it strikes wherever the recursion is", prod(), ok(func(o *cffuzz.Outcome) {
			o.FunctionError, o.ErrorName = "RangeError: Maximum call stack size exceeded at line 2:9", "RangeError"
			o.Line, o.Column = 2, 9
		}), []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "stack-overflow",
			Message: "the function failed: RangeError: Maximum call stack size exceeded at line 2:9", Key: "stack-overflow",
		}}},
		{"another RangeError without a line keeps its name and message", prod(), ok(func(o *cffuzz.Outcome) {
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
	type fault struct {
		msg, name string
		line, col int
	}
	sig := func(f fault) string {
		o := ok(func(o *cffuzz.Outcome) { o.FunctionError, o.ErrorName, o.Line, o.Column = f.msg, f.name, f.line, f.col })
		got := oracles.Crash().Check(prod(), o)
		if len(got) != 1 {
			t.Fatalf("%+v raised %d signals, want 1", f, len(got))
		}
		return got[0].Signature()
	}
	leaf := fault{"TypeError: Cannot read property 'leaf' of null", "TypeError", 3, 12}
	tests := []struct {
		a, b   fault
		same   bool
		reason string
	}{
		{leaf, leaf, true, "the same fault twice is one bug"},
		{leaf, fault{"TypeError: Cannot read property 'split' of undefined", "TypeError", 3, 20}, true,
			"two TypeErrors on one line (a.b.c read two ways, another column) are one bug"},
		{leaf, fault{"TypeError: Cannot read property 'leaf' of null", "TypeError", 9, 1}, false,
			"the same message on another line is another bug"},
		{leaf, fault{"ReferenceError: leaf is not defined", "ReferenceError", 3, 12}, false,
			"another kind on the same line is another bug"},
		{fault{"Error: bad client 10.0.0.1", "Error", 0, 0}, fault{"Error: bad client 192.0.2.7", "Error", 0, 0}, true,
			"without a line, messages that differ only by input are one bug"},
		{fault{"Error: bad client", "Error", 0, 0}, fault{"Error: quota exceeded", "Error", 0, 0}, false,
			"without a line, different messages are different bugs"},
		{fault{"MemoryError: over 2 MB", "MemoryError", 4, 1}, fault{"MemoryError: over 3 MB", "MemoryError", 8, 2}, true,
			"a memory limit is one bug wherever it strikes"},
	}
	for _, tt := range tests {
		a, b := sig(tt.a), sig(tt.b)
		if (a == b) != tt.same {
			t.Errorf("%s: signatures %q and %q, want same=%v", tt.reason, a, b, tt.same)
		}
	}
	if got, want := sig(leaf), "crash/TypeError@3/at-line"; got != want {
		t.Errorf("signature of a located fault = %q, want %q (line only, no column, no message)", got, want)
	}
}
