package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/internal/progress"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func runCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz run", stderr)
	var f campaignFlags
	f.register(fs, true)
	return &ffcli.Command{
		Name:       "run",
		ShortUsage: "fuzz run [flags]",
		ShortHelp:  "run a fuzzing campaign against a connection function",
		LongHelp: `Run a campaign: generate connection objects (production-possible, boundary,
malformed, mutations of the corpus and seeds), send them through the
TestConnectionFunction API, check every answer with the oracles, and keep each
distinct bug once, confirmed and minimized, in the corpus and the reports.
The corpus is replayed first. With no flags, a short demonstration campaign
runs on a bundled example function against the embedded emulator.

Examples:
  fuzz run
  fuzz run --function fn.js --kvs kvs.json --property policy.js --cases 20000
  fuzz run --function fn.js --duration 10m --concurrency 4 --fail-on high
  fuzz run --function fn.js --shard 2/4 --corpus corpus-2     # one of four CI jobs
  fuzz run --function fn.js --target http://127.0.0.1:4566 --deploy
  fuzz run --function-id cf_XXXX --target aws --rate 1 --cases 200
  fuzz run --function new.js --compare old.js                 # differential

Outputs in --out: report.json, findings.json, junit.xml, results.sarif,
summary.md, report.html, metrics.prom, reproducers/ (each finding's raw
connection object, for the AWS CLI) and, with feedback, coverage.lcov. Exit:
0 clean, 1 findings at or above --fail-on, 2 usage or configuration error,
3 target unusable, 130 interrupted.`,
		FlagSet: fs,
		Options: configOptions(fs, f.config),
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usageErr("run takes no arguments (got %q): name the function with --function", args)
			}
			f.finish()
			f.cfg.Reproducer = newReplayRenderer(fs)
			return runCampaign(ctx, &f, stdout, stderr)
		},
	}
}

func runCampaign(ctx context.Context, f *campaignFlags, stdout, stderr io.Writer) error {
	cfg := f.cfg
	cfg.Log = stderr
	mode := f.progress
	if f.quiet {
		mode = progress.ModeNone
	}
	// The status line goes to stderr, so stdout stays clean for the summary.
	p, err := progress.New(stderr, progress.Options{Mode: mode})
	if err != nil {
		return usageErr("%v", err)
	}
	cfg.Progress = p.Update
	if cfg.Function == "" && cfg.FunctionCode == nil && cfg.FunctionID == "" && !f.quiet {
		fmt.Fprintln(stderr, "fuzz: no --function given: running the demonstration campaign on the bundled examples/functions/demo.js")
	}
	res, err := campaign.Run(ctx, cfg)
	p.Done()
	if res != nil && res.MetricsAddr != "" && !f.quiet {
		fmt.Fprintf(stderr, "fuzz: metrics were served on http://%s/metrics\n", res.MetricsAddr)
	}
	if err != nil {
		if res != nil && errors.Is(err, context.Canceled) {
			// Interrupted: the summary of what ran, which says so.
			progress.Summary(stdout, &res.Report, res.Findings, cfg.Gate(), res.Out, 8)
		}
		return err
	}
	progress.Summary(stdout, &res.Report, res.Findings, cfg.Gate(), res.Out, 8)
	if res.Failed {
		return errFindings
	}
	return nil
}

func replayCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz replay", stderr)
	var f campaignFlags
	f.register(fs, false)
	return &ffcli.Command{
		Name:       "replay",
		ShortUsage: "fuzz replay [flags] CORPUS_DIR|ENTRY_FILE ...",
		ShortHelp:  "re-run corpus entries as a regression suite",
		LongHelp: `Replay corpus entries against the function, each on its own. An entry fails
when it still raises its own bug, or anything at or above --fail-on. Writes
OUT/replay-junit.xml with one test case per entry.

Examples:
  fuzz replay --function fn.js cffuzz-out/corpus
  fuzz replay --function fn.js cffuzz-out/corpus/3f2a9c0d1e4b5a6c`,
		FlagSet: fs,
		Options: configOptions(fs, f.config),
		Exec: func(ctx context.Context, args []string) error {
			f.finish()
			cfg := f.cfg
			cfg.Log = stderr
			res, err := campaign.Replay(ctx, cfg, args)
			if err != nil && !(res != nil && errors.Is(err, context.Canceled)) {
				return err
			}
			if err != nil {
				// Interrupted: show what was replayed, as run does.
				fmt.Fprintln(stderr, "fuzz: interrupted: the results below cover the entries replayed so far")
			}
			progress.ReplaySummary(stdout, res.Entries, cfg.Gate(), res.JUnit)
			if err != nil {
				return err // interrupted: never a pass
			}
			if res.Failed {
				return errFindings
			}
			return nil
		},
	}
}
