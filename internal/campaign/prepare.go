package campaign

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/cffuzz/cffuzz/internal/metrics"
	"github.com/cffuzz/cffuzz/internal/runner"
	"github.com/cffuzz/cffuzz/oracles"
)

// prepared is a campaign ready to send cases: the one setup Run and Replay
// share, so that they load, check and build the same way.
type prepared struct {
	cfg     Config // as given, with the concurrency capped
	fn      *function
	out     string
	name    string // the campaign's name
	shard   runner.Shard
	oracles []oracles.Oracle
	metrics *metrics.Campaign
	// metricsAddr is where live metrics are served ("" if they are not).
	metricsAddr string
	targets     *targets
	stop        func() // stops serving metrics
}

// prepare loads the function (fetching its code from the target when only
// its id is given), checks the configuration and creates the output
// directory. Its error is a *ConfigError or a *TargetError. Then build
// builds the rest.
func prepare(ctx context.Context, cfg Config) (*prepared, error) {
	p := &prepared{cfg: cfg, stop: func() {}}
	fn, err := load(&p.cfg)
	if err != nil {
		return nil, err
	}
	p.fn = fn
	if p.shard, err = checkConfig(&p.cfg); err != nil {
		return nil, err
	}
	p.out = p.cfg.out()
	if err := os.MkdirAll(p.out, 0o755); err != nil {
		return nil, configErr("create the output directory: %v", err)
	}
	p.name = p.cfg.Name
	if p.name == "" {
		p.name = fn.name
	}
	capConcurrency(&p.cfg, p.logf)
	if fn.remote {
		if err := fetchRemoteCode(ctx, &p.cfg, fn, p.logf); err != nil {
			return nil, err
		}
	}
	if fn.kvs == nil && p.cfg.KVSARN == "" && p.cfg.target() == TargetEmulator && bytes.Contains(fn.code, []byte("cloudfront")) && bytes.Contains(fn.code, []byte("kvs(")) {
		p.logf("warning: %s uses cf.kvs() but no key-value store was given: every KVS call will throw (pass --kvs FILE)", fn.path)
	}
	return p, nil
}

// build builds what sends and checks cases: the oracles, the metrics
// (served when Config.MetricsAddr is set) and the targets (worker
// processes, deployment), within the setup timeout. close releases them.
func (p *prepared) build(ctx context.Context) error {
	var err error
	if p.oracles, err = buildOracles(&p.cfg, p.fn, func(err error) { p.logf("warning: property: %v", err) }); err != nil {
		return err
	}

	p.metrics = metrics.New(metrics.Options{Version: p.cfg.Version, Campaign: p.name, Shard: p.cfg.Shard})
	if p.cfg.MetricsAddr != "" {
		mctx, stop := context.WithCancel(ctx)
		addr, err := p.metrics.Serve(mctx, p.cfg.MetricsAddr)
		if err != nil {
			stop()
			p.logf("warning: metrics not served on %s: %v (pass another --metrics-addr, or \"\" to disable)", p.cfg.MetricsAddr, err)
		} else {
			p.metricsAddr, p.stop = addr, stop
		}
	}
	if p.targets, err = buildTargets(ctx, &p.cfg, p.fn, p.metrics.Registry()); err != nil {
		p.stop()
		return err
	}
	return nil
}

// checkConfig checks the budgets, limits and shard of cfg.
func checkConfig(cfg *Config) (runner.Shard, error) {
	shard, err := runner.ParseShard(cfg.Shard)
	if err != nil {
		return shard, configErr("%v", err)
	}
	if cfg.Cases < 0 || cfg.Duration < 0 || cfg.Rate < 0 || cfg.Concurrency < 0 {
		return shard, configErr("--cases, --duration, --rate and --concurrency must not be negative")
	}
	if cfg.Timeout < 0 || cfg.SetupTimeout < 0 {
		return shard, configErr("--timeout and --setup-timeout must not be negative")
	}
	return shard, nil
}

// logf writes a warning or notice to Config.Log, if set.
func (p *prepared) logf(format string, args ...any) {
	if p.cfg.Log != nil {
		fmt.Fprintf(p.cfg.Log, format+"\n", args...)
	}
}

// close stops serving metrics and closes the targets, once build succeeded.
func (p *prepared) close() {
	p.stop()
	if p.targets != nil {
		_ = p.targets.close()
	}
}
