package cffuzz_test

import (
	"testing"

	"github.com/cffuzz/cffuzz"
)

func TestJudge(t *testing.T) {
	low := cffuzz.Finding{Severity: cffuzz.SeverityLow}
	high := cffuzz.Finding{Severity: cffuzz.SeverityHigh}
	tests := []struct {
		reason   string
		stop     cffuzz.StopReason
		findings []cffuzz.Finding
		failOn   cffuzz.Severity
		want     cffuzz.Verdict
		failing  int
		below    int
	}{
		{"nothing found", cffuzz.StopCases, nil, cffuzz.SeverityMedium, cffuzz.VerdictPass, 0, 0},
		{"a finding below the gate passes", cffuzz.StopCases, []cffuzz.Finding{low}, cffuzz.SeverityMedium, cffuzz.VerdictPass, 0, 1},
		{"a finding at the gate fails", cffuzz.StopDuration, []cffuzz.Finding{low, high}, cffuzz.SeverityHigh, cffuzz.VerdictFail, 1, 1},
		{"--fail-on info fails on every finding", cffuzz.StopCases, []cffuzz.Finding{low}, cffuzz.SeverityInfo, cffuzz.VerdictFail, 1, 0},
		{"--fail-on none fails on nothing", cffuzz.StopCases, []cffuzz.Finding{high}, cffuzz.SeverityNone, cffuzz.VerdictPass, 0, 1},
		{"an interrupted campaign never passes", cffuzz.StopInterrupted, nil, cffuzz.SeverityMedium, cffuzz.VerdictInterrupted, 0, 0},
		{"interrupted wins over findings", cffuzz.StopInterrupted, []cffuzz.Finding{high}, cffuzz.SeverityMedium, cffuzz.VerdictInterrupted, 1, 0},
		{"a hung target is an error, not a pass", cffuzz.StopTargetHung, nil, cffuzz.SeverityMedium, cffuzz.VerdictError, 0, 0},
		{"an error is an error", cffuzz.StopError, []cffuzz.Finding{high}, cffuzz.SeverityMedium, cffuzz.VerdictError, 1, 0},
	}
	for _, tt := range tests {
		if got := cffuzz.Judge(tt.stop, tt.findings, tt.failOn); got != tt.want {
			t.Errorf("%s: Judge = %s, want %s", tt.reason, got, tt.want)
		}
		failing, below := cffuzz.CountFailing(tt.findings, tt.failOn)
		if failing != tt.failing || below != tt.below {
			t.Errorf("%s: CountFailing = %d, %d, want %d, %d", tt.reason, failing, below, tt.failing, tt.below)
		}
	}
}
