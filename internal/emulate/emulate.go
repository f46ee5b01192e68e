// Package emulate runs cffuzz's emulator of the CloudFront
// connection-function API on its own, as `fuzz emulate` serves it: the
// runtime's options from a calibration and explicit limits, the executor
// an isolation mode asks for, functions and a key-value store preloaded,
// and the API with Prometheus metrics on one listener. Campaigns build
// their embedded emulators' executors through Runtime too.
package emulate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/calibrate"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Isolation modes of an emulator's JavaScript executions.
const (
	// IsolationProcess runs functions in worker subprocesses with a memory
	// limit and a hard kill, so a hostile function cannot take the caller
	// down. It is the default.
	IsolationProcess = "process"
	// IsolationInProcess runs functions in the caller's own process,
	// guarded by time limits and allocation caps only. It is faster to start.
	IsolationInProcess = "inprocess"
)

// Runtime says how an emulator runs functions. The zero value runs them in
// worker processes under the documented limits.
type Runtime struct {
	// Isolation is IsolationProcess (default) or IsolationInProcess.
	Isolation string
	// Budget is the CPU time that counts as 100% utilization and TimeLimit
	// the time after which a run is stopped (defaults: the runtime's).
	Budget, TimeLimit time.Duration
	// Calibration, when set, gives the runtime a target's utilization model
	// and error and output formats; Budget and TimeLimit, when set, still win.
	Calibration *calibrate.File
	// StrictSyntax refuses the language features only AWS's
	// connection-function page covers (runtime.Options.StrictSyntax).
	StrictSyntax bool
	// WorkerCommand is the command line of worker subprocesses (default:
	// this executable, which must call runtime.ServeWorkerIfRequested);
	// Workers their number (default one per CPU).
	WorkerCommand []string
	Workers       int
}

// Options are the runtime's options: the calibration's, then Budget,
// TimeLimit and StrictSyntax.
func (r Runtime) Options() runtime.Options {
	var o runtime.Options
	if r.Calibration != nil {
		o = r.Calibration.Apply(o)
	}
	if r.Budget > 0 {
		o.Budget = r.Budget
	}
	if r.TimeLimit > 0 {
		o.TimeLimit = r.TimeLimit
	}
	o.StrictSyntax = r.StrictSyntax
	return o
}

// ErrIsolation is the error of an unknown Runtime.Isolation.
var ErrIsolation = errors.New("unknown isolation")

// NewExecutor starts the executor the isolation asks for, running
// functions under opts (Options, possibly adjusted by the caller). Its
// error wraps ErrIsolation for an unknown isolation.
func (r Runtime) NewExecutor(opts runtime.Options) (runtime.Executor, error) {
	switch r.Isolation {
	case IsolationInProcess:
		return runtime.NewInProcess(opts), nil
	case "", IsolationProcess:
		ex, err := runtime.NewProcessPool(runtime.ProcessOptions{Command: r.WorkerCommand, Options: opts, Workers: r.Workers})
		if err != nil {
			return nil, fmt.Errorf("start the emulator's worker processes: %w (try --isolation %s)", err, IsolationInProcess)
		}
		return ex, nil
	}
	return nil, fmt.Errorf("%w %q: use %q or %q", ErrIsolation, r.Isolation, IsolationProcess, IsolationInProcess)
}

// Options configure a standalone emulator (Start).
type Options struct {
	// Runtime says how functions run.
	Runtime Runtime
	// Emulator holds the API's own options (seed, faults, rate limit,
	// credentials, logger); its Executor and Registerer are set by Start.
	Emulator emulator.Options
	// Functions are JavaScript files to create (named after the file) in
	// the emulator before it serves; KVS a key-value store import file
	// associated with each; Publish publishes them (LIVE stage).
	Functions []string
	KVS       string
	Publish   bool
	// Log receives a line per preloaded function and key-value store (nil
	// discards them).
	Log io.Writer
}

// Server is a running standalone emulator with its metrics.
type Server struct {
	api *emulator.Server
	reg *prometheus.Registry
	ex  runtime.Executor
}

// Start builds the emulator and preloads its functions. The caller serves
// it (Serve) and closes it.
func Start(opts Options) (*Server, error) {
	ex, err := opts.Runtime.NewExecutor(opts.Runtime.Options())
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	eo := opts.Emulator
	eo.Executor, eo.Registerer = ex, reg
	api, err := emulator.New(eo)
	if err != nil {
		ex.Close()
		return nil, err
	}
	s := &Server{api: api, reg: reg, ex: ex}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	if err := preload(api, opts.Functions, opts.KVS, opts.Publish, log); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// API returns the emulator.
func (s *Server) API() *emulator.Server { return s.api }

// Handler serves the API, and Prometheus metrics on /metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	mux.Handle("/", s.api)
	return mux
}

// Serve serves Handler on ln until ctx is done, then shuts down within 5 s.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
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
}

// Close closes the emulator and its executor.
func (s *Server) Close() error {
	return errors.Join(s.api.Close(), s.ex.Close())
}

// preload creates the functions (and their key-value store) in srv.
func preload(srv *emulator.Server, files []string, kvsFile string, publish bool, log io.Writer) error {
	var cfg emulator.FunctionConfig
	cfg.Comment = "preloaded by fuzz emulate"
	if kvsFile != "" {
		data, err := os.ReadFile(kvsFile)
		if err != nil {
			return fmt.Errorf("read --kvs: %w", err)
		}
		kvs, err := runtime.LoadKVS(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("read --kvs %s: %w", kvsFile, err)
		}
		if cfg.KeyValueStoreARN, err = srv.AddKVS("", kvs); err != nil {
			return fmt.Errorf("add the key-value store: %w", err)
		}
		fmt.Fprintf(log, "key-value store %s: %s\n", kvsFile, cfg.KeyValueStoreARN)
	}
	for _, file := range files {
		code, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read --function: %w", err)
		}
		name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		info, err := srv.CreateFunction(name, code, cfg)
		if err != nil {
			return fmt.Errorf("preload %s: %w", file, err)
		}
		etag := info.ETag
		if publish {
			if info, err = srv.PublishFunction(info.ID); err != nil {
				return fmt.Errorf("publish %s: %w", file, err)
			}
		}
		fmt.Fprintf(log, "function %s: id %s, ETag %s", name, info.ID, etag)
		if publish {
			fmt.Fprintf(log, ", LIVE ETag %s", info.LiveETag)
		}
		fmt.Fprintln(log)
	}
	return nil
}

// ParseFaults parses fault rates: "throttle=0.05,drop=0.01,503=0.01,500=0.01,latency=0.1".
func ParseFaults(s string) (emulator.FaultRates, error) {
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
