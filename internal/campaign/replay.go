package campaign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
	"github.com/cffuzz/cffuzz/reports"
)

// ReplayFile is the JUnit file Replay writes into Config.Out.
const ReplayFile = "replay-junit.xml"

// ReplayResult is the outcome of replaying corpus entries.
type ReplayResult struct {
	// Entries holds one result per corpus entry, in replay order.
	Entries []reports.ReplayEntry
	// Failed says that an entry still fails: it raises something at or
	// above the fail-on severity (as fuzz run judges), or could not run.
	Failed bool
	// JUnit is the path of the JUnit file written.
	JUnit string
}

// Replay re-runs corpus entries (directories of entries, or entry files)
// against the configured function as a regression suite. Each entry runs on
// its own; an entry passes when it raises nothing at or above the fail-on
// severity, so that replay and run agree: a stored low finding that run
// passed at --fail-on medium passes its replay too.
func Replay(ctx context.Context, cfg Config, paths []string) (*ReplayResult, error) {
	if len(paths) == 0 {
		return nil, configErr("name at least one corpus directory or entry file to replay")
	}
	p, err := prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	entries, err := readEntries(paths, corpus.FunctionKey(p.fn.path), cfg.Log)
	if err != nil {
		return nil, err
	}
	if err := p.build(ctx); err != nil {
		return nil, err
	}
	defer p.close()
	failOn := cfg.Gate()
	res := &ReplayResult{}
	var targetFailed error
	for _, e := range entries {
		if ctx.Err() != nil {
			break
		}
		start := time.Now()
		c := caseOf(e)
		re := reports.ReplayEntry{Name: filepath.Base(e.Path)}
		found, err := replayOne(ctx, p.targets, p.oracles, cfg.Determinism, &c, 3*cfg.timeout())
		re.Duration = time.Since(start)
		if err != nil {
			re.Err = err
			res.Failed = true
			if IsTargetError(err) {
				// A hung target would make every entry wait as long:
				// stop here, and fail the run as the target's fault.
				res.Entries = append(res.Entries, re)
				targetFailed = err
				break
			}
		}
		for _, f := range found {
			// Below fail-on, only the entry's own bug is kept: as a note
			// that it still reproduces, not a failure.
			if !f.Severity.Fails(failOn) && f.Signature != e.Finding.Signature {
				continue
			}
			// The runner saw the entry once: it is its own original and
			// minimized input, and its corpus file reproduces it.
			f.Minimized, f.Original, f.CorpusFile = e.Input, e.Input, e.Path
			f.MinimizedSize, f.OriginalSize, f.Replayed = len(e.Input), len(e.Input), true
			re.Findings = append(re.Findings, f)
			if f.Severity.Fails(failOn) {
				res.Failed = true
			}
		}
		res.Entries = append(res.Entries, re)
	}

	res.JUnit = filepath.Join(p.out, ReplayFile)
	f, err := os.Create(res.JUnit)
	if err != nil {
		return res, fmt.Errorf("write %s: %w", res.JUnit, err)
	}
	// Findings at or above fail-on are JUnit failures; an entry's own bug
	// below it is a note.
	werr := reports.WriteJUnitReplay(f, res.Entries, reports.Options{FunctionPath: p.fn.path, FailOn: failOn, ToolVersion: cfg.Version})
	if err := errors.Join(werr, f.Close()); err != nil {
		return res, fmt.Errorf("write %s: %w", res.JUnit, err)
	}
	if targetFailed != nil {
		return res, targetFailed
	}
	return res, ctx.Err()
}

// caseOf is the case that replays a corpus entry, for Run and Replay alike.
func caseOf(e corpus.Entry) cffuzz.Case {
	return cffuzz.Case{Seed: e.Finding.Seed, Index: e.Finding.Case, Family: "corpus", Class: e.Finding.Class,
		Variant: e.Finding.Kind, Object: e.Input, Wire: e.Finding.Wire}
}

// replayOne runs one case through the runner, with its retries, backoff
// and confirmations, and returns the findings it raises (one per signature).
//
// A target that answers nothing (hung, or not an API at all) is a
// TargetError: an entry must not pass because nothing ran it.
func replayOne(ctx context.Context, tg *targets, orcs []oracles.Oracle, determinism bool, c *cffuzz.Case, hang time.Duration) ([]cffuzz.Finding, error) {
	res, err := runner.Run(ctx, runner.Options{
		Target: tg.primary, Compare: tg.compare, Determinism: determinism, Oracles: orcs, Replay: []cffuzz.Case{*c},
		Concurrency: 1, HangTimeout: hang,
	})
	if err != nil {
		return nil, err
	}
	switch {
	case res.Report.StopReason == runner.StopTargetHung:
		return nil, targetErr("the target %s hung: nothing answered for %s (raise --timeout if it is only slow)", tg.primary.Name(), hang)
	case res.Answers == 0 && ctx.Err() == nil:
		return nil, targetErr("the target %s answered none of %d requests", tg.primary.Name(), res.Report.Requests)
	}
	if res.Report.ByOutcome[runner.OutcomeTransportError] > 0 || res.Report.ByOutcome[runner.OutcomeThrottled] > 0 {
		return nil, fmt.Errorf("the target did not answer: %v", res.Report.ByOutcome)
	}
	return res.Findings, nil
}

// readEntries reads the corpus entries of function (a corpus.FunctionKey)
// from directories and files; log (if not nil) is told about directories
// without entries, damaged entries and other functions' entries left out.
// An entry file of another function is refused.
func readEntries(paths []string, function string, log io.Writer) ([]corpus.Entry, error) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil && strings.HasPrefix(p, "-") {
			return nil, configErr("replay: %v (flags go before the corpus paths: fuzz replay [flags] CORPUS_DIR ...)", err)
		}
	}
	var all []corpus.Entry
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, configErr("replay: %v", err)
		}
		if st.IsDir() {
			c, err := corpus.OpenWith(p, corpus.Options{Function: function})
			if err != nil {
				return nil, configErr("replay: %v", err)
			}
			es, err := c.Entries()
			if le := (*corpus.LoadError)(nil); errors.As(err, &le) {
				if log != nil {
					fmt.Fprintf(log, "warning: %v\n", err)
				}
			} else if err != nil {
				return nil, configErr("replay: %v", err)
			}
			if len(es) == 0 {
				// A run's output directory instead of its corpus would
				// replay nothing and pass: that is a mistake. An empty
				// corpus (a first nightly run) is not.
				if sub := filepath.Join(p, "corpus"); isDir(sub) {
					return nil, configErr("replay: %s holds no corpus entries: did you mean %s?", p, sub)
				}
				if log != nil {
					fmt.Fprintf(log, "note: %s holds no corpus entries (files named by a 16-hex-digit hash): nothing to replay from it\n", p)
				}
			}
			all = append(all, es...)
			continue
		}
		data, err := readFile(p, corpus.MaxEntrySize, "corpus entry")
		if err != nil {
			return nil, err
		}
		e, err := corpus.ParseEntry(p, data)
		if err != nil {
			return nil, configErr("replay: %v", err)
		}
		if e.Function != "" && e.Function != function {
			return nil, configErr("replay: %s is an entry of function %q, not %q: replay it with that function's --function", p, e.Function, function)
		}
		all = append(all, e)
	}
	return all, nil
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
