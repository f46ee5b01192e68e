package reports_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

// hostile is a finding whose every string tries to break out of its format.
func hostile() cffuzz.Finding {
	const evil = "</script><img src=x onerror=alert(1)>]]><!-- | `x` **b** \x00\x1b"
	return cffuzz.Finding{
		Oracle: "crash", Severity: cffuzz.SeverityCritical, Kind: "Error",
		Signature: "crash/Error/" + evil, Message: "boom " + evil, Count: 1,
		Reproducer: "fuzz replay " + evil, Family: "mutation", Class: cffuzz.ClassProduction,
		Original: []byte(`{"x":"` + evil + `"}`), Minimized: []byte(`{"x":"</script><img src=x onerror=alert(1)>"}`),
		Line: 2, Column: 1,
	}
}

func TestSARIFSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatalf("compile SARIF schema: %v", err)
	}
	for _, tc := range []struct {
		reason   string
		findings []cffuzz.Finding
		opts     reports.Options
	}{
		{"sample campaign", sampleFindings(), sampleOptions()},
		{"no findings", nil, reports.Options{}},
		{"hostile strings", []cffuzz.Finding{hostile()}, reports.Options{FunctionSource: []byte("a\nb\n")}},
	} {
		var buf bytes.Buffer
		if err := reports.WriteSARIF(&buf, sampleReport(), tc.findings, tc.opts); err != nil {
			t.Fatalf("%s: %v", tc.reason, err)
		}
		doc, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatalf("%s: SARIF is not JSON: %v", tc.reason, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: SARIF does not validate against the 2.1.0 schema: %v", tc.reason, err)
		}
	}
	// The schema must be able to fail: a level SARIF does not know.
	var buf bytes.Buffer
	if err := reports.WriteSARIF(&buf, sampleReport(), sampleFindings(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(buf.String(), `"level": "error"`, `"level": "fatal"`, 1)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if sch.Validate(doc) == nil {
		t.Error("the schema accepted a result with level \"fatal\"")
	}
}

func TestSARIFContent(t *testing.T) {
	var buf bytes.Buffer
	if err := reports.WriteSARIF(&buf, sampleReport(), sampleFindings(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string
						Help struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID              string
				Level               string
				PartialFingerprints map[string]string
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 4 {
		t.Errorf("%d rules, want one per oracle (4)", len(run.Tool.Driver.Rules))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Help.Text == "" {
			t.Errorf("rule %s has no help text", r.ID)
		}
	}
	wantLevels := []string{"error", "warning", "note"} // high, medium, low: worst first
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	for i, res := range run.Results {
		if res.Level != wantLevels[i] {
			t.Errorf("result %d level %q, want %q", i, res.Level, wantLevels[i])
		}
		if res.PartialFingerprints[reports.FingerprintKey] == "" {
			t.Errorf("result %d has no signature fingerprint", i)
		}
		if got := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "functions/mtls.js" {
			t.Errorf("result %d uri %q", i, got)
		}
	}
	if reg := run.Results[0].Locations[0].PhysicalLocation.Region; reg == nil || reg.StartLine != 3 || reg.StartColumn != 12 {
		t.Errorf("high finding region = %+v, want line 3 column 12", reg)
	}
	if reg := run.Results[1].Locations[0].PhysicalLocation.Region; reg != nil {
		t.Errorf("finding without a line has region %+v", reg)
	}
}

type parsedJUnit struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Cases    []struct {
			Name     string `xml:"name,attr"`
			Failures []struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error     *struct{} `xml:"error"`
			SystemOut string    `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, b []byte) parsedJUnit {
	t.Helper()
	var p parsedJUnit
	if err := xml.Unmarshal(b, &p); err != nil {
		t.Fatalf("junit.xml is not valid XML: %v\n%s", err, b)
	}
	return p
}

func TestJUnit(t *testing.T) {
	for _, tc := range []struct {
		reason                  string
		report                  func() *cffuzz.Report
		findings                []cffuzz.Finding
		failOn                  cffuzz.Severity
		tests, failures, errors int
		failureElems            int
	}{
		{"sample at medium: low goes to system-out", sampleReport, sampleFindings(), cffuzz.SeverityMedium, 4, 2, 0, 2},
		{"sample at info: every finding fails", sampleReport, sampleFindings(), cffuzz.SeverityInfo, 4, 2, 0, 3},
		{"nothing fails at none", sampleReport, sampleFindings(), cffuzz.SeverityCritical + 1, 4, 0, 0, 0},
		{"hostile finding in a new oracle", sampleReport, []cffuzz.Finding{hostile()}, 0, 4, 1, 0, 1},
		{"campaign error adds an error case", func() *cffuzz.Report {
			r := sampleReport()
			r.StopReason = "error"
			return r
		}, nil, 0, 5, 0, 1, 0},
		{"no oracles, no findings: one passing case", func() *cffuzz.Report { return &cffuzz.Report{Tool: "cffuzz"} }, nil, 0, 1, 0, 0, 0},
	} {
		var buf bytes.Buffer
		opts := sampleOptions()
		opts.FailOn = tc.failOn
		if err := reports.WriteJUnit(&buf, tc.report(), tc.findings, opts); err != nil {
			t.Fatalf("%s: %v", tc.reason, err)
		}
		p := parseJUnit(t, buf.Bytes())
		s := p.Suites[0]
		elems := 0
		for _, c := range s.Cases {
			elems += len(c.Failures)
			for _, f := range c.Failures {
				if !strings.Contains(f.Text, "minimized reproducer:") || !strings.Contains(f.Text, "replay: ") {
					t.Errorf("%s: failure lacks the reproducer or the replay command:\n%s", tc.reason, f.Text)
				}
			}
		}
		if p.Tests != tc.tests || s.Tests != tc.tests || len(s.Cases) != tc.tests ||
			p.Failures != tc.failures || s.Failures != tc.failures ||
			p.Errors != tc.errors || s.Errors != tc.errors || elems != tc.failureElems {
			t.Errorf("%s: tests %d/%d/%d failures %d/%d errors %d/%d <failure> %d; want tests %d failures %d errors %d <failure> %d",
				tc.reason, p.Tests, s.Tests, len(s.Cases), p.Failures, s.Failures, p.Errors, s.Errors, elems,
				tc.tests, tc.failures, tc.errors, tc.failureElems)
		}
	}
}

func TestJUnitHostileRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	h := hostile()
	if err := reports.WriteJUnit(&buf, sampleReport(), []cffuzz.Finding{h}, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	p := parseJUnit(t, buf.Bytes())
	for _, c := range p.Suites[0].Cases {
		if c.Name == "crash" && len(c.Failures) == 1 {
			if !strings.Contains(c.Failures[0].Text, `{"x":"</script><img src=x onerror=alert(1)>"}`) {
				t.Errorf("reproducer did not survive the round trip:\n%s", c.Failures[0].Text)
			}
			return
		}
	}
	t.Error("no crash failure in the parsed XML")
}

func TestJUnitReplay(t *testing.T) {
	var buf bytes.Buffer
	f := sampleFindings()
	err := reports.WriteJUnitReplay(&buf, []reports.ReplayEntry{
		{Name: "a.json", Findings: f[1:2]},
		{Name: "b.json"},
		{Name: "c.json", Err: fmt.Errorf("corrupt\nentry")},
	}, sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	p := parseJUnit(t, buf.Bytes())
	if p.Tests != 3 || p.Failures != 1 || p.Errors != 1 {
		t.Errorf("replay totals: tests %d failures %d errors %d, want 3 1 1", p.Tests, p.Failures, p.Errors)
	}
}

func TestHTMLEscapesHostileInput(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	r.Target = "<script>alert(2)</script>"
	r.ByFamily["<b onmouseover=x>"] = 1
	opts := sampleOptions()
	opts.Title = "</title><script>alert(3)</script>"
	opts.FunctionSource = []byte("x\n</script><img src=x onerror=alert(4)>\n")
	if err := reports.WriteHTML(&buf, r, []cffuzz.Finding{hostile()}, opts); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<img", "<script", "onerror=alert(1)>", "<b onmouseover", "</script>"} {
		if strings.Contains(out, bad) {
			i := strings.Index(out, bad)
			t.Errorf("HTML contains live markup %q: …%s…", bad, out[max(0, i-60):min(len(out), i+60)])
		}
	}
	if !strings.Contains(out, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("escaped hostile message not found in the HTML")
	}
	if !strings.Contains(out, `Content-Security-Policy" content="default-src 'none'`) {
		t.Error("HTML lacks its Content-Security-Policy")
	}
}

func TestHTMLSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := reports.WriteHTML(&buf, sampleReport(), sampleFindings(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, ref := range []string{"src=\"http", "href=\"http", "url(", "@import", "<link", "<script"} {
		if strings.Contains(out, ref) {
			t.Errorf("HTML references external content: %q", ref)
		}
	}
	for _, want := range []string{"<svg", "<title id=\"util-title\">", "<title id=\"rate-title\">", "<title id=\"found-title\">",
		"<details><summary>Minimized reproducer</summary>", `<th scope="col">Severity</th>`, `class="badge high"`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	many := make([]cffuzz.Finding, 2000)
	for i := range many {
		many[i] = hostile()
		many[i].Message = strings.Repeat("long message ", 30)
		many[i].Signature = fmt.Sprint(i)
	}
	var buf bytes.Buffer
	if err := reports.WriteMarkdown(&buf, sampleReport(), many, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > reports.MaxMarkdownBytes {
		t.Errorf("summary.md is %d bytes, over %d", buf.Len(), reports.MaxMarkdownBytes)
	}
	if !strings.Contains(buf.String(), "more findings are not shown here") {
		t.Error("truncated summary does not say so")
	}
	buf.Reset()
	if err := reports.WriteMarkdown(&buf, sampleReport(), []cffuzz.Finding{hostile()}, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "<img") && !strings.Contains(line, "`") {
			t.Errorf("raw HTML outside a code span: %s", line)
		}
	}
}

func TestWriteAllLoad(t *testing.T) {
	dir := t.TempDir()
	r, findings := sampleReport(), sampleFindings()
	if err := reports.WriteAll(dir, r, findings, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "findings.json junit.xml report.html report.json reproducers results.sarif summary.md" {
		t.Errorf("WriteAll wrote %s", got)
	}
	raw, err := os.ReadFile(filepath.Join(dir, reports.FindingsFile))
	if err != nil {
		t.Fatal(err)
	}
	var contract struct{ Findings []map[string]any }
	if err := json.Unmarshal(raw, &contract); err != nil {
		t.Fatal(err)
	}
	for _, f := range contract.Findings {
		for _, key := range []string{"oracle", "severity", "signature", "message", "count", "seed", "case", "reproducer", "original_size", "minimized_size"} {
			if _, ok := f[key]; !ok {
				t.Errorf("findings.json finding lacks %q", key)
			}
		}
	}
	gotR, gotF, err := reports.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if gotR.Cases != r.Cases || gotR.Campaign != r.Campaign || len(gotR.Timeline) != len(r.Timeline) {
		t.Errorf("Load: report %+v differs from what was written", gotR)
	}
	if len(gotF) != 3 || gotF[0].Severity != cffuzz.SeverityHigh || string(gotF[2].Minimized) != string(findings[0].Minimized) {
		t.Errorf("Load: findings differ from what was written (worst first, bytes intact)")
	}
}

func TestLoadErrors(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	good := `{"version":1,"tool":"cffuzz"}`
	for _, tc := range []struct {
		reason string
		files  map[string]string
		want   string
	}{
		{"empty directory", nil, "report.json not found"},
		{"no findings.json", map[string]string{"report.json": good}, "findings.json not found"},
		{"corrupt report", map[string]string{"report.json": "{", "findings.json": `{"findings":[]}`}, "corrupt report"},
		{"another tool's JSON", map[string]string{"report.json": `{"version":1}`, "findings.json": `{"findings":[]}`}, "not a cffuzz report"},
		{"newer version", map[string]string{"report.json": `{"version":99,"tool":"cffuzz"}`, "findings.json": `{"findings":[]}`}, "upgrade cffuzz"},
		{"corrupt findings", map[string]string{"report.json": good, "findings.json": `{"findings":[{"severity":"dire"}]}`}, "corrupt findings"},
		{"findings without the list", map[string]string{"report.json": good, "findings.json": `{}`}, "not a findings file"},
	} {
		_, _, err := reports.Load(write(t, tc.files))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Load error %v, want one mentioning %q", tc.reason, err, tc.want)
		}
	}
}

func FuzzParseReport(f *testing.F) {
	var buf bytes.Buffer
	_ = reports.WriteReportJSON(&buf, sampleReport())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version":1,"tool":"cffuzz","utilization":{"histogram":[1,2]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := reports.ParseReport(b)
		if err != nil {
			return
		}
		// Whatever parses must render.
		var out bytes.Buffer
		if err := reports.WriteHTML(&out, r, nil, reports.Options{}); err != nil {
			t.Fatal(err)
		}
		if err := reports.WriteJUnit(&out, r, nil, reports.Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseFindings(f *testing.F) {
	var buf bytes.Buffer
	_ = reports.WriteFindingsJSON(&buf, sampleFindings())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"findings":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		findings, err := reports.ParseFindings(b)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := reports.WriteJUnit(&out, sampleReport(), findings, reports.Options{}); err != nil {
			t.Fatal(err)
		}
		var p parsedJUnit
		if err := xml.Unmarshal(out.Bytes(), &p); err != nil {
			t.Fatalf("junit.xml from parsed findings is not XML: %v", err)
		}
		if err := reports.WriteMarkdown(&out, sampleReport(), findings, reports.Options{}); err != nil {
			t.Fatal(err)
		}
	})
}
