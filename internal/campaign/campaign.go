package campaign

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/cffuzz/cffuzz/internal/engine"
	"github.com/cffuzz/cffuzz/internal/metrics"
	"github.com/cffuzz/cffuzz/internal/redos"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/reports"
)

// Result is what a campaign produced.
type Result struct {
	// Report and Findings are the runner's result.
	Report   cffuzz.Report
	Findings []cffuzz.Finding
	// Failed says that a finding at or above the fail-on severity was found.
	Failed bool
	// Out is the directory the reports were written to.
	Out string
	// MetricsAddr is where live metrics were served ("" if they were not).
	MetricsAddr string
}

// Run runs one campaign and writes its reports. Its error is a
// *ConfigError, a *TargetError or a failure to write the results; findings
// are not errors (see Result.Failed).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	start := time.Now()
	fn, err := load(&cfg)
	if err != nil {
		return nil, err
	}
	shard, err := runner.ParseShard(cfg.Shard)
	if err != nil {
		return nil, configErr("%v", err)
	}
	if cfg.Cases < 0 || cfg.Duration < 0 || cfg.Rate < 0 || cfg.Concurrency < 0 {
		return nil, configErr("--cases, --duration, --rate and --concurrency must not be negative")
	}
	if cfg.Timeout < 0 || cfg.SetupTimeout < 0 {
		return nil, configErr("--timeout and --setup-timeout must not be negative")
	}
	out := cfg.out()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, configErr("create the output directory: %v", err)
	}
	name := cfg.Name
	if name == "" {
		name = fn.name
	}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, format+"\n", args...)
		}
	}

	capConcurrency(&cfg, logf)
	if fn.remote {
		if err := fetchRemoteCode(ctx, &cfg, fn, logf); err != nil {
			return nil, err
		}
	}
	if fn.kvs == nil && cfg.KVSARN == "" && cfg.target() == TargetEmulator && bytes.Contains(fn.code, []byte("cloudfront")) && bytes.Contains(fn.code, []byte("kvs(")) {
		logf("warning: %s uses cf.kvs() but no key-value store was given: every KVS call will throw (pass --kvs FILE)", fn.path)
	}

	// Corpus: replayed first, and where new findings go.
	var store *corpus.Corpus
	var corpusWarnings []string // damaged entries, other functions' entries
	var replay []cffuzz.Case
	var seeds [][]byte
	if cfg.Corpus != "-" {
		dir := cfg.Corpus
		if dir == "" {
			dir = filepath.Join(out, "corpus")
		}
		// Tagged with the function, so that the corpora of several
		// functions in one directory are not replayed against each other.
		if store, err = corpus.OpenWith(dir, corpus.Options{Function: corpus.FunctionKey(fn.path)}); err != nil {
			return nil, configErr("open the corpus: %v", err)
		}
		entries, err := store.Entries()
		if le := (*corpus.LoadError)(nil); errors.As(err, &le) {
			// Damaged entries are quarantined or skipped: named, not fatal.
			logf("warning: %v", err)
			corpusWarnings = strings.Split(err.Error(), "\n")
		} else if err != nil {
			return nil, configErr("read the corpus %s: %v", dir, err)
		}
		for _, e := range entries {
			replay = append(replay, caseOf(e))
			if e.Finding.Wire == nil {
				seeds = append(seeds, e.Input)
			}
		}
	}

	now := cfg.Now
	if now.IsZero() {
		now = start.UTC().Truncate(time.Second)
	}
	weights := generators.DefaultWeights()
	for k, v := range cfg.Weights {
		weights[k] = v
	}
	if cfg.Wire && cfg.Weights["wire"] == 0 {
		weights["wire"] = 10
	}
	// The function's literals and its KVS's keys and values guide generation.
	kvsKeys := fn.kvs.Keys()
	kvsValues := make([]string, len(kvsKeys))
	for i, k := range kvsKeys {
		kvsValues[i], _ = fn.kvs.Get(k)
	}
	dict := append(generators.DictionaryFromJS(fn.code), generators.DictionaryFromKVS(kvsKeys, kvsValues)...)
	gen, err := generators.New(generators.Options{Now: now, Weights: weights, Wire: cfg.Wire,
		Seeds:      append(generators.DefaultSeeds(), seeds...),
		Dictionary: dict})
	if err != nil {
		return nil, configErr("generators: %v", err)
	}
	var cases runner.CaseSource = gen
	fb, err := newFeedback(&cfg, fn, gen, dict, logf)
	if err != nil {
		return nil, err
	}
	if fb != nil {
		cases = fb.engine
	}

	orcs, err := buildOracles(&cfg, fn, func(err error) { logf("warning: property: %v", err) })
	if err != nil {
		return nil, err
	}

	m := metrics.New(metrics.Options{Version: cfg.Version, Campaign: name, Shard: cfg.Shard})
	res := &Result{Out: out}
	mctx, stopMetrics := context.WithCancel(ctx)
	defer stopMetrics()
	if cfg.MetricsAddr != "" {
		addr, err := m.Serve(mctx, cfg.MetricsAddr)
		if err != nil {
			logf("warning: metrics not served on %s: %v (pass another --metrics-addr, or \"\" to disable)", cfg.MetricsAddr, err)
		} else {
			res.MetricsAddr = addr
		}
	}

	tg, err := buildTargets(ctx, &cfg, fn, m.Registry())
	if err != nil {
		return nil, err
	}
	defer tg.close()

	maxCases := cfg.Cases
	if maxCases == 0 && cfg.Duration == 0 {
		maxCases = DefaultCases
	}
	shrink := cfg.ShrinkTimeout
	if shrink == 0 {
		shrink = DefaultShrinkTimeout
	}
	ropts := runner.Options{
		Target:      tg.primary,
		Compare:     tg.compare,
		Determinism: cfg.Determinism,
		Cases:       cases,
		Seed:        cfg.seed(),
		Oracles:     orcs,
		MaxCases:    maxCases,
		MaxDuration: cfg.Duration,
		Rate:        cfg.Rate,
		Burst:       cfg.Burst,
		Concurrency: cfg.Concurrency,
		Shard:       shard,
		Replay:      replay,
		Observer:    m,
		Minimize: func(ctx context.Context, in []byte, fails func([]byte) bool) ([]byte, int) {
			return generators.Minimize(ctx, in, fails, generators.MinimizeOptions{Timeout: shrink})
		},
		Reclassify:    generators.Reclassify,
		ShrinkTimeout: shrink,
		// Three timeouts without a single answer: the target hangs.
		HangTimeout: 3 * cfg.timeout(),
		Reproducer:  reproducer(&cfg, now),
		Progress:    cfg.Progress,
		Campaign:    name,
		Function:    fn.path,
	}
	// Findings are saved the moment they are raised (raw input to the
	// corpus, a line to the journal); the confirmed, minimized ones
	// replace them at the end.
	jr, err := openJournal(out, store, logf)
	if err != nil {
		return nil, configErr("%v (check that --out %s is writable)", err, out)
	}
	ropts.Raised = jr.raised
	if store != nil {
		ropts.Store = jr
		m.CorpusSize(len(replay))
	}
	run, runErr := runner.Run(ctx, ropts)
	if run == nil {
		_ = jr.finish(nil, false)
		return nil, configErr("campaign: %v", runErr)
	}
	complete := run.Report.StopReason != runner.StopInterrupted && run.Report.StopReason != runner.StopTargetHung
	if err := jr.finish(run.Findings, complete); err != nil {
		runErr = errors.Join(runErr, err)
	}
	if runErr != nil {
		// The campaign ran, but some findings could not be saved to the
		// corpus: write the reports anyway, then say so.
		logf("warning: %v", runErr)
	}
	if store != nil {
		if entries, err := store.Entries(); err == nil || errors.As(err, new(*corpus.LoadError)) {
			m.CorpusSize(len(entries))
		}
	}
	res.Report, res.Findings = run.Report, run.Findings
	// Catastrophic regular expressions, which goja's linear engine hides
	// from fuzzing: found in the source (internal/redos).
	res.Findings = redos.AddFindings(fn.code, res.Findings, &res.Report)
	res.Report.Target = tg.primary.Name()
	res.Report.Shard = cfg.Shard
	res.Report.Warnings = append(fn.warnings, corpusWarnings...)
	if res.Report.Campaign == "" {
		res.Report.Campaign = name
	}
	failOn := cfg.failOn()
	failing, _ := cffuzz.CountFailing(res.Findings, failOn)
	res.Failed = failing > 0

	if err := reports.WriteAll(out, &res.Report, res.Findings, reports.Options{
		FunctionPath: fn.path, FunctionSource: fn.code, FailOn: failOn, ToolVersion: cfg.Version,
		Coverage: fb.coverage(fn, tg.shadow),
	}); err != nil {
		return res, fmt.Errorf("write the reports to %s: %w", out, err)
	}
	metricsFile := cfg.MetricsFile
	if metricsFile == "" {
		metricsFile = filepath.Join(out, "metrics.prom")
	}
	if err := m.WriteFile(metricsFile); err != nil {
		return res, fmt.Errorf("write the metrics file: %w", err)
	}
	if cfg.Pushgateway != "" {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := m.Push(pctx, cfg.Pushgateway, "cffuzz", nil); err != nil {
			return res, fmt.Errorf("push the metrics to %s: %w", cfg.Pushgateway, err)
		}
	}
	if runErr != nil {
		return res, fmt.Errorf("save the findings to the corpus: %w (the reports in %s have them)", runErr, out)
	}
	return res, incomplete(ctx, &cfg, run, tg.primary.Name())
}

// incomplete returns the error of a campaign that must not pass whatever
// it found: one whose target hung or never answered (a TargetError), one
// that was interrupted (wrapping the context's error), one that ran no
// case (a ConfigError, unless cfg.AllowEmpty).
func incomplete(ctx context.Context, cfg *Config, run *runner.Result, target string) error {
	rep := &run.Report
	switch {
	case rep.StopReason == runner.StopTargetHung:
		return targetErr("the target %s hung: requests were in flight and none was answered for %s, after %d cases (raise --timeout if it is only slow)",
			target, 3*cfg.timeout(), rep.Cases)
	case rep.Requests > 0 && run.Answers == 0 && ctx.Err() == nil:
		return targetErr("the target %s answered none of %d requests (each bounded by --timeout %s): check that it is a CloudFront API endpoint and reachable",
			target, rep.Requests, cfg.timeout())
	case rep.StopReason == runner.StopInterrupted:
		err := ctx.Err()
		if err == nil {
			err = context.Canceled
		}
		return fmt.Errorf("the campaign was interrupted after %d cases; its partial results are in the reports: %w", rep.Cases, err)
	case rep.Cases == 0 && !cfg.AllowEmpty:
		return configErr("the campaign ran no case (stopped by %s): raise --cases or --duration, check --shard and --rate, or pass --allow-empty if that is intended", rep.StopReason)
	}
	return nil
}

// ReplaySpec is what a finding's replay command needs beyond the
// settings of the campaign that raised it, which the command's renderer
// (Config.Reproducer) knows: cmd/fuzz renders it from its own parsed
// flags, so that the command carries every flag that changes what a case
// raises, under the names cmd/fuzz defines.
type ReplaySpec struct {
	// Entry is the corpus entry that holds the finding's input; when set,
	// the command replays it (fuzz replay ENTRY).
	Entry string
	// Without an entry the command re-runs the campaign up to the case:
	// Seed and Case are the finding's, Now the present the generators
	// built dates around.
	Seed int64
	Case uint64
	Now  time.Time
	// Serial says the case came from the feedback queue, which depends on
	// what the campaign learned before it: one case in flight reproduces
	// that order (docs/feedback.md: reproducibility).
	Serial bool
}

// reproducer returns the runner's reproducer: cfg.Reproducer given each
// finding's ReplaySpec, or nil without one.
func reproducer(cfg *Config, now time.Time) func(cffuzz.Finding) string {
	render := cfg.Reproducer
	if render == nil {
		return nil
	}
	return func(f cffuzz.Finding) string {
		return render(ReplaySpec{Entry: f.CorpusFile, Seed: f.Seed, Case: f.Case, Now: now, Serial: f.Family == engine.Family})
	}
}
