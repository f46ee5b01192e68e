package reports_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/reports"
)

// coverageSource is a policy with every kind of edge, and a string literal
// that would be markup if the source view did not escape it.
const coverageSource = `function connectionHandler(connection) {
  var cert = connection.clientCertificate;
  if (!cert || !cert.certificatePresent) {
    connection.deny();
    return;
  }
  var cn = cert.subject.split(",")[0];
  switch (cn) {
    case "CN=admin":
      connection.allow();
      break;
    case "CN=</code><script>alert(1)</script><img src=x onerror=alert(2)>":
      connection.deny();
      break;
    default:
      var days = cert.validity ? 30 : 0;
      for (var i = 0; i < days; i++) {
        if (i > 40) { throw new Error("unreachable"); }
      }
      connection.deny();
  }
}
`

// sampleCoverage is what 1200 cases reached of coverageSource: every edge
// but the second case (line 12) and the throw (line 18).
func sampleCoverage() *reports.Coverage {
	e := func(k coverage.EdgeKind, line, col int) coverage.Edge {
		return coverage.Edge{Kind: k, Line: line, Column: col}
	}
	return &reports.Coverage{
		Map: &coverage.Map{Lines: 23, Edges: []coverage.Edge{
			e(coverage.EdgeEntry, 1, 1),
			e(coverage.EdgeThen, 3, 42), e(coverage.EdgeElse, 3, 3),
			e(coverage.EdgeLogical, 3, 7), e(coverage.EdgeLogical, 3, 16),
			e(coverage.EdgeCase, 9, 5), e(coverage.EdgeCase, 12, 5), e(coverage.EdgeCase, 15, 5),
			e(coverage.EdgeCondThen, 16, 35), e(coverage.EdgeCondElse, 16, 40),
			e(coverage.EdgeLoopBody, 17, 35), e(coverage.EdgeLoopExit, 17, 7),
			e(coverage.EdgeThen, 18, 21), e(coverage.EdgeElse, 18, 9),
		}},
		Hits:   []uint32{1200, 180, 1020, 1200, 1150, 300, 0, 720, 700, 20, 21000, 700, 0, 21000},
		Source: []byte(coverageSource),
		File:   "functions/policy.js",
	}
}

func coverageOptions() reports.Options {
	o := sampleOptions()
	o.FunctionPath = "functions/policy.js"
	o.FunctionSource = []byte(coverageSource)
	o.Coverage = sampleCoverage()
	return o
}

func TestCoverageSummary(t *testing.T) {
	count := func(r, n int) cffuzz.CoverageCount { return cffuzz.CoverageCount{Reached: r, Total: n} }
	for _, tc := range []struct {
		reason string
		cov    *reports.Coverage
		want   cffuzz.CoverageSummary
	}{
		{"the sample: two branches never taken", sampleCoverage(), cffuzz.CoverageSummary{
			Edges: count(12, 14), Branches: count(11, 13), Lines: count(7, 8), Functions: count(1, 1)}},
		{"nothing ran", &reports.Coverage{Map: sampleCoverage().Map}, cffuzz.CoverageSummary{
			Edges: count(0, 14), Branches: count(0, 13), Lines: count(0, 8), Functions: count(0, 1)}},
		{"shadow execution is carried", &reports.Coverage{Map: &coverage.Map{Edges: []coverage.Edge{{Kind: coverage.EdgeEntry, Line: 1, Column: 1}}}, Hits: []uint32{5}, Shadow: true},
			cffuzz.CoverageSummary{Shadow: true, Edges: count(1, 1), Lines: count(1, 1), Functions: count(1, 1)}},
	} {
		got := tc.cov.Summary("f.js")
		if got.File != "f.js" || got.Shadow != tc.want.Shadow || got.Edges != tc.want.Edges || got.Branches != tc.want.Branches ||
			got.Lines != tc.want.Lines || got.Functions != tc.want.Functions {
			t.Errorf("%s: summary %+v, want %+v", tc.reason, *got, tc.want)
		}
	}
	s := sampleCoverage().Summary("f.js")
	if k := s.ByKind["case"]; k != count(2, 3) {
		t.Errorf("by kind: case %v, want 2 of 3", k)
	}
}

func TestCoverageRejectsForeignHits(t *testing.T) {
	c := sampleCoverage()
	c.Hits = append(c.Hits, 1, 2, 3)
	if err := reports.WriteLCOV(io.Discard, sampleReport(), c, coverageOptions()); err == nil || !strings.Contains(err.Error(), "another version") {
		t.Errorf("more hit counts than edges: error %v, want one saying so", err)
	}
	if err := reports.WriteAll(t.TempDir(), sampleReport(), nil, reports.Options{Coverage: c}); err == nil {
		t.Error("WriteAll accepted hit counts of another function")
	}
}

// TestLCOVAcceptedByLcov runs Debian's lcov on a written tracefile: it must
// accept it and count what the summary counts.
func TestLCOVAcceptedByLcov(t *testing.T) {
	lcov, err := exec.LookPath("lcov")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("lcov is not installed: .ci/run installs it (apt-get install lcov)")
		}
		t.Skip("lcov not installed; apt-get install lcov to run this test")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "policy.js")
	if err := os.WriteFile(src, []byte(coverageSource), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := coverageOptions()
	opts.Coverage.File = src // genhtml reads the source
	var buf bytes.Buffer
	if err := reports.WriteLCOV(&buf, sampleReport(), opts.Coverage, opts); err != nil {
		t.Fatal(err)
	}
	info := filepath.Join(dir, "coverage.lcov")
	if err := os.WriteFile(info, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lcov, "--rc", "lcov_branch_coverage=1", "--summary", info).CombinedOutput()
	if err != nil {
		t.Fatalf("lcov --summary refused the file: %v\n%s\n%s", err, out, buf.String())
	}
	for _, want := range []string{"(7 of 8 lines)", "(1 of 1 function)", "(11 of 13 branches)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("lcov --summary does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(string(out)), "warning") {
		t.Errorf("lcov warned about the file:\n%s", out)
	}
	if genhtml, err := exec.LookPath("genhtml"); err == nil {
		out, err := exec.Command(genhtml, "--branch-coverage", "--quiet", "-o", filepath.Join(dir, "html"), info).CombinedOutput()
		if err != nil {
			t.Errorf("genhtml refused the file: %v\n%s", err, out)
		}
	}
}

func TestLCOVRecords(t *testing.T) {
	var buf bytes.Buffer
	if err := reports.WriteLCOV(&buf, sampleReport(), sampleCoverage(), coverageOptions()); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, c := range []struct{ reason, want string }{
		{"the file, relative to the repository", "SF:functions/policy.js\n"},
		{"the handler by name", "FN:1,connectionHandler\nFNDA:1200,connectionHandler\n"},
		{"if then/else as one decision", "BRDA:3,0,0,180\nBRDA:3,0,1,1020\n"},
		{"the switch's cases as one decision", "BRDA:9,2,0,300\nBRDA:9,2,1,0\nBRDA:9,2,2,720\n"},
		{"a never-taken arm of a decision that ran is 0", "BRDA:18,5,0,0\n"},
		{"a line whose edges never ran", "DA:12,0\n"},
		{"totals", "BRF:13\nBRH:11\n"},
	} {
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: LCOV lacks %q:\n%s", c.reason, c.want, got)
		}
	}
	if !regexp.MustCompile(`(?s)^TN:.*end_of_record\n$`).MatchString(got) {
		t.Error("not one complete record")
	}
}

func TestWriteAllCoverage(t *testing.T) {
	dir := t.TempDir()
	opts := coverageOptions()
	opts.Coverage.Shadow = true
	if err := reports.WriteAll(dir, sampleReport(), sampleFindings(), opts); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{reports.LCOVFile, reports.CoverageFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("WriteAll with coverage did not write %s: %v", name, err)
		}
	}
	r, _, err := reports.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Coverage == nil || r.Coverage.Branches.Reached != 11 || r.Coverage.Branches.Total != 13 || !r.Coverage.Shadow {
		t.Errorf("report.json coverage %+v, want 11 of 13 branches, shadow", r.Coverage)
	}
	c, err := reports.LoadCoverage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c == nil || string(c.Source) != coverageSource || len(c.Hits) != 14 || c.Hits[10] != 21000 || !c.Shadow || c.File != "functions/policy.js" {
		t.Fatalf("LoadCoverage did not give back what was written: %+v", c)
	}
	// Re-rendering from the loaded files gives the same HTML.
	read := func() []byte {
		b, err := os.ReadFile(filepath.Join(dir, reports.HTMLFile))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := read()
	_, findings, _ := reports.Load(dir)
	if err := reports.WriteAll(dir, r, findings, reports.Options{FunctionPath: opts.FunctionPath, Now: opts.Now, FailOn: opts.FailOn, ToolVersion: opts.ToolVersion, Coverage: c}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, read()) {
		t.Error("report.html re-rendered from report.json, findings.json and coverage.json differs from the campaign's")
	}

	// No coverage: none of its files, and LoadCoverage says so with nil.
	bare := t.TempDir()
	if err := reports.WriteAll(bare, sampleReport(), nil, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	if c, err := reports.LoadCoverage(bare); c != nil || err != nil {
		t.Errorf("LoadCoverage without coverage.json: %v, %v; want nil, nil", c, err)
	}
	if _, err := os.Stat(filepath.Join(bare, reports.LCOVFile)); err == nil {
		t.Error("coverage.lcov written for a campaign without feedback")
	}
	if err := os.WriteFile(filepath.Join(bare, reports.CoverageFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := reports.LoadCoverage(bare); err == nil || !strings.Contains(err.Error(), "corrupt coverage") {
		t.Errorf("corrupt coverage.json: error %v", err)
	}
}

func TestCoverageInEveryFormat(t *testing.T) {
	opts := coverageOptions()
	opts.Coverage.Shadow = true
	r := sampleReport()
	for _, tc := range []struct {
		reason string
		write  func(io.Writer) error
		want   []string
	}{
		{"summary.md: branches reached, shadow, what was never taken", func(w io.Writer) error { return reports.WriteMarkdown(w, r, sampleFindings(), opts) },
			[]string{"branches 11/13 (84.6%)", "shadow execution", "2 branches never taken", "- line 12:5 (case): `case ",
				"- line 18:21 (then): `if (i > 40) { throw new Error(\"unreachable\"); }`"}},
		{"report.html: the source view", func(w io.Writer) error { return reports.WriteHTML(w, r, sampleFindings(), opts) },
			[]string{`id="coverage-summary"`, `id="shadow-note"`, `<tr id="L12" class="src miss">`, `never: case`, `never: then`,
				`<a href="#L18">line 18:21</a>`,
				`<tr id="L13" class="src unrun">`, `<tr id="L14" class="src unrun">`, `<tr id="L15" class="src hit">`, "&lt;script&gt;alert(1)&lt;/script&gt;"}},
		{"junit.xml: a coverage property", func(w io.Writer) error { return reports.WriteJUnit(w, r, sampleFindings(), opts) },
			[]string{`name="coverage" value="branches 11/13 (84.6%)`}},
	} {
		var buf bytes.Buffer
		if err := tc.write(&buf); err != nil {
			t.Fatalf("%s: %v", tc.reason, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s: output lacks %q", tc.reason, w)
			}
		}
		// Markdown shows source lines in code spans, which render markup
		// as text; the other formats escape it.
		text := buf.String()
		if strings.HasPrefix(tc.reason, "summary.md") {
			text = regexp.MustCompile("`[^`\n]*`").ReplaceAllString(text, "")
		}
		if strings.Contains(text, "<script>alert") {
			t.Errorf("%s: the source's markup is not escaped", tc.reason)
		}
	}
}

// TestLCOVHostileNames: a file name or function name from the user's tree
// cannot add records to the tracefile.
func TestLCOVHostileNames(t *testing.T) {
	c := &reports.Coverage{
		Map:    &coverage.Map{Edges: []coverage.Edge{{Kind: coverage.EdgeEntry, Line: 1, Column: 1}, {Kind: coverage.EdgeEntry, Line: 2, Column: 1}}},
		Hits:   []uint32{1, 0},
		Source: []byte("function a,b\nFNDA:9,x() {}\n"),
		File:   "evil.js\nend_of_record\nSF:/etc/passwd",
	}
	var buf bytes.Buffer
	if err := reports.WriteLCOV(&buf, sampleReport(), c, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	count := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		key, _, _ := strings.Cut(line, ":")
		count[key]++
	}
	if count["SF"] != 1 || count["end_of_record"] != 1 || count["FNDA"] != 2 || count["FN"] != 2 {
		t.Errorf("hostile names changed the records (%v):\n%s", count, got)
	}
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if strings.HasPrefix(line, "FN:") && strings.Count(line, ",") != 1 {
			t.Errorf("function record %q has extra fields", line)
		}
	}
}

// TestLCOVBranchBlocksFromTheInstrumenter groups the branches of a map the
// runtime's instrumenter really built (counters allocated depth first, an
// arm before what it contains) into one LCOV block per decision.
func TestLCOVBranchBlocksFromTheInstrumenter(t *testing.T) {
	m, err := runtime.CoverageMap([]byte(coverageSource), runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hits := make([]uint32, len(m.Edges))
	for i := range hits {
		hits[i] = 1
	}
	var buf bytes.Buffer
	c := &reports.Coverage{Map: m, Hits: hits, Source: []byte(coverageSource), File: "policy.js"}
	if err := reports.WriteLCOV(&buf, sampleReport(), c, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	blocks := map[string]int{} // "line/block" → branches
	for _, line := range strings.Split(buf.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "BRDA:"); ok {
			f := strings.Split(rest, ",")
			blocks[f[0]+"/"+f[1]]++
		}
	}
	byLine := map[string]int{}
	for k, n := range blocks {
		line, _, _ := strings.Cut(k, "/")
		byLine[line] += n * 10 // tens: branches; several blocks on a line add up
		byLine[line]++         // units: blocks
	}
	want := map[string]int{
		"3":  2*10 + 2*10 + 2, // if/else and the two operands of ||: two decisions of two
		"9":  3*10 + 1,        // the switch's three cases
		"16": 2*10 + 1,        // ?:
		"17": 2*10 + 1,        // the loop's body and exit
		"18": 2*10 + 1,        // the inner if and its implicit else
	}
	for line, w := range want {
		if byLine[line] != w {
			t.Errorf("line %s: %d branches in %d blocks, want %d in %d\n%s", line, byLine[line]/10, byLine[line]%10, w/10, w%10, buf.String())
		}
	}
	if len(byLine) != len(want) {
		t.Errorf("branch blocks on lines %v, want %v\n%s", byLine, want, buf.String())
	}
}

// FuzzParseCoverage: whatever coverage.json holds, fuzz report parses it
// or refuses it, and renders what it accepted without panicking.
func FuzzParseCoverage(f *testing.F) {
	var buf bytes.Buffer
	_ = reports.WriteCoverageJSON(&buf, sampleReport(), sampleCoverage(), coverageOptions())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version":1,"tool":"cffuzz","map":{"edges":[{"kind":"then","line":1000000000,"column":-5}]},"hits":[3]}`))
	f.Add([]byte(`{"version":1,"tool":"cffuzz","map":{"edges":[]},"hits":[1,2]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := reports.ParseCoverage(b)
		if err != nil {
			return
		}
		opts := reports.Options{Coverage: c}
		var out bytes.Buffer
		if err := reports.WriteHTML(&out, sampleReport(), nil, opts); err != nil {
			t.Fatal(err)
		}
		if err := reports.WriteLCOV(&out, sampleReport(), c, opts); err != nil {
			t.Fatal(err)
		}
		if err := reports.WriteMarkdown(&out, sampleReport(), nil, opts); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLCOVFunctionNames(t *testing.T) {
	src := "const ok = (x) => x > 1;\nconst helpers = { check: function (c) { return c; } };\n" +
		"async function connectionHandler(connection) {\n  [1].map(v => v);\n  connection.allow();\n}\n"
	m, err := runtime.CoverageMap([]byte(src), runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := reports.WriteLCOV(&buf, sampleReport(), &reports.Coverage{Map: m, Source: []byte(src)}, reports.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FN:1,ok\n", "FN:2,check\n", "FN:3,connectionHandler\n", "FN:4,<anonymous>\n", "FNF:4\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("LCOV lacks %q:\n%s", want, buf.String())
		}
	}
}
