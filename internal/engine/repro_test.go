package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/internal/engine"
)

// deepFunction loads one function of the deep-bug benchmark.
func deepFunction(t *testing.T, name string) (benchfuncs.Manifest, benchfuncs.Function) {
	t.Helper()
	m, err := benchfuncs.Load(deepDir)
	if err != nil {
		t.Fatal(err)
	}
	fn, ok := m.Lookup(name)
	if !ok {
		t.Fatalf("no deep-bug function %q", name)
	}
	return m, fn
}

func deepConfig(m benchfuncs.Manifest, fn benchfuncs.Function, exec runtime.Executor, out string) campaign.Config {
	cfg := campaign.Config{
		Function: filepath.Join(m.Dir, fn.File), Out: out, Executor: exec, KVSData: fn.KVSData,
		Isolation: campaign.IsolationInProcess, Concurrency: 1, Seed: 5,
		Now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
	}
	if fn.Property != "" {
		cfg.Properties = []campaign.Source{{Path: filepath.Join(m.Dir, fn.Property)}}
	}
	return cfg
}

// TestFeedbackCampaignDeterministic runs the same feedback-guided campaign
// twice at concurrency 1: the learned state changes only through Learn, in
// case order, so the two campaigns build the same cases (same counts by
// family and outcome, same coverage) and find the same findings from the
// same inputs.
func TestFeedbackCampaignDeterministic(t *testing.T) {
	m, fn := deepFunction(t, "partner-range-unassigned-block")
	exec := runtime.NewInProcess(runtime.Options{})
	defer exec.Close()
	cases := int64(1500)
	if testing.Short() {
		cases = 400
	}
	run := func() (*campaign.Result, string) {
		cfg := deepConfig(m, fn, exec, t.TempDir())
		cfg.Cases, cfg.Corpus = cases, "-"
		res, err := campaign.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "families %v outcomes %v classes %v\n", res.Report.ByFamily, res.Report.ByOutcome, res.Report.ByClass)
		for _, f := range res.Findings {
			fmt.Fprintf(&b, "%s case %d ×%d %s/%s %x\n", f.Signature, f.Case, f.Count, f.Family, f.Variant, f.Original)
		}
		return res, b.String()
	}
	a, sa := run()
	_, sb := run()
	if sa != sb {
		t.Errorf("two campaigns with the same seed at concurrency 1 differ:\n%s\n---\n%s", sa, sb)
	}
	if a.Report.ByFamily["feedback"] == 0 {
		t.Errorf("no case came from the feedback queue: %v", a.Report.ByFamily)
	}
}

// TestFeedbackFindingsReproduce checks that every finding of a
// feedback-guided campaign reproduces from its corpus entry: the queue's
// state is not needed, the entry holds the input.
func TestFeedbackFindingsReproduce(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs two feedback campaigns of 3,000 cases")
	}
	exec := runtime.NewInProcess(runtime.Options{})
	defer exec.Close()
	fromQueue := 0
	defer func() {
		if fromQueue == 0 {
			t.Error("no reproduced finding came from the feedback queue")
		}
	}()
	for _, name := range []string{"operator-admin-no-scopes", "tenant-quota-negative-array"} {
		m, fn := deepFunction(t, name)
		out := t.TempDir()
		cfg := deepConfig(m, fn, exec, out)
		cfg.Cases = 3000
		res, err := campaign.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var want []cffuzz.Finding
		for _, f := range res.Findings {
			if f.Severity >= cffuzz.SeverityMedium {
				want = append(want, f)
				if f.Family == engine.Family {
					fromQueue++
				}
			}
		}
		if len(want) == 0 {
			t.Errorf("%s: the campaign found nothing to reproduce", name)
			continue
		}
		rcfg := deepConfig(m, fn, exec, t.TempDir())
		rep, err := campaign.Replay(context.Background(), rcfg, []string{filepath.Join(out, "corpus")})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range want {
			ok := false
			for _, e := range rep.Entries {
				for _, g := range e.Findings {
					ok = ok || g.Signature == f.Signature
				}
			}
			if !ok {
				t.Errorf("%s: finding %s (case %d, %s/%s) does not reproduce from the corpus (replay: %+v)", name, f.Signature, f.Case, f.Family, f.Variant, rep.Entries)
			}
		}
	}
}
