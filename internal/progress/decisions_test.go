package progress_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/progress"
)

func TestSummaryVerdictAndDecisions(t *testing.T) {
	for _, tc := range []struct {
		reason string
		report cffuzz.Report
		want   []string
		not    []string
	}{
		{"decisions are totals too", cffuzz.Report{Cases: 10, StopReason: "cases", ByDecision: map[string]int64{"allow": 6, "deny": 3, "none": 1}},
			[]string{"PASS: 10 cases", "decisions: allow 6, deny 3, none 1"}, nil},
		{"a duration that ended the campaign is said", cffuzz.Report{Cases: 2, StopReason: "duration"},
			[]string{"PASS: 2 cases", "stopped by: duration"}, nil},
		{"a full budget is not worth a line", cffuzz.Report{Cases: 5, StopReason: "cases"},
			[]string{"PASS: 5 cases"}, []string{"stopped by"}},
		{"an interrupted campaign never passes", cffuzz.Report{Cases: 4, StopReason: "interrupted"},
			[]string{"INTERRUPTED: 4 cases"}, []string{"PASS", "decisions:"}},
	} {
		var buf bytes.Buffer
		progress.Summary(&buf, &tc.report, nil, cffuzz.SeverityMedium, "out", 5)
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s: summary lacks %q:\n%s", tc.reason, w, buf.String())
			}
		}
		for _, w := range tc.not {
			if strings.Contains(buf.String(), w) {
				t.Errorf("%s: summary has %q:\n%s", tc.reason, w, buf.String())
			}
		}
	}
}
