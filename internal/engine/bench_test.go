package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/internal/engine"
)

// BenchmarkCampaignFeedback measures campaign throughput (cases per second,
// the case loop only) with feedback on and off, on clean functions of the
// benchmarks, embedded emulator in process, two cases in flight. The ratio
// on/off is the throughput goal of docs/benchmarks.md (≥ 70 %):
//
//	go test -run '^$' -bench BenchmarkCampaignFeedback -benchtime 20000x ./internal/engine
func BenchmarkCampaignFeedback(b *testing.B) {
	for _, fn := range []string{"bench/c06-clean-expiry.js", "bench/c04-clean-dn-fingerprint.js", "deep/c01-clean-device-grace.js"} {
		for _, mode := range []struct {
			name string
			off  bool
		}{{"on", false}, {"off", true}} {
			b.Run(filepath.Base(fn)+"/feedback-"+mode.name, func(b *testing.B) {
				exec := runtime.NewInProcess(runtime.Options{})
				defer exec.Close()
				cfg := campaign.Config{
					Function: filepath.Join("..", "..", "testdata", fn), Out: b.TempDir(), Corpus: "-",
					Executor: exec, Isolation: campaign.IsolationInProcess, Concurrency: 2,
					Cases: int64(b.N), NoFeedback: mode.off,
				}
				b.ResetTimer()
				res, err := campaign.Run(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(res.Report.CasesPerSec, "cases/s")
			})
		}
	}
}

// BenchmarkEngineCase measures the engine's own cost per case (building
// one and learning from synthetic feedback), without running functions.
func BenchmarkEngineCase(b *testing.B) {
	g, _ := generators.New(generators.Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	e, _ := engine.New(engine.Options{Generator: g})
	hits := make([]uint32, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c := e.Case(1, uint64(i))
		hits[i%64]++
		e.Learn(&c, fb(hits, cmpOf(i)))
	}
}
