package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"time"

	"github.com/cffuzz/cffuzz"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

type htmlFinding struct {
	cffuzz.Finding
	SeverityName string
	Location     string
	SourceLine   string
	Reproducer   string
	Original     string
}

type htmlView struct {
	Title       string
	Function    string
	Report      *cffuzz.Report
	Verdict     verdict
	Duration    string
	Generated   string
	ToolVersion string
	Findings    []htmlFinding
	BySeverity  string
	Families    []kv
	Outcomes    []kv
	Decisions   string
	Coverage    *htmlCoverage
	UtilChart   template.HTML
	RateChart   template.HTML
	FoundChart  template.HTML
}

type kv struct {
	Key   string
	Value int64
}

// WriteHTML writes a self-contained HTML report: an overview, the findings
// (severity, message, counts, sizes and the minimized reproducer) and charts
// of compute utilization, cases per second and findings over time, drawn as
// inline SVG. The page loads nothing from the network, runs no script, and
// its Content-Security-Policy forbids both.
func WriteHTML(w io.Writer, r *cffuzz.Report, findings []cffuzz.Finding, opts Options) error {
	path := functionName(r, opts)
	v := htmlView{
		Title:       opts.title(r),
		Function:    path,
		Report:      r,
		Verdict:     judge(r, findings, opts),
		Duration:    (time.Duration(r.DurationMS) * time.Millisecond).String(),
		Generated:   opts.now().UTC().Format(time.RFC3339),
		ToolVersion: opts.ToolVersion,
		BySeverity:  findingsBySeverity(findings),
		Families:    sortedCounts(r.ByFamily),
		Outcomes:    sortedCounts(r.ByOutcome),
		Decisions:   decisionCounts(r),
		Coverage:    htmlCoverageView(r, opts),
		UtilChart:   utilizationChart(r.Utilization),
		RateChart: timelineChart("rate", "Cases per second over time",
			"Throughput of the campaign, sampled over its run.", "s", r.Timeline,
			func(p cffuzz.TimelinePoint) float64 { return p.CasesPerSec }, false),
		FoundChart: timelineChart("found", "Findings over time",
			"Number of unique findings known at each sample of the run.", "s", r.Timeline,
			func(p cffuzz.TimelinePoint) float64 { return float64(p.Findings) }, true),
	}
	for _, f := range sortedFindings(findings) {
		hf := htmlFinding{
			Finding:      f,
			SeverityName: f.Severity.String(),
			Location:     location(&f, path),
			SourceLine:   sourceLine(opts.FunctionSource, f.Line),
			Reproducer:   reproducerText(&f),
		}
		if f.Wire == nil && len(f.Original) > 0 && string(f.Original) != string(f.Minimized) {
			hf.Original = inputText(f.Original)
		}
		v.Findings = append(v.Findings, hf)
	}
	if err := htmlTemplate.Execute(w, v); err != nil {
		return fmt.Errorf("render HTML report: %w", err)
	}
	return nil
}

func sortedCounts(m map[string]int64) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Value != out[j].Value {
			return out[i].Value > out[j].Value
		}
		return out[i].Key < out[j].Key
	})
	return out
}
