package oracles

import (
	"fmt"
	"time"

	"github.com/cffuzz/cffuzz"
)

// DefaultUtilizationThreshold is AWS's "likely to throttle" band: a compute
// utilization above 70 is "very close to or exceeds the maximum allowed time".
const DefaultUtilizationThreshold = 70

// UtilizationConfirm is how many fresh runs must each raise a utilization
// signal again before it becomes a finding (the runner then takes the
// band from the median run): whether there is a finding is decided by the
// least of them. CPU-time noise only ever adds (garbage collection, page
// faults, other load), so the least of several runs is the estimate
// closest to the function's own work, and the instance that raised the
// signal, the highest of many, is not counted. Five was chosen
// from measured noise (docs/runtime.md, "Noise and confirmation"): the
// worst clean input of the planted-bug benchmark measures above 70 in
// about one run in eight, so five independent runs all above it happen
// about once in 30,000 confirmations (twice in a row, the old rule, about
// once in 70), while a function whose work is above the band measures
// above it every time. The runs are UtilizationConfirmGap apart, so that
// they are independent of a burst of load.
const UtilizationConfirm = 5

// UtilizationConfirmGap is the least time between two confirming runs of a
// utilization signal: on a loaded machine the CPU time of the same work
// swells for tens of milliseconds at a time, so back-to-back runs can all
// fall into one burst (measured: the least of five back-to-back runs of a
// clean input above 70 in 1 of 300 trials at a load average of 16, never
// with runs 20 ms apart).
const UtilizationConfirmGap = 25 * time.Millisecond

// DefaultUtilizationMargin is how far below its band a corpus entry of a
// slow finding must measure before it stops raising it.
const DefaultUtilizationMargin = 10

// UtilizationOptions configures the utilization oracle.
type UtilizationOptions struct {
	// Threshold is the utilization above which a signal is raised; zero
	// means DefaultUtilizationThreshold. Values at or above 100 only
	// raise the high band (utilization 100 or more, or a timeout).
	Threshold int
	// Margin lowers both bands by that many points for a corpus entry of
	// a slow finding (a case of Family "corpus" and Variant KindSlow);
	// confirmation runs of a new signal get no margin, so that noise on a
	// clean function is not confirmed into a finding; zero means
	// DefaultUtilizationMargin, negative means none.
	Margin int
}

type utilization struct{ threshold, margin int }

// KindSlow is the kind of every utilization signal.
const KindSlow = "slow"

// Utilization returns the utilization oracle, named "utilization". On an OK
// outcome it raises a signal of Kind KindSlow:
//
//   - severity high when the run timed out (TimeoutError, whether or not
//     its ComputeUtilization is known) or its utilization is 100 or more
//     (it used its whole time budget);
//   - severity medium when utilization is above the threshold.
//
// All bands share one signature, so a slow function is one finding at the
// worst band any input reached, not one per band. Severity is capped for
// ClassMalformed cases, and every signal asks for UtilizationConfirm
// confirming runs, so that timing noise does not become a finding.
//
// A measurement is noisy, so the bands have hysteresis: a corpus entry
// stored for slowness (Family "corpus", Variant KindSlow), in a run's
// replay or in fuzz replay alike, keeps raising the finding until it
// measures Margin points below the band it was raised in, so that an input near the threshold does not
// flip between failing and passing from one run to the next; a generated
// input must exceed the band itself.
func Utilization(opts UtilizationOptions) Oracle {
	t := opts.Threshold
	if t <= 0 {
		t = DefaultUtilizationThreshold
	}
	m := opts.Margin
	switch {
	case m == 0:
		m = DefaultUtilizationMargin
	case m < 0:
		m = 0
	}
	return utilization{threshold: t, margin: m}
}

func (utilization) Name() string { return "utilization" }

func (u utilization) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	if !o.OK() {
		return nil
	}
	var msg string
	var sev cffuzz.Severity
	high, medium := 100, u.threshold
	if c.Family == "corpus" && c.Variant == KindSlow {
		high, medium = 100-u.margin, u.threshold-u.margin
	}
	switch {
	case o.FunctionError != "" && crashKind(o.ErrorName, o.FunctionError) == KindTimeout:
		// Before the unknown-utilization check: a timeout may carry no
		// ComputeUtilization, and the crash oracle leaves it to this one.
		msg, sev = "the function ran out of time ("+o.FunctionError+"): CloudFront stops and throttles such functions", cffuzz.SeverityHigh
	case o.Utilization < 0:
		return nil
	case o.Utilization >= high:
		msg, sev = fmt.Sprintf("compute utilization %d: the function used its whole time budget; CloudFront throttles such functions", o.Utilization), cffuzz.SeverityHigh
		if o.Utilization < 100 {
			msg = fmt.Sprintf("compute utilization %d: within the %d-point margin of the whole time budget it was raised at; CloudFront throttles such functions", o.Utilization, u.margin)
		}
	case o.Utilization > medium:
		msg, sev = fmt.Sprintf("compute utilization %d is above %d: CloudFront is likely to throttle this function", o.Utilization, u.threshold), cffuzz.SeverityMedium
	default:
		return nil
	}
	return []cffuzz.Signal{{
		Oracle:     "utilization",
		Severity:   capSlow(sev, c.Class),
		Kind:       KindSlow,
		Message:    msg,
		Key:        "compute-utilization",
		Confirm:    UtilizationConfirm,
		ConfirmGap: UtilizationConfirmGap,
		Score:      float64(max(o.Utilization, 0)),
	}}
}

// capSlow caps the severity of slowness on inputs CloudFront would not
// send in practice: malformed ones, and boundary ones (objects at the
// 40 KB limit, DNs and SAN lists longer than any certificate carries —
// the trust store takes certificates of at most 16 KB). goja is no njs:
// a per-character loop over a 26 KB DN that would be fast enough in
// CloudFront can be over budget here, and must not fail a clean function.
func capSlow(s cffuzz.Severity, class cffuzz.Class) cffuzz.Severity {
	if class == cffuzz.ClassBoundary {
		return min(s, MalformedCap)
	}
	return CapSeverity(s, class)
}
