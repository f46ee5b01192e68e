package oracles

import (
	"fmt"

	"github.com/cffuzz/cffuzz"
)

type differential struct{}

// Differential returns the differential oracle, named "differential". It
// compares an outcome with its Peer, the same case run on a second target
// (another endpoint, the LIVE stage, another version of the function), and
// raises, with severity medium (capped for ClassMalformed):
//
//   - Kind "error-differs" when their error classes differ: no error, a
//     function error of some name, or an API error of some code;
//   - Kind "decision-differs" when both ran and decided differently.
//
// Outcomes without a Peer, and pairs where either side was throttled or got
// no answer, raise nothing. Use Differential or Determinism, not both, as
// the runner's meaning of Peer dictates.
func Differential() Oracle { return differential{} }

func (differential) Name() string { return "differential" }

func (differential) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	a, b, ok := peers(o)
	if !ok {
		return nil
	}
	sev := CapSeverity(cffuzz.SeverityMedium, c.Class)
	if ea, eb := errorClass(a), errorClass(b); ea != eb {
		return []cffuzz.Signal{{
			Oracle: "differential", Severity: sev, Kind: "error-differs",
			Message: fmt.Sprintf("%s answered %s, %s answered %s", a.Target, ea, b.Target, eb),
			Key:     ea + " vs " + eb,
		}}
	}
	if da, db := decisionOf(a), decisionOf(b); a.OK() && b.OK() && da != db {
		return []cffuzz.Signal{{
			Oracle: "differential", Severity: sev, Kind: "decision-differs",
			Message: fmt.Sprintf("%s decided %s, %s decided %s", a.Target, da, b.Target, db),
			Key:     da + " vs " + db,
		}}
	}
	return nil
}

type determinism struct{}

// Determinism returns the determinism oracle, named "determinism". It
// compares an outcome with its Peer, a second run of the same case on the
// same target, and raises Kind "nondeterministic", severity medium (capped
// for ClassMalformed), when the two runs differ in decision or in whether
// the function failed. Outcomes without a Peer, and pairs where either side
// was not OK, raise nothing.
func Determinism() Oracle { return determinism{} }

func (determinism) Name() string { return "determinism" }

func (determinism) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	a, b, ok := peers(o)
	if !ok || !a.OK() || !b.OK() {
		return nil
	}
	var key, msg string
	switch ea, eb := a.FunctionError != "", b.FunctionError != ""; {
	case ea != eb:
		key = "error-presence"
		msg = "one run of the same case failed and the other did not: " + a.FunctionError + b.FunctionError
	case decisionOf(a) != decisionOf(b):
		key = "decision " + decisionOf(a) + " vs " + decisionOf(b)
		msg = "two runs of the same case decided " + decisionOf(a) + " and " + decisionOf(b)
	default:
		return nil
	}
	return []cffuzz.Signal{{
		Oracle: "determinism", Severity: CapSeverity(cffuzz.SeverityMedium, c.Class),
		Kind: "nondeterministic", Message: msg, Key: key,
	}}
}

// peers returns an outcome and its peer when both are comparable: the peer
// exists and neither side was throttled or went unanswered.
func peers(o *cffuzz.Outcome) (a, b *cffuzz.Outcome, ok bool) {
	b = o.Peer
	if b == nil {
		return nil, nil, false
	}
	for _, x := range []*cffuzz.Outcome{o, b} {
		if x.Throttled() || x.Transport != "" || x.Status == 0 {
			return nil, nil, false
		}
	}
	return o, b, true
}

// errorClass names an outcome's error class: "no error", "function
// TypeError", "timeout", "API 400 InvalidArgument"...
func errorClass(o *cffuzz.Outcome) string {
	switch {
	case !o.OK():
		return "API " + describe(o.Status, o.ErrorCode)
	case o.FunctionError != "":
		k := crashKind(o.ErrorName, o.FunctionError)
		return "function " + k
	default:
		return "no error"
	}
}

// decisionOf returns the decision, "none" when the function made none or
// the target could not tell.
func decisionOf(o *cffuzz.Outcome) string {
	if o.Decision == "" {
		return string(cffuzz.DecisionNone)
	}
	return string(o.Decision)
}
