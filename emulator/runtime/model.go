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
//	CPUTime     = thread CPU time × SpeedFactor
//	Utilization = clamp(round(UtilizationBase + 100 × CPUTime / Budget), 0, MaxUtilization)
//
// SpeedFactor puts the host's CPU time on the reference machine's scale
// (hostspeed.go), so that Budget and TimeLimit mean the same work on every
// machine; the watchdog stops a run at TimeLimit / SpeedFactor of the
// thread's own CPU time.
// Budget is the emulator CPU time that counts as 100 points on the target's
// scale; 100/Budget (points per emulator-CPU millisecond) is the scale
// factor a calibration fits, UtilizationBase the target's fixed cost per
// run. A run that hits TimeLimit is a TimeoutError with a utilization of at
// least 100. MaxUtilization 0 means values above 100 are reported as they
// are (a run that finished using 1.5 budgets reports 150).

// speed is the factor a run scales its thread CPU time by: SpeedFactor when
// the executor resolved it to a positive value, otherwise 1.
func (o Options) speed() float64 {
	if o.SpeedFactor > 0 {
		return o.SpeedFactor
	}
	return 1
}

// referenceCPU is host of this host's thread CPU time on the reference
// machine's scale (hostspeed.go): the CPUTime of a run.
func (o Options) referenceCPU(host time.Duration) time.Duration {
	return time.Duration(float64(host) * o.speed())
}

// hostCPU is d of reference CPU time in this host's CPU time: the time
// limit as the watchdog, which reads the thread's own clock, counts it.
func (o Options) hostCPU(d time.Duration) time.Duration {
	return time.Duration(float64(d) / o.speed())
}

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
