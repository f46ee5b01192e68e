package cffuzz

// This file holds the gate: which findings fail a run (--fail-on) and the
// one-word verdict of a campaign. The campaign, replay, every report and
// the terminal summary count and judge through these functions, so that
// they never disagree.

// Fails reports whether a finding of severity s fails a run gated at
// failOn: s is at or above it. SeverityNone as failOn fails nothing.
func (s Severity) Fails(failOn Severity) bool { return s >= failOn }

// CountFailing returns how many findings fail a run gated at failOn, and
// how many are below it (reported, but passing).
func CountFailing(findings []Finding, failOn Severity) (failing, below int) {
	for _, f := range findings {
		if f.Severity.Fails(failOn) {
			failing++
		} else {
			below++
		}
	}
	return failing, below
}

// Verdict is a campaign's outcome in one word.
type Verdict string

// The verdicts.
const (
	// VerdictPass: the campaign ran what was asked and nothing fails it.
	VerdictPass Verdict = "PASS"
	// VerdictFail: a finding is at or above the gate.
	VerdictFail Verdict = "FAIL"
	// VerdictInterrupted: the campaign was interrupted (Ctrl-C, SIGTERM).
	VerdictInterrupted Verdict = "INTERRUPTED"
	// VerdictError: the campaign stopped on an error, or its target hung.
	VerdictError Verdict = "ERROR"
)

// Judge gives the verdict of a campaign that stopped for stop with
// findings, gated at failOn. A campaign that was interrupted, stopped on
// an error or whose target hung never passes, whatever it found: it did
// not run what was asked.
func Judge(stop StopReason, findings []Finding, failOn Severity) Verdict {
	failing, _ := CountFailing(findings, failOn)
	switch {
	case stop == StopError, stop == StopTargetHung:
		return VerdictError
	case stop == StopInterrupted:
		return VerdictInterrupted
	case failing > 0:
		return VerdictFail
	}
	return VerdictPass
}
