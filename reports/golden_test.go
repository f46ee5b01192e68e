package reports_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

func TestGolden(t *testing.T) {
	r, findings, opts := sampleReport(), sampleFindings(), sampleOptions()
	cov := coverageOptions()
	formats := []struct {
		reason string
		file   string
		write  func(io.Writer) error
	}{
		{"report.json is the Report as given", "report.json.golden", func(w io.Writer) error { return reports.WriteReportJSON(w, r) }},
		{"findings.json is worst first", "findings.json.golden", func(w io.Writer) error { return reports.WriteFindingsJSON(w, findings) }},
		{"junit.xml: a test case per oracle", "junit.xml.golden", func(w io.Writer) error { return reports.WriteJUnit(w, r, findings, opts) }},
		{"results.sarif: a result per finding", "results.sarif.golden", func(w io.Writer) error { return reports.WriteSARIF(w, r, findings, opts) }},
		{"summary.md for a job page", "summary.md.golden", func(w io.Writer) error { return reports.WriteMarkdown(w, r, findings, opts) }},
		{"report.html, self-contained", "report.html.golden", func(w io.Writer) error { return reports.WriteHTML(w, r, findings, opts) }},
		{"junit replay: a test case per entry", "junit-replay.xml.golden", func(w io.Writer) error {
			return reports.WriteJUnitReplay(w, []reports.ReplayEntry{
				{Name: "corpus/crash-3f2a9c.json", Findings: findings[1:2]},
				{Name: "corpus/ok-1.json"},
				{Name: "corpus/low-2.json", Findings: findings[:1]},
				{Name: "corpus/broken.json", Err: io.ErrUnexpectedEOF},
			}, opts)
		}},
		{"no findings: a pass", "summary-pass.md.golden", func(w io.Writer) error {
			return reports.WriteMarkdown(w, r, nil, reports.Options{Now: sampleNow})
		}},
		{"coverage.lcov: functions, branches, lines", "coverage.lcov.golden", func(w io.Writer) error {
			return reports.WriteLCOV(w, r, cov.Coverage, cov)
		}},
		{"coverage.json: what fuzz report needs", "coverage.json.golden", func(w io.Writer) error {
			return reports.WriteCoverageJSON(w, r, cov.Coverage, cov)
		}},
		{"report.json with a coverage summary", "report-coverage.json.golden", func(w io.Writer) error {
			rc := *r
			rc.Coverage = cov.Coverage.Summary(cov.FunctionPath)
			return reports.WriteReportJSON(w, &rc)
		}},
		{"summary.md with coverage", "summary-coverage.md.golden", func(w io.Writer) error { return reports.WriteMarkdown(w, r, findings, cov) }},
		{"report.html with the source view", "report-coverage.html.golden", func(w io.Writer) error { return reports.WriteHTML(w, r, findings, cov) }},
		{"fail-on none: nothing fails, nothing says severity(5)", "summary-fail-on-none.md.golden", func(w io.Writer) error {
			o := opts
			o.FailOn = cffuzz.SeverityNone
			return reports.WriteMarkdown(w, r, findings, o)
		}},
		{"junit.xml with coverage and decision properties", "junit-coverage.xml.golden", func(w io.Writer) error {
			return reports.WriteJUnit(w, r, findings, cov)
		}},
		{"junit.xml of an interrupted campaign: an error, never all green", "junit-interrupted.xml.golden", func(w io.Writer) error {
			ri := *r
			ri.StopReason = "interrupted"
			return reports.WriteJUnit(w, &ri, nil, opts)
		}},
		{"an interrupted campaign never passes", "summary-interrupted.md.golden", func(w io.Writer) error {
			ri := *r
			ri.StopReason = "interrupted"
			return reports.WriteMarkdown(w, &ri, nil, opts)
		}},
	}
	for _, f := range formats {
		t.Run(f.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.write(&buf); err != nil {
				t.Fatalf("%s: %v", f.reason, err)
			}
			golden(t, f.file, buf.Bytes())
		})
	}
}

func TestDeterministic(t *testing.T) {
	render := func() []byte {
		var buf bytes.Buffer
		r, findings, opts := sampleReport(), sampleFindings(), sampleOptions()
		for _, w := range []func() error{
			func() error { return reports.WriteHTML(&buf, r, findings, opts) },
			func() error { return reports.WriteSARIF(&buf, r, findings, opts) },
			func() error { return reports.WriteJUnit(&buf, r, findings, opts) },
		} {
			if err := w(); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	a, b := render(), render()
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same campaign differ (map order leaking into output?)")
	}
}
