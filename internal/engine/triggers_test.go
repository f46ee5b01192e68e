package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/cffuzz/cffuzz/oracles"
)

// triggerNow is the present the deep-bug triggers are written for.
var triggerNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// TestDeepTriggers checks the deep-bug benchmark itself: every function
// compiles under cloudfront-js-2.0 and fits the quota, and every trigger
// makes its function show exactly the expected finding (production class).
func TestDeepTriggers(t *testing.T) {
	m, err := benchfuncs.Load(deepDir)
	if err != nil {
		t.Fatal(err)
	}
	exec := runtime.NewInProcess(runtime.Options{TimeLimit: time.Second})
	defer exec.Close()
	var planted, clean int
	for _, fn := range m.Functions {
		if err := runtime.Check(fn.Code); err != nil {
			t.Errorf("%s: does not compile: %v", fn.Name, err)
		}
		if fn.Clean {
			clean++
			continue
		}
		planted += len(fn.Expect)
		orcs := oracles.Default(oracles.DefaultOptions{})
		if fn.PropertyCode != nil {
			p, err := oracles.LoadJSProperties(fn.PropertyName(), fn.PropertyCode, oracles.JSOptions{})
			if err != nil {
				t.Fatal(err)
			}
			orcs = append(orcs, p)
		}
		kvs, err := fn.Store()
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range fn.Expect {
			res, err := exec.Execute(context.Background(), runtime.Request{Code: fn.Code, Object: e.Trigger, KVS: kvs, Seed: 1, Now: triggerNow})
			if err != nil {
				t.Fatal(err)
			}
			o := &cffuzz.Outcome{Status: 200, Utilization: res.Utilization, FunctionError: res.Error, Logs: res.Logs, Output: res.OutputJSON()}
			target.ApplyOutput(o)
			c := &cffuzz.Case{Class: cffuzz.ClassProduction, Object: e.Trigger}
			matched := false
			var got []string
			for _, or := range orcs {
				for _, s := range or.Check(c, o) {
					got = append(got, s.Signature())
					f := cffuzz.Finding{Oracle: s.Oracle, Kind: s.Kind, Line: s.Line, Signature: s.Signature(), Message: s.Message, Severity: s.Severity}
					matched = matched || e.MatchesFinding(f)
				}
			}
			if !matched {
				t.Errorf("%s expect[%d]: want %s/%s line %d; got %v (decision %q, error %q, utilization %d)", fn.Name, i, e.Oracle, e.Kind, e.Line, got, o.Decision, o.FunctionError, o.Utilization)
			}
		}
	}
	if planted < 12 || clean < 4 {
		t.Errorf("%d planted bugs and %d clean functions; want at least 12 and 4", planted, clean)
	}
}
