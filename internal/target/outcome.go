package target

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// testResult is the part of a ConnectionFunctionTestResult that becomes an
// Outcome, whether it was parsed by the SDK or from raw XML.
type testResult struct {
	utilization *string
	errorMsg    *string
	logs        []string
	output      *string
}

// fill copies a test result into o: utilization, logs, output, function
// error, and what can be parsed out of the output and the error message.
func (r testResult) fill(o *cffuzz.Outcome) {
	o.Utilization = ParseUtilization(r.utilization)
	o.Logs = r.logs
	if r.errorMsg != nil {
		o.FunctionError = *r.errorMsg
	}
	if r.output != nil {
		o.Output = *r.output
	}
	ApplyOutput(o)
}

// ParseUtilization parses ComputeUtilization ("12", " 12 ", "12%", "12.5").
// It returns -1 when the value is missing or not a number.
func ParseUtilization(s *string) int {
	if s == nil {
		return -1
	}
	v := strings.TrimSuffix(strings.TrimSpace(*s), "%")
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f < 1e9 {
		return int(f + 0.5)
	}
	return -1
}

// ApplyOutput sets o's Decision, Calls, CustomData, ErrorName, Line and
// Column from o.Output when it is the emulator's JSON
// {"decision":"allow|deny|none","calls":[...],"customData":"...","error":{"name":..,"line":..,"column":..}}.
// Otherwise (AWS, whose output format is undocumented) it leaves Decision
// empty, meaning unknown, and parses the error name and "line N:M" location
// out of o.FunctionError.
func ApplyOutput(o *cffuzz.Outcome) {
	if out, err := runtime.ParseOutput(o.Output); o.Output != "" && err == nil {
		applyParsedOutput(o, out)
		return
	}
	if o.FunctionError != "" {
		o.ErrorName = ParseErrorName(o.FunctionError)
		o.Line, o.Column = ParseErrorLocation(o.FunctionError)
	}
}

// applyParsedOutput is ApplyOutput for an output that is the emulator's
// JSON, once parsed.
func applyParsedOutput(o *cffuzz.Outcome, out runtime.Output) {
	o.Decision = cffuzz.Decision(out.Decision)
	o.Calls = out.Calls
	o.CallCount = max(out.CallCount, len(out.Calls))
	o.CustomData = out.CustomData
	if out.Error != nil {
		o.ErrorName = out.Error.Name
		o.Line, o.Column = out.Error.Line, out.Error.Column
	}
	if o.ErrorName == "" && o.FunctionError != "" {
		o.ErrorName = ParseErrorName(o.FunctionError)
	}
	if o.Line == 0 && o.FunctionError != "" {
		o.Line, o.Column = ParseErrorLocation(o.FunctionError)
	}
}

var (
	lineColRe   = regexp.MustCompile(`(?i)\bline (\d{1,9}):(\d{1,9})\b`)
	lineOnlyRe  = regexp.MustCompile(`(?i)\bline (\d{1,9})\b`)
	bareLocRe   = regexp.MustCompile(`(?:^|[^\w.:])(\d{1,9}):(\d{1,9})(?:$|[^\w.:])`)
	errorNameRe = regexp.MustCompile(`^\s*(?:Uncaught\s+)?([A-Z][A-Za-z]*(?:Error|Exception)|StackOverflow)\b`)
)

// ParseErrorLocation finds the 1-based line and column of an error in a
// function error message: "... at line 3:12", "line 3", or a bare "3:12".
// It returns 0, 0 when the message has none.
func ParseErrorLocation(msg string) (line, column int) {
	if m := lineColRe.FindStringSubmatch(msg); m != nil {
		return atoiPositive(m[1]), atoiPositive(m[2])
	}
	if m := lineOnlyRe.FindStringSubmatch(msg); m != nil {
		return atoiPositive(m[1]), 0
	}
	if m := bareLocRe.FindStringSubmatch(msg); m != nil {
		l, c := atoiPositive(m[1]), atoiPositive(m[2])
		if l > 0 {
			return l, c
		}
	}
	return 0, 0
}

// ParseErrorName returns the JavaScript error name at the start of a
// function error message ("TypeError: x is undefined" → "TypeError"), or "".
func ParseErrorName(msg string) string {
	if m := errorNameRe.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

func atoiPositive(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// TransportClass names the kind of a transport failure with a short, stable
// word (cffuzz.TransportClass).
func TransportClass(err error) string { return cffuzz.TransportClass(err) }
