package campaign

import goruntime "runtime"

// The resource model of a campaign (docs/robustness.md):
//
//   - cases in flight: at most concurrencyPerCPU per CPU when the embedded
//     emulator runs them (its work is CPU-bound: more only queues, and
//     queued runs look slow), at most maxRemoteConcurrency against AWS or
//     an endpoint (the rate limiter paces those); ForceConcurrency lifts
//     the cap;
//   - worker processes: at most one per CPU (each runs one function at a
//     time, under a memory limit and a hard kill);
//   - memory of in-process runs: the runtime's heap guard
//     (runtime.Options.HeapGuardBytes) and single-allocation guards;
//   - time: --timeout per request, --setup-timeout for the deployment, a
//     watchdog for a target that stops answering, --duration with a grace
//     period for requests in flight.
const (
	concurrencyPerCPU    = 4
	maxRemoteConcurrency = 64
)

// concurrencyLimit is the most cases in flight cfg's targets can use.
func concurrencyLimit(cfg *Config) int {
	limit := concurrencyPerCPU * goruntime.GOMAXPROCS(0)
	if cfg.target() != TargetEmulator && cfg.Compare == "" {
		limit = max(limit, maxRemoteConcurrency)
	}
	return limit
}

// capConcurrency lowers cfg.Concurrency to concurrencyLimit, with a
// warning, unless cfg.ForceConcurrency is set.
func capConcurrency(cfg *Config, logf func(string, ...any)) {
	limit := concurrencyLimit(cfg)
	if cfg.Concurrency <= limit || cfg.ForceConcurrency {
		return
	}
	logf("warning: --concurrency %d capped to %d (%d CPUs): more cases in flight than the target can run only queue them and turn waiting into false timeouts (pass --force-concurrency to insist)",
		cfg.Concurrency, limit, goruntime.GOMAXPROCS(0))
	cfg.Concurrency = limit
}

// poolWorkers is the number of worker processes for cfg: one per CPU at
// most, fewer when fewer cases are in flight.
func poolWorkers(cfg *Config) int {
	n := goruntime.GOMAXPROCS(0)
	if cfg.Concurrency > 0 && (cfg.Concurrency < n || cfg.ForceConcurrency) {
		n = cfg.Concurrency
	}
	return n
}
