package reports

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"

	"github.com/cffuzz/cffuzz"
)

// The files WriteAll writes, relative to its directory.
const (
	ReportFile   = "report.json"
	FindingsFile = "findings.json"
	JUnitFile    = "junit.xml"
	SARIFFile    = "results.sarif"
	SummaryFile  = "summary.md"
	HTMLFile     = "report.html"
)

// FormatVersion is the version of report.json this package writes (as
// Report.Version when the caller left it 0) and the newest one Load reads.
const FormatVersion = 1

// Options tune the rendered reports. The zero value is usable.
type Options struct {
	// FunctionPath is the path of the user's JavaScript file relative to the
	// repository root, used for SARIF locations. Empty means Report.Function.
	FunctionPath string
	// FunctionSource is the function's source, for code snippets in SARIF
	// and HTML. Nil means no snippets.
	FunctionSource []byte
	// Title heads the Markdown and HTML pages. Empty means
	// "cffuzz report: <function>".
	Title string
	// Now is the time the reports say they were generated. The zero value
	// means time.Now(); tests set it for deterministic output.
	Now time.Time
	// FailOn is the lowest severity that fails: findings at or above it are
	// JUnit failures and make the verdict FAIL; those below are listed as
	// notes. The zero value, SeverityInfo, fails on every finding.
	FailOn cffuzz.Severity
	// ToolVersion is cffuzz's version, for SARIF and the HTML footer.
	ToolVersion string
	// OracleHelp adds or replaces the help text of oracles, by oracle name,
	// used for SARIF rules.
	OracleHelp map[string]string
	// Coverage is what the campaign reached of the function, from the
	// feedback engine; nil when it ran without feedback. With it, WriteAll
	// also writes coverage.lcov and coverage.json, report.json gets a
	// coverage summary and report.html a source view.
	Coverage *Coverage
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now().UTC()
	}
	return o.Now
}

func (o Options) title(r *cffuzz.Report) string {
	if o.Title != "" {
		return o.Title
	}
	return "cffuzz report: " + functionName(r, o)
}

func functionName(r *cffuzz.Report, o Options) string {
	switch {
	case o.FunctionPath != "":
		return o.FunctionPath
	case r.Function != "":
		return r.Function
	}
	return "(unnamed function)"
}

// WriteAll writes every report file into dir, which must exist: report.json,
// findings.json, junit.xml, results.sarif, summary.md and report.html, the
// raw connection object of every finding in reproducers/ (see
// WriteReproducers), and with opts.Coverage coverage.lcov and
// coverage.json. Each file is replaced atomically.
func WriteAll(dir string, r *cffuzz.Report, findings []cffuzz.Finding, opts Options) error {
	if r == nil {
		return fmt.Errorf("write reports: nil report")
	}
	rc := *r
	r = &rc
	if opts.Coverage != nil {
		if err := opts.Coverage.check(); err != nil {
			return fmt.Errorf("write reports: %w", err)
		}
		// Re-rendered from coverage.json (fuzz report DIR), the coverage
		// knows the function's path and source.
		if opts.FunctionPath == "" {
			opts.FunctionPath = opts.Coverage.File
		}
		if opts.FunctionSource == nil {
			opts.FunctionSource = opts.Coverage.Source
		}
		r.Coverage = coverageOf(r, opts)
	}
	findings, err := WriteReproducers(dir, findings)
	if err != nil {
		return err
	}
	files := []reportFile{
		{ReportFile, func(w io.Writer) error { return WriteReportJSON(w, r) }},
		{FindingsFile, func(w io.Writer) error { return WriteFindingsJSON(w, findings) }},
		{JUnitFile, func(w io.Writer) error { return WriteJUnit(w, r, findings, opts) }},
		{SARIFFile, func(w io.Writer) error { return WriteSARIF(w, r, findings, opts) }},
		{SummaryFile, func(w io.Writer) error { return WriteMarkdown(w, r, findings, opts) }},
		{HTMLFile, func(w io.Writer) error { return WriteHTML(w, r, findings, opts) }},
	}
	if c := opts.Coverage; c != nil {
		files = append(files,
			reportFile{LCOVFile, func(w io.Writer) error { return WriteLCOV(w, r, c, opts) }},
			reportFile{CoverageFile, func(w io.Writer) error { return WriteCoverageJSON(w, r, c, opts) }})
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// reportFile is one file WriteAll writes.
type reportFile struct {
	name  string
	write func(io.Writer) error
}

// sortedFindings returns a copy of findings, worst first
// (cffuzz.CompareFindings).
func sortedFindings(findings []cffuzz.Finding) []cffuzz.Finding {
	out := append([]cffuzz.Finding(nil), findings...)
	cffuzz.SortFindings(out)
	return out
}

// oracleNames lists the oracles of the report, then those only findings
// name, each once, in that order.
func oracleNames(r *cffuzz.Report, findings []cffuzz.Finding) []string {
	seen := map[string]bool{}
	var names []string
	for _, o := range r.Oracles {
		if !seen[o] {
			seen[o] = true
			names = append(names, o)
		}
	}
	var extra []string
	for _, f := range findings {
		if !seen[f.Oracle] {
			seen[f.Oracle] = true
			extra = append(extra, f.Oracle)
		}
	}
	sort.Strings(extra)
	return append(names, extra...)
}

// verdict sums up the campaign in a word and a sentence.
type verdict struct {
	Pass    bool
	Word    cffuzz.Verdict // PASS, FAIL, INTERRUPTED or ERROR (cffuzz.Judge)
	Summary string
	Failing int // findings at or above FailOn
	Notes   int // findings below it
}

// judge gives the verdict: cffuzz.Judge's word, which the terminal summary
// shows too, and a sentence. A campaign that was interrupted, stopped on an
// error or whose target hung never passes, whatever it found: it did not
// run what was asked.
func judge(r *cffuzz.Report, findings []cffuzz.Finding, opts Options) verdict {
	v := verdict{Word: cffuzz.Judge(r.StopReason, findings, opts.FailOn)}
	v.Failing, v.Notes = cffuzz.CountFailing(findings, opts.FailOn)
	failing := fmt.Sprintf("%s at or above %s", plural(v.Failing, "finding"), opts.FailOn)
	switch v.Word {
	case cffuzz.VerdictError:
		v.Summary = "the campaign stopped on an error"
		if r.StopReason == cffuzz.StopTargetHung {
			v.Summary = fmt.Sprintf("the target hung after %s", plural(int(r.Cases), "case"))
		}
	case cffuzz.VerdictInterrupted:
		v.Summary = fmt.Sprintf("the campaign was interrupted after %s", plural(int(r.Cases), "case"))
		if v.Failing > 0 {
			v.Summary += "; " + failing
		}
	case cffuzz.VerdictFail:
		v.Summary = failing
	default:
		v.Pass = true
		v.Summary = "no findings"
		if opts.FailOn >= cffuzz.SeverityNone {
			v.Summary = "nothing fails the run (--fail-on none)"
			if len(findings) > 0 {
				v.Summary += "; " + plural(len(findings), "finding") + " reported"
			}
			return v
		}
		if opts.FailOn > cffuzz.SeverityInfo {
			v.Summary += " at or above " + opts.FailOn.String()
		}
	}
	if v.Notes > 0 {
		if opts.FailOn >= cffuzz.SeverityNone {
			v.Summary += fmt.Sprintf("; %s, none failing (--fail-on none)", plural(v.Notes, "finding"))
		} else {
			v.Summary += fmt.Sprintf("; %s below %s", plural(v.Notes, "finding"), opts.FailOn)
		}
	}
	return v
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
