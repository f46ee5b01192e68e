package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/calibrate"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func calibrateCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz calibrate", stderr)
	var (
		tgt        = fs.String("target", "", "`aws` or an endpoint URL to record the probes on")
		out        = fs.String("out", "calibration.json", "calibration `file` to write")
		repeats    = fs.Int("repeats", calibrate.DefaultRepeats, "runs of each work probe on the target and on the emulator (the least disturbed is kept)")
		rate       = fs.Float64("rate", 0, "API calls per second (default 2 against AWS, unlimited against an endpoint)")
		region     = fs.String("region", "", "region to sign requests in (default us-east-1)")
		check      = fs.String("check", "", "replay the probes of this calibration `file` on the emulator and list every answer that differs")
		calibrated = fs.Bool("calibrated", false, "with --check: apply the calibration to the emulator first, listing only what it does not account for")
		quiet      = fs.Bool("quiet", false, "no line per probe")
	)
	return &ffcli.Command{
		Name:       "calibrate",
		ShortUsage: "fuzz calibrate --target aws|URL [--out FILE] | --check FILE [--calibrated]",
		ShortHelp:  "record probe functions on a target and fit the emulator to it",
		LongHelp: `Deploy a fixed suite of probe functions to the target (known amounts of work,
thrown errors of each kind, output and log shapes, malformed connection
objects, limits), run each through TestConnectionFunction with the AWS SDK,
delete it, and write every answer to a calibration file (JSON, versioned)
with the fitted model: the utilization scale (points per millisecond of
emulator CPU time), the base, the fit's R², the time limit, the cap, and the
target's error and output formats. Against AWS it needs credentials that may
create and delete connection functions (about 60 of each, at 2 calls/s).

fuzz run --calibration FILE and fuzz emulate --calibration FILE then report
utilization on the target's scale and render errors (and, in emulate,
outputs) in its formats. --check FILE replays the recorded probes on the
emulator, without credentials, and lists every probe whose answer differs:
exit 1 when any differs.

Examples:
  fuzz calibrate --target aws --out aws.json
  fuzz calibrate --target http://127.0.0.1:4566 --out local.json
  fuzz calibrate --check aws.json               # the emulator's defaults vs AWS
  fuzz calibrate --check aws.json --calibrated  # what the calibration leaves
  fuzz run --function fn.js --calibration aws.json`,
		FlagSet: fs,
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usageErr("calibrate takes no arguments (got %q)", args)
			}
			logw := stderr
			if *quiet {
				logw = io.Discard
			}
			if *check != "" {
				if *tgt != "" {
					return usageErr("give either --target (record) or --check FILE (compare), not both")
				}
				return runCheck(ctx, *check, *calibrated, logw, stdout)
			}
			if *calibrated {
				return usageErr("--calibrated goes with --check FILE")
			}
			opts := calibrate.Options{Repeats: *repeats, Rate: *rate, Version: version, Log: logw}
			switch {
			case *tgt == campaign.TargetAWS:
				opts.SDK = target.SDKOptions{Region: *region}
			case strings.HasPrefix(*tgt, "http://") || strings.HasPrefix(*tgt, "https://"):
				opts.SDK = target.SDKOptions{Endpoint: *tgt, Region: *region}
			case *tgt == "":
				return usageErr("calibrate needs --target aws or an endpoint URL (or --check FILE)")
			default:
				return usageErr("unknown --target %q: use aws or an http(s):// endpoint URL", *tgt)
			}
			if *repeats < 1 {
				return usageErr("--repeats must be at least 1")
			}
			f, err := calibrate.Record(ctx, opts)
			if err != nil {
				if ctx.Err() != nil { // interrupted: nothing is written
					return fmt.Errorf("calibrate on %s: %w", *tgt, err)
				}
				return &campaign.TargetError{Err: fmt.Errorf("calibrate on %s: %w", *tgt, err)}
			}
			if err := f.Save(*out); err != nil {
				return err
			}
			if err := calibrate.WriteFit(stdout, f); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "calibration written to %s; use it with fuzz run --calibration %s\n", *out, *out)
			return nil
		},
	}
}

// runCheck compares the emulator with a calibration's recorded answers:
// exit 1 when any answer differs.
func runCheck(ctx context.Context, path string, calibrated bool, logw, stdout io.Writer) error {
	f, err := calibrate.Load(path)
	if err != nil {
		return usageErr("--check: %v", err)
	}
	opts := calibrate.CheckOptions{Log: logw}
	what := "the emulator's defaults"
	if calibrated {
		opts.Options = f.Apply(runtime.Options{})
		what = "the calibrated emulator"
	}
	diffs, err := calibrate.Check(ctx, f, opts)
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if err := calibrate.WriteCheck(stdout, f, diffs, what); err != nil {
		return err
	}
	if len(diffs) > 0 {
		return errFindings
	}
	return nil
}

// calibrationFlag is --calibration FILE: it loads the file when set, so
// that a missing or wrong file is a usage error (exit 2).
type calibrationFlag struct {
	path string
	file *calibrate.File
}

func (c *calibrationFlag) String() string {
	if c == nil {
		return ""
	}
	return c.path
}

func (c *calibrationFlag) Set(s string) error {
	if s == "" {
		c.path, c.file = "", nil
		return nil
	}
	f, err := calibrate.Load(s)
	if err != nil {
		return err
	}
	c.path, c.file = s, f
	return nil
}
