package engine_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// deepDir is the deep-bug benchmark.
var deepDir = filepath.Join("..", "..", "testdata", "deep")

var (
	deepCases = flag.Int64("deep.cases", 3000, "cases per function of the deep-bug benchmark")
	deepOnly  = flag.String("deep.only", "", "run only the deep-bug functions whose name contains this")
	deepOff   = flag.Bool("deep.nofeedback", false, "run the deep-bug benchmark with feedback off (for the comparison table)")
	deepSeed  = flag.Int64("deep.seed", 1, "campaign seed of the deep-bug benchmark")
	deepConc  = flag.Int("deep.concurrency", 1, "cases in flight in the deep-bug benchmark's campaigns")
)

// deepResult is what one campaign on a deep-bug function gave.
type deepResult struct {
	name     string
	clean    bool
	found    int // expected findings found
	expected int
	matches  []int // per expected finding: how many findings matched
	serious  []cffuzz.Finding
	first    uint64 // the case index of the first expected finding
	cases    int64
	rate     float64
	coverage *cffuzz.CoverageSummary
}

func runDeep(t *testing.T, exec runtime.Executor, fn benchfuncs.Function, dir string, cases int64, noFeedback bool, concurrency int, seed int64) deepResult {
	t.Helper()
	out := t.TempDir()
	cfg := campaign.Config{
		Function:    filepath.Join(dir, fn.File),
		Out:         out,
		Executor:    exec,
		KVSData:     fn.KVSData,
		Cases:       cases,
		Seed:        seed,
		Concurrency: concurrency,
		Isolation:   campaign.IsolationInProcess,
		NoFeedback:  noFeedback,
		// The generators' present: today, so that a run does not depend on
		// the second it started (the functions' own clock is the wall
		// clock, so a fixed date would drift away from it).
		Now: time.Now().UTC().Truncate(24 * time.Hour),
	}
	if fn.Property != "" {
		cfg.Properties = []campaign.Source{{Path: filepath.Join(dir, fn.Property)}}
	}
	res, err := campaign.Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("%s: %v", fn.Name, err)
	}
	r := deepResult{name: fn.Name, clean: fn.Clean, expected: len(fn.Expect), cases: res.Report.Cases, rate: res.Report.CasesPerSec,
		first: ^uint64(0)}
	// report.json carries the coverage summary the reports computed.
	if b, err := os.ReadFile(filepath.Join(out, "report.json")); err == nil {
		var rep cffuzz.Report
		if json.Unmarshal(b, &rep) == nil {
			r.coverage = rep.Coverage
		}
	}
	for _, f := range res.Findings {
		if *deepOnly != "" {
			t.Logf("%s: %s %s ×%d case %d %s/%s: %.200s", fn.Name, f.Severity, f.Signature, f.Count, f.Case, f.Family, f.Variant, f.Minimized)
		}
		if f.Severity >= cffuzz.SeverityMedium {
			r.serious = append(r.serious, f)
		}
	}
	for _, e := range fn.Expect {
		n := 0
		for _, f := range r.serious {
			if e.MatchesFinding(f) {
				n++
				r.first = min(r.first, f.Case)
			}
		}
		r.matches = append(r.matches, n)
		if n > 0 {
			r.found++
		}
	}
	return r
}

// TestDeepBenchmark runs a 3,000-case campaign with feedback on every
// function of the deep-bug benchmark: at least deepMinFound of the 12
// planted bugs must be found, each as one finding, and the clean functions
// must give nothing of medium severity or more.
func TestDeepBenchmark(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the deep-bug benchmark runs 48,000 cases")
	}
	m, err := benchfuncs.Load(deepDir)
	if err != nil {
		t.Fatal(err)
	}
	exec := runtime.NewInProcess(runtime.Options{})
	defer exec.Close()
	var found, planted int
	var rows []string
	for _, fn := range m.Functions {
		if *deepOnly != "" && !strings.Contains(fn.Name, *deepOnly) {
			continue
		}
		start := time.Now()
		r := runDeep(t, exec, fn, m.Dir, *deepCases, *deepOff, *deepConc, *deepSeed)
		row := fmt.Sprintf("%-32s found %d/%d  first case %-6s %5d cases %6.0f/s  %v", fn.Name, r.found, r.expected, firstCase(r), r.cases, r.rate, time.Since(start).Round(time.Millisecond))
		if r.coverage != nil {
			row += fmt.Sprintf("  branches %d/%d", r.coverage.Branches.Reached, r.coverage.Branches.Total)
		}
		rows = append(rows, row)
		if fn.Clean {
			for _, f := range r.serious {
				t.Errorf("clean function %s: %s finding %s: %s (minimized: %s)", fn.Name, f.Severity, f.Signature, f.Message, f.Minimized)
			}
			continue
		}
		planted += r.expected
		found += r.found
		for i, n := range r.matches {
			if n > 1 {
				t.Errorf("%s: planted bug %d found as %d findings, want one", fn.Name, i, n)
			}
		}
		for _, f := range r.serious {
			matched := false
			for _, e := range fn.Expect {
				matched = matched || e.MatchesFinding(f)
			}
			if !matched {
				t.Errorf("%s: unexpected %s finding %s: %s", fn.Name, f.Severity, f.Signature, f.Message)
			}
		}
	}
	sort.Strings(rows)
	for _, r := range rows {
		t.Log(r)
	}
	t.Logf("found %d of %d planted bugs", found, planted)
	if *deepOnly == "" && !*deepOff && found < deepMinFound {
		t.Errorf("found %d of %d planted deep bugs with feedback at %d cases a function; want at least %d", found, planted, *deepCases, deepMinFound)
	}
}

// deepMinFound is the fewest planted bugs TestDeepBenchmark accepts. Over
// seeds 1–5 (TestDeepSeeds, docs/feedback.md) the final engine found 11 or
// 12 of 12 (58 of 60), its last versions 10 to 12. The campaign's dates are
// today's and the functions read the wall clock, so the verdict varies from
// day to day, and from run to run (10 and 11 at seed 1 minutes apart), as
// it does from seed to seed. 9 keeps a bug of margin below the fewest
// measured with any of those versions, so a loaded CI machine cannot fail
// it, and still fails when the engine degrades towards blind generation
// (which finds 3). Each mechanism has its own unit test (TestInputToState,
// TestByteForms, TestReformMatched, TestMatchOf, TestComponentIndex, ...).
const deepMinFound = 9

func firstCase(r deepResult) string {
	if r.found == 0 {
		return "-"
	}
	return fmt.Sprint(r.first)
}

func TestMain(m *testing.M) {
	runtime.ServeWorkerIfRequested()
	os.Exit(m.Run())
}

var deepSeeds = flag.Int("deep.seeds", 0, "TestDeepSeeds: run the deep-bug benchmark at seeds 1..N and tabulate what each found")

// TestDeepSeeds measures how the deep-bug benchmark's verdict varies with
// the seed (run with -deep.seeds N; skipped otherwise): for each seed the
// bugs found of 12, for each function the seeds that found it, and any
// finding of medium or more on a clean function. It is a measurement for
// docs/feedback.md, not a check.
func TestDeepSeeds(t *testing.T) {
	if *deepSeeds == 0 {
		t.Skip("measurement: pass -deep.seeds N")
	}
	m, err := benchfuncs.Load(deepDir)
	if err != nil {
		t.Fatal(err)
	}
	exec := runtime.NewInProcess(runtime.Options{})
	defer exec.Close()
	bySeed := map[int64]int{}
	byFn := map[string][]string{}
	var names []string
	for _, fn := range m.Functions {
		if *deepOnly != "" && !strings.Contains(fn.Name, *deepOnly) {
			continue
		}
		names = append(names, fn.Name)
		for seed := int64(1); seed <= int64(*deepSeeds); seed++ {
			r := runDeep(t, exec, fn, m.Dir, *deepCases, *deepOff, *deepConc, seed)
			switch {
			case fn.Clean && len(r.serious) > 0:
				byFn[fn.Name] = append(byFn[fn.Name], fmt.Sprintf("seed %d: %d serious", seed, len(r.serious)))
			case !fn.Clean && r.found > 0:
				bySeed[seed] += r.found
				byFn[fn.Name] = append(byFn[fn.Name], fmt.Sprintf("%d@%s", seed, firstCase(r)))
			case !fn.Clean:
				byFn[fn.Name] = append(byFn[fn.Name], fmt.Sprintf("%d@-", seed))
			}
		}
	}
	for _, n := range names {
		t.Logf("%-32s %v", n, byFn[n])
	}
	for seed := int64(1); seed <= int64(*deepSeeds); seed++ {
		t.Logf("seed %d: found %d", seed, bySeed[seed])
	}
}
