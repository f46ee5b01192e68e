package campaign

import (
	"context"
	"errors"
	"fmt"
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
	p, err := prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	now := p.cfg.Now
	if now.IsZero() {
		now = start.UTC().Truncate(time.Second)
	}
	cp, err := p.openCorpus()
	if err != nil {
		return nil, err
	}
	cases, fb, err := p.caseSource(now, cp.seeds)
	if err != nil {
		return nil, err
	}
	// Last, what costs: worker processes, a deployment.
	if err := p.build(ctx); err != nil {
		return nil, err
	}
	defer p.close()
	// Findings are saved the moment they are raised (raw input to the
	// corpus, a line to the journal); the confirmed, minimized ones
	// replace them at the end.
	jr, err := openJournal(p.out, cp.store, p.logf)
	if err != nil {
		return nil, configErr("%v (check that --out %s is writable)", err, p.out)
	}
	ropts := p.runnerOptions(cases, cp.replay, now)
	ropts.Raised = jr.raised
	if cp.store != nil {
		ropts.Store = jr
		p.metrics.CorpusSize(len(cp.replay))
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
		p.logf("warning: %v", runErr)
	}
	cp.countEntries(p.metrics)
	res := p.result(run, cp.warnings)
	if err := p.writeResults(ctx, res, fb); err != nil {
		return res, err
	}
	if runErr != nil {
		return res, fmt.Errorf("save the findings to the corpus: %w (the reports in %s have them)", runErr, p.out)
	}
	return res, incomplete(ctx, &p.cfg, run, p.targets.primary.Name())
}

// campaignCorpus is the corpus side of a campaign: the store new findings
// go to, and what it holds, replayed first.
type campaignCorpus struct {
	store    *corpus.Corpus // nil with Config.Corpus "-"
	replay   []cffuzz.Case  // its entries, replayed first
	seeds    [][]byte       // their inputs, as generator seeds (wire entries have none)
	warnings []string       // damaged entries, other functions' entries
}

// openCorpus opens the campaign's corpus (Config.Corpus, default
// Out/corpus), tagged with the function, so that the corpora of several
// functions in one directory are not replayed against each other.
// Damaged entries are quarantined or skipped: named, not fatal.
func (p *prepared) openCorpus() (*campaignCorpus, error) {
	cp := &campaignCorpus{}
	if p.cfg.Corpus == "-" {
		return cp, nil
	}
	dir := p.cfg.Corpus
	if dir == "" {
		dir = filepath.Join(p.out, "corpus")
	}
	var err error
	if cp.store, err = corpus.OpenWith(dir, corpus.Options{Function: corpus.FunctionKey(p.fn.path)}); err != nil {
		return nil, configErr("open the corpus: %v", err)
	}
	entries, err := cp.store.Entries()
	if le := (*corpus.LoadError)(nil); errors.As(err, &le) {
		p.logf("warning: %v", err)
		cp.warnings = strings.Split(err.Error(), "\n")
	} else if err != nil {
		return nil, configErr("read the corpus %s: %v", dir, err)
	}
	for _, e := range entries {
		cp.replay = append(cp.replay, caseOf(e))
		if e.Finding.Wire == nil {
			cp.seeds = append(cp.seeds, e.Input)
		}
	}
	return cp, nil
}

// countEntries reports the corpus's size after the campaign to m.
func (cp *campaignCorpus) countEntries(m *metrics.Campaign) {
	if cp.store == nil {
		return
	}
	if entries, err := cp.store.Entries(); err == nil || errors.As(err, new(*corpus.LoadError)) {
		m.CorpusSize(len(entries))
	}
}

// caseSource builds the campaign's cases: the generator families, guided
// by a dictionary of the function's literals and its key-value store's
// keys and values (an issuer CN, a CIDR, a revoked serial), seeded with
// the corpus's inputs; and, unless feedback is off, the feedback engine
// over them, which the returned feedback holds (nil without it).
func (p *prepared) caseSource(now time.Time, seeds [][]byte) (runner.CaseSource, *feedback, error) {
	// Families the config leaves out keep their default weights; the
	// generators give the wire family its default weight with Wire.
	weights := generators.DefaultWeights()
	for k, v := range p.cfg.Weights {
		weights[k] = v
	}
	kvsKeys := p.fn.kvs.Keys()
	kvsValues := make([]string, len(kvsKeys))
	for i, k := range kvsKeys {
		kvsValues[i], _ = p.fn.kvs.Get(k)
	}
	dict := append(generators.DictionaryFromJS(p.fn.code), generators.DictionaryFromKVS(kvsKeys, kvsValues)...)
	gen, err := generators.New(generators.Options{Now: now, Weights: weights, Wire: p.cfg.Wire,
		Seeds:      append(generators.DefaultSeeds(), seeds...),
		Dictionary: dict})
	if err != nil {
		return nil, nil, configErr("generators: %v", err)
	}
	fb, err := newFeedback(&p.cfg, p.fn, gen, dict, p.logf)
	if err != nil || fb == nil {
		return gen, nil, err
	}
	return fb.engine, fb, nil
}

// runnerOptions are the runner's options for the campaign's cases, with
// the corpus's entries replayed first.
func (p *prepared) runnerOptions(cases runner.CaseSource, replay []cffuzz.Case, now time.Time) runner.Options {
	cfg := &p.cfg
	maxCases := cfg.Cases
	if maxCases == 0 && cfg.Duration == 0 {
		maxCases = DefaultCases
	}
	shrink := cfg.ShrinkTimeout
	if shrink == 0 {
		shrink = DefaultShrinkTimeout
	}
	return runner.Options{
		Target:      p.targets.primary,
		Compare:     p.targets.compare,
		Determinism: cfg.Determinism,
		Cases:       cases,
		Seed:        cfg.seed(),
		Oracles:     p.oracles,
		MaxCases:    maxCases,
		MaxDuration: cfg.Duration,
		Rate:        cfg.Rate,
		Burst:       cfg.Burst,
		Concurrency: cfg.Concurrency,
		Shard:       p.shard,
		Replay:      replay,
		Observer:    p.metrics,
		Minimize: func(ctx context.Context, in []byte, fails func([]byte) bool) ([]byte, int) {
			return generators.Minimize(ctx, in, fails, generators.MinimizeOptions{Timeout: shrink})
		},
		Reclassify:    generators.Reclassify,
		ShrinkTimeout: shrink,
		// Three timeouts without a single answer: the target hangs.
		HangTimeout: 3 * cfg.timeout(),
		Reproducer:  reproducer(cfg, now),
		Progress:    cfg.Progress,
		Campaign:    p.name,
		Function:    p.fn.path,
	}
}

// result is the campaign's Result from the runner's: with the findings of
// the static analysis of regular expressions (which goja's linear engine
// hides from fuzzing, internal/redos), the target, the shard, the
// warnings, and the gate's verdict.
func (p *prepared) result(run *runner.Result, corpusWarnings []string) *Result {
	res := &Result{Out: p.out, MetricsAddr: p.metricsAddr, Report: run.Report}
	res.Findings = redos.AddFindings(p.fn.code, run.Findings, &res.Report)
	cffuzz.SortFindings(res.Findings) // the one order, with the static findings among the others
	res.Report.Target = p.targets.primary.Name()
	res.Report.Shard = p.cfg.Shard
	res.Report.Utilization.HostSpeedFactor = p.targets.speed
	res.Report.Warnings = append(p.fn.warnings, corpusWarnings...)
	if res.Report.Campaign == "" {
		res.Report.Campaign = p.name
	}
	failing, _ := cffuzz.CountFailing(res.Findings, p.cfg.Gate())
	res.Failed = failing > 0
	return res
}

// writeResults writes the reports, the metrics file and, if asked, pushes
// the metrics to a Pushgateway.
func (p *prepared) writeResults(ctx context.Context, res *Result, fb *feedback) error {
	if err := reports.WriteAll(p.out, &res.Report, res.Findings, reports.Options{
		FunctionPath: p.fn.path, FunctionSource: p.fn.code, FailOn: p.cfg.Gate(), ToolVersion: p.cfg.Version,
		Coverage: fb.coverage(p.fn, p.targets.shadow),
	}); err != nil {
		return fmt.Errorf("write the reports to %s: %w", p.out, err)
	}
	metricsFile := p.cfg.MetricsFile
	if metricsFile == "" {
		metricsFile = filepath.Join(p.out, "metrics.prom")
	}
	if err := p.metrics.WriteFile(metricsFile); err != nil {
		return fmt.Errorf("write the metrics file: %w", err)
	}
	if p.cfg.Pushgateway != "" {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := p.metrics.Push(pctx, p.cfg.Pushgateway, "cffuzz", nil); err != nil {
			return fmt.Errorf("push the metrics to %s: %w", p.cfg.Pushgateway, err)
		}
	}
	return nil
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
