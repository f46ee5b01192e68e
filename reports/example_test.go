package reports_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/reports"
)

func Example() {
	dir, err := os.MkdirTemp("", "cffuzz-report")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	r := &cffuzz.Report{Tool: "cffuzz", Campaign: "example", Function: "handler.js", Target: "emulator",
		Seed: 1, Cases: 100, StopReason: "cases", Oracles: []string{"crash"}}
	findings := []cffuzz.Finding{{
		Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: "TypeError",
		Signature: "crash/TypeError@2:5/x", Message: "TypeError: x is undefined", Count: 3,
		Line: 2, Column: 5, Reproducer: "fuzz replay -seed 1 -case 7 handler.js",
		Minimized: []byte(`{}`), MinimizedSize: 2,
	}}
	opts := reports.Options{FunctionPath: "handler.js", FailOn: cffuzz.SeverityMedium}
	if err := reports.WriteAll(dir, r, findings, opts); err != nil {
		panic(err)
	}

	// Later, `fuzz report DIR` re-renders from the JSON files alone.
	r2, f2, err := reports.Load(dir)
	if err != nil {
		panic(err)
	}
	fmt.Println(r2.Campaign, len(f2), f2[0].Severity)
	_, err = os.Stat(filepath.Join(dir, reports.SARIFFile))
	fmt.Println("sarif written:", err == nil)
	// Output:
	// example 1 high
	// sarif written: true
}
