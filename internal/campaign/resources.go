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
	// pipelinedPerCPU is the default number of cases in flight per CPU
	// when worker processes run them: a worker pipelines the executions
	// sent to it, so with two per CPU it starts the next case while the
	// campaign builds and checks the previous one (docs/benchmarks.md:
	// bench-cli on small.js went from 5,600–6,200 to 8,000–8,200 cases/s
	// on 2 CPUs; in process, where there is no pipe to hide, it did not
	// help and the runner's default, one per CPU, stays).
	pipelinedPerCPU = 2
)

// defaultConcurrency sets cfg.Concurrency when it is 0 and worker
// processes of the embedded emulator run the cases; otherwise 0 is left
// to the runner (one case in flight per CPU).
func defaultConcurrency(cfg *Config) {
	if cfg.Concurrency != 0 || cfg.target() != TargetEmulator || cfg.Compare != "" {
		return
	}
	if cfg.Isolation != "" && cfg.Isolation != IsolationProcess {
		return
	}
	cfg.Concurrency = pipelinedPerCPU * goruntime.GOMAXPROCS(0)
}

// concurrencyLimit is the most cases in flight cfg's targets can use.
func concurrencyLimit(cfg *Config) int {
	limit := concurrencyPerCPU * goruntime.GOMAXPROCS(0)
	if cfg.target() != TargetEmulator && cfg.Compare == "" {
		limit = max(limit, maxRemoteConcurrency)
	}
	return limit
}

// capConcurrency sets the default cases in flight (defaultConcurrency),
// then lowers cfg.Concurrency to concurrencyLimit, with a warning, unless
// cfg.ForceConcurrency is set.
func capConcurrency(cfg *Config, logf func(string, ...any)) {
	defaultConcurrency(cfg)
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
