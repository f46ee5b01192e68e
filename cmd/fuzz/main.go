// Command fuzz is cffuzz's command line: it fuzzes and property-tests
// Amazon CloudFront connection functions against the embedded emulator, any
// emulator endpoint or the real TestConnectionFunction API, serves the
// emulator, replays corpora and renders reports.
//
// It only parses flags and cffuzz.yaml, wires the packages and maps errors
// to exit codes:
//
//	0  nothing at or above --fail-on was found
//	1  something was
//	2  usage or configuration error
//	3  the target could not be used
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	rtdebug "runtime/debug"
	"syscall"

	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/peterbourgon/ff/v3/ffcli"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitTarget   = 3
	// exitInterrupted is the shell's code for a run ended by SIGINT
	// (128+2); SIGTERM gets it too: an interrupted run never passes.
	exitInterrupted = 130
)

// parentGCPercent is the garbage collector's target in the fuzz process
// unless GOGC is set: the same as a worker's (runtime.WorkerGCPercent), so
// that a function run in process (--isolation inprocess) measures the same
// CPU time as in a worker. A campaign's garbage is short-lived (about 10 KB
// per case) over a live heap of a few tens of megabytes; collecting at 5×
// the live heap gave 20–35 % more cases per second in `make bench-cli` for
// 10–30 MB more resident memory (docs/benchmarks.md).
const parentGCPercent = runtime.WorkerGCPercent

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

// errFindings marks a run that found something at or above --fail-on.
var errFindings = errors.New("findings at or above the fail-on severity")

func main() {
	// The emulator's worker subprocesses are this same binary.
	runtime.ServeWorkerIfRequested()
	if _, set := os.LookupEnv("GOGC"); !set {
		rtdebug.SetGCPercent(parentGCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit code. Help that
// was asked for goes to stdout; errors go to stderr, a usage error as one
// line that says what to fix.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := rootCommand(stdout, stderr)
	var last *ffcli.Command // the command whose flag set last wrote
	captureUsage(root, &last)
	if err := root.Parse(args); err != nil {
		c := commandFor(root, args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usageText(c))
			return exitOK
		}
		fmt.Fprintln(stderr, flagError(c, err))
		return exitUsage
	}
	err := root.Run(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.Is(err, flag.ErrHelp):
		// A command that only groups others, run without one: its help,
		// on stderr, as it was not asked for.
		c := last
		if c == nil {
			c = root
		}
		fmt.Fprintln(stderr, usageText(c))
		return exitOK
	case campaign.IsTargetError(err):
		fmt.Fprintf(stderr, "fuzz: the target could not be used: %v\n", err)
		return exitTarget
	case campaign.IsConfigError(err), errors.Is(err, errUsage), errors.As(err, new(ffcli.NoExecError)):
		fmt.Fprintf(stderr, "fuzz: %v\n", err)
		return exitUsage
	case errors.Is(err, context.Canceled), ctx.Err() != nil:
		fmt.Fprintf(stderr, "fuzz: interrupted: %v\n", err)
		return exitInterrupted
	default:
		fmt.Fprintf(stderr, "fuzz: %v\n", err)
		return exitUsage
	}
}

// errUsage marks command-line mistakes.
var errUsage = errors.New("usage")

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

func rootCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz", stderr)
	root := &ffcli.Command{
		Name:       "fuzz",
		ShortUsage: "fuzz <command> [flags] [args]",
		ShortHelp:  "fuzz and property-test CloudFront connection functions",
		LongHelp: `cffuzz fuzzes Amazon CloudFront connection functions (cloudfront-js-2.0) through
the TestConnectionFunction API: against its embedded emulator (the default),
an emulator at any endpoint, or AWS.

Examples:
  fuzz run                                   # demonstration campaign on a bundled function
  fuzz run --function fn.js --kvs data.json --property policy.js --cases 20000
  fuzz run --function fn.js --target aws --deploy --rate 1
  fuzz replay --function fn.js cffuzz-out/corpus
  fuzz report cffuzz-out
  fuzz emulate --function fn.js              # serve the API on 127.0.0.1:4566
  fuzz init                                  # a starter cffuzz.yaml (and function) here
  fuzz help run                              # the flags of run

Every flag of run can also be set in cffuzz.yaml (or --config FILE); flags win.
fuzz help COMMAND (or fuzz COMMAND --help) shows a command's flags.
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or
configuration error, 3 the target could not be used, 130 interrupted.`,
		FlagSet: fs,
		Subcommands: []*ffcli.Command{
			runCommand(stdout, stderr),
			replayCommand(stdout, stderr),
			reportCommand(stdout, stderr),
			emulateCommand(stdout, stderr),
			calibrateCommand(stdout, stderr),
			corpusCommand(stdout, stderr),
			initCommand(stdout, stderr),
			versionCommand(stdout, stderr),
		},
		Exec: helpOrUnknown("fuzz"),
	}
	root.Subcommands = append(root.Subcommands, helpCommand(root, stdout, stderr))
	return root
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// writes its usage to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// helpOrUnknown is the Exec of a command that only groups subcommands: with
// no arguments it shows the help, otherwise it rejects the unknown command.
func helpOrUnknown(name string) func(context.Context, []string) error {
	return func(_ context.Context, args []string) error {
		if len(args) > 0 {
			return usageErr("unknown command %q: see %s --help", args[0], name)
		}
		return flag.ErrHelp
	}
}

func versionCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz version", stderr)
	return &ffcli.Command{
		Name:       "version",
		ShortUsage: "fuzz version",
		ShortHelp:  "print cffuzz's version",
		LongHelp: `Print the version of cffuzz, as reports and metrics record it.

Examples:
  fuzz version`,
		FlagSet: fs,
		Exec: func(_ context.Context, args []string) error {
			if len(args) > 0 {
				return usageErr("version takes no arguments")
			}
			fmt.Fprintf(stdout, "cffuzz %s\n", version)
			return nil
		},
	}
}
