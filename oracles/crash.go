package oracles

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// The kinds of crash signal that are not JavaScript error names.
const (
	KindTestFunctionFailed = "TestFunctionFailed"
	KindHTTP5xx            = "http-5xx"
	KindTransport          = "transport"
	KindTimeout            = "timeout"
	KindMemory             = "memory"
	KindStackOverflow      = "stack-overflow"
	// KindUncaught is used when a function error carries no error name
	// (the function threw a string or a number).
	KindUncaught = "uncaught"
)

// LimitConfirm is how many re-runs must hit a memory limit again before it
// is reported.
const LimitConfirm = 1

type crash struct{}

// Crash returns the crash oracle, named "crash". It raises a signal for:
//
//   - an uncaught exception, rejected promise or resource limit in the
//     function (Outcome.FunctionError set): Kind is the error name, or
//     "timeout", "memory" or "stack-overflow" for the limits; severity high,
//     capped to low for ClassMalformed cases;
//   - a TestFunctionFailed answer: Kind "TestFunctionFailed", high, capped
//     for ClassMalformed like a function error (the API blames the function);
//   - any other 5xx answer: Kind "http-5xx", high, never capped (it is a
//     failure of the API or the emulator, whatever the input);
//   - no HTTP answer after retries (Outcome.Transport, which includes a dead
//     emulator worker): Kind "transport", high, never capped.
//
// Line and Column come from the Outcome, or from the message's "at line
// L:C" suffix when the Outcome has none. With a line, the Key is "at-line":
// the kind and the faulting line identify the bug, and the message varies
// with the input (the missing KVS key, the property read). Without one, the
// Key is NormalizeMessage of the message. Resource limits are the
// exception: a limit strikes wherever the function happens to be, so their
// Key is the kind and they carry no location, and a memory limit asks for
// LimitConfirm re-runs. A timeout is not a crash but the utilization
// oracle's finding (the function is too slow). Throttles are never crashes.
func Crash() Oracle { return crash{} }

func (crash) Name() string { return "crash" }

func (crash) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	switch {
	case o.Transport != "":
		return []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: KindTransport,
			Message: "no answer from the API after " + plural(o.Attempts, "attempt") + ": " + o.Transport,
			Key:     NormalizeMessage(o.Transport),
		}}
	case o.ErrorCode == "TestFunctionFailed":
		return []cffuzz.Signal{{
			Oracle: "crash", Severity: CapSeverity(cffuzz.SeverityHigh, c.Class), Kind: KindTestFunctionFailed,
			Message: fmt.Sprintf("the API answered %d TestFunctionFailed: %s", o.Status, o.ErrorMessage),
			Key:     NormalizeMessage(o.ErrorMessage),
		}}
	case o.Status >= 500 && !o.Throttled():
		return []cffuzz.Signal{{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: KindHTTP5xx,
			Message: fmt.Sprintf("the API answered %d %s: %s", o.Status, o.ErrorCode, o.ErrorMessage),
			Key:     strconv.Itoa(o.Status) + " " + o.ErrorCode + " " + NormalizeMessage(o.ErrorMessage),
		}}
	case o.OK() && o.FunctionError != "":
		msg, line, col := splitLocation(o.FunctionError)
		if o.Line > 0 {
			line, col = o.Line, o.Column
		}
		s := cffuzz.Signal{
			Oracle: "crash", Severity: CapSeverity(cffuzz.SeverityHigh, c.Class), Kind: crashKind(o.ErrorName, msg),
			Message: "the function failed: " + o.FunctionError,
			Key:     NormalizeMessage(msg),
			Line:    line, Column: col,
		}
		if line > 0 {
			// The faulting line identifies the bug; the message varies
			// with the input (a missing KVS key, the property read).
			s.Key = "at-line"
		}
		switch s.Kind {
		case KindTimeout:
			return nil // the utilization oracle's: the function is too slow
		case KindMemory, KindStackOverflow:
			// A limit stops the function wherever it happens to be, and
			// its message names the limit that struck (the in-worker time
			// limit or the hard deadline): one bug, one signature.
			s.Key, s.Line, s.Column = s.Kind, 0, 0
			if s.Kind == KindMemory {
				// Memory depends on the worker's state: see it again
				// before believing it.
				s.Confirm = LimitConfirm
			}
		}
		return []cffuzz.Signal{s}
	}
	return nil
}

// locationRE matches the location suffix of a function error message.
var locationRE = regexp.MustCompile(`\s+at line (\d+):(\d+)\s*$`)

// splitLocation removes a trailing "at line L:C" from msg and returns it.
func splitLocation(msg string) (rest string, line, col int) {
	m := locationRE.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg, 0, 0
	}
	line, _ = strconv.Atoi(msg[m[2]:m[3]])
	col, _ = strconv.Atoi(msg[m[4]:m[5]])
	return msg[:m[0]], line, col
}

// errorNameRE matches the "Name:" prefix of an error message.
var errorNameRE = regexp.MustCompile(`^([A-Z][A-Za-z0-9_$]*):`)

// crashKind classifies a function error by its name and message.
func crashKind(name, msg string) string {
	if name == "" {
		if m := errorNameRE.FindStringSubmatch(msg); m != nil {
			name = m[1]
		}
	}
	switch lk := limitKind(name, msg); {
	case lk != "":
		return lk
	case name == "":
		return KindUncaught
	default:
		return name
	}
}

// limitKind tells whether a function error is a resource limit: "timeout",
// "memory", "stack-overflow", or "" for an ordinary exception.
func limitKind(name, msg string) string {
	switch name {
	case "TimeoutError":
		return KindTimeout
	case "MemoryError":
		return KindMemory
	case "StackOverflow", "StackOverflowError":
		return KindStackOverflow
	case "RangeError":
		l := strings.ToLower(msg)
		if strings.Contains(l, "call stack") || strings.Contains(l, "stack overflow") || strings.Contains(l, "stack size") {
			return KindStackOverflow
		}
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
