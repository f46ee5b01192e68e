package redos

import (
	"cmp"
	"slices"

	"github.com/cffuzz/cffuzz"
)

// Oracle is the name findings of this package carry.
const Oracle = "redos"

// Findings scans a function's source and returns its catastrophic regular
// expressions as campaign findings: oracle "redos", kind "exponential"
// (severity medium) or "polynomial" (low), located at the literal, with
// the attack string in the message. They have no connection object (the
// analysis cannot know which field reaches the pattern), so no corpus entry
// or reproducer file.
func Findings(src []byte) []cffuzz.Finding {
	var out []cffuzz.Finding
	for _, f := range Scan(src) {
		sev := cffuzz.SeverityMedium
		if f.Degree == Polynomial {
			sev = cffuzz.SeverityLow
		}
		sig := cffuzz.Signal{Oracle: Oracle, Kind: f.Degree, Line: f.Line, Key: "/" + f.Pattern + "/" + f.Flags}
		out = append(out, cffuzz.Finding{
			Oracle: Oracle, Severity: sev, Kind: f.Degree, Signature: sig.Signature(), Message: f.Message(),
			Count: 1, Family: "static", Class: cffuzz.ClassProduction, Line: f.Line, Column: f.Column,
		})
	}
	return out
}

// AddFindings appends the findings of src to a campaign's findings and
// report: worst first, counted by severity.
func AddFindings(src []byte, findings []cffuzz.Finding, rep *cffuzz.Report) []cffuzz.Finding {
	extra := Findings(src)
	if len(extra) == 0 {
		return findings
	}
	out := append(slices.Clone(findings), extra...)
	slices.SortStableFunc(out, func(a, b cffuzz.Finding) int { return cmp.Compare(b.Severity, a.Severity) })
	if rep != nil {
		if rep.FindingsBySeverity == nil {
			rep.FindingsBySeverity = map[string]int{}
		}
		for _, f := range extra {
			rep.FindingsBySeverity[f.Severity.String()]++
		}
	}
	return out
}
