package runtime

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The utilization model (docs/runtime.md, "Utilization and the time limit"):
//
//	Utilization = clamp(round(UtilizationBase + 100 × CPUTime / Budget), 0, MaxUtilization)
//
// Budget is the emulator CPU time that counts as 100 points on the target's
// scale; 100/Budget (points per emulator-CPU millisecond) is the scale
// factor a calibration fits, UtilizationBase the target's fixed cost per
// run. A run that hits TimeLimit is a TimeoutError with a utilization of at
// least 100. MaxUtilization 0 means values above 100 are reported as they
// are (a run that finished using 1.5 budgets reports 150).

// utilizationOf is the model's utilization of a run that used cpu of
// emulator CPU time; timedOut runs report at least 100.
func (o Options) utilizationOf(cpu time.Duration, timedOut bool) int {
	budget := o.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	u := int((100*cpu + budget/2) / budget)
	u += o.UtilizationBase
	if timedOut && u < 100 {
		u = 100
	}
	if u < 0 {
		u = 0
	}
	if o.MaxUtilization > 0 && u > o.MaxUtilization {
		u = o.MaxUtilization
	}
	return u
}

// Formats is how a run's error and output are rendered as text: the
// emulator's defaults, or the formats a calibration recorded from a target.
// The zero value renders the defaults.
type Formats struct {
	// Error renders Result.Error; its placeholders are {name}, {message}
	// and {location} (default DefaultErrorFormat).
	Error string `json:"error,omitempty"`
	// Location renders {location} when the error's position is known;
	// its placeholders are {line} and {column} (default
	// DefaultLocationFormat). {location} is empty when it is not known.
	Location string `json:"location,omitempty"`
	// Output renders ConnectionFunctionOutput (Result.OutputJSON). Empty
	// means the emulator's JSON (see Output); otherwise a template whose
	// placeholders are {decision}, {calls} (a JSON array), {customData}
	// (the JSON-escaped text, without quotes) and {errorName}.
	Output string `json:"output,omitempty"`
}

// Default formats.
const (
	// DefaultErrorFormat renders "TypeError: x is not a function at line 3:12".
	DefaultErrorFormat = "{name}: {message}{location}"
	// DefaultLocationFormat is the " at line 3:12" suffix.
	DefaultLocationFormat = " at line {line}:{column}"
)

// FormatError renders an error with the formats: name, message and, when
// line > 0, the location.
func (f Formats) FormatError(name, msg string, line, col int) string {
	format, locFormat := f.Error, f.Location
	if format == "" {
		format = DefaultErrorFormat
	}
	if locFormat == "" {
		locFormat = DefaultLocationFormat
	}
	loc := ""
	if line > 0 {
		loc = strings.NewReplacer("{line}", strconv.Itoa(line), "{column}", strconv.Itoa(col)).Replace(locFormat)
	}
	// One pass, so that a message containing "{location}" stays as it is.
	return strings.NewReplacer("{name}", name, "{message}", msg, "{location}", loc).Replace(format)
}

// FormatOutput renders r's output with the Output template ("" gives the
// emulator's JSON).
func (f Formats) FormatOutput(r Result) string {
	if f.Output == "" {
		r.OutputFormat = ""
		return r.OutputJSON()
	}
	out := r.Output()
	calls, data := marshalNoEscape(out.Calls), marshalNoEscape(out.CustomData)
	name := ""
	if out.Error != nil {
		name = out.Error.Name
	}
	return strings.NewReplacer(
		"{decision}", out.Decision,
		"{calls}", calls,
		"{customData}", strings.TrimSuffix(strings.TrimPrefix(data, `"`), `"`),
		"{errorName}", name,
	).Replace(f.Output)
}

// IsDefault reports whether f renders exactly as the zero Formats does.
func (f Formats) IsDefault() bool {
	return (f.Error == "" || f.Error == DefaultErrorFormat) &&
		(f.Location == "" || f.Location == DefaultLocationFormat) && f.Output == ""
}

// marshalNoEscape is v as JSON without HTML escaping, as OutputJSON writes it.
func marshalNoEscape(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // strings and string slices always encode
	return strings.TrimSuffix(b.String(), "\n")
}
