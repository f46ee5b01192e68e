package runner_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
)

// memTarget is a connection function in memory: it throws when the object
// has no clientIp.
type memTarget struct{}

func (memTarget) Name() string { return "memory" }
func (memTarget) Close() error { return nil }
func (memTarget) Test(_ context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	o := &cffuzz.Outcome{Target: "memory", Status: 200, Attempts: 1, Utilization: 3, Decision: cffuzz.DecisionAllow}
	if !strings.Contains(string(c.Object), "clientIp") {
		o.Decision, o.FunctionError, o.ErrorName, o.Line, o.Column = cffuzz.DecisionNone,
			"TypeError: cannot read property 'length' of undefined at line 2:14", "TypeError", 2, 14
	}
	return o, nil
}

func ExampleRun() {
	cases := runner.CaseFunc(func(seed int64, i uint64) cffuzz.Case {
		obj := fmt.Sprintf(`{"clientIp":"203.0.113.%d"}`, i%250)
		if i%10 == 7 {
			obj = fmt.Sprintf(`{"n":%d,"padding":"xxxxxxxx"}`, i)
		}
		return cffuzz.Case{Seed: seed, Index: i, Family: "production", Class: cffuzz.ClassProduction, Object: []byte(obj)}
	})
	res, err := runner.Run(context.Background(), runner.Options{
		Target:   memTarget{},
		Cases:    cases,
		Seed:     42,
		MaxCases: 100,
		Oracles:  []oracles.Oracle{oracles.Crash()},
		// Shrink by dropping bytes while the function still throws.
		Minimize: func(ctx context.Context, in []byte, fails func([]byte) bool) ([]byte, int) {
			steps := 0
			for i := 0; i < len(in); {
				if c := append(append([]byte(nil), in[:i]...), in[i+1:]...); fails(c) {
					in, steps = c, steps+1
				} else {
					i++
				}
			}
			return in, steps
		},
		Reproducer: func(f cffuzz.Finding) string { return fmt.Sprintf("cffuzz replay --seed %d --case %d", f.Seed, f.Case) },
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Report.Cases, "cases:", res.Report.ByOutcome)
	for _, f := range res.Findings {
		fmt.Printf("%s %s ×%d, first case %d, minimized to %q\n%s\n", f.Severity, f.Signature, f.Count, f.Case, f.Minimized, f.Reproducer)
	}
	// Output:
	// 100 cases: map[finding:10 pass:90]
	// high crash/TypeError@2/at-line ×10, first case 7, minimized to ""
	// cffuzz replay --seed 42 --case 7
}
