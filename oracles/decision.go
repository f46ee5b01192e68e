package oracles

import (
	"strings"

	"github.com/cffuzz/cffuzz"
)

type decision struct{}

// Decision returns the decision oracle, named "decision". On an OK outcome
// without a function error it raises:
//
//   - Kind "no-decision" when the function called neither allow() nor deny()
//     (Decision "none"; CloudFront then denies, which is rarely meant);
//   - Kind "multiple-decisions" when it called them more than once in all
//     (both, or one of them twice): one bug, whatever the pattern, which
//     the message names.
//
// Severity is medium, capped for ClassMalformed. An empty Decision means the
// target could not tell (AWS does not document its output) and raises
// nothing. Outcomes with a function error are the crash oracle's.
func Decision() Oracle { return decision{} }

func (decision) Name() string { return "decision" }

func (decision) Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal {
	if !o.OK() || o.FunctionError != "" {
		return nil
	}
	sev := CapSeverity(cffuzz.SeverityMedium, c.Class)
	var out []cffuzz.Signal
	if o.Decision == cffuzz.DecisionNone {
		out = append(out, cffuzz.Signal{
			Oracle: "decision", Severity: sev, Kind: "no-decision",
			Message: "the function called neither allow() nor deny(): CloudFront denies the connection",
			Key:     "none",
		})
	}
	if n := max(len(o.Calls), o.CallCount); n > 1 {
		shown := o.Calls
		if len(shown) > 4 {
			shown = append(shown[:3:3], "…")
		}
		out = append(out, cffuzz.Signal{
			Oracle: "decision", Severity: sev, Kind: "multiple-decisions",
			Message: "the function decided " + plural(n, "time") + " (" + strings.Join(shown, ", ") + "), " + callsPattern(o.Calls) + ": only the first counts",
			Key:     "multiple",
		})
	}
	return out
}

// callsPattern names the pattern of repeated decisions without their
// count, which varies with the input.
func callsPattern(calls []string) string {
	seen := map[string]bool{}
	for _, c := range calls {
		seen[c] = true
	}
	switch {
	case seen["allow"] && seen["deny"]:
		return "allow+deny"
	case len(seen) == 1:
		return "repeated-" + calls[0]
	default:
		return "mixed"
	}
}
