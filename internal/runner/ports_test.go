package runner_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
)

// TestImportsOnlyTheVocabulary: the runner drives the ports of the
// vocabulary (cffuzz.Target, Oracle, Observer) and depends on no
// JavaScript engine, AWS SDK, emulator, target or oracle package.
func TestImportsOnlyTheVocabulary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/dop251/goja", "github.com/aws/", "github.com/cffuzz/cffuzz/emulator",
		"github.com/cffuzz/cffuzz/internal/target", "github.com/cffuzz/cffuzz/oracles",
		"github.com/cffuzz/cffuzz/generators", "net/http",
	}
	deps := strings.Fields(string(out))
	for _, d := range deps {
		for _, f := range forbidden {
			if strings.HasPrefix(d, f) {
				t.Errorf("internal/runner depends on %s", d)
			}
		}
	}
	if len(deps) > 80 {
		t.Errorf("internal/runner has %d dependencies; it should need little beyond the standard library", len(deps))
	}
}

// TestSnapshotBudgetAndETA: the runner knows how many cases its shard
// runs, so the progress shows the shard's budget, not the whole space's.
func TestSnapshotBudgetAndETA(t *testing.T) {
	tests := []struct {
		reason string
		opts   runner.Options
		budget int64
	}{
		{"the whole case space", runner.Options{MaxCases: 400}, 400},
		{"shard 2 of 4 runs a quarter", runner.Options{MaxCases: 400, Shard: runner.Shard{K: 2, N: 4}}, 100},
		{"shard 3 of 3 of 10 runs indexes 2, 5, 8", runner.Options{MaxCases: 10, Shard: runner.Shard{K: 3, N: 3}}, 3},
		{"replayed inputs count, by shard too", runner.Options{MaxCases: 8, Shard: runner.Shard{K: 1, N: 2}, Replay: make([]cffuzz.Case, 3)}, 6},
		{"a duration alone gives no case budget", runner.Options{MaxDuration: 50 * time.Millisecond}, 0},
	}
	for _, tt := range tests {
		opts := tt.opts
		opts.Target = noopTarget{}
		opts.Cases = fakeCases
		var first, last runner.Snapshot
		opts.ProgressInterval = time.Millisecond
		opts.Progress = func(s runner.Snapshot) {
			if first.Elapsed == 0 {
				first = s
			}
			last = s
		}
		res, err := runner.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if last.Budget != tt.budget || first.Budget != tt.budget {
			t.Errorf("%s: budget %d (first snapshot %d), want %d", tt.reason, last.Budget, first.Budget, tt.budget)
		}
		if tt.budget > 0 && res.Report.Cases != tt.budget {
			t.Errorf("%s: ran %d cases, budget said %d", tt.reason, res.Report.Cases, tt.budget)
		}
		if last.Phase != cffuzz.PhaseFindings || last.ETA != 0 {
			t.Errorf("%s: final snapshot phase %q ETA %v; want the findings phase, no ETA", tt.reason, last.Phase, last.ETA)
		}
	}
}
