package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

// findingFields and reportFields are the contract fields of findings.json
// and report.json (README, "The CLI contract").
var (
	findingFields = []string{"oracle", "severity", "kind", "signature", "message", "count", "seed", "case",
		"family", "class", "reproducer", "original", "minimized", "original_size", "minimized_size", "shrink_steps", "corpus_file"}
	reportFields = []string{"cases", "cases_per_second", "requests", "throttles", "retries", "transport_errors",
		"by_family", "by_class", "by_outcome", "utilization", "findings_by_severity", "stop_reason"}
	utilizationFields = []string{"count", "p50", "p90", "p95", "p99", "max", "histogram"}
)

func requireKeys(t *testing.T, what string, m map[string]any, keys []string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s has no %q field", what, k)
		}
	}
}

func TestOutputs(t *testing.T) {
	out := demoRun(t)

	var report map[string]any
	readJSON(t, filepath.Join(out, "report.json"), &report)
	requireKeys(t, "report.json", report, reportFields)
	if report["cases"] != 400.0 {
		t.Errorf("report.json cases = %v, want 400", report["cases"])
	}
	if r, _ := report["cases_per_second"].(float64); r <= 0 {
		t.Errorf("report.json cases_per_second = %v, want > 0", report["cases_per_second"])
	}
	for _, k := range []string{"by_family", "by_outcome"} {
		m, _ := report[k].(map[string]any)
		sum := 0.0
		for _, v := range m {
			sum += v.(float64)
		}
		if sum != 400 {
			t.Errorf("report.json %s adds up to %v cases, want 400: %v", k, sum, m)
		}
	}
	util, _ := report["utilization"].(map[string]any)
	requireKeys(t, "report.json utilization", util, utilizationFields)

	var findings struct{ Findings []map[string]any }
	readJSON(t, filepath.Join(out, "findings.json"), &findings)
	if len(findings.Findings) == 0 {
		t.Fatal("findings.json has no findings for the demo")
	}
	for i, f := range findings.Findings {
		requireKeys(t, "findings.json finding", f, findingFields)
		if f["count"].(float64) < 1 || f["minimized_size"].(float64) > f["original_size"].(float64) {
			t.Errorf("finding %d: count %v, sizes %v→%v", i, f["count"], f["original_size"], f["minimized_size"])
		}
		if !strings.HasPrefix(f["reproducer"].(string), "fuzz replay ") {
			t.Errorf("finding %d: reproducer %q is not a replay command", i, f["reproducer"])
		}
	}

	for _, name := range []string{"junit.xml", "results.sarif", "summary.md", "report.html", "metrics.prom"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || len(data) == 0 {
			t.Errorf("%s: %v, %d bytes", name, err, len(data))
		}
	}
	var junit struct {
		XMLName xml.Name
	}
	data, _ := os.ReadFile(filepath.Join(out, "junit.xml"))
	if err := xml.Unmarshal(data, &junit); err != nil {
		t.Errorf("junit.xml: %v", err)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []json.RawMessage
	}
	readJSON(t, filepath.Join(out, "results.sarif"), &sarif)
	if sarif.Version != "2.1.0" || len(sarif.Runs) != 1 {
		t.Errorf("results.sarif: version %q, %d runs", sarif.Version, len(sarif.Runs))
	}
	if prom, _ := os.ReadFile(filepath.Join(out, "metrics.prom")); !strings.Contains(string(prom), "cffuzz_") {
		t.Errorf("metrics.prom has no cffuzz_ metrics:\n%.500s", prom)
	}
}

// replayArgs turns a reproducer command ("fuzz replay ... FILE") into the
// arguments of run, with --out inserted before the entry.
func replayArgs(t *testing.T, reproducer, out string) []string {
	t.Helper()
	cmd, _, _ := strings.Cut(reproducer, "#")
	fields := strings.Fields(cmd)
	if len(fields) < 3 || fields[0] != "fuzz" || fields[1] != "replay" {
		t.Fatalf("reproducer %q is not `fuzz replay ...`", reproducer)
	}
	for _, f := range fields {
		if strings.ContainsAny(f, `'"\`) {
			t.Fatalf("reproducer %q needs a shell to unquote; this test splits on spaces", reproducer)
		}
	}
	return append([]string{"replay", "--out", out}, fields[2:]...)
}

// TestReproducer runs the replay command findings.json prints, exactly: the
// bug is still there, so it fails; against the clean function the same
// corpus passes.
func TestReproducer(t *testing.T) {
	out := demoRun(t)
	var findings struct{ Findings []map[string]any }
	readJSON(t, filepath.Join(out, "findings.json"), &findings)
	for _, f := range findings.Findings {
		replayOut := t.TempDir()
		r := fuzz(t, replayArgs(t, f["reproducer"].(string), replayOut)...)
		// replay judges as run does: a finding below --fail-on (default
		// medium) still reproduces, as a note, and passes.
		low := f["severity"] == "low" || f["severity"] == "info"
		if low {
			mustCode(t, r, exitOK, "replay of the low "+f["signature"].(string))
			if !strings.Contains(r.stdout, "still reproduces; below --fail-on medium") {
				t.Errorf("replay of a low finding does not say it still reproduces:\n%s", r.stdout)
			}
			continue
		}
		mustCode(t, r, exitFindings, "replay of "+f["signature"].(string))
		data, err := os.ReadFile(filepath.Join(replayOut, "replay-junit.xml"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "<failure") {
			t.Errorf("replay-junit.xml records no failure for a %s finding:\n%s", f["severity"], data)
		}
		if !strings.Contains(string(data), `<testcase classname="cffuzz.replay" name="`+filepath.Base(f["corpus_file"].(string))) {
			t.Errorf("replay-junit.xml has no test case for the entry:\n%s", data)
		}
		if !strings.Contains(r.stdout, "1 entries replayed, 1 still fail") {
			t.Errorf("replay stdout:\n%s", r.stdout)
		}
	}

	args := append([]string{"replay", "--out", t.TempDir(), "--isolation", "inprocess"}, cleanArgs()...)
	r := fuzz(t, append(args, filepath.Join(out, "corpus"))...)
	mustCode(t, r, exitOK, "replay of the demo's corpus against clean.js")
	if want := "0 still fail"; !strings.Contains(r.stdout, want) {
		t.Errorf("replay stdout does not say %q:\n%s", want, r.stdout)
	}
}

// TestSummaryAndProgress checks where the output goes: the closing summary
// with replay commands on stdout, progress on stderr, nothing but the
// summary with --quiet.
func TestSummaryAndProgress(t *testing.T) {
	tests := []struct {
		reason     string
		flags      []string
		wantStderr []string // substrings of stderr; nil means stderr must be empty
	}{
		{"--progress log prints progress lines on stderr", []string{"--progress", "log"},
			[]string{"running the demonstration campaign", "] 400"}},
		{"--quiet prints only the summary", []string{"--quiet", "--progress", "log"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.flags[0], func(t *testing.T) {
			args := append([]string{"run", "--out", t.TempDir()}, quick("400")...)
			r := fuzz(t, append(args, tt.flags...)...)
			mustCode(t, r, exitFindings, tt.reason)
			if !strings.HasPrefix(r.stdout, "FAIL: 400 cases") || !strings.Contains(r.stdout, "replay: fuzz replay ") {
				t.Errorf("%s: stdout is not the summary with replay commands:\n%s", tt.reason, r.stdout)
			}
			if strings.Contains(r.stdout, "[00:") {
				t.Errorf("%s: progress went to stdout:\n%s", tt.reason, r.stdout)
			}
			if tt.wantStderr == nil && r.stderr != "" {
				t.Errorf("%s: stderr is not empty:\n%s", tt.reason, r.stderr)
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("%s: stderr has no %q:\n%s", tt.reason, s, r.stderr)
				}
			}
		})
	}
}

// TestProgressShowsTheShardsBudget: with --shard 2/4 the progress counts
// the cases this job runs (a quarter of --cases), not the whole space.
func TestProgressShowsTheShardsBudget(t *testing.T) {
	args := append([]string{"run", "--out", t.TempDir(), "--progress", "log", "--shard", "2/4", "--fail-on", "none", "--corpus", "-"}, quick("400")...)
	r := fuzz(t, args...)
	mustCode(t, r, exitOK, "a shard gated at --fail-on none")
	if !strings.Contains(r.stderr, "100/100 cases") || strings.Contains(r.stderr, "/400") {
		t.Errorf("the progress does not count the shard's 100 cases of 400:\n%s", r.stderr)
	}
}

// TestInterrupt cancels a long campaign after a second, as Ctrl-C does: the
// reports are still written and say why the campaign stopped, and the exit
// code is 130, never a pass.
func TestInterrupt(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timer := time.AfterFunc(time.Second, cancel)
	defer timer.Stop()
	r := fuzzCtx(t, ctx, "run", "--duration", "30s", "--isolation", "inprocess", "--metrics-addr", "",
		"--out", out, "--progress", "none")
	if r.code != exitInterrupted {
		t.Fatalf("interrupted campaign: exit code %d, want %d\nstderr:\n%s", r.code, exitInterrupted, r.stderr)
	}
	var report struct {
		StopReason string `json:"stop_reason"`
		Cases      int64  `json:"cases"`
	}
	readJSON(t, filepath.Join(out, "report.json"), &report)
	if report.StopReason != "interrupted" || report.Cases == 0 {
		t.Errorf("report.json: stop_reason %q after %d cases, want interrupted", report.StopReason, report.Cases)
	}
	for _, name := range []string{"findings.json", "summary.md", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("interrupted campaign did not write %s: %v", name, err)
		}
	}
	if !strings.Contains(r.stdout, "cases in") {
		t.Errorf("interrupted campaign printed no summary:\n%s", r.stdout)
	}
}

// TestReportRerender deletes report.html and renders it again from the JSON
// files; a corrupt findings.json is a usage error that names the file.
func TestReportRerender(t *testing.T) {
	out := demoRun(t)
	html := filepath.Join(out, "report.html")
	if err := os.Remove(html); err != nil {
		t.Fatal(err)
	}
	// The demo's findings reach --fail-on medium: report exits as run did.
	r := fuzz(t, "report", "--function", example("demo.js"), out)
	mustCode(t, r, exitFindings, "fuzz report")
	if st, err := os.Stat(html); err != nil || st.Size() == 0 {
		t.Fatalf("report.html was not rendered again: %v", err)
	}

	tests := []struct {
		reason string
		args   []string
		stderr string
	}{
		{"a truncated findings.json is named", []string{"report", out}, "findings.json"},
		{"report needs a directory", []string{"report"}, "one directory"},
		{"a missing directory is named", []string{"report", filepath.Join(out, "nope")}, "nope"},
	}
	if err := os.WriteFile(filepath.Join(out, "findings.json"), []byte(`{"findings":[`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		r := fuzz(t, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 mentioning %q", tt.reason, r.code, r.stderr, tt.stderr)
		}
	}
}

// TestReportOfAKilledRun: a directory without report.json but with a
// findings journal is a campaign that ended before writing its reports;
// fuzz report says what the journal holds (worst first, with the corpus
// entries) and exits 2, never as if it had re-rendered a campaign.
func TestReportOfAKilledRun(t *testing.T) {
	out := t.TempDir()
	lines := []reports.JournalLine{
		{Event: reports.EventRaised, Finding: cffuzz.Finding{Oracle: "decision", Severity: cffuzz.SeverityMedium, Signature: "decision/none", Message: "neither allow() nor deny()", CorpusFile: "c/1111111111111111"}},
		{Event: reports.EventRaised, Finding: cffuzz.Finding{Oracle: "crash", Severity: cffuzz.SeverityLow, Signature: "crash/TypeError@3:1", Message: "TypeError: x is null", CorpusFile: "c/2222222222222222"}},
		{Event: reports.EventRaised, Finding: cffuzz.Finding{Oracle: "crash", Severity: cffuzz.SeverityHigh, Signature: "crash/TypeError@3:1", Message: "TypeError: x is null", CorpusFile: "c/3333333333333333"}},
		{Event: reports.EventStored, Finding: cffuzz.Finding{Oracle: "crash", Severity: cffuzz.SeverityHigh, Signature: "crash/TypeError@3:1", Message: "TypeError: x is null", CorpusFile: "c/4444444444444444"}},
	}
	var b strings.Builder
	for _, l := range lines {
		data, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(data, '\n'))
	}
	b.WriteString(`{"event":"rai`) // the kill
	if err := os.WriteFile(filepath.Join(out, reports.JournalFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r := fuzz(t, "report", "--fail-on", "high", out)
	mustCode(t, r, exitUsage, "fuzz report of a killed run")
	for _, want := range []string{"holds 2 findings (1 confirmed and stored, 1 raised only); 1 at or above high; 1 line unreadable", "c/4444444444444444", "c/1111111111111111"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the journal summary lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Index(r.stdout, "TypeError") > strings.Index(r.stdout, "neither") {
		t.Errorf("the high crash is not listed first:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "has no report.json") {
		t.Errorf("stderr does not say why: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err == nil {
		t.Error("reports were rendered from a journal alone")
	}
}
