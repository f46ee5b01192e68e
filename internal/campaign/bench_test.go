package campaign_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// benchDir is the planted-bug benchmark.
var benchDir = filepath.Join("..", "..", "testdata", "bench")

// shortBench are the functions -short runs: one of each kind of bug, and a
// clean one.
var shortBench = map[string]bool{
	"optional-mtls-no-cert": true, "ocsp-unknown-no-decision": true, "expired-cert-allowed": true,
	"fingerprint-colon-loop": true, "clean-optional-mtls": true,
}

// TestBenchmarkFunctions runs the default campaign on every function of the
// planted-bug benchmark: every planted bug must be found, once, with a
// minimized reproducer, and a clean function must give nothing of medium
// severity or more.
func TestBenchmarkFunctions(t *testing.T) {
	m, err := benchfuncs.Load(benchDir)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for _, fn := range m.Functions {
		fn := fn
		t.Run(fn.Name, func(t *testing.T) {
			if testing.Short() && !shortBench[fn.Name] {
				t.Skip("-short runs a subset of the benchmark")
			}
			cfg := campaign.Config{
				Function:  filepath.Join(m.Dir, fn.File),
				Out:       t.TempDir(),
				Executor:  pool,
				KVSData:   fn.KVSData,
				Corpus:    "",
				Isolation: campaign.IsolationProcess,
				// One case in flight: the feedback engine learns from the
				// outcomes in case order, so the seed gives one campaign and
				// the benchmark's verdict does not depend on scheduling.
				Concurrency: 1,
			}
			if fn.Property != "" {
				cfg.Properties = []campaign.Source{{Path: filepath.Join(m.Dir, fn.Property)}}
			}
			res, err := campaign.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			var serious []cffuzz.Finding
			for _, f := range res.Findings {
				if f.Severity >= cffuzz.SeverityMedium {
					serious = append(serious, f)
				}
				t.Logf("%-8s %-11s %-60.60s ×%-4d %d→%d bytes", f.Severity, f.Oracle, f.Signature, f.Count, f.OriginalSize, f.MinimizedSize)
			}
			t.Logf("%d cases, %.0f/s", res.Report.Cases, res.Report.CasesPerSec)
			if fn.Clean {
				for _, f := range serious {
					t.Errorf("clean function: %s finding %s: %s (minimized: %s)", f.Severity, f.Signature, f.Message, f.Minimized)
				}
				return
			}
			matched := make([]bool, len(serious))
			for _, e := range fn.Expect {
				n := 0
				for i, f := range serious {
					if matchesExpect(e, f) {
						n++
						matched[i] = true
						if len(f.Minimized) == 0 || f.MinimizedSize > f.OriginalSize {
							t.Errorf("finding %s has no minimized reproducer (%d→%d bytes)", f.Signature, f.OriginalSize, f.MinimizedSize)
						}
					}
				}
				switch {
				case n == 0:
					t.Errorf("planted bug not found: %s %s at line %d (%s)", e.Oracle, e.Kind, e.Line, fn.Bug)
				case n > 1:
					t.Errorf("planted bug %s %s found as %d findings, want one", e.Oracle, e.Kind, n)
				}
			}
			for _, e := range fn.Static {
				n := 0
				for i, f := range serious {
					if e.MatchesFinding(f) {
						n++
						matched[i] = true
					}
				}
				if n != 1 {
					t.Errorf("static finding %s %s at line %d reported %d times, want once", e.Oracle, e.Kind, e.Line, n)
				}
			}
			for i, f := range serious {
				if !matched[i] {
					t.Errorf("unexpected %s finding %s: %s", f.Severity, f.Signature, f.Message)
				}
			}
		})
	}
}

// matchesExpect reports whether a finding is the expected one.
func matchesExpect(e benchfuncs.Expect, f cffuzz.Finding) bool { return e.MatchesFinding(f) }
