// Package campaign turns a Config into a campaign: it loads the function, its
// key-value store, properties and expectations; builds the target, the
// generator, the oracles, the corpus and the metrics; runs the runner; and
// writes the reports. cmd/fuzz is a thin shell over it, and the benchmark
// tests drive it directly.
package campaign

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/calibrate"
	"github.com/cffuzz/cffuzz/internal/emulate"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/internal/target"
)

// Targets accepted by Config.Target besides an endpoint URL.
const (
	// TargetEmulator starts the embedded emulator on a loopback port.
	TargetEmulator = "emulator"
	// TargetAWS uses the real CloudFront API with the default credential chain.
	TargetAWS = "aws"
)

// Transports of the embedded emulator (Config.Transport).
const (
	// TransportDirect calls the embedded emulator through its Go API.
	TransportDirect = target.TransportDirect
	// TransportSDK calls it through the AWS SDK over loopback HTTP.
	TransportSDK = target.TransportSDK
)

// Isolation modes of the embedded emulator's JavaScript executions
// (emulate.Runtime.Isolation).
const (
	// IsolationProcess runs functions in worker subprocesses with a memory
	// limit and a hard kill, so a hostile function cannot take the campaign
	// down. It is the default.
	IsolationProcess = emulate.IsolationProcess
	// IsolationInProcess runs functions in the campaign's own process,
	// guarded by time limits and allocation caps only. It is faster to start.
	IsolationInProcess = emulate.IsolationInProcess
)

// Defaults of a Config.
const (
	DefaultCases         = 5000
	DefaultOut           = "cffuzz-out"
	DefaultFailOn        = cffuzz.SeverityMedium
	DefaultShrinkTimeout = runner.DefaultShrinkTimeout
	DefaultMetricsAddr   = "127.0.0.1:9464"
	// DefaultTimeout bounds one request to the target.
	DefaultTimeout = 10 * time.Second
	// DefaultSetupTimeout bounds the setup: deploying the function and
	// fetching its ETag, retries included.
	DefaultSetupTimeout = 2 * time.Minute
)

// Config describes one campaign. The zero value runs the demonstration
// campaign: the bundled demo function against the embedded emulator.
type Config struct {
	// Function is the path of the connection function's JavaScript source.
	// FunctionCode, when set, is used instead of reading Function. With
	// both empty the bundled demo function runs, with its key-value store
	// and property.
	Function     string
	FunctionCode []byte
	// FunctionName is the name the function is created under (default:
	// derived from the file name).
	FunctionName string
	// KVS is the path of a KeyValueStore import file (JSON) the function is
	// associated with; KVSData, when set, is used instead.
	KVS     string
	KVSData []byte
	// KVSARN associates an existing KeyValueStore when deploying to AWS or
	// an endpoint.
	KVSARN string
	// Properties are JavaScript property files, each defining
	// check(connection, outcome).
	Properties []Source
	// Expect is the path of an expectations file for the mismatch oracle.
	Expect string

	// Target is TargetEmulator (default), TargetAWS or the base URL of an
	// emulator or API endpoint.
	Target string
	// FunctionID names an existing function to test on Target ("cf_...").
	// Without it, the function is created (or updated, when Deploy is set
	// and a function of the same name exists) on Target.
	FunctionID string
	// Deploy creates or updates the function on a non-embedded target.
	Deploy bool
	// Publish publishes the function and tests its LIVE stage.
	Publish bool
	// Stage is the stage tested: "DEVELOPMENT" (default) or "LIVE".
	Stage string
	// Compare, when set, runs every case on a second target too and feeds
	// the differential oracle: "live" (the same function's LIVE stage),
	// "emulator" (the embedded emulator, when Target is AWS or an endpoint),
	// or the path of another version of the function (run on the embedded
	// emulator).
	Compare string
	// Determinism runs every case twice and feeds the determinism oracle.
	Determinism bool
	// StrictSyntax refuses the language features only AWS's connection-function
	// page covers (runtime.Options.StrictSyntax); by default they run and
	// the report warns that their support on AWS is unconfirmed.
	StrictSyntax bool

	// Cases and Duration are the budgets; with neither set, DefaultCases.
	Cases    int64
	Duration time.Duration
	// Rate is requests per second (0: unlimited) and Burst the limiter's burst.
	Rate  float64
	Burst int
	// Concurrency is the number of cases in flight (default 2 per CPU
	// when worker processes run the cases, else GOMAXPROCS),
	// capped at 4 per CPU for the embedded emulator and 64 otherwise
	// unless ForceConcurrency is set; worker processes are one per CPU at
	// most.
	Concurrency      int
	ForceConcurrency bool
	// Timeout bounds each request to the target (default DefaultTimeout);
	// SetupTimeout bounds the whole setup, deployment included (default
	// DefaultSetupTimeout). A target that answers no request for three
	// Timeouts is hung: the campaign ends with a TargetError.
	Timeout      time.Duration
	SetupTimeout time.Duration
	// AllowEmpty lets a campaign that ran no case succeed; by default it
	// is an error, as a gate that tested nothing must not pass.
	AllowEmpty bool
	// Seed is the campaign seed (default 1, so that runs are repeatable).
	Seed int64
	// Shard is "K/N": run part K of N of the case space.
	Shard string
	// Now is the present the generators build dates around ("expired a
	// second ago"); zero means the campaign's start time.
	Now time.Time

	// Weights sets generator family weights by name; missing families keep
	// their defaults. Wire enables the wire family (raw HTTP requests).
	Weights map[string]int
	Wire    bool
	// UtilizationThreshold is the utilization oracle's threshold (default 70).
	UtilizationThreshold int
	// FailOn is the lowest severity that fails the campaign; nil means
	// DefaultFailOn (medium).
	FailOn *cffuzz.Severity

	// Budget is the emulator's CPU budget that counts as 100% utilization
	// (default 5 ms) and TimeLimit the time after which a run is stopped
	// (default 20 ms).
	Budget    time.Duration
	TimeLimit time.Duration
	// SpeedFactor scales the embedded emulator's CPU time to the reference
	// machine's (runtime.Options.SpeedFactor): 0 measures this machine
	// when the emulator starts, a positive value is used as it is, a
	// negative one reports raw CPU time. report.json records the factor.
	SpeedFactor float64
	// Calibration, when set, gives the embedded emulator a target's
	// utilization model (budget, base, cap, time limit) and error format
	// (fuzz calibrate); Budget and TimeLimit, when set, still win. The
	// output format is not applied: the campaign reads decisions, calls
	// and error positions from the emulator's own output.
	Calibration *calibrate.File
	// Isolation is IsolationProcess (default) or IsolationInProcess.
	Isolation string
	// Transport is how cases reach the embedded emulator:
	// TransportDirect (default) calls it through its Go API, in process;
	// TransportSDK sends them through the AWS SDK over loopback HTTP, as
	// they go to an endpoint or AWS. Wire cases always go over raw HTTP.
	Transport string
	// NoFeedback turns feedback-guided search off (--feedback=false): cases
	// come from the blind generator families only, functions run
	// uninstrumented and no coverage is reported. By default the embedded
	// emulator runs the function instrumented (with the direct transport),
	// or, for other targets and transports, a local shadow of it runs every
	// case for its feedback; internal/engine learns from it.
	NoFeedback bool
	// WorkerCommand is the command line of worker subprocesses (default:
	// this executable, which must call runtime.ServeWorkerIfRequested).
	WorkerCommand []string
	// Executor, when set, runs the embedded emulator's functions instead of
	// a new executor (tests share one across campaigns). It is not closed.
	Executor runtime.Executor
	// Faults injects faults into the embedded emulator (for tests of the
	// runner's retry and backoff).
	Faults emulator.Faults

	// Out is the directory the reports go to (default DefaultOut).
	Out string
	// Corpus is the corpus directory: its entries are replayed first and
	// new findings are added to it (default Out/corpus). "-" disables it.
	Corpus string
	// ShrinkTimeout bounds the minimization of one finding (default 2 s).
	ShrinkTimeout time.Duration

	// Name names the campaign in reports and Pushgateway groupings
	// (default: the function's name).
	Name string
	// MetricsAddr serves live metrics during the campaign ("" disables;
	// the CLI defaults to DefaultMetricsAddr). A busy port is a warning.
	MetricsAddr string
	// Pushgateway is the URL of a Prometheus Pushgateway to push the
	// metrics to at the end.
	Pushgateway string
	// MetricsFile is where the metrics are written in the text exposition
	// format at the end (default Out/metrics.prom).
	MetricsFile string

	// Progress receives progress snapshots; Log receives warnings and
	// notices (nil discards them).
	Progress func(runner.Snapshot)
	Log      io.Writer
	// Version is cffuzz's version, for reports and metrics.
	Version string
	// Reproducer renders a finding's one-line replay command (Finding.Reproducer)
	// from its ReplaySpec; nil leaves findings without one. cmd/fuzz renders
	// it from its own flags.
	Reproducer func(ReplaySpec) string
}

// Source is a named piece of source code: a property file, say.
type Source struct {
	// Path is where it was read from (for messages and reproducers).
	Path string
	// Code is its content.
	Code []byte
}

// ConfigError is a problem with the configuration or its files. The CLI
// maps it to exit code 2.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// TargetError means the target could not be used: the emulator did not
// start, the endpoint did not answer, credentials were refused. The CLI maps
// it to exit code 3.
type TargetError struct{ Err error }

func (e *TargetError) Error() string { return e.Err.Error() }
func (e *TargetError) Unwrap() error { return e.Err }

func configErr(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

func targetErr(format string, args ...any) error {
	return &TargetError{Err: fmt.Errorf(format, args...)}
}

// IsConfigError reports whether err is (or wraps) a ConfigError.
func IsConfigError(err error) bool {
	var c *ConfigError
	return errors.As(err, &c)
}

// IsTargetError reports whether err is (or wraps) a TargetError.
func IsTargetError(err error) bool {
	var t *TargetError
	return errors.As(err, &t)
}

// feedback reports whether the campaign is feedback-guided.
func (c *Config) feedback() bool { return !c.NoFeedback }

func (c *Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c *Config) setupTimeout() time.Duration {
	if c.SetupTimeout <= 0 {
		return DefaultSetupTimeout
	}
	return c.SetupTimeout
}

// out is the output directory: Out, or DefaultOut.
func (c *Config) out() string {
	if c.Out == "" {
		return DefaultOut
	}
	return c.Out
}

// Gate is the lowest severity that fails the campaign: FailOn, or
// DefaultFailOn when it is nil.
func (c *Config) Gate() cffuzz.Severity {
	if c.FailOn == nil {
		return DefaultFailOn
	}
	return *c.FailOn
}
