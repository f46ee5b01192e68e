package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cffuzz/cffuzz"
)

// WriteReportJSON writes r as report.json. A zero Version is written as
// FormatVersion.
func WriteReportJSON(w io.Writer, r *cffuzz.Report) error {
	c := *r
	if c.Version == 0 {
		c.Version = FormatVersion
	}
	if c.Tool == "" {
		c.Tool = "cffuzz"
	}
	b, err := cffuzz.MarshalIndent(&c)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// WriteFindingsJSON writes findings as findings.json (a cffuzz.FindingsFile),
// worst first. No findings is written as an empty list, never null.
func WriteFindingsJSON(w io.Writer, findings []cffuzz.Finding) error {
	ff := cffuzz.FindingsFile{Findings: sortedFindings(findings)}
	if ff.Findings == nil {
		ff.Findings = []cffuzz.Finding{}
	}
	b, err := cffuzz.MarshalIndent(ff)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Load reads report.json and findings.json from dir, as WriteAll wrote them.
func Load(dir string) (*cffuzz.Report, []cffuzz.Finding, error) {
	rb, err := readResultFile(dir, ReportFile)
	if err != nil {
		return nil, nil, err
	}
	r, err := ParseReport(rb)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, ReportFile), err)
	}
	fb, err := readResultFile(dir, FindingsFile)
	if err != nil {
		return nil, nil, err
	}
	findings, err := ParseFindings(fb)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, FindingsFile), err)
	}
	return r, findings, nil
}

func readResultFile(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s not found: is %s the output directory of a campaign (fuzz run -out DIR)?", path, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// ParseReport decodes report.json. It refuses files that are not a cffuzz
// report or that a newer cffuzz wrote.
func ParseReport(b []byte) (*cffuzz.Report, error) {
	var r cffuzz.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("corrupt report: %w (re-run the campaign to write it again)", err)
	}
	if r.Version < 1 || r.Tool != "cffuzz" {
		return nil, fmt.Errorf("not a cffuzz report (version %d, tool %q)", r.Version, r.Tool)
	}
	if r.Version > FormatVersion {
		return nil, fmt.Errorf("report version %d is newer than this cffuzz reads (%d): upgrade cffuzz", r.Version, FormatVersion)
	}
	return &r, nil
}

// ParseFindings decodes findings.json.
func ParseFindings(b []byte) ([]cffuzz.Finding, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("corrupt findings: %w (re-run the campaign to write it again)", err)
	}
	if _, ok := raw["findings"]; !ok {
		return nil, errors.New(`not a findings file: no "findings" list`)
	}
	var ff cffuzz.FindingsFile
	if err := json.Unmarshal(b, &ff); err != nil {
		return nil, fmt.Errorf("corrupt findings: %w (re-run the campaign to write it again)", err)
	}
	return ff.Findings, nil
}
