package campaign

import (
	"fmt"
	goruntime "runtime"
	"strings"
	"testing"
)

func TestConcurrencyCap(t *testing.T) {
	cpus := goruntime.GOMAXPROCS(0)
	tests := []struct {
		reason      string
		cfg         Config
		want        int
		wantWorkers int
		warned      bool
	}{
		{"the issue's --concurrency 1000 on the emulator: 4 per CPU, one worker per CPU, with a warning",
			Config{Concurrency: 1000}, 4 * cpus, cpus, true},
		{"against an endpoint requests wait on the network: up to 64",
			Config{Concurrency: 1000, Target: "http://127.0.0.1:4566"}, max(64, 4*cpus), cpus, true},
		{"forced: as asked, and as many workers",
			Config{Concurrency: 1000, ForceConcurrency: true}, 1000, 1000, false},
		{"within the cap: unchanged, and no more workers than cases in flight",
			Config{Concurrency: 1}, 1, 1, false},
		{"the default (0) with worker processes: two per CPU, so that the pipelined workers stay busy",
			Config{}, 2 * cpus, cpus, false},
		{"the default (0) in process is left to the runner: GOMAXPROCS",
			Config{Isolation: IsolationInProcess}, 0, cpus, false},
		{"the default (0) against an endpoint is left to the runner",
			Config{Target: "http://127.0.0.1:4566"}, 0, cpus, false},
		{"the default (0) with --compare is left to the runner",
			Config{Compare: "other.js"}, 0, cpus, false},
	}
	for _, tt := range tests {
		var log strings.Builder
		cfg := tt.cfg
		capConcurrency(&cfg, func(f string, a ...any) { fmt.Fprintf(&log, f, a...) })
		if cfg.Concurrency != tt.want || poolWorkers(&cfg) != tt.wantWorkers || strings.Contains(log.String(), "capped") != tt.warned {
			t.Errorf("%s: concurrency %d, workers %d, log %q; want %d, %d, warned %v",
				tt.reason, cfg.Concurrency, poolWorkers(&cfg), log.String(), tt.want, tt.wantWorkers, tt.warned)
		}
	}
}
