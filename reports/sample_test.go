package reports_test

import (
	"flag"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/testsupport"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

var update = flag.Bool("update", false, "rewrite golden files")

var (
	sampleStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sampleNow   = time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)
)

const sampleSource = `function connectionHandler(connection) {
  var cert = connection.clientCertificate;
  if (cert.subject.indexOf("CN=admin") >= 0) {
    connection.allow();
  } else {
    connection.deny();
  }
}
`

func sampleOptions() reports.Options {
	return reports.Options{
		FunctionPath:   "functions/mtls.js",
		FunctionSource: []byte(sampleSource),
		Now:            sampleNow,
		FailOn:         cffuzz.SeverityMedium,
		ToolVersion:    "0.1.0",
	}
}

// sampleReport is a fixed campaign: 1200 cases, three findings.
func sampleReport() *cffuzz.Report {
	return &cffuzz.Report{
		Version:     1,
		Tool:        "cffuzz",
		Campaign:    "nightly-0042",
		Function:    "mtls",
		Target:      "emulator",
		Seed:        42,
		Started:     sampleStart,
		Finished:    sampleStart.Add(90 * time.Second),
		DurationMS:  90000,
		StopReason:  "cases",
		Cases:       1200,
		CasesPerSec: 13.3,
		Replayed:    3,
		Requests:    1215,
		Throttles:   4,
		Retries:     6,
		ByFamily:    map[string]int64{"production": 700, "boundary": 300, "malformed": 150, "wire": 47, "corpus": 3},
		ByClass:     map[string]int64{"production": 703, "boundary": 300, "malformed": 150, "wire": 47},
		ByOutcome:   map[string]int64{"pass": 1170, "finding": 25, "api-error": 5},
		ByDecision:  map[string]int64{"allow": 702, "deny": 433, "none": 40},
		Utilization: cffuzz.UtilizationSummary{
			Count: 1150, P50: 22, P90: 48, P95: 61, P99: 97, Max: 134,
			Histogram: [11]int64{40, 180, 390, 250, 120, 70, 40, 25, 15, 8, 2},
		},
		FindingsBySeverity: map[string]int{"high": 1, "medium": 1, "low": 1},
		Timeline: []cffuzz.TimelinePoint{
			{ElapsedMS: 0, Cases: 0, CasesPerSec: 0, Findings: 0},
			{ElapsedMS: 15000, Cases: 190, CasesPerSec: 12.7, Findings: 1},
			{ElapsedMS: 30000, Cases: 400, CasesPerSec: 14, Findings: 1},
			{ElapsedMS: 45000, Cases: 610, CasesPerSec: 14, Findings: 2},
			{ElapsedMS: 60000, Cases: 800, CasesPerSec: 12.7, Findings: 3},
			{ElapsedMS: 75000, Cases: 1000, CasesPerSec: 13.3, Findings: 3},
			{ElapsedMS: 90000, Cases: 1200, CasesPerSec: 13.3, Findings: 3},
		},
		Oracles: []string{"crash", "decision", "utilization", "mismatch"},
	}
}

// sampleFindings has one finding with a line and column, one malformed
// low-severity one (not valid UTF-8) and one wire finding, out of order.
func sampleFindings() []cffuzz.Finding {
	return []cffuzz.Finding{
		{
			Oracle: "crash", Severity: cffuzz.SeverityLow, Kind: "TypeError",
			Signature: "crash/TypeError/cannot read property of undefined",
			Message:   "TypeError on a malformed connection object: Cannot read property 'subject' of undefined",
			Count:     9, Seed: 42, Case: 1033, Family: "malformed", Class: cffuzz.ClassMalformed,
			Reproducer:   "fuzz replay -seed 42 -case 1033 functions/mtls.js",
			Original:     []byte("{\"clientCertificate\":\xff\xfe null,\"x\":1}"),
			Minimized:    []byte("{\"clientCertificate\":\xff}"),
			OriginalSize: 35, MinimizedSize: 23, ShrinkSteps: 4,
			FirstSeen: sampleStart.Add(50 * time.Second),
		},
		{
			Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "TypeError",
			Signature: "crash/TypeError@3:12/cannot read property indexOf of undefined",
			Message:   "TypeError: Cannot read property 'indexOf' of undefined",
			Count:     14, Seed: 42, Case: 181, Family: "boundary", Class: cffuzz.ClassBoundary,
			Line: 3, Column: 12,
			Reproducer:   "fuzz replay corpus/crash-3f2a9c.json",
			Original:     []byte(`{"clientIp":"203.0.113.7","clientCertificate":{"certificatePresent":true,"serialNumber":"00:a1","validity":{"notBefore":"2026-01-01T00:00:00Z"}}}`),
			Minimized:    []byte(`{"clientCertificate":{}}`),
			OriginalSize: 143, MinimizedSize: 24, ShrinkSteps: 11,
			CorpusFile: "corpus/crash-3f2a9c.json",
			FirstSeen:  sampleStart.Add(14 * time.Second),
		},
		{
			Oracle: "mismatch", Severity: cffuzz.SeverityMedium, Kind: "status-mismatch",
			Signature: "expectation/status-mismatch/missing If-Match accepted",
			Message:   "TestConnectionFunction without If-Match answered 200, want 400 InvalidIfMatchVersion",
			Count:     2, Seed: 42, Case: 1150, Family: "wire", Class: cffuzz.ClassWire,
			Reproducer: "fuzz replay -seed 42 -case 1150 functions/mtls.js",
			Wire: &cffuzz.WireRequest{
				Method: "POST", Path: "/2020-05-31/connection-function/{id}/test",
				Header: map[string]string{"Content-Type": "application/xml"},
				Body:   []byte(`<TestConnectionFunctionRequest><Stage>DEVELOPMENT</Stage></TestConnectionFunctionRequest>`),
				Note:   "missing If-Match",
			},
			OriginalSize: 91, MinimizedSize: 91,
			FirstSeen: sampleStart.Add(44 * time.Second),
		},
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testsupport.Golden(t, name, got, *update)
}
