package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/campaign"
	"github.com/cffuzz/cffuzz/oracles"
	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"
	"github.com/peterbourgon/ff/v3/ffyaml"
)

// defaultConfigFile is the config file read when it exists and --config is
// not given.
const defaultConfigFile = "cffuzz.yaml"

// configFlag is the --config flag. The default file may be missing; a file
// named with --config (or CFFUZZ_CONFIG) must exist, so that a typo does not
// silently run with the defaults.
type configFlag struct{ path string }

func (c *configFlag) String() string {
	if c == nil {
		return ""
	}
	return c.path
}

func (c *configFlag) Set(s string) error {
	if s != "" {
		st, err := os.Stat(s)
		if err != nil {
			return fmt.Errorf("%v: name an existing file (fuzz init FILE writes a starter config)", err)
		}
		if st.IsDir() {
			return fmt.Errorf("%s is a directory: name a YAML file", s)
		}
	}
	c.path = s
	return nil
}

// registerConfig defines --config on fs.
func registerConfig(fs *flag.FlagSet) *configFlag {
	c := &configFlag{path: defaultConfigFile}
	fs.Var(c, "config", "config `file` (YAML) carrying any of these flags; flags override it")
	return c
}

// configOptions makes the command whose flags are fs read cffuzz.yaml (or
// --config FILE) and CFFUZZ_* environment variables, with flags taking
// precedence. The file is shared by run, replay and emulate, so a key that
// is a flag of another of them is skipped; any other unknown key is an
// error, and errors in the file name it.
func configOptions(fs *flag.FlagSet, c *configFlag) []ff.Option {
	parse := func(r io.Reader, set func(name, value string) error) error {
		skipOthers := func(name, value string) error {
			if fs.Lookup(name) == nil && isSharedConfigKey(name) {
				return nil
			}
			return set(name, value)
		}
		if err := ffyaml.Parser(r, skipOthers); err != nil {
			return fmt.Errorf("config file %s: %w (every key is a flag of fuzz run or fuzz emulate, without the dashes)", c.path, err)
		}
		return nil
	}
	return []ff.Option{
		ff.WithConfigFileFlag("config"),
		ff.WithConfigFileParser(parse),
		ff.WithAllowMissingConfigFile(true),
		ff.WithEnvVarPrefix("CFFUZZ"),
	}
}

// isSharedConfigKey reports whether name is a flag of a command that reads
// the config file.
func isSharedConfigKey(name string) bool {
	for _, c := range []*ffcli.Command{runCommand(io.Discard, io.Discard), emulateCommand(io.Discard, io.Discard)} {
		if c.FlagSet.Lookup(name) != nil {
			return true
		}
	}
	return false
}

// campaignFlags holds the flags shared by run and replay.
type campaignFlags struct {
	cfg        campaign.Config
	config     *configFlag
	properties stringList
	weights    weightsFlag
	failOn     severityFlag
	progress   string
	quiet      bool
	calib      calibrationFlag
	// feedback is --feedback (run only; replay runs plain).
	feedback bool
}

// register defines the flags on fs. what says which command they are for.
func (f *campaignFlags) register(fs *flag.FlagSet, forRun bool) {
	c := &f.cfg
	f.config = registerConfig(fs)
	fs.StringVar(&c.Function, "function", "", "connection function source `file.js` (default: the bundled demo function)")
	fs.StringVar(&c.FunctionName, "name", "", "function name to create or update (default: from the file name)")
	fs.StringVar(&c.KVS, "kvs", "", "KeyValueStore import `file` (JSON) for the embedded emulator")
	fs.StringVar(&c.KVSARN, "kvs-arn", "", "KeyValueStore `ARN` to associate when deploying to AWS or an endpoint")
	fs.Var(&f.properties, "property", "property `file.js` defining check(connection, outcome); repeatable")
	fs.StringVar(&c.Expect, "expect", "", "expectations `file` (YAML or JSON) overriding what the API should answer")
	fs.StringVar(&c.Target, "target", campaign.TargetEmulator, "`emulator`, aws, or an endpoint URL (http://127.0.0.1:4566)")
	fs.StringVar(&c.FunctionID, "function-id", "", "existing function `id` to test on aws or an endpoint (ETag fetched with DescribeConnectionFunction)")
	fs.BoolVar(&c.Deploy, "deploy", false, "create or update --function on aws or an endpoint before testing")
	fs.BoolVar(&c.Publish, "publish", false, "publish the function and test its LIVE stage")
	fs.StringVar(&c.Stage, "stage", "", "stage to test: DEVELOPMENT or LIVE (default DEVELOPMENT, LIVE with --publish)")
	fs.StringVar(&c.Compare, "compare", "", "differential testing against: live, emulator, or another version `file.js`")
	fs.StringVar(&c.Isolation, "isolation", campaign.IsolationProcess, "how the embedded emulator runs functions: process (worker subprocesses) or inprocess")
	fs.StringVar(&c.Transport, "emulator-transport", campaign.TransportDirect, "how cases reach the embedded emulator: direct (its Go API, in process) or sdk (the AWS SDK over loopback HTTP)")
	fs.DurationVar(&c.Budget, "budget", 0, "CPU time that counts as 100% compute utilization in the emulator (default "+runtime.DefaultBudget.String()+")")
	fs.DurationVar(&c.TimeLimit, "time-limit", 0, "time after which the emulator stops a function (default "+runtime.DefaultTimeLimit.String()+")")
	fs.Float64Var(&c.SpeedFactor, "host-speed", 0, "`factor` scaling this machine's CPU time to the reference machine's, for the emulator's utilization and time limit: 0 measures this machine, a negative value reports raw CPU time")
	fs.Var(&f.calib, "calibration", "calibration `file` from fuzz calibrate: the emulator reports utilization on that target's scale and uses its error format")
	fs.IntVar(&c.UtilizationThreshold, "utilization-threshold", 0, fmt.Sprintf("compute utilization above which a finding is raised (default %d)", oracles.DefaultUtilizationThreshold))
	fs.Var(&f.failOn, "fail-on", "lowest `severity` that fails the run: info, low, medium, high, critical or none (default "+campaign.DefaultFailOn.String()+")")
	fs.StringVar(&c.Out, "out", campaign.DefaultOut, "`dir`ectory for reports")
	fs.StringVar(&c.Corpus, "corpus", "", "corpus `dir`: replayed first, new findings added (default OUT/corpus; - disables)")
	fs.IntVar(&c.Concurrency, "concurrency", 0, "cases in flight (default: 2 per CPU with worker processes, else 1 per CPU; capped at 4 per CPU for the emulator, 64 otherwise)")
	fs.BoolVar(&c.ForceConcurrency, "force-concurrency", false, "lift the cap on --concurrency and on the emulator's worker processes")
	fs.StringVar(&f.progress, "progress", "auto", "progress display: auto, line, log or none")
	fs.BoolVar(&f.quiet, "quiet", false, "print only the closing summary")
	fs.BoolVar(&c.Determinism, "determinism", false, "run every case twice and flag different decisions")
	fs.BoolVar(&c.StrictSyntax, "strict-syntax", false, "refuse the language features only AWS's connection-function page promises (ES2020: ?., ??, BigInt, classes, destructuring, ...); by default they run and the report warns that their support on AWS is unconfirmed")
	fs.DurationVar(&c.Timeout, "timeout", campaign.DefaultTimeout, "bound on each request to the target; nothing answered for 3 of them: the target hung (exit 3)")
	fs.DurationVar(&c.SetupTimeout, "setup-timeout", campaign.DefaultSetupTimeout, "bound on the setup: deploying the function and fetching its ETag")
	if !forRun {
		return
	}
	fs.Int64Var(&c.Cases, "cases", 0, fmt.Sprintf("case budget (default %d when no --duration)", campaign.DefaultCases))
	fs.DurationVar(&c.Duration, "duration", 0, "time budget, e.g. 10m")
	fs.Var(rateFlag{&c.Rate}, "rate", "requests per second, a finite number ≥ 0 (0: unlimited); throttles slow it down")
	fs.IntVar(&c.Burst, "burst", 0, "rate limiter burst (default 1)")
	fs.Int64Var(&c.Seed, "seed", 1, "campaign seed; a finding's seed and case index reproduce it")
	fs.StringVar(&c.Shard, "shard", "", "run part `K/N` of the case space (CI matrix jobs, Kubernetes indexed Jobs)")
	fs.Var(&f.weights, "weights", "generator family weights, e.g. production=50,mutation=30,malformed=15,boundary=5")
	fs.BoolVar(&c.Wire, "wire", false, "add the wire family: raw signed HTTP requests the SDK would refuse")
	fs.BoolVar(&f.feedback, "feedback", true, "feedback-guided search: learn from the branches, comparisons and cost each case reached (a local shadow gives them for aws and endpoints); --feedback=false runs the blind generators only")
	fs.Func("now", "the present the generators build dates around, RFC 3339 (default: the start time)", func(s string) error {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return fmt.Errorf("--now wants RFC 3339, like 2026-11-25T00:00:00Z: %v", err)
		}
		c.Now = t
		return nil
	})
	fs.DurationVar(&c.ShrinkTimeout, "shrink-timeout", 0, "time budget to minimize one finding (default "+campaign.DefaultShrinkTimeout.String()+")")
	fs.BoolVar(&c.AllowEmpty, "allow-empty", false, "let a campaign that ran no case pass (by default it fails: a gate that tested nothing)")
	fs.StringVar(&c.Name, "campaign", "", "campaign name for reports and Pushgateway groupings")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", "", "serve live Prometheus metrics on this `address`, e.g. "+campaign.DefaultMetricsAddr+" (default: not served)")
	fs.StringVar(&c.Pushgateway, "pushgateway", "", "push the metrics to this Pushgateway `URL` at the end")
	fs.StringVar(&c.MetricsFile, "metrics-file", "", "write the metrics in text format to this `file` (default OUT/metrics.prom)")
}

// finish copies the parsed values into the config.
func (f *campaignFlags) finish() {
	for _, p := range f.properties {
		f.cfg.Properties = append(f.cfg.Properties, campaign.Source{Path: p})
	}
	if len(f.weights) > 0 {
		f.cfg.Weights = f.weights
	}
	if f.failOn.set {
		s := f.failOn.v
		f.cfg.FailOn = &s
	}
	f.cfg.NoFeedback = !f.feedback
	f.cfg.Version = version
	f.cfg.Calibration = f.calib.file
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

// Values returns each value given, in order.
func (l *stringList) Values() []string { return *l }
func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// weightsFlag parses "family=weight,family=weight".
type weightsFlag map[string]int

// String returns the weights sorted by family, so that it is stable.
func (w *weightsFlag) String() string {
	var parts []string
	for k, v := range *w {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func (w *weightsFlag) Set(s string) error {
	if *w == nil {
		*w = weightsFlag{}
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || n < 0 {
			return fmt.Errorf("want family=weight with a whole number ≥ 0, like production=50; got %q", part)
		}
		(*w)[strings.TrimSpace(k)] = n
	}
	return nil
}

// severityFlag parses a severity name.
type severityFlag struct {
	v   cffuzz.Severity
	set bool
}

func (s *severityFlag) String() string {
	if !s.set {
		return ""
	}
	if s.v > cffuzz.SeverityCritical {
		return "none"
	}
	return s.v.String()
}

// or returns the severity given, or def when none was.
func (s severityFlag) or(def cffuzz.Severity) cffuzz.Severity {
	if s.set {
		return s.v
	}
	return def
}

func (s *severityFlag) Set(v string) error {
	sev, err := cffuzz.ParseSeverity(v)
	if err != nil {
		return err
	}
	s.v, s.set = sev, true
	return nil
}

// rateFlag parses --rate: a finite number of requests per second, ≥ 0.
// strconv accepts NaN and Inf, which would disable or break pacing.
type rateFlag struct{ v *float64 }

func (r rateFlag) String() string {
	if r.v == nil {
		return "0"
	}
	return strconv.FormatFloat(*r.v, 'g', -1, 64)
}

func (r rateFlag) Get() any { return *r.v }

func (r rateFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("want a finite number of requests per second ≥ 0, like 1 or 0.5 (0: unlimited)")
	}
	*r.v = v
	return nil
}
