package reports

import (
	"fmt"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// decisionCounts is "allow 812, deny 350, none 38" from Report.ByDecision
// (allow, deny and none always, in that order, then any other), or "" when
// the report has no decision counts.
func decisionCounts(r *cffuzz.Report) string {
	if len(r.ByDecision) == 0 {
		return ""
	}
	parts := []string{}
	for _, d := range []cffuzz.Decision{cffuzz.DecisionAllow, cffuzz.DecisionDeny, cffuzz.DecisionNone} {
		parts = append(parts, fmt.Sprintf("%s %d", d, r.ByDecision[string(d)]))
	}
	for _, kv := range sortedCounts(r.ByDecision) {
		switch cffuzz.Decision(kv.Key) {
		case cffuzz.DecisionAllow, cffuzz.DecisionDeny, cffuzz.DecisionNone:
		default:
			parts = append(parts, fmt.Sprintf("%s %d", kv.Key, kv.Value))
		}
	}
	return strings.Join(parts, ", ")
}
