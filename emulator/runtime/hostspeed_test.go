package runtime_test

import (
	"context"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// spin is a function that does a fixed amount of work: well over a
// microsecond and well under the time limit on any machine.
var spin = handler("let s = 0; for (let i = 0; i < 5000; i++) { s += i % 7; } if (s > 0) connection.allow();")

// TestSpeedFactorChangesUtilization runs the same work under injected
// host-speed factors. The factor multiplies the thread's CPU time, so its
// effect is certain whatever the machine's speed or load: a huge factor (a
// host said to be a million times faster than the reference) makes the
// run exceed the reference time limit at once, and the watchdog, which
// converts the limit to the thread's clock, stops it; a tiny one makes the
// same work cost nothing. Raw CPU time (a negative factor) is neither.
func TestSpeedFactorChangesUtilization(t *testing.T) {
	tests := []struct {
		reason      string
		factor      float64
		wantTimeout bool
		minU, maxU  int
	}{
		{"raw CPU time: some work, and no timeout (how much depends on the machine)", -1, false, 1, 1 << 30},
		{"a host a million times faster: any work is over the limit", 1e6, true, 100, 1 << 30},
		{"a host a million times slower: the work costs nothing", 1e-6, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			res := execute(t, runtime.Options{SpeedFactor: tt.factor}, spin, modelObject, nil)
			if timedOut := res.ErrorName == runtime.ErrorTimeout; timedOut != tt.wantTimeout {
				t.Errorf("timeout %v, want %v (error %q, cpu %v)", timedOut, tt.wantTimeout, res.Error, res.CPUTime)
			}
			if res.Utilization < tt.minU || res.Utilization > tt.maxU {
				t.Errorf("utilization %d, want %d..%d (cpu %v)", res.Utilization, tt.minU, tt.maxU, res.CPUTime)
			}
		})
	}
}

// TestSpeedFactorReachesWorkers checks that a process pool's workers use
// the factor the parent was given (or measured): with a factor that puts
// any work over the limit, the worker's watchdog stops the run.
func TestSpeedFactorReachesWorkers(t *testing.T) {
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1, Options: runtime.Options{SpeedFactor: 1e6}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if f, ok := runtime.ExecutorSpeedFactor(pool); !ok || f != 1e6 {
		t.Errorf("pool factor %v %v, want 1e6", f, ok)
	}
	res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(spin), Object: []byte(modelObject), Seed: 1, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorName != runtime.ErrorTimeout || res.Utilization < 100 {
		t.Errorf("worker result %q, utilization %d: want a TimeoutError (the worker ignored the factor)", res.Error, res.Utilization)
	}
}

// TestSpeedFactorResolution checks how Options.SpeedFactor is resolved: a
// given factor is kept, a negative one means raw CPU time, and zero
// measures this host, within the documented bounds.
func TestSpeedFactorResolution(t *testing.T) {
	if f := runtime.SpeedFactor(runtime.Options{SpeedFactor: 1.25}); f != 1.25 {
		t.Errorf("given factor: %v", f)
	}
	if f := runtime.SpeedFactor(runtime.Options{SpeedFactor: -1}); f != 1 {
		t.Errorf("disabled: %v, want 1", f)
	}
	f := runtime.SpeedFactor(runtime.Options{})
	if f < runtime.MinSpeedFactor || f > runtime.MaxSpeedFactor {
		t.Errorf("measured factor %v outside [%v, %v]", f, runtime.MinSpeedFactor, runtime.MaxSpeedFactor)
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	if g, ok := runtime.ExecutorSpeedFactor(ex); !ok || g != f {
		t.Errorf("executor factor %v %v, want the process's measurement %v", g, ok, f)
	}
	t.Logf("this host's factor: %.3f (reference workload %v)", f, runtime.MeasureReferenceCPU(10))
}
