package runner_test

import (
	"context"
	"fmt"
	goruntime "runtime"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/cffuzz/cffuzz/oracles"
)

// BenchmarkCampaignEmbedded measures cases per second end to end: the
// generators build each case, the embedded emulator runs it (through its
// Go API), goja runs the typical function in process, the default oracles
// check the outcome. One campaign of b.N cases per sub-benchmark.
func BenchmarkCampaignEmbedded(b *testing.B) {
	for _, n := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("concurrency=%d", n), func(b *testing.B) {
			tgt := embedded(b, emulator.Faults{})
			gen := generator(b)
			b.ReportAllocs()
			b.ResetTimer()
			res, err := runner.Run(context.Background(), runner.Options{
				Target: tgt, Cases: gen, Seed: 1, MaxCases: int64(b.N), Concurrency: n,
				Oracles: oracles.Default(oracles.DefaultOptions{}),
			})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(res.Report.CasesPerSec, "cases/s")
		})
	}
}

// smallFunction is testdata/perf/small.js: a few field checks and a log
// line, the function of the throughput goals in docs/benchmarks.md.
const smallFunction = `function connectionHandler(connection) {
  var ip = connection.clientIp;
  console.log("connection from " + ip);
  if (typeof ip !== "string" || ip.length === 0) { connection.deny(); return; }
  if (ip.indexOf("10.") === 0 || ip === "203.0.113.7") { connection.allow(); return; }
  connection.deny();
}`

// BenchmarkCampaignSmall measures a campaign of b.N cases of the small
// function as `fuzz run` runs it: generated cases, the embedded emulator
// called through its Go API, each isolation mode, the default oracles.
// B/op and allocs/op are per case, everything included.
func BenchmarkCampaignSmall(b *testing.B) {
	for _, isolation := range []string{"process", "inprocess"} {
		b.Run("isolation="+isolation, func(b *testing.B) {
			benchmarkCampaignSmall(b, isolation, 0)
		})
	}
}

// BenchmarkCampaignSmallConcurrency is BenchmarkCampaignSmall with worker
// processes at one and two cases in flight per CPU: with two, the parent
// builds and checks cases while the workers run others.
func BenchmarkCampaignSmallConcurrency(b *testing.B) {
	for _, perCPU := range []int{1, 2} {
		b.Run(fmt.Sprintf("per-cpu=%d", perCPU), func(b *testing.B) {
			benchmarkCampaignSmall(b, "process", perCPU*goruntime.GOMAXPROCS(0))
		})
	}
}

func benchmarkCampaignSmall(b *testing.B, isolation string, concurrency int) {
	var ex runtime.Executor
	if isolation == "process" {
		var err error
		if ex, err = runtime.NewProcessPool(runtime.ProcessOptions{}); err != nil {
			b.Fatal(err)
		}
	} else {
		ex = runtime.NewInProcess(runtime.Options{})
	}
	defer ex.Close()
	tgt, err := target.NewEmbedded(context.Background(), target.EmbeddedOptions{
		Code: []byte(smallFunction), Emulator: emulator.Options{Seed: 1, Executor: ex},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer tgt.Close()
	gen := generator(b)
	// Warm the workers up outside the measurement.
	if _, err := tgt.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	res, err := runner.Run(context.Background(), runner.Options{
		Target: tgt, Cases: gen, Seed: 1, MaxCases: int64(b.N), Concurrency: concurrency,
		Oracles: oracles.Default(oracles.DefaultOptions{}),
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.Report.CasesPerSec, "cases/s")
}

// noopTarget answers every case at once with the same outcome.
type noopTarget struct{}

func (noopTarget) Name() string { return "noop" }
func (noopTarget) Close() error { return nil }
func (noopTarget) Test(context.Context, *cffuzz.Case) (*cffuzz.Outcome, error) {
	return &cffuzz.Outcome{Target: "noop", Status: 200, Attempts: 1, Decision: cffuzz.DecisionAllow, Utilization: 1}, nil
}

// BenchmarkRunnerOverhead measures what the runner itself costs per case
// (dispatch, pacing check, retries bookkeeping, counting) with an in-memory
// target that answers at once and a constant case source.
func BenchmarkRunnerOverhead(b *testing.B) {
	c := cffuzz.Case{Family: "production", Class: cffuzz.ClassProduction, Object: []byte(`{"clientIp":"203.0.113.1"}`)}
	cases := runner.CaseFunc(func(seed int64, i uint64) cffuzz.Case { c := c; c.Seed, c.Index = seed, i; return c })
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("concurrency=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			res, err := runner.Run(context.Background(), runner.Options{Target: noopTarget{}, Cases: cases, MaxCases: int64(b.N), Concurrency: n})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(res.Report.CasesPerSec, "cases/s")
		})
	}
}

// BenchmarkAchievedRate runs paced campaigns against the in-memory target
// and reports how far the achieved rate is from the requested one
// (rate-error-%; the goal is within ±2). Run it with -benchtime=1x.
func BenchmarkAchievedRate(b *testing.B) {
	for _, rate := range []float64{100, 1000} {
		b.Run(fmt.Sprintf("rate=%.0f", rate), func(b *testing.B) {
			cases := int64(2 * rate) // two seconds' worth
			var worst float64
			for b.Loop() {
				start := time.Now()
				res, err := runner.Run(context.Background(), runner.Options{
					Target: noopTarget{}, Cases: fakeCases, MaxCases: cases, Rate: rate, Concurrency: 4,
				})
				if err != nil {
					b.Fatal(err)
				}
				// The first request goes at once (burst 1): the rate is (n-1)/elapsed.
				got := float64(res.Report.Cases-1) / time.Since(start).Seconds()
				if e := 100 * (got - rate) / rate; abs(e) > abs(worst) {
					worst = e
				}
			}
			b.ReportMetric(worst, "rate-error-%")
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
