package campaign

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/emulate"
	"github.com/cffuzz/cffuzz/internal/target"
	"github.com/prometheus/client_golang/prometheus"
)

// targets holds the campaign's targets and what must be closed after it.
type targets struct {
	primary target.Target
	// shadow is set when the primary's feedback comes from a local shadow
	// run of every case (the primary gives none).
	shadow  bool
	compare target.Target
	// endpoint ("" for AWS) and functionID locate the primary's function.
	endpoint, functionID string
	// speed is the host-speed factor of the embedded emulator when it is
	// the primary (its utilizations are on the reference scale), else 0.
	speed   float64
	closers []func() error
}

func (t *targets) close() error {
	var errs []error
	for i := len(t.closers) - 1; i >= 0; i-- {
		errs = append(errs, t.closers[i]())
	}
	return errors.Join(errs...)
}

// executor returns the executor the embedded emulators share.
func (t *targets) executor(cfg *Config) (runtime.Executor, error) {
	if cfg.Executor != nil {
		return cfg.Executor, nil
	}
	ex, err := cfg.emulatorRuntime().NewExecutor(cfg.runtimeOptions())
	switch {
	case errors.Is(err, emulate.ErrIsolation):
		return nil, configErr("%v", err)
	case err != nil:
		return nil, targetErr("%v", err)
	}
	t.closers = append(t.closers, ex.Close)
	cfg.Executor = ex
	return ex, nil
}

// embedded starts an embedded emulator running code. It tests stage
// (DEVELOPMENT, or LIVE when empty and the function is published).
func (t *targets) embedded(ctx context.Context, cfg *Config, fn *function, code []byte, name, label, stage string, reg prometheus.Registerer, feedback bool) (*target.Embedded, error) {
	switch cfg.Transport {
	case "", TransportDirect, TransportSDK:
	default:
		return nil, configErr("unknown emulator transport %q: use %q or %q", cfg.Transport, TransportDirect, TransportSDK)
	}
	ex, err := t.executor(cfg)
	if err != nil {
		return nil, err
	}
	e, err := target.NewEmbedded(ctx, target.EmbeddedOptions{
		Emulator: emulator.Options{
			Executor:   ex,
			Faults:     cfg.Faults,
			Seed:       cfg.seed(),
			Registerer: reg,
		},
		Name:         label,
		Code:         code,
		FunctionName: name,
		KVS:          fn.kvs,
		Publish:      cfg.Publish || strings.EqualFold(cfg.Stage, "LIVE") || cfg.Compare == "live",
		Stage:        stage,
		Transport:    cfg.Transport,
		Feedback:     feedback,
		MaxConns:     cfg.Concurrency,
		Timeout:      cfg.timeout(),
	})
	if err != nil {
		return nil, targetErr("%v", err)
	}
	t.closers = append(t.closers, e.Close)
	return e, nil
}

// buildTargets builds the primary target and, if asked, the compare target,
// within the setup timeout.
func buildTargets(ctx context.Context, cfg *Config, fn *function, reg prometheus.Registerer) (*targets, error) {
	setup, cancel := context.WithTimeout(ctx, cfg.setupTimeout())
	defer cancel()
	t, err := buildTargetsIn(setup, cfg, fn, reg)
	if err != nil && setup.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		return nil, targetErr("the setup did not finish within %s (--setup-timeout): %v", cfg.setupTimeout(), err)
	}
	return t, err
}

func buildTargetsIn(ctx context.Context, cfg *Config, fn *function, reg prometheus.Registerer) (*targets, error) {
	t := &targets{}
	ok := false
	defer func() {
		if !ok {
			_ = t.close()
		}
	}()
	switch tgt := cfg.target(); {
	case tgt == TargetEmulator:
		if cfg.FunctionID != "" || cfg.Deploy {
			return nil, configErr("--function-id and --deploy apply to --target aws or an endpoint URL, not to the embedded emulator")
		}
		stage := ""
		if strings.EqualFold(cfg.Stage, "DEVELOPMENT") || (cfg.Compare == "live" && !strings.EqualFold(cfg.Stage, "LIVE")) {
			// A published function is tested at LIVE unless asked otherwise.
			stage = "DEVELOPMENT"
		}
		direct := cfg.Transport == "" || cfg.Transport == TransportDirect
		e, err := t.embedded(ctx, cfg, fn, fn.code, fn.name, "emulator", stage, reg, cfg.feedback() && direct)
		if err != nil {
			return nil, err
		}
		t.primary, t.endpoint, t.functionID = e, e.URL(), e.FunctionID()
		t.speed, _ = runtime.ExecutorSpeedFactor(cfg.Executor)
	case tgt == TargetAWS || isURL(tgt):
		if fn.kvs != nil && !fn.demo {
			return nil, configErr("--kvs loads data into the embedded emulator only; on %s associate a KeyValueStore yourself and pass --kvs-arn", tgt)
		}
		opts := target.SDKOptions{Name: "aws", Stage: cfg.Stage, MaxConns: cfg.Concurrency, Timeout: cfg.timeout()}
		if tgt != TargetAWS {
			opts.Name, opts.Endpoint = "endpoint", tgt
		}
		id := cfg.FunctionID
		if id == "" {
			client, err := target.NewClient(ctx, opts)
			if err != nil {
				return nil, targetErr("make an SDK client for %s: %v", tgt, err)
			}
			id, _, err = target.Deploy(ctx, client, target.Deployment{Name: fn.name, Code: fn.code, KeyValueStoreARN: cfg.KVSARN, Publish: cfg.Publish,
				Calls: target.CallPolicy{Timeout: cfg.timeout()}})
			if err != nil {
				return nil, targetErr("deploy function %q to %s: %v", fn.name, tgt, err)
			}
			if cfg.Publish && opts.Stage == "" {
				opts.Stage = "LIVE"
			}
		} else if cfg.Deploy {
			return nil, configErr("give either --function-id (test an existing function) or --deploy (create or update it), not both")
		}
		opts.FunctionID = id
		s, err := target.NewSDK(ctx, opts)
		if err != nil {
			return nil, targetErr("use function %s on %s: %v", id, tgt, err)
		}
		t.closers = append(t.closers, s.Close)
		t.primary, t.endpoint, t.functionID = s, opts.Endpoint, id
	default:
		return nil, configErr("unknown target %q: use emulator, aws or an http(s):// endpoint URL", tgt)
	}
	if err := t.buildShadow(ctx, cfg, fn); err != nil {
		return nil, err
	}
	if err := t.buildCompare(ctx, cfg, fn, reg); err != nil {
		return nil, err
	}
	ok = true
	return t, nil
}

// buildShadow wraps a primary that gives no feedback (AWS, an endpoint,
// the SDK transport) in a shadow target: every case also runs, instrumented,
// on a local embedded emulator with the same code, for its feedback only.
// Without the function's code (--function-id alone) there is no shadow.
func (t *targets) buildShadow(ctx context.Context, cfg *Config, fn *function) error {
	direct := cfg.Transport == "" || cfg.Transport == TransportDirect
	if !cfg.feedback() || len(fn.code) == 0 || (cfg.target() == TargetEmulator && direct) {
		return nil
	}
	shadowCfg := *cfg
	shadowCfg.Transport = TransportDirect
	e, err := t.embedded(ctx, &shadowCfg, fn, fn.code, fn.name, "shadow", "", nil, true)
	if err != nil {
		return err
	}
	s, err := target.NewShadow(t.primary, e)
	if err != nil {
		return targetErr("%v", err)
	}
	t.primary, t.shadow = s, true
	return nil
}

// buildCompare builds the differential oracle's second target.
func (t *targets) buildCompare(ctx context.Context, cfg *Config, fn *function, reg prometheus.Registerer) error {
	switch c := cfg.Compare; {
	case c == "":
		return nil
	case c == "live":
		if t.functionID == "" {
			return configErr("--compare live needs a function on an emulator or AWS")
		}
		name := "live"
		if t.endpoint == "" {
			name = "aws-live"
		}
		s, err := target.NewSDK(ctx, target.SDKOptions{Name: name, Endpoint: t.endpoint, FunctionID: t.functionID, Stage: "LIVE", MaxConns: cfg.Concurrency, Timeout: cfg.timeout()})
		if err != nil {
			return targetErr("use the LIVE stage of %s: %v (publish the function first, or pass --publish)", t.functionID, err)
		}
		t.closers = append(t.closers, s.Close)
		t.compare = s
	case c == TargetEmulator:
		if cfg.target() == TargetEmulator {
			return configErr("--compare emulator compares AWS or an endpoint with the embedded emulator; the target already is the emulator")
		}
		e, err := t.embedded(ctx, cfg, fn, fn.code, fn.name, "emulator", "", nil, false)
		if err != nil {
			return err
		}
		t.compare = e
	default:
		code, err := readFile(c, maxFunctionFile, "compare function")
		if err != nil {
			return err
		}
		if err := errors.Join(checkSize(c, code), checkSyntax(c, code)); err != nil {
			return &ConfigError{Err: err}
		}
		e, err := t.embedded(ctx, cfg, fn, code, functionName(c), "compare:"+functionName(c), "", nil, false)
		if err != nil {
			return err
		}
		t.compare = e
	}
	return nil
}

// fetchRemoteCode fetches the code of a function named by --function-id
// alone, for the dictionary and the reports. A target that refuses it
// (no cloudfront:GetConnectionFunction permission) is a warning: the
// function can still be tested, with a dictionary of defaults only.
func fetchRemoteCode(ctx context.Context, cfg *Config, fn *function, logf func(string, ...any)) error {
	tgt := cfg.target()
	if tgt == TargetEmulator {
		return configErr("--function-id names a function on --target aws or an endpoint URL; for the embedded emulator give --function FILE")
	}
	opts := target.SDKOptions{Timeout: cfg.timeout()}
	if tgt != TargetAWS {
		opts.Endpoint = tgt
	}
	client, err := target.NewClient(ctx, opts)
	if err != nil {
		return targetErr("make an SDK client for %s: %v", tgt, err)
	}
	sctx, cancel := context.WithTimeout(ctx, cfg.setupTimeout())
	defer cancel()
	code, err := target.FunctionCode(sctx, client, cfg.FunctionID, cfg.Stage, target.CallPolicy{Timeout: cfg.timeout()})
	if err != nil {
		logf("warning: could not read the code of %s (%v): testing it without the dictionary of its literals (give --function FILE with its source to use them)", cfg.FunctionID, err)
		return nil
	}
	fn.code = code
	return nil
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (c *Config) target() string {
	if c.Target == "" {
		return TargetEmulator
	}
	return c.Target
}

func (c *Config) seed() int64 {
	if c.Seed == 0 {
		return 1
	}
	return c.Seed
}
