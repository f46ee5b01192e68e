package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// FaultRates are per-request probabilities, each in [0, 1]. Throttling,
// InternalError, ServiceUnavailable and Drop exclude one another (their sum
// must not exceed 1); Latency is drawn independently and delays the answer,
// whatever it is.
type FaultRates struct {
	// Throttling answers 400 Throttling "Rate exceeded".
	Throttling float64
	// InternalError answers 500 InternalError.
	InternalError float64
	// ServiceUnavailable answers 503 ServiceUnavailable.
	ServiceUnavailable float64
	// Drop closes the connection without answering.
	Drop float64
	// Latency delays the answer by Faults.Delay.
	Latency float64
}

// Faults configures fault injection. The zero value injects nothing. The
// draws come from a generator seeded by Seed (or Options.Seed), so a
// sequence of requests sees the same faults on every run.
type Faults struct {
	// FaultRates apply to every operation without an entry in ByOperation.
	FaultRates
	// ByOperation overrides the rates for the named operations (OpTest, ...).
	ByOperation map[string]FaultRates
	// Delay is the latency a Latency fault adds (default 100 ms).
	Delay time.Duration
	// Seed seeds the draws; zero uses Options.Seed.
	Seed int64
}

// The kinds of injected faults, as labelled in metrics.
const (
	faultNone        = ""
	faultThrottling  = "throttling"
	faultInternal    = "internal_error"
	faultUnavailable = "service_unavailable"
	faultDrop        = "drop"
	faultLatency     = "latency"
)

func (r FaultRates) validate(where string) error {
	for _, p := range []float64{r.Throttling, r.InternalError, r.ServiceUnavailable, r.Drop, r.Latency} {
		if p < 0 || p > 1 || p != p {
			return fmt.Errorf("emulator: %s: fault probabilities must be in [0, 1]", where)
		}
	}
	if r.Throttling+r.InternalError+r.ServiceUnavailable+r.Drop > 1 {
		return fmt.Errorf("emulator: %s: Throttling + InternalError + ServiceUnavailable + Drop exceeds 1", where)
	}
	return nil
}

func (f Faults) validate() error {
	if err := f.FaultRates.validate("Options.Faults"); err != nil {
		return err
	}
	for op, r := range f.ByOperation {
		known := false
		for _, o := range Operations {
			known = known || o == op
		}
		if !known {
			return fmt.Errorf("emulator: Options.Faults.ByOperation: unknown operation %q; use one of %v", op, Operations)
		}
		if err := r.validate("Options.Faults.ByOperation[" + op + "]"); err != nil {
			return err
		}
	}
	return nil
}

func (r FaultRates) zero() bool { return r == FaultRates{} }

// fault is what the injector decided for one request: a delay (0 for
// none) and a kind of failure (faultNone for none).
type fault struct {
	kind  string
	delay time.Duration
	err   *APIError // the answer of throttling and server-error kinds
}

// faultInjector draws faults from a seeded generator.
type faultInjector struct {
	cfg Faults
	off bool
	mu  sync.Mutex
	rng *rand.Rand
}

func newFaultInjector(cfg Faults, seed int64) *faultInjector {
	if cfg.Seed != 0 {
		seed = cfg.Seed
	}
	if cfg.Delay <= 0 {
		cfg.Delay = 100 * time.Millisecond
	}
	off := cfg.FaultRates.zero()
	for _, r := range cfg.ByOperation {
		off = off && r.zero()
	}
	return &faultInjector{cfg: cfg, off: off, rng: rand.New(rand.NewPCG(uint64(seed), 0x6661756c74))}
}

// pick draws the fault for one request of operation op. Requests that match
// no operation are never faulted.
func (fi *faultInjector) pick(op string) fault {
	if fi.off || op == OpUnknown {
		return fault{}
	}
	rates, ok := fi.cfg.ByOperation[op]
	if !ok {
		rates = fi.cfg.FaultRates
	}
	fi.mu.Lock()
	u, l := fi.rng.Float64(), fi.rng.Float64()
	fi.mu.Unlock()
	var f fault
	if l < rates.Latency {
		f.delay = fi.cfg.Delay
	}
	switch {
	case u < rates.Throttling:
		f.kind, f.err = faultThrottling, errThrottling()
	case u < rates.Throttling+rates.InternalError:
		f.kind, f.err = faultInternal, apiErr(http.StatusInternalServerError, "InternalError", msgInternal)
	case u < rates.Throttling+rates.InternalError+rates.ServiceUnavailable:
		f.kind, f.err = faultUnavailable, apiErr(http.StatusServiceUnavailable, "ServiceUnavailable", msgInternal)
	case u < rates.Throttling+rates.InternalError+rates.ServiceUnavailable+rates.Drop:
		f.kind = faultDrop
	}
	return f
}
