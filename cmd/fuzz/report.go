package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/corpus"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/reports"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func reportCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz report", stderr)
	function := fs.String("function", "", "the function's source `file`, for SARIF locations and snippets")
	var failOn severityFlag
	fs.Var(&failOn, "fail-on", "lowest `severity` that counts as a failure: info, low, medium, high, critical or none (default "+campaign.DefaultFailOn.String()+")")
	return &ffcli.Command{
		Name:       "report",
		ShortUsage: "fuzz report [flags] DIR",
		ShortHelp:  "re-render every report from DIR/report.json and DIR/findings.json",
		LongHelp: `Re-render junit.xml, results.sarif, summary.md and report.html (and normalize
report.json and findings.json, the raw reproducers in reproducers/, and with
coverage.json the coverage.lcov file and the source view) in DIR without
re-running anything. Exits as fuzz run would: 1 when a finding reaches
--fail-on, 2 when DIR holds no readable campaign. A campaign that was killed
before it wrote report.json leaves its findings journal: fuzz report then
lists what it holds (and exits 2).

Examples:
  fuzz report cffuzz-out
  fuzz report --function src/fn.js --fail-on high cffuzz-out`,
		FlagSet: fs,
		Exec: func(_ context.Context, args []string) error {
			if len(args) != 1 {
				return usageErr("report takes one directory, the --out of a campaign")
			}
			sev := failOn.or(campaign.DefaultFailOn)
			r, findings, err := reports.Load(args[0])
			if err != nil {
				return interruptedReport(stdout, args[0], sev, err)
			}
			cov, err := reports.LoadCoverage(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			opts := reports.Options{FunctionPath: *function, ToolVersion: version, FailOn: sev, Coverage: cov}
			if *function != "" {
				src, err := os.ReadFile(*function)
				if err != nil {
					return usageErr("read --function: %v", err)
				}
				opts.FunctionSource = src
			}
			if err := reports.WriteAll(args[0], r, findings, opts); err != nil {
				return err
			}
			failing, _ := cffuzz.CountFailing(findings, sev)
			fmt.Fprintf(stdout, "rendered %d findings into %s; %d at or above --fail-on %s\n", len(findings), args[0], failing, sev)
			if failing > 0 {
				return errFindings
			}
			return nil
		},
	}
}

func corpusCommand(stdout, stderr io.Writer) *ffcli.Command {
	mfs := newFlagSet("fuzz corpus merge", stderr)
	merge := &ffcli.Command{
		Name:       "merge",
		ShortUsage: "fuzz corpus merge DST SRC [SRC ...]",
		ShortHelp:  "join corpora (of shards, say) into DST; duplicates collapse",
		LongHelp: `Add the entries of every SRC corpus to DST (created if needed). An input already
in DST is not added again, and of two entries of one bug the one with the smaller
input is kept. Damaged SRC entries are skipped and named.

Examples:
  fuzz corpus merge corpus shard-1/corpus shard-2/corpus shard-3/corpus`,
		FlagSet: mfs,
		Exec: func(_ context.Context, args []string) error {
			if len(args) < 2 {
				return usageErr("corpus merge needs a destination and at least one source")
			}
			added, err := corpus.Merge(args[0], args[1:]...)
			fmt.Fprintf(stdout, "added %d entries to %s\n", added, args[0])
			return err
		},
	}
	efs := newFlagSet("fuzz corpus export", stderr)
	format := efs.String("format", "gofuzz", "gofuzz (a testdata/fuzz/FuzzX entry) or table (a Go table-test row)")
	export := &ffcli.Command{
		Name:       "export",
		ShortUsage: "fuzz corpus export [--format gofuzz|table] ENTRY_FILE",
		ShortHelp:  "export a finding as a Go fuzz corpus entry or a table-test row",
		LongHelp: `Write a corpus entry to stdout as a 'go test fuzz v1' file for your own
testdata/fuzz/FuzzX/ directory, or as a row for a Go table test.

Examples:
  fuzz corpus export cffuzz-out/corpus/3f2a9c0d1e4b5a6c > testdata/fuzz/FuzzHandler/3f2a9c0d1e4b5a6c
  fuzz corpus export --format table cffuzz-out/corpus/3f2a9c0d1e4b5a6c`,
		FlagSet: efs,
		Exec: func(_ context.Context, args []string) error {
			if len(args) != 1 {
				return usageErr("corpus export takes one entry file")
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			e, err := corpus.ParseEntry(args[0], data)
			if err != nil {
				return usageErr("%v", err)
			}
			switch *format {
			case "gofuzz":
				return corpus.ExportGoFuzz(stdout, e.Input)
			case "table":
				return corpus.ExportGoTableRow(stdout, e.Finding)
			default:
				return usageErr("unknown --format %q: use gofuzz or table", *format)
			}
		},
	}
	fs := newFlagSet("fuzz corpus", stderr)
	return &ffcli.Command{
		Name:       "corpus",
		ShortUsage: "fuzz corpus <merge|export> [args]",
		ShortHelp:  "manage corpora: merge shards, export findings as Go tests",
		LongHelp: `A corpus is a directory of findings, one file per distinct bug, named by a
hash of its content. fuzz run replays it first and adds new findings to it.

Examples:
  fuzz corpus merge corpus shard-1/corpus shard-2/corpus
  fuzz corpus export --format table cffuzz-out/corpus/3f2a9c0d1e4b5a6c`,
		FlagSet:     fs,
		Subcommands: []*ffcli.Command{merge, export},
		Exec:        helpOrUnknown("fuzz corpus"),
	}
}

// interruptedReport is fuzz report on a directory whose reports could not
// be loaded (loadErr): when report.json is missing but a findings journal
// is there, the campaign ended before writing its reports (killed,
// interrupted), and what the journal holds is shown. It always returns a
// usage error: there is no campaign to re-render.
func interruptedReport(stdout io.Writer, dir string, failOn cffuzz.Severity, loadErr error) error {
	if _, err := os.Stat(filepath.Join(dir, reports.ReportFile)); !errors.Is(err, fs.ErrNotExist) {
		return usageErr("%v", loadErr)
	}
	j, err := reports.ReadJournal(dir)
	if err != nil {
		return usageErr("%v", loadErr)
	}
	if err := reports.WriteJournalSummary(stdout, j, failOn); err != nil {
		return err
	}
	return usageErr("%s has no %s: its campaign ended before writing its reports (killed or interrupted); above is what its findings journal holds. Replay the raw entries with fuzz replay --function FN %s, or run the campaign again",
		dir, reports.ReportFile, filepath.Join(dir, "corpus"))
}
