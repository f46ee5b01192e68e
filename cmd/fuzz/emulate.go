package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func emulateCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz emulate", stderr)
	var (
		addr      = fs.String("addr", "127.0.0.1:4566", "listen `address` (loopback by default)")
		functions stringList
		kvsFile   = fs.String("kvs", "", "KeyValueStore import `file` (JSON), associated with every preloaded function")
		publish   = fs.Bool("publish", false, "publish the preloaded functions (LIVE stage)")
		isolation = fs.String("isolation", "process", "how functions run: process (worker subprocesses) or inprocess")
		budget    = fs.Duration("budget", 0, "CPU time that counts as 100% compute utilization (default 5ms)")
		timeLimit = fs.Duration("time-limit", 0, "time after which a function is stopped (default 20ms)")
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
			opts := emulator.Options{Seed: *seed, RateLimit: emulator.RateLimit{PerSecond: *rateLimit}}
			fr, err := parseFaults(*faults)
			if err != nil {
				return usageErr("--faults: %v", err)
			}
			opts.Faults = emulator.Faults{FaultRates: fr, Delay: *delay}
			if *verify {
				id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
				if id == "" || secret == "" {
					return usageErr("--verify-sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
				}
				opts.Credentials = &emulator.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN")}
			}
			if *verbose {
				opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
			}
			var ropts runtime.Options
			if calib.file != nil {
				ropts = calib.file.Apply(ropts)
			}
			if *budget > 0 {
				ropts.Budget = *budget
			}
			if *timeLimit > 0 {
				ropts.TimeLimit = *timeLimit
			}
			ropts.StrictSyntax = *strict
			switch *isolation {
			case "inprocess":
				opts.Executor = runtime.NewInProcess(ropts)
			case "process":
				ex, err := runtime.NewProcessPool(runtime.ProcessOptions{Options: ropts})
				if err != nil {
					return fmt.Errorf("start worker processes: %w (try --isolation inprocess)", err)
				}
				opts.Executor = ex
			default:
				return usageErr("unknown --isolation %q: use process or inprocess", *isolation)
			}
			defer opts.Executor.Close()
			reg := prometheus.NewRegistry()
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			opts.Registerer = reg
			srv, err := emulator.New(opts)
			if err != nil {
				return usageErr("%v", err)
			}
			defer srv.Close()
			if err := preload(srv, functions, *kvsFile, *publish, stdout); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w (pick another --addr)", *addr, err)
			}
			mux := http.NewServeMux()
			mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
			mux.Handle("/", srv)
			hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(stdout, "cffuzz emulator listening on http://%s (metrics on /metrics); Ctrl-C stops it\n", ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
}

// preload creates the functions (and their key-value store) in srv.
func preload(srv *emulator.Server, files []string, kvsFile string, publish bool, stdout io.Writer) error {
	var cfg emulator.FunctionConfig
	cfg.Comment = "preloaded by fuzz emulate"
	if kvsFile != "" {
		data, err := os.ReadFile(kvsFile)
		if err != nil {
			return usageErr("read --kvs: %v", err)
		}
		kvs, err := runtime.LoadKVS(bytes.NewReader(data))
		if err != nil {
			return usageErr("read --kvs %s: %v", kvsFile, err)
		}
		if cfg.KeyValueStoreARN, err = srv.AddKVS("", kvs); err != nil {
			return usageErr("add the key-value store: %v", err)
		}
		fmt.Fprintf(stdout, "key-value store %s: %s\n", kvsFile, cfg.KeyValueStoreARN)
	}
	for _, file := range files {
		code, err := os.ReadFile(file)
		if err != nil {
			return usageErr("read --function: %v", err)
		}
		name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		info, err := srv.CreateFunction(name, code, cfg)
		if err != nil {
			return usageErr("preload %s: %v", file, err)
		}
		etag := info.ETag
		if publish {
			if info, err = srv.PublishFunction(info.ID); err != nil {
				return usageErr("publish %s: %v", file, err)
			}
		}
		fmt.Fprintf(stdout, "function %s: id %s, ETag %s", name, info.ID, etag)
		if publish {
			fmt.Fprintf(stdout, ", LIVE ETag %s", info.LiveETag)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// parseFaults parses "throttle=0.05,drop=0.01,503=0.01,500=0.01,latency=0.1".
func parseFaults(s string) (emulator.FaultRates, error) {
	var fr emulator.FaultRates
	if strings.TrimSpace(s) == "" {
		return fr, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		p, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || !(p >= 0 && p <= 1) { // NaN fails too
			return fr, fmt.Errorf("want kind=probability with a probability in [0,1], got %q", part)
		}
		switch k {
		case "throttle", "throttling":
			fr.Throttling = p
		case "drop":
			fr.Drop = p
		case "503", "unavailable":
			fr.ServiceUnavailable = p
		case "500", "internal":
			fr.InternalError = p
		case "latency":
			fr.Latency = p
		default:
			return fr, fmt.Errorf("unknown fault %q: use throttle, drop, 503, 500 or latency", k)
		}
	}
	return fr, nil
}
