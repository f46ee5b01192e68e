package corpus_test

import (
	"flag"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/testsupport"

	"github.com/cffuzz/cffuzz"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// finding returns a finding with a fixed input and signature.
func finding(input, sig string, sev cffuzz.Severity) cffuzz.Finding {
	return cffuzz.Finding{
		Oracle: "crash", Severity: sev, Kind: "TypeError", Signature: sig,
		Message: "the function failed: TypeError: Cannot read property 'leaf' of null at line 3:12",
		Seed:    42, Case: 7, Family: "mutation", Class: cffuzz.ClassProduction, Variant: "null-field",
		Line: 3, Column: 12, Reproducer: "fuzz replay --input corpus/x",
		Original: []byte(input + "   "), Minimized: []byte(input), OriginalSize: len(input) + 3, MinimizedSize: len(input),
		ShrinkSteps: 4, FirstSeen: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
	}
}

func leafFinding() cffuzz.Finding {
	return finding(`{"clientCertificate":null}`, "crash/TypeError@3:12/TypeError: Cannot read property 'leaf' of null", cffuzz.SeverityHigh)
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testsupport.Golden(t, name, got, *update)
}
