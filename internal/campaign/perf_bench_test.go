package campaign_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz/internal/campaign"
)

// BenchmarkCampaignCLI is `make bench-cli` as a Go benchmark, for profiles:
// one campaign of b.N cases of testdata/perf/small.js as `fuzz run` runs
// it (feedback on, default oracles, reports written, corpus and metrics
// off), per isolation mode; concurrency=1 runs one case at a time, so that
// the feedback engine learns in the same order on every run (a repeatable
// case mix, for comparing allocations). B/op and allocs/op are per case in
// this process (worker processes not included):
//
//	go test -run '^$' -bench CampaignCLI -benchmem -benchtime 2000x -cpuprofile cpu.out ./internal/campaign
func BenchmarkCampaignCLI(b *testing.B) {
	for _, bench := range []struct {
		name, isolation string
		concurrency     int
	}{
		{"isolation=process", campaign.IsolationProcess, 0},
		{"isolation=inprocess", campaign.IsolationInProcess, 0},
		{"isolation=inprocess/concurrency=1", campaign.IsolationInProcess, 1},
	} {
		b.Run(bench.name, func(b *testing.B) {
			cfg := campaign.Config{
				Function: filepath.Join("..", "..", "testdata", "perf", "small.js"),
				Out:      b.TempDir(), Corpus: "-", Isolation: bench.isolation, Cases: int64(b.N),
				Concurrency: bench.concurrency,
			}
			b.ReportAllocs()
			b.ResetTimer()
			res, err := campaign.Run(context.Background(), cfg)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(res.Report.CasesPerSec, "cases/s")
		})
	}
}
