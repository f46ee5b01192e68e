package runner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
)

// fakeTarget runs cases in memory: an object containing "boom" throws a
// TypeError at 3:7, one containing "deny" is denied, anything else is
// allowed with a utilization derived from its length. It can inject
// throttles, dropped connections and 503s with seeded probabilities.
type fakeTarget struct {
	name                      string
	throttle, drop, unavail   float64
	throttleFirst             int64 // throttle the first N requests
	failAlways                error // return this transport error every time
	status500                 string
	onTest                    func(c *cffuzz.Case)
	mu                        sync.Mutex
	rng                       *rand.Rand
	requests, inflight, maxIn atomic.Int64
	indexes                   sync.Map // case index → times run
}

func (f *fakeTarget) Name() string {
	if f.name == "" {
		return "fake"
	}
	return f.name
}

func (f *fakeTarget) Close() error { return nil }

func (f *fakeTarget) draw() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rng == nil {
		f.rng = rand.New(rand.NewPCG(1, 2))
	}
	return f.rng.Float64()
}

func (f *fakeTarget) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	n := f.requests.Add(1)
	in := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for m := f.maxIn.Load(); in > m && !f.maxIn.CompareAndSwap(m, in); m = f.maxIn.Load() {
	}
	if f.onTest != nil {
		f.onTest(c)
	}
	v, _ := f.indexes.LoadOrStore(c.Index, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	o := &cffuzz.Outcome{Target: f.Name(), Attempts: 1, Utilization: -1, Latency: time.Microsecond}
	if f.failAlways != nil {
		o.Transport = "eof"
		return o, f.failAlways
	}
	if n <= f.throttleFirst {
		o.Status, o.ErrorCode = 400, "Throttling"
		return o, nil
	}
	if f.throttle+f.drop+f.unavail > 0 {
		switch d := f.draw(); {
		case d < f.throttle:
			o.Status, o.ErrorCode = 400, "Throttling"
			return o, nil
		case d < f.throttle+f.drop:
			o.Transport = "connection-reset"
			return o, errors.New("connection reset by peer")
		case d < f.throttle+f.drop+f.unavail:
			o.Status, o.ErrorCode = 503, "ServiceUnavailable"
			return o, nil
		}
	}
	if f.status500 != "" {
		o.Status, o.ErrorCode = 500, f.status500
		return o, nil
	}
	o.Status, o.Utilization = 200, len(c.Object)%50
	switch {
	case bytes.Contains(c.Object, []byte("boom")):
		o.Decision, o.FunctionError, o.ErrorName, o.Line, o.Column = cffuzz.DecisionNone, "TypeError: boom at line 3:7", "TypeError", 3, 7
	case bytes.Contains(c.Object, []byte("deny")):
		o.Decision = cffuzz.DecisionDeny
	default:
		o.Decision = cffuzz.DecisionAllow
	}
	return o, ctx.Err()
}

// seen returns the case indexes the target ran.
func (f *fakeTarget) seen() map[uint64]bool {
	m := map[uint64]bool{}
	f.indexes.Range(func(k, _ any) bool { m[k.(uint64)] = true; return true })
	return m
}

// fakeCases builds small JSON objects; about one in 17 contains "boom",
// one in 5 "deny".
var fakeCases = runner.CaseFunc(func(seed int64, i uint64) cffuzz.Case {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d", seed, i)
	x := h.Sum64()
	word := "fine"
	switch {
	case x%17 == 0:
		word = "boom"
	case x%5 == 0:
		word = "deny"
	}
	fam, class := "production", cffuzz.ClassProduction
	if i%3 == 2 {
		fam, class = "malformed", cffuzz.ClassMalformed
	}
	return cffuzz.Case{Seed: seed, Index: i, Family: fam, Class: class,
		Object: fmt.Appendf(nil, `{"clientIp":"203.0.113.%d","word":"%s","pad":"%0*d"}`, x%250, word, int(x%9), 0)}
})

// crashOracle raises a signal for every function error and transport error.
type crashOracle struct{ confirm int }

func (crashOracle) Name() string { return "crash" }

func (o crashOracle) Check(c *cffuzz.Case, out *cffuzz.Outcome) []cffuzz.Signal {
	switch {
	case out.Transport != "":
		return []cffuzz.Signal{{Oracle: "crash", Severity: cffuzz.SeverityMedium, Kind: "transport", Key: out.Transport}}
	case out.FunctionError != "":
		return []cffuzz.Signal{{Oracle: "crash", Severity: cffuzz.SeverityHigh, Kind: out.ErrorName, Key: "boom",
			Line: out.Line, Column: out.Column, Confirm: o.confirm, Message: "the function threw"}}
	}
	return nil
}

// apiOracle raises a signal for every API error.
type apiOracle struct{}

func (apiOracle) Name() string { return "api" }

func (apiOracle) Check(c *cffuzz.Case, out *cffuzz.Outcome) []cffuzz.Signal {
	if out.Status != 200 && out.Transport == "" {
		return []cffuzz.Signal{{Oracle: "api", Severity: cffuzz.SeverityLow, Kind: out.ErrorCode, Key: fmt.Sprint(out.Status)}}
	}
	return nil
}

var defaultOracles = []oracles.Oracle{crashOracle{}, apiOracle{}}

// dropMinimizer removes one byte at a time while the input still fails.
func dropMinimizer(ctx context.Context, in []byte, fails func([]byte) bool) ([]byte, int) {
	steps := 0
	for i := 0; i < len(in) && ctx.Err() == nil; {
		cand := append(append([]byte(nil), in[:i]...), in[i+1:]...)
		if fails(cand) {
			in, steps = cand, steps+1
			continue
		}
		i++
	}
	return in, steps
}

// recorder is an Observer that counts calls.
type recorder struct {
	runner.NopObserver
	mu        sync.Mutex
	rates     []float64
	outcomes  map[string]int
	throttled int
	retried   int
	shrinks   int
	findings  int
}

func (r *recorder) RateChanged(v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rates = append(r.rates, v)
}

func (r *recorder) CaseDone(_, _ string, _ cffuzz.Class, outcome string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.outcomes == nil {
		r.outcomes = map[string]int{}
	}
	r.outcomes[outcome]++
}

func (r *recorder) Throttled() { r.mu.Lock(); r.throttled++; r.mu.Unlock() }
func (r *recorder) Retried()   { r.mu.Lock(); r.retried++; r.mu.Unlock() }
func (r *recorder) ShrinkStep() {
	r.mu.Lock()
	r.shrinks++
	r.mu.Unlock()
}
func (r *recorder) Finding(string, cffuzz.Severity, bool) { r.mu.Lock(); r.findings++; r.mu.Unlock() }
