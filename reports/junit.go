package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
)

// JUnit XML, in the shape most CI systems read (Jenkins, GitLab, GitHub
// test-report actions): testsuites > testsuite > testcase, each testcase
// holding zero or more <failure> elements.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string         `xml:"classname,attr"`
	Name      string         `xml:"name,attr"`
	Time      string         `xml:"time,attr"`
	Failures  []junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure  `xml:"error,omitempty"`
	SystemOut *junitText     `xml:"system-out,omitempty"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// WriteJUnit writes a JUnit XML report of a campaign: one test case per
// oracle (Report.Oracles, then any other oracle a finding names), with a
// <failure> per finding at or above Options.FailOn carrying the message, the
// minimized reproducer and the replay command. Findings below FailOn go to
// the test case's <system-out>. A campaign that stopped on an error adds a
// "campaign" test case with an <error>.
func WriteJUnit(w io.Writer, r *cffuzz.Report, findings []cffuzz.Finding, opts Options) error {
	path := functionName(r, opts)
	byOracle := map[string][]cffuzz.Finding{}
	for _, f := range sortedFindings(findings) {
		byOracle[f.Oracle] = append(byOracle[f.Oracle], f)
	}
	suite := junitSuite{
		Name:      "cffuzz " + path,
		Time:      seconds(time.Duration(r.DurationMS) * time.Millisecond),
		Timestamp: timestamp(r.Started),
	}
	for _, p := range []junitProperty{
		{"campaign", r.Campaign},
		{"target", r.Target},
		{"seed", fmt.Sprint(r.Seed)},
		{"shard", r.Shard},
		{"cases", fmt.Sprint(r.Cases)},
		{"stop_reason", string(r.StopReason)},
	} {
		if p.Value != "" {
			suite.Properties = append(suite.Properties, p)
		}
	}
	if len(r.ByDecision) > 0 {
		for _, d := range []string{"allow", "deny", "none"} {
			suite.Properties = append(suite.Properties, junitProperty{"decisions_" + d, fmt.Sprint(r.ByDecision[d])})
		}
	}
	if c := coverageOf(r, opts); c != nil {
		suite.Properties = append(suite.Properties, junitProperty{"coverage", coverageLine(c)})
	}
	classname := "cffuzz." + sanitizeClass(r.Target)
	for _, oracle := range oracleNames(r, findings) {
		tc := junitCase{Classname: classname, Name: oracle, Time: "0"}
		var notes []string
		for i := range byOracle[oracle] {
			f := &byOracle[oracle][i]
			if !f.Severity.Fails(opts.FailOn) {
				notes = append(notes, findingDetails(f, path))
				continue
			}
			tc.Failures = append(tc.Failures, junitFailure{
				Message: fmt.Sprintf("[%s] %s", f.Severity, oneLine(f.Message)),
				Type:    f.Kind,
				Text:    xmlSafe(findingDetails(f, path)),
			})
		}
		if len(notes) > 0 {
			tc.SystemOut = &junitText{xmlSafe(fmt.Sprintf("%s below the fail threshold (%s):\n\n%s",
				plural(len(notes), "finding"), opts.FailOn, strings.Join(notes, "\n")))}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	v := cffuzz.Judge(r.StopReason, findings, opts.FailOn)
	if v == cffuzz.VerdictError || v == cffuzz.VerdictInterrupted || len(suite.Cases) == 0 {
		tc := junitCase{Classname: classname, Name: "campaign", Time: suite.Time}
		switch r.StopReason {
		case cffuzz.StopTargetHung:
			tc.Error = &junitFailure{Message: "the target hung", Type: "error",
				Text: fmt.Sprintf("ran %d cases before the target stopped answering: it did not run what was asked", r.Cases)}
		case cffuzz.StopError:
			tc.Error = &junitFailure{Message: "the campaign stopped on an error", Type: "error",
				Text: fmt.Sprintf("ran %d cases before stopping; see the log of the run", r.Cases)}
		case cffuzz.StopInterrupted:
			tc.Error = &junitFailure{Message: "the campaign was interrupted", Type: "interrupted",
				Text: fmt.Sprintf("ran %d cases before it was interrupted (Ctrl-C or SIGTERM): it did not run what was asked", r.Cases)}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return writeJUnit(w, []junitSuite{suite})
}

// ReplayEntry is the result of replaying one corpus entry, for
// WriteJUnitReplay.
type ReplayEntry struct {
	// Name identifies the entry, usually its corpus file name.
	Name string
	// Duration is how long the replay took.
	Duration time.Duration
	// Findings are those the entry still raises; none means it passes.
	Findings []cffuzz.Finding
	// Err is set when the entry could not be replayed at all.
	Err error
}

// WriteJUnitReplay writes a JUnit XML report of `fuzz replay`: one test
// case per replayed corpus entry, failing with a <failure> per finding at or
// above Options.FailOn the entry still raises, and with an <error> when the
// entry could not be replayed.
func WriteJUnitReplay(w io.Writer, entries []ReplayEntry, opts Options) error {
	path := opts.FunctionPath
	if path == "" {
		path = "(function)"
	}
	suite := junitSuite{Name: "cffuzz replay " + path}
	var total time.Duration
	for _, e := range entries {
		total += e.Duration
		tc := junitCase{Classname: "cffuzz.replay", Name: e.Name, Time: seconds(e.Duration)}
		var notes []string
		for _, f := range sortedFindings(e.Findings) {
			if !f.Severity.Fails(opts.FailOn) {
				notes = append(notes, findingDetails(&f, path))
				continue
			}
			tc.Failures = append(tc.Failures, junitFailure{
				Message: fmt.Sprintf("[%s] %s", f.Severity, oneLine(f.Message)),
				Type:    f.Kind,
				Text:    xmlSafe(findingDetails(&f, path)),
			})
		}
		if len(notes) > 0 {
			tc.SystemOut = &junitText{xmlSafe(strings.Join(notes, "\n"))}
		}
		if e.Err != nil {
			tc.Error = &junitFailure{Message: oneLine(e.Err.Error()), Type: "error"}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Time = seconds(total)
	return writeJUnit(w, []junitSuite{suite})
}

func writeJUnit(w io.Writer, suites []junitSuite) error {
	all := junitSuites{Name: "cffuzz"}
	var total float64
	for i := range suites {
		s := &suites[i]
		s.Tests = len(s.Cases)
		for _, c := range s.Cases {
			if len(c.Failures) > 0 {
				s.Failures++
			}
			if c.Error != nil {
				s.Errors++
			}
		}
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		var t float64
		fmt.Sscan(s.Time, &t)
		total += t
	}
	all.Time = fmt.Sprintf("%.3f", total)
	all.Suites = suites
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// sanitizeClass keeps a JUnit class name to letters, digits, '-' and '_'.
func sanitizeClass(s string) string {
	if s == "" {
		return "target"
	}
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}

// oneLine collapses whitespace runs, newlines included, to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// xmlSafe replaces the characters XML 1.0 forbids, even escaped, with
// U+FFFD, so that hostile input cannot make junit.xml unreadable.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD && r != utf8.RuneError,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
