package engine_test

import (
	"context"
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
	"github.com/cffuzz/cffuzz/internal/engine"
)

var (
	diagFn    = flag.String("diag.fn", "", "TestDiagnose: the deep-bug function to trace (by name)")
	diagGrep  = flag.String("diag.grep", "", "TestDiagnose: log the cases whose object matches this regular expression")
	diagCases = flag.Int("diag.cases", 3000, "TestDiagnose: cases to run")
	diagSeed  = flag.Int64("diag.seed", 1, "TestDiagnose: the campaign seed")
	diagFull  = flag.Bool("diag.full", false, "TestDiagnose: log the queue's objects in full")
	diagQueue = flag.Bool("diag.queue", false, "TestDiagnose: log every case that joins the queue")
	diagUtil  = flag.Int("diag.util", 0, "TestDiagnose: log the cases of at least this utilization (with the sizes of their list values)")
)

// TestDiagnose is a diagnostic, not a check: it runs the engine on one
// deep-bug function the way a campaign at concurrency 1 does (same
// generator dictionary, same learning order) and logs the engine's
// statistics, the mutation variants of the queue cases, the comparison
// sites' operands and the cases matching -diag.grep. It runs only with
// -diag.fn.
func TestDiagnose(t *testing.T) {
	if *diagFn == "" {
		t.Skip("diagnostic: pass -diag.fn NAME")
	}
	m, err := benchfuncs.Load(deepDir)
	if err != nil {
		t.Fatal(err)
	}
	fn, ok := m.Lookup(*diagFn)
	if !ok {
		t.Fatalf("no function %q", *diagFn)
	}
	kvs, err := fn.Store()
	if err != nil {
		t.Fatal(err)
	}
	var keys, values []string
	if kvs != nil {
		keys = kvs.Keys()
		for _, k := range keys {
			v, _ := kvs.Get(k)
			values = append(values, v)
		}
	}
	dict := append(generators.DictionaryFromJS(fn.Code), generators.DictionaryFromKVS(keys, values)...)
	g, err := generators.New(generators.Options{Now: testNow, Weights: generators.DefaultWeights(), Seeds: generators.DefaultSeeds(), Dictionary: dict})
	if err != nil {
		t.Fatal(err)
	}
	cmap, err := runtime.CoverageMap(fn.Code, runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(engine.Options{Generator: g, Map: cmap, Tokens: dict, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	exec := runtime.NewInProcess(runtime.Options{})
	defer exec.Close()
	var re *regexp.Regexp
	if *diagGrep != "" {
		re = regexp.MustCompile(*diagGrep)
	}
	variants := map[string]int{}
	for i := 0; i < *diagCases; i++ {
		c := e.Case(*diagSeed, uint64(i))
		if c.Wire != nil {
			continue
		}
		res, err := exec.Execute(context.Background(), runtime.Request{Code: fn.Code, Object: c.Object, KVS: kvs, Seed: 1, Now: testNow, Feedback: true})
		if err != nil {
			t.Fatal(err)
		}
		o := outcomeOf(res)
		before := e.Stats()
		e.Learn(&c, o)
		after := e.Stats()
		queued := after.Queue > before.Queue
		if queued && *diagQueue {
			reason := ""
			for k, v := range after.ByReason {
				if v > before.ByReason[k] {
					reason = k
				}
			}
			t.Logf("queued case %d %s/%s %s for %s: util=%d decision=%s lists=%v", i, c.Family, c.Variant, c.Class, reason, res.Utilization, res.Decision, listSizes(c.Object))
		}
		if c.Family == engine.Family {
			variants[c.Variant]++
		}
		if *diagUtil > 0 && res.Utilization >= *diagUtil {
			t.Logf("case %d %s/%s %s queued=%v util=%d bytes=%d lists=%v", i, c.Family, c.Variant, c.Class, queued, res.Utilization, len(c.Object), listSizes(c.Object))
		}
		if re != nil && re.Match(c.Object) {
			t.Logf("case %d %s/%s %s queued=%v decision=%s err=%s util=%d: %.400s", i, c.Family, c.Variant, c.Class, queued, res.Decision, res.ErrorName, res.Utilization, c.Object)
		}
	}
	st := e.Stats()
	t.Logf("stats: %+v", st)
	t.Logf("variants: %v", variants)
	cov := e.Coverage()
	t.Logf("edges %d/%d; max hits %v", cov.Reached, cov.Edges, cov.MaxHits)
	for _, q := range e.Queue() {
		if re == nil || re.Match(q) {
			if *diagFull {
				t.Logf("queue: %s", q)
			} else {
				t.Logf("queue: %.300s", strings.TrimSpace(string(q)))
			}
			if tr, ok := generators.ParseTree(q); ok {
				for _, l := range tr.Leaves() {
					if strings.Count(l.Value, ",") > 3 {
						t.Logf("  %s (%d bytes): %.200s", l.Key, len(l.Value), l.Value)
					}
				}
			}
		}
	}
}

// outcomeOf is the Outcome the direct target makes of a runtime result
// (the fields the engine reads).
func outcomeOf(res runtime.Result) *cffuzz.Outcome {
	o := &cffuzz.Outcome{Status: 200, Decision: cffuzz.Decision(res.Decision), Calls: res.Calls, CallCount: res.CallCount,
		ErrorName: res.ErrorName, Line: res.Line, Column: res.Column, Utilization: res.Utilization, Feedback: res.Feedback}
	if res.Error != "" {
		o.FunctionError = res.Error
	}
	return o
}

// listSizes returns the number of entries of each list-like field of object.
func listSizes(object []byte) map[string]int {
	t, ok := generators.ParseTree(object)
	if !ok {
		return nil
	}
	out := map[string]int{}
	for _, l := range t.Leaves() {
		if n := strings.Count(l.Value, ","); n > 2 {
			out[l.Key] = n + 1
		}
	}
	return out
}
