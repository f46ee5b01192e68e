package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	emu "github.com/cffuzz/cffuzz/internal/emulate"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func emulateCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz emulate", stderr)
	var (
		addr      = fs.String("addr", "127.0.0.1:4566", "listen `address` (loopback by default)")
		functions stringList
		kvsFile   = fs.String("kvs", "", "KeyValueStore import `file` (JSON), associated with every preloaded function")
		publish   = fs.Bool("publish", false, "publish the preloaded functions (LIVE stage)")
		isolation = fs.String("isolation", emu.IsolationProcess, "how functions run: process (worker subprocesses) or inprocess")
		budget    = fs.Duration("budget", 0, "CPU time that counts as 100% compute utilization (default "+runtime.DefaultBudget.String()+")")
		timeLimit = fs.Duration("time-limit", 0, "time after which a function is stopped (default "+runtime.DefaultTimeLimit.String()+")")
		strict    = fs.Bool("strict-syntax", false, "refuse the language features only AWS's connection-function page promises (ES2020: ?., ??, BigInt, classes, ...)")
		seed      = fs.Int64("seed", 0, "seed for ids, ETags, Math.random and faults (0: from the clock)")
		verify    = fs.Bool("verify-sigv4", false, "verify SigV4 signatures against AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
		faults    = fs.String("faults", "", "injected fault rates, e.g. throttle=0.05,drop=0.01,503=0.01,500=0.01,latency=0.1")
		delay     = fs.Duration("fault-delay", 100*time.Millisecond, "latency added by a latency fault")
		rateLimit = fs.Float64("rate-limit", 0, "throttle above this many requests per second, as AWS does (0: off)")
		verbose   = fs.Bool("v", false, "log one line per request (never bodies)")
		calib     calibrationFlag
	)
	fs.Var(&calib, "calibration", "calibration `file` from fuzz calibrate: utilization on that target's scale, its time limit and its error and output formats")
	fs.Var(&functions, "function", "connection function `file.js` to preload; repeatable")
	config := registerConfig(fs)
	return &ffcli.Command{
		Name:       "emulate",
		ShortUsage: "fuzz emulate [flags]",
		ShortHelp:  "serve the CloudFront connection-function API locally",
		LongHelp: `Serve cffuzz's emulator of the CloudFront connection-function API (REST-XML,
2020-05-31) until interrupted. Any AWS SDK or the AWS CLI works against it by
endpoint URL. Prometheus metrics are on /metrics.

Examples:
  fuzz emulate --function fn.js --kvs kvs.json
  aws cloudfront list-connection-functions --endpoint-url http://127.0.0.1:4566
  AWS_ENDPOINT_URL_CLOUDFRONT=http://127.0.0.1:4566 your-program
  fuzz emulate --faults throttle=0.05,drop=0.01 --rate-limit 20   # test a client's retries`,
		FlagSet: fs,
		Options: configOptions(fs, config),
		Exec: func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usageErr("emulate takes no arguments (got %q)", args)
			}
			opts := emu.Options{
				Runtime:   emu.Runtime{Isolation: *isolation, Budget: *budget, TimeLimit: *timeLimit, Calibration: calib.file, StrictSyntax: *strict},
				Emulator:  emulator.Options{Seed: *seed, RateLimit: emulator.RateLimit{PerSecond: *rateLimit}},
				Functions: functions, KVS: *kvsFile, Publish: *publish, Log: stdout,
			}
			fr, err := emu.ParseFaults(*faults)
			if err != nil {
				return usageErr("--faults: %v", err)
			}
			opts.Emulator.Faults = emulator.Faults{FaultRates: fr, Delay: *delay}
			if *verify {
				id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
				if id == "" || secret == "" {
					return usageErr("--verify-sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
				}
				opts.Emulator.Credentials = &emulator.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN")}
			}
			if *verbose {
				opts.Emulator.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
			}
			srv, err := emu.Start(opts)
			if err != nil {
				return usageErr("%v", err)
			}
			defer srv.Close()
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w (pick another --addr)", *addr, err)
			}
			fmt.Fprintf(stdout, "cffuzz emulator listening on http://%s (metrics on /metrics); Ctrl-C stops it\n", ln.Addr())
			return srv.Serve(ctx, ln)
		},
	}
}
