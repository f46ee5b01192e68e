package oracles

import (
	"fmt"
	"strconv"

	"github.com/cffuzz/cffuzz"
)

// DefaultUtilizationThreshold is AWS's "likely to throttle" band: a compute
// utilization above 70 is "very close to or exceeds the maximum allowed time".
const DefaultUtilizationThreshold = 70

// UtilizationConfirm is how many extra runs must confirm a utilization
// signal, so that timing noise on a busy machine does not become a finding.
const UtilizationConfirm = 2

// UtilizationOptions configures the utilization oracle.
type UtilizationOptions struct {
	// Threshold is the utilization above which a signal is raised; zero
	// means DefaultUtilizationThreshold. Values at or above 100 only
	// raise the "over-100" band.
	Threshold int
}

type utilization struct{ threshold int }

// Utilization returns the utilization oracle, named "utilization". On an OK
// outcome whose ComputeUtilization is known, it raises:
//
//   - Kind "over-100", severity high, when utilization is 100 or more (the
//     function used its whole time budget);
//   - Kind "over-<threshold>" (by default "over-70"), severity medium, when
//     it is above the threshold.
//
// Severity is capped for ClassMalformed cases. Every signal asks for
// UtilizationConfirm confirming runs. A run that ended in a timeout is the
// crash oracle's finding, not this one's: it raises nothing here, whatever
// its utilization, so one slow input is never reported twice.
func Utilization(opts UtilizationOptions) Oracle {
	t := opts.Threshold
	if t <= 0 {
		t = DefaultUtilizationThreshold
	}
	return utilization{threshold: t}
}

func (utilization) Name() string { return "utilization" }

func (u utilization) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	if !o.OK() || o.Utilization < 0 {
		return nil
	}
	if o.FunctionError != "" && crashKind(o.ErrorName, o.FunctionError) == KindTimeout {
		return nil
	}
	var kind string
	var sev cffuzz.Severity
	switch {
	case o.Utilization >= 100:
		kind, sev = "over-100", cffuzz.SeverityHigh
	case o.Utilization > u.threshold:
		kind, sev = "over-"+strconv.Itoa(u.threshold), cffuzz.SeverityMedium
	default:
		return nil
	}
	return []cffuzz.Signal{{
		Oracle:   "utilization",
		Severity: CapSeverity(sev, c.Class),
		Kind:     kind,
		Message:  fmt.Sprintf("compute utilization %d is above %d: CloudFront is likely to throttle this function", o.Utilization, min(u.threshold, 99)),
		Key:      "compute-utilization",
		Confirm:  UtilizationConfirm,
	}}
}
