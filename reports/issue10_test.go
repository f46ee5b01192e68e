package reports_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

// readAll returns every file WriteAll wrote in dir, by name.
func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{reports.ReportFile, reports.FindingsFile, reports.JUnitFile, reports.SARIFFile, reports.SummaryFile, reports.HTMLFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(b)
	}
	return out
}

func TestFailOnNoneNeverRendersANumber(t *testing.T) {
	dir := t.TempDir()
	opts := sampleOptions()
	opts.FailOn = cffuzz.SeverityNone
	if err := reports.WriteAll(dir, sampleReport(), sampleFindings(), opts); err != nil {
		t.Fatal(err)
	}
	for name, content := range readAll(t, dir) {
		if strings.Contains(content, "severity(") {
			t.Errorf("%s renders an unnamed severity with --fail-on none", name)
		}
	}
	files := readAll(t, dir)
	if strings.Contains(files[reports.SummaryFile], "FAIL") || !strings.Contains(files[reports.HTMLFile], `class="verdict PASS"`) {
		t.Error("the verdict is not PASS although nothing reaches --fail-on none")
	}
	if s := cffuzz.SeverityNone.String(); s != "none" {
		t.Errorf("SeverityNone prints as %q", s)
	}
	if v, err := cffuzz.ParseSeverity(cffuzz.SeverityNone.String()); err != nil || v != cffuzz.SeverityNone {
		t.Errorf("none does not parse back: %v, %v", v, err)
	}
}

func TestInterruptedNeverPasses(t *testing.T) {
	dir := t.TempDir()
	r := sampleReport()
	r.StopReason = "interrupted"
	if err := reports.WriteAll(dir, r, nil, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	files := readAll(t, dir)
	if strings.Contains(files[reports.SummaryFile], "PASS") || !strings.Contains(files[reports.SummaryFile], "**INTERRUPTED** — the campaign was interrupted after 1200 cases") {
		t.Errorf("summary.md does not say the campaign was interrupted (or says PASS):\n%s", files[reports.SummaryFile])
	}
	if strings.Contains(files[reports.HTMLFile], `class="verdict PASS"`) || !strings.Contains(files[reports.HTMLFile], `class="verdict INTERRUPTED"`) {
		t.Error("report.html does not give the verdict INTERRUPTED")
	}
	if !strings.Contains(files[reports.JUnitFile], `type="interrupted"`) {
		t.Error("junit.xml has no error for the interruption: a CI test view would show all green")
	}
	if !strings.Contains(files[reports.SARIFFile], `"executionSuccessful": false`) {
		t.Error("results.sarif says the interrupted run executed successfully")
	}
}

func TestDecisionCountsInEveryFormatWithTotals(t *testing.T) {
	dir := t.TempDir()
	if err := reports.WriteAll(dir, sampleReport(), sampleFindings(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	files := readAll(t, dir)
	for _, c := range []struct{ reason, file, want string }{
		{"report.json carries the counts", reports.ReportFile, `"by_decision": {
    "allow": 702,
    "deny": 433,
    "none": 40
  }`},
		{"summary.md has a row", reports.SummaryFile, "| Decisions | allow 702, deny 433, none 40 |"},
		{"report.html has a stat", reports.HTMLFile, `<div class="v" id="decisions">allow 702, deny 433, none 40</div>`},
		{"report.html has a table row for none", reports.HTMLFile, `<tr><td>none (no decision: a deny)</td><td class="num">40</td></tr>`},
		{"junit.xml has properties", reports.JUnitFile, `<property name="decisions_none" value="40">`},
	} {
		if !strings.Contains(files[c.file], c.want) {
			t.Errorf("%s: %s lacks %q", c.reason, c.file, c.want)
		}
	}
}

// TestUtilizationAxisFitsTheMax: a maximum above 100 % (762) must be on the
// axis, not cut at 100 while the caption says 762.
func TestUtilizationAxisFitsTheMax(t *testing.T) {
	for _, tc := range []struct {
		reason string
		max    int
		want   string
	}{
		{"far over the budget", 762, ">762</text>"},
		{"just over", 104, ">110</text>"},
	} {
		r := sampleReport()
		r.Utilization.Max = tc.max
		var buf bytes.Buffer
		if err := reports.WriteHTML(&buf, r, nil, sampleOptions()); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		start := strings.Index(html, `<svg class="chart" role="img"`)
		end := strings.Index(html[start:], "</svg>")
		chart := html[start : start+end]
		if !strings.Contains(chart, tc.want) {
			t.Errorf("%s: the utilization axis has no tick %q:\n%s", tc.reason, tc.want, chart)
		}
		// Every x tick label is a number no larger than the axis end.
		var ticks []int
		for _, m := range regexp.MustCompile(`class="tick">(\d+)</text>`).FindAllStringSubmatch(chart, -1) {
			n, _ := strconv.Atoi(m[1])
			ticks = append(ticks, n)
		}
		if len(ticks) == 0 || ticks[len(ticks)-1] < tc.max {
			t.Errorf("%s: axis ends at %v, below the max %d", tc.reason, ticks, tc.max)
		}
	}
}

func TestReproducerFiles(t *testing.T) {
	dir := t.TempDir()
	findings := sampleFindings()
	if err := reports.WriteAll(dir, sampleReport(), findings, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	_, loaded, err := reports.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	byOracle := map[string]cffuzz.Finding{}
	for _, f := range loaded {
		byOracle[f.Oracle+"/"+f.Severity.String()] = f
	}
	hi := byOracle["crash/high"]
	if hi.RawFile == "" || !strings.HasPrefix(filepath.Base(hi.RawFile), "high-crash-") {
		t.Fatalf("the high crash has no raw reproducer file: %+v", hi)
	}
	raw, err := os.ReadFile(hi.RawFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, findings[1].Minimized) {
		t.Errorf("raw reproducer %q is not the minimized input %q byte for byte", raw, findings[1].Minimized)
	}
	wantCmd := "aws cloudfront test-connection-function --id FUNCTION_ID --if-match ETAG --connection-object fileb://" + hi.RawFile
	if hi.AWSCommand != wantCmd {
		t.Errorf("aws command %q, want %q", hi.AWSCommand, wantCmd)
	}
	// Not valid UTF-8: still the exact bytes (fileb:// sends them as they are).
	lo := byOracle["crash/low"]
	if raw, _ := os.ReadFile(lo.RawFile); !bytes.Equal(raw, findings[0].Minimized) {
		t.Errorf("binary reproducer not kept byte for byte: %q", raw)
	}
	if w := byOracle["mismatch/medium"]; w.RawFile != "" || w.AWSCommand != "" {
		t.Errorf("a wire finding (a raw HTTP request) got a connection-object file: %+v", w)
	}
	files := readAll(t, dir)
	for _, name := range []string{reports.SummaryFile, reports.HTMLFile, reports.JUnitFile} {
		if !strings.Contains(files[name], "fileb://"+hi.RawFile) {
			t.Errorf("%s does not print the aws command", name)
		}
	}
	// The file is valid JSON for a JSON reproducer.
	if !json.Valid(raw) {
		t.Errorf("reproducer is not JSON: %s", raw)
	}
	// A finding that is gone loses its file; files that are not ours stay.
	mine := filepath.Join(dir, reports.ReproducersDir, "notes.txt")
	if err := os.WriteFile(mine, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := reports.WriteAll(dir, sampleReport(), findings[2:], sampleOptions()); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, reports.ReproducersDir))
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "notes.txt" {
		t.Errorf("after the findings went away, reproducers/ holds %v, want only the user's notes.txt", names)
	}
}

func TestReproducerFileNameIsSafe(t *testing.T) {
	h := hostile()
	name := reports.ReproducerFileName(&h)
	if !regexp.MustCompile(`^[a-z0-9-]+-[0-9a-f]{12}\.json$`).MatchString(name) {
		t.Errorf("file name %q for a hostile finding", name)
	}
	h.Oracle = "../../etc"
	if n := reports.ReproducerFileName(&h); strings.Contains(n, "/") || strings.Contains(n, "..") {
		t.Errorf("file name %q escapes the directory", n)
	}
}
