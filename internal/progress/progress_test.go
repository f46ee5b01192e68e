package progress_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/progress"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestLine(t *testing.T) {
	tests := []struct {
		reason string
		s      runner.Snapshot
		want   string
	}{
		{"cases budget: count, rate, ETA", runner.Snapshot{Phase: "cases", Elapsed: 10 * time.Second, Cases: 1000, CasesPerSec: 100, Budget: 2000, ETA: 10 * time.Second},
			"[00:10] 1000/2000 cases, 100/s, 0 findings, ETA 00:10"},
		{"findings by severity and p95 utilization", runner.Snapshot{Phase: "cases", Elapsed: time.Second, Cases: 5, CasesPerSec: 5,
			Findings: 3, FindingsBySeverity: map[string]int{"high": 1, "low": 2}, UtilizationP95: 42},
			"[00:01] 5 cases, 5/s, 3 findings (1 high, 2 low), p95 utilization 42"},
		{"throttles, retries and the current rate", runner.Snapshot{Phase: "cases", Elapsed: time.Minute, Cases: 60, CasesPerSec: 1, Throttles: 4, Retries: 2, Rate: 0.5, Duration: 2 * time.Minute, ETA: time.Minute},
			"[01:00] 60 cases, 1/s, 0 findings, 4 throttles, 2 retries, rate 0.5/s, ETA 01:00"},
		{"the findings phase has no ETA", runner.Snapshot{Phase: "findings", Elapsed: time.Hour + time.Second, Cases: 10, CasesPerSec: 1, Budget: 10, ETA: time.Second},
			"[1:00:01] 10/10 cases, 1/s, 0 findings confirming and minimizing findings…"},
		{"the budget is the runner's: a shard of --cases 400 shows its share", runner.Snapshot{Phase: "cases", Elapsed: 5 * time.Second, Cases: 50, CasesPerSec: 10, Budget: 100, ETA: 5 * time.Second},
			"[00:05] 50/100 cases, 10/s, 0 findings, ETA 00:05"},
	}
	for _, tt := range tests {
		if got := progress.Line(tt.s); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.reason, got, tt.want)
		}
	}
}

// TestVerdictAgreesWithReports: the terminal summary's first word is the
// verdict the reports give, for every way a campaign can end.
func TestVerdictAgreesWithReports(t *testing.T) {
	high := []cffuzz.Finding{{Oracle: "crash", Severity: cffuzz.SeverityHigh, Signature: "crash/x", Message: "x", Count: 1}}
	low := []cffuzz.Finding{{Oracle: "crash", Severity: cffuzz.SeverityLow, Signature: "crash/y", Message: "y", Count: 1}}
	tests := []struct {
		reason   string
		stop     cffuzz.StopReason
		findings []cffuzz.Finding
		want     cffuzz.Verdict
	}{
		{"clean", cffuzz.StopCases, nil, cffuzz.VerdictPass},
		{"below the gate", cffuzz.StopDuration, low, cffuzz.VerdictPass},
		{"at the gate", cffuzz.StopCases, high, cffuzz.VerdictFail},
		{"interrupted", cffuzz.StopInterrupted, high, cffuzz.VerdictInterrupted},
		{"stopped on an error", cffuzz.StopError, nil, cffuzz.VerdictError},
		{"the target hung", cffuzz.StopTargetHung, nil, cffuzz.VerdictError},
	}
	for _, tt := range tests {
		r := &cffuzz.Report{Version: 1, Tool: "cffuzz", Cases: 3, Target: "emulator", StopReason: tt.stop}
		var sum, md bytes.Buffer
		progress.Summary(&sum, r, tt.findings, cffuzz.SeverityMedium, "out", 8)
		if err := reports.WriteMarkdown(&md, r, tt.findings, reports.Options{FailOn: cffuzz.SeverityMedium}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sum.String(), string(tt.want)+":") {
			t.Errorf("%s: summary starts %q, want %s", tt.reason, strings.SplitN(sum.String(), "\n", 2)[0], tt.want)
		}
		if !strings.Contains(md.String(), "**"+string(tt.want)+"**") {
			t.Errorf("%s: summary.md does not say **%s**:\n%s", tt.reason, tt.want, md.String())
		}
	}
}

func TestPrinterModes(t *testing.T) {
	snap := func(sec int) runner.Snapshot {
		return runner.Snapshot{Phase: "cases", Elapsed: time.Duration(sec) * time.Second, Cases: int64(sec), CasesPerSec: 1}
	}
	tests := []struct {
		reason    string
		mode      string
		snaps     []runner.Snapshot
		wantLines int
		wantCR    bool
	}{
		{"log mode writes a line per interval", progress.ModeLog, []runner.Snapshot{snap(1), snap(5), snap(11), snap(12), snap(21)}, 3, false},
		{"log mode always writes the findings phase", progress.ModeLog, []runner.Snapshot{snap(1), {Phase: "findings", Elapsed: 2 * time.Second}}, 2, false},
		{"line mode redraws in place and ends with a newline", progress.ModeLine, []runner.Snapshot{snap(1), snap(2)}, 1, true},
		{"none shows nothing", progress.ModeNone, []runner.Snapshot{snap(1), snap(30)}, 0, false},
		{"auto on a buffer is log mode", progress.ModeAuto, []runner.Snapshot{snap(1)}, 1, false},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		p, err := progress.New(&buf, progress.Options{Mode: tt.mode})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range tt.snaps {
			p.Update(s)
		}
		p.Done()
		out := buf.String()
		if n := strings.Count(out, "\n"); n != tt.wantLines || strings.Contains(out, "\r") != tt.wantCR {
			t.Errorf("%s: got %d lines (CR %v), want %d (CR %v):\n%q", tt.reason, n, strings.Contains(out, "\r"), tt.wantLines, tt.wantCR, out)
		}
	}
	if _, err := progress.New(&bytes.Buffer{}, progress.Options{Mode: "fancy"}); err == nil {
		t.Error("an unknown mode must be an error")
	}
}

func TestSummaryGolden(t *testing.T) {
	r := &cffuzz.Report{Cases: 5000, CasesPerSec: 1234.5, DurationMS: 4100, Target: "emulator",
		FindingsBySeverity: map[string]int{"high": 1, "medium": 1, "low": 1},
		Utilization:        cffuzz.UtilizationSummary{Count: 4990, P50: 3, P95: 12, Max: 140}}
	findings := []cffuzz.Finding{
		{Oracle: "crash", Severity: cffuzz.SeverityHigh, Message: "the function failed: TypeError: Cannot read property 'leaf' of undefined at line 74:45",
			Line: 74, Column: 45, Count: 303, OriginalSize: 1747, MinimizedSize: 120, Reproducer: "fuzz replay cffuzz-out/corpus/44136fa355b3678a"},
		{Oracle: "decision", Severity: cffuzz.SeverityMedium, Message: "the function called neither allow() nor deny()", Count: 26,
			OriginalSize: 4661, MinimizedSize: 119, Reproducer: "fuzz replay cffuzz-out/corpus/a1ff9634b940a629"},
		{Oracle: "crash", Severity: cffuzz.SeverityLow, Message: "the function failed:\n  SyntaxError", Line: 3, Column: 1, Count: 1},
	}
	var buf bytes.Buffer
	progress.Summary(&buf, r, findings, cffuzz.SeverityMedium, "cffuzz-out", 2)
	golden := filepath.Join("testdata", "summary.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if buf.String() != string(want) {
		t.Errorf("summary differs from %s (run with -update if the change is intended):\n%s", golden, buf.String())
	}
}

// TestSummaryOrder: the summary lists findings in the one order
// (cffuzz.CompareFindings) whatever order it is given them in.
func TestSummaryOrder(t *testing.T) {
	findings := []cffuzz.Finding{
		{Oracle: "redos", Severity: cffuzz.SeverityMedium, Signature: "redos/a", Message: "few", Count: 1},
		{Oracle: "crash", Severity: cffuzz.SeverityLow, Signature: "crash/b", Message: "low", Count: 9},
		{Oracle: "decision", Severity: cffuzz.SeverityMedium, Signature: "decision/c", Message: "many", Count: 7},
		{Oracle: "crash", Severity: cffuzz.SeverityHigh, Signature: "crash/d", Message: "worst", Count: 1},
	}
	var buf bytes.Buffer
	progress.Summary(&buf, &cffuzz.Report{Target: "emulator"}, findings, cffuzz.SeverityMedium, "out", 8)
	out := buf.String()
	last := -1
	for _, msg := range []string{"worst", "many", "few", "low"} {
		i := strings.Index(out, " "+msg+" ")
		if i < 0 {
			t.Fatalf("%q is missing from the summary:\n%s", msg, out)
		}
		if i < last {
			t.Errorf("%q is out of order:\n%s", msg, out)
		}
		last = i
	}
	if findings[0].Message != "few" {
		t.Error("Summary reordered its caller's slice")
	}
}
