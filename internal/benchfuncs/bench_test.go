package benchfuncs_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
)

// benchDir is the benchmark, relative to this package.
var benchDir = filepath.Join("..", "..", "testdata", "bench")

// now is the time every run sees: the triggers' validity windows are set
// around it, so the tests mean the same thing every year.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newExecutor returns the executor of these tests: CloudFront's 5 ms budget
// and a time limit of one second. The limit is wall-clock time, so it is
// set far above any clean run: a loaded machine, or a -race build, must not
// turn a descheduled run into a TimeoutError. Infinite loops still end.
func newExecutor(t *testing.T) runtime.Executor {
	t.Helper()
	exec := runtime.NewInProcess(runtime.Options{TimeLimit: time.Second})
	t.Cleanup(func() { _ = exec.Close() })
	return exec
}

func loadBench(t *testing.T) benchfuncs.Manifest {
	t.Helper()
	m, err := benchfuncs.Load(benchDir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// run executes f on object and returns the signals the benchmark's oracles
// raise for it. Utilization over budget is reported only when overBudget
// is set, since it depends on the machine.
func run(t *testing.T, exec runtime.Executor, f benchfuncs.Function, object []byte, overBudget bool) ([]cffuzz.Signal, runtime.Result) {
	t.Helper()
	kvs, err := f.Store()
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Execute(context.Background(), runtime.Request{Code: f.Code, Object: object, KVS: kvs, Seed: 1, Now: now})
	if err != nil {
		t.Fatalf("%s: executor failed: %v", f.Name, err)
	}
	var sig []cffuzz.Signal
	switch {
	case res.ErrorName == benchfuncs.KindTimeout:
		sig = append(sig, cffuzz.Signal{Oracle: benchfuncs.OracleUtilization, Kind: benchfuncs.KindTimeout})
	case res.ErrorName != "":
		sig = append(sig, cffuzz.Signal{Oracle: benchfuncs.OracleCrash, Kind: res.ErrorName, Line: res.Line, Message: res.Error})
	case len(res.Calls) == 0:
		sig = append(sig, cffuzz.Signal{Oracle: benchfuncs.OracleDecision, Kind: benchfuncs.KindNoDecision})
	case len(res.Calls) > 1:
		sig = append(sig, cffuzz.Signal{Oracle: benchfuncs.OracleDecision, Kind: benchfuncs.KindMultipleDecisions})
	case f.PropertyCode != nil:
		msg, err := checkProperty(f.PropertyCode, object, res, now)
		if err != nil {
			t.Fatalf("%s: %v", f.Property, err)
		}
		if msg != "" {
			sig = append(sig, cffuzz.Signal{Oracle: benchfuncs.OracleProperty, Kind: f.PropertyName(), Message: msg})
		}
	}
	if overBudget && res.ErrorName == "" && res.Utilization > 100 {
		sig = append(sig, cffuzz.Signal{Oracle: benchfuncs.OracleUtilization, Kind: benchfuncs.KindOver100})
	}
	return sig, res
}

// inputs returns the production-class connection objects every function is
// run on: the documented examples and extra shapes in inputs/, plus every
// trigger of the manifest, named after their function ("name#0").
func inputs(t *testing.T, m benchfuncs.Manifest) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(benchDir, "inputs", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs in %s/inputs: %v", benchDir, err)
	}
	out := make(map[string][]byte)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b) {
			t.Fatalf("%s is not JSON", name)
		}
		out[filepath.Base(name)] = b
	}
	for _, f := range m.Functions {
		for i, e := range f.Expect {
			out[f.Name+"#"+string(rune('0'+i))] = e.Trigger
		}
	}
	return out
}

func TestBenchmarkShape(t *testing.T) {
	m := loadBench(t)
	var planted, clean int
	kinds := map[string]bool{}
	for _, f := range m.Functions {
		if err := runtime.Check(f.Code); err != nil {
			t.Errorf("%s: %s does not compile under cloudfront-js-2.0: %v", f.Name, f.File, err)
		}
		if f.Clean {
			clean++
			continue
		}
		planted += len(f.Expect)
		for _, e := range f.Expect {
			kinds[e.Oracle+"/"+e.Kind] = true
		}
	}
	if planted < 16 || clean < 5 {
		t.Errorf("benchmark has %d planted bugs and %d clean functions; want at least 16 and 5", planted, clean)
	}
	if len(kinds) < 10 {
		t.Errorf("planted bugs cover %d oracle/kind pairs; want a varied benchmark (at least 10)", len(kinds))
	}
}

// TestTriggers checks that every trigger makes its function show exactly
// the expected finding.
func TestTriggers(t *testing.T) {
	m := loadBench(t)
	exec := newExecutor(t)
	for _, f := range m.Functions {
		for i, e := range f.Expect {
			sig, res := run(t, exec, f, e.Trigger, true)
			matched := false
			for _, s := range sig {
				matched = matched || e.Matches(s)
			}
			if !matched {
				t.Errorf("%s expect[%d]: want %s/%s line %d; got signals %+v (result: decision %q calls %v error %q line %d utilization %d)",
					f.Name, i, e.Oracle, e.Kind, e.Line, sig, res.Decision, res.Calls, res.Error, res.Line, res.Utilization)
			}
		}
	}
}

// TestOnlyThePlantedBugs runs every function on every input: a clean
// function must make exactly one decision without error and keep its
// property everywhere; a function with a planted bug may show that bug and
// nothing else.
func TestOnlyThePlantedBugs(t *testing.T) {
	m := loadBench(t)
	exec := newExecutor(t)
	in := inputs(t, m)
	names := make([]string, 0, len(in))
	for name := range in {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, f := range m.Functions {
		for _, name := range names {
			if strings.HasPrefix(name, f.Name+"#") {
				continue // TestTriggers runs a function on its own triggers
			}
			sig, res := run(t, exec, f, in[name], false)
			for _, s := range sig {
				if !expected(f, s) {
					t.Errorf("%s on %s: unexpected %s/%s at line %d (%s); calls %v", f.Name, name, s.Oracle, s.Kind, s.Line, s.Message, res.Calls)
				}
			}
		}
	}
}

func expected(f benchfuncs.Function, s cffuzz.Signal) bool {
	for _, e := range f.Expect {
		if e.Matches(s) {
			return true
		}
	}
	return false
}

// BenchmarkCleanFunctions runs every clean function on the documented
// example objects; each clean function should stay far below CloudFront's
// 5 ms budget. It reports the highest utilization seen (CPU time against
// the budget; the wall-clock time limit is raised to one second so that a
// loaded machine does not turn descheduled runs into timeouts).
func BenchmarkCleanFunctions(b *testing.B) {
	m, err := benchfuncs.Load(benchDir)
	if err != nil {
		b.Fatal(err)
	}
	seeds, err := filepath.Glob(filepath.Join(benchDir, "inputs", "seed-*.json"))
	if err != nil || len(seeds) == 0 {
		b.Fatalf("no seeds: %v", err)
	}
	exec := runtime.NewInProcess(runtime.Options{TimeLimit: time.Second})
	defer exec.Close()
	for _, f := range m.Functions {
		if !f.Clean {
			continue
		}
		kvs, err := f.Store()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.Name, func(b *testing.B) {
			maxUtil := 0
			for i := 0; i < b.N; i++ {
				obj, err := os.ReadFile(seeds[i%len(seeds)])
				if err != nil {
					b.Fatal(err)
				}
				res, err := exec.Execute(context.Background(), runtime.Request{Code: f.Code, Object: obj, KVS: kvs, Seed: 1, Now: now})
				if err != nil {
					b.Fatal(err)
				}
				maxUtil = max(maxUtil, res.Utilization)
			}
			b.ReportMetric(float64(maxUtil), "max-utilization")
		})
	}
}
