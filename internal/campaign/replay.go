package campaign

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/internal/metrics"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/cffuzz/cffuzz/oracles"
	"github.com/cffuzz/cffuzz/reports"
)

// ReplayFile is the JUnit file Replay writes into Config.Out.
const ReplayFile = "replay-junit.xml"

// ReplayResult is the outcome of replaying corpus entries.
type ReplayResult struct {
	// Entries holds one result per corpus entry, in replay order.
	Entries []reports.ReplayEntry
	// Failed says that an entry still fails: it raises its own signature
	// again, or anything at or above the fail-on severity.
	Failed bool
	// JUnit is the path of the JUnit file written.
	JUnit string
}

// Replay re-runs corpus entries (directories of entries, or entry files)
// against the configured function as a regression suite. Each entry runs on
// its own; an entry passes when it raises nothing at or above the fail-on
// severity and not its own stored signature.
func Replay(ctx context.Context, cfg Config, paths []string) (*ReplayResult, error) {
	if len(paths) == 0 {
		return nil, configErr("name at least one corpus directory or entry file to replay")
	}
	entries, err := readEntries(paths)
	if err != nil {
		return nil, err
	}
	fn, err := load(&cfg)
	if err != nil {
		return nil, err
	}
	orcs, err := buildOracles(&cfg, fn, nil)
	if err != nil {
		return nil, err
	}
	m := metrics.New(metrics.Options{Version: cfg.Version})
	tg, err := buildTargets(ctx, &cfg, fn, m.Registry())
	if err != nil {
		return nil, err
	}
	defer tg.close()

	failOn := cfg.failOn()
	res := &ReplayResult{}
	for _, e := range entries {
		if ctx.Err() != nil {
			break
		}
		start := time.Now()
		c := cffuzz.Case{Seed: e.Finding.Seed, Index: e.Finding.Case, Family: "corpus", Class: e.Finding.Class,
			Variant: e.Finding.Kind, Object: e.Input, Wire: e.Finding.Wire}
		re := reports.ReplayEntry{Name: filepath.Base(e.Path)}
		found, err := replayOne(ctx, tg, orcs, &c)
		re.Duration = time.Since(start)
		if err != nil {
			re.Err = err
			res.Failed = true
		}
		for _, s := range found {
			if s.Severity < failOn && s.Signature() != e.Finding.Signature {
				continue
			}
			re.Findings = append(re.Findings, cffuzz.Finding{
				Oracle: s.Oracle, Severity: s.Severity, Kind: s.Kind, Signature: s.Signature(), Message: s.Message,
				Count: 1, Seed: c.Seed, Case: c.Index, Family: c.Family, Class: c.Class, Line: s.Line, Column: s.Column,
				Minimized: e.Input, MinimizedSize: len(e.Input), OriginalSize: len(e.Input), CorpusFile: e.Path,
				Wire: e.Finding.Wire, Replayed: true, FirstSeen: start,
			})
		}
		if len(re.Findings) > 0 {
			res.Failed = true
		}
		res.Entries = append(res.Entries, re)
	}

	out := cfg.Out
	if out == "" {
		out = DefaultOut
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return res, configErr("create the output directory: %v", err)
	}
	res.JUnit = filepath.Join(out, ReplayFile)
	f, err := os.Create(res.JUnit)
	if err != nil {
		return res, fmt.Errorf("write %s: %w", res.JUnit, err)
	}
	werr := reports.WriteJUnitReplay(f, res.Entries, reports.Options{FunctionPath: fn.path, FailOn: failOn, ToolVersion: cfg.Version})
	if err := errors.Join(werr, f.Close()); err != nil {
		return res, fmt.Errorf("write %s: %w", res.JUnit, err)
	}
	return res, ctx.Err()
}

// replayOne runs one case, retrying transport errors and throttles a few
// times, and returns the confirmed signals of every oracle.
func replayOne(ctx context.Context, tg *targets, orcs []oracles.Oracle, c *cffuzz.Case) ([]cffuzz.Signal, error) {
	run := func() (*cffuzz.Outcome, error) { return testWithRetry(ctx, tg.primary, c) }
	o, err := run()
	if err != nil {
		return nil, err
	}
	if tg.compare != nil {
		if o.Peer, err = testWithRetry(ctx, tg.compare, c); err != nil {
			return nil, err
		}
	}
	var out []cffuzz.Signal
	for _, orc := range orcs {
		for _, s := range orc.Check(c, o) {
			confirmed := true
			for i := 0; i < s.Confirm && confirmed; i++ {
				again, err := run()
				if err != nil {
					return nil, err
				}
				again.Peer = o.Peer
				confirmed = false
				for _, s2 := range orc.Check(c, again) {
					if s2.Signature() == s.Signature() {
						confirmed = true
					}
				}
			}
			if confirmed {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// testWithRetry runs a case, retrying transport errors, throttles and
// transient 5xx answers with a short backoff.
func testWithRetry(ctx context.Context, t target.Target, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	backoff := 50 * time.Millisecond
	var last error
	for attempt := 0; attempt < 6; attempt++ {
		o, err := t.Test(ctx, c)
		transient := err != nil || o.Throttled() || (o.Status >= 500 && o.ErrorCode != "TestFunctionFailed")
		if !transient {
			return o, nil
		}
		if err != nil {
			last = err
		} else {
			last = fmt.Errorf("HTTP %d %s", o.Status, o.ErrorCode)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return nil, fmt.Errorf("the target kept failing: %w", last)
}

// readEntries reads corpus entries from directories and files.
func readEntries(paths []string) ([]corpus.Entry, error) {
	var all []corpus.Entry
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, configErr("replay: %v", err)
		}
		if st.IsDir() {
			c, err := corpus.Open(p)
			if err != nil {
				return nil, configErr("replay: %v", err)
			}
			es, err := c.Entries()
			if err != nil {
				return nil, configErr("replay: %v", err)
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
		all = append(all, e)
	}
	return all, nil
}
