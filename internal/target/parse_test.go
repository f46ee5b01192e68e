package target_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/target"
)

func TestParseErrorLocation(t *testing.T) {
	tests := []struct {
		reason    string
		msg       string
		line, col int
	}{
		{"the emulator's form", "TypeError: cannot read property 'x' of undefined at line 3:12", 3, 12},
		{"case-insensitive", "Error at Line 10:1", 10, 1},
		{"a line without a column", "SyntaxError: unexpected token on line 7", 7, 0},
		{"a bare N:M", "ReferenceError: foo is not defined (4:2)", 4, 2},
		{"no location", "The CloudFront function failed.", 0, 0},
		{"a time is not a location", "deadline 12:30.5", 0, 0},
		{"a huge number does not overflow", "at line 99999999999999999999:1", 0, 0},
	}
	for _, tt := range tests {
		l, c := target.ParseErrorLocation(tt.msg)
		if l != tt.line || c != tt.col {
			t.Errorf("%s: ParseErrorLocation(%q) = %d:%d, want %d:%d", tt.reason, tt.msg, l, c, tt.line, tt.col)
		}
	}
}

func TestParseErrorName(t *testing.T) {
	tests := []struct{ reason, msg, want string }{
		{"a TypeError", "TypeError: x is undefined", "TypeError"},
		{"an uncaught error", "Uncaught RangeError: bad", "RangeError"},
		{"a limit kind", "StackOverflow: too deep", "StackOverflow"},
		{"prose is not a name", "The CloudFront function failed.", ""},
	}
	for _, tt := range tests {
		if got := target.ParseErrorName(tt.msg); got != tt.want {
			t.Errorf("%s: ParseErrorName(%q) = %q, want %q", tt.reason, tt.msg, got, tt.want)
		}
	}
}

func TestParseUtilization(t *testing.T) {
	s := func(v string) *string { return &v }
	tests := []struct {
		reason string
		in     *string
		want   int
	}{
		{"missing", nil, -1},
		{"an integer", s("12"), 12},
		{"with spaces and a percent sign", s(" 71% "), 71},
		{"a fraction rounds", s("12.5"), 13},
		{"empty", s(""), -1},
		{"negative", s("-3"), -1},
		{"not a number", s("high"), -1},
	}
	for _, tt := range tests {
		if got := target.ParseUtilization(tt.in); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.reason, got, tt.want)
		}
	}
}

func TestApplyOutput(t *testing.T) {
	tests := []struct {
		reason   string
		in       cffuzz.Outcome
		decision cffuzz.Decision
		name     string
		line     int
	}{
		{"the emulator's JSON", cffuzz.Outcome{Output: `{"decision":"allow","calls":["allow"],"customData":""}`}, cffuzz.DecisionAllow, "", 0},
		{"an error object in the JSON", cffuzz.Outcome{Output: `{"decision":"none","calls":[],"customData":"","error":{"name":"TypeError","line":2,"column":5}}`, FunctionError: "TypeError: x"}, cffuzz.DecisionNone, "TypeError", 2},
		{"an unknown decision falls back", cffuzz.Outcome{Output: `{"decision":"maybe"}`, FunctionError: "RangeError: at line 4:1"}, "", "RangeError", 4},
		{"AWS's unknown output: the message is parsed", cffuzz.Outcome{Output: `allowed`, FunctionError: "SyntaxError: bad at line 1:9"}, "", "SyntaxError", 1},
		{"nothing at all", cffuzz.Outcome{}, "", "", 0},
	}
	for _, tt := range tests {
		o := tt.in
		target.ApplyOutput(&o)
		if o.Decision != tt.decision || o.ErrorName != tt.name || o.Line != tt.line {
			t.Errorf("%s: decision %q name %q line %d; want %q %q %d", tt.reason, o.Decision, o.ErrorName, o.Line, tt.decision, tt.name, tt.line)
		}
	}
}

func TestParseWireAnswer(t *testing.T) {
	tests := []struct {
		reason string
		status int
		body   string
		code   string
		util   int
	}{
		{"a wrapped error", 412, fmtErr("Sender", "PreconditionFailed", "m"), "PreconditionFailed", -1},
		{"a bare S3-style error", 400, `<Error><Code>MalformedXML</Code><Message>m</Message></Error>`, "MalformedXML", -1},
		{"an error without a body", 503, ``, "UnknownError", -1},
		{"a test result", 200, resultBody, "", 17},
		{"a success that is not XML", 200, `garbage`, "", -1},
	}
	for _, tt := range tests {
		o := cffuzz.Outcome{Utilization: -1}
		target.ParseWireAnswer(&o, tt.status, []byte(tt.body))
		if o.ErrorCode != tt.code || o.Utilization != tt.util {
			t.Errorf("%s: code %q util %d; want %q %d", tt.reason, o.ErrorCode, o.Utilization, tt.code, tt.util)
		}
	}
}

func FuzzParseErrorLocation(f *testing.F) {
	for _, s := range []string{"at line 3:12", "line 7", "(4:2)", "", "1:2:3", "line 0:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		l, c := target.ParseErrorLocation(msg)
		if l < 0 || c < 0 || (l == 0 && c != 0) {
			t.Fatalf("ParseErrorLocation(%q) = %d:%d", msg, l, c)
		}
		_ = target.ParseErrorName(msg)
	})
}

func FuzzApplyOutput(f *testing.F) {
	f.Add(`{"decision":"allow","calls":["allow"],"customData":"x","error":{"name":"E","line":1,"column":2}}`, "E: at line 1:2")
	f.Add(`{"decision":null}`, "")
	f.Add(`[]`, "TypeError")
	f.Fuzz(func(t *testing.T, output, fnErr string) {
		o := cffuzz.Outcome{Output: output, FunctionError: fnErr}
		target.ApplyOutput(&o)
		switch o.Decision {
		case "", cffuzz.DecisionAllow, cffuzz.DecisionDeny, cffuzz.DecisionNone:
		default:
			t.Fatalf("decision %q from %q", o.Decision, output)
		}
	})
}

func FuzzParseWireAnswer(f *testing.F) {
	f.Add(400, []byte(fmtErr("Sender", "Throttling", "Rate exceeded")))
	f.Add(200, []byte(resultBody))
	f.Add(500, []byte(`<a><Error><Code>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		o := cffuzz.Outcome{Utilization: -1}
		target.ParseWireAnswer(&o, status, body)
		if (status < 200 || status > 299) && o.ErrorCode == "" {
			t.Fatalf("error status %d without a code", status)
		}
		if o.Utilization < -1 {
			t.Fatalf("utilization %d", o.Utilization)
		}
	})
}
