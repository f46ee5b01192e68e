package runner

import (
	"context"
	"errors"
	"math"
	"runtime"
	"time"

	"github.com/cffuzz/cffuzz"
)

// Defaults of Options.
const (
	// DefaultMaxCases is the case budget when neither MaxCases nor MaxDuration is set.
	DefaultMaxCases = 1000
	// DefaultMaxTransportRetries is how often a transport error or a
	// transient 5xx is retried before it becomes the case's outcome.
	DefaultMaxTransportRetries = 3
	// DefaultMaxThrottleRetries is how often a throttled case is retried
	// before its outcome is "throttled".
	DefaultMaxThrottleRetries = 20
	// DefaultShrinkTimeout bounds the minimization of one finding.
	DefaultShrinkTimeout = 2 * time.Second
	// DefaultGrace is how long in-flight cases and the findings pipeline may
	// run on after the context is cancelled.
	DefaultGrace = 3 * time.Second
	// DefaultMinRate is the floor of the adaptive rate, in requests per second.
	DefaultMinRate = 1.0
	// DefaultProgressInterval is how often Progress is called.
	DefaultProgressInterval = time.Second
	// DefaultHangTimeout is how long requests may be in flight with no
	// answer at all before the target counts as hung.
	DefaultHangTimeout = time.Minute
)

// burstWindow is how much lag the default Burst lets the pacer catch up.
const burstWindow = 50 * time.Millisecond

// CaseSource builds the case at index of the case space of seed. It must be
// deterministic and safe for concurrent use; *generators.Generator is one.
type CaseSource interface {
	Case(seed int64, index uint64) cffuzz.Case
}

// Learner is a CaseSource that learns from what its cases reached
// (internal/engine's Engine): when Options.Cases implements it, the worker
// calls Learn after each case of the campaign loop, replayed ones included
// (not for confirmation or shrink runs). At one worker, Learn(i) runs
// before Case(i+1) is built.
type Learner interface {
	Learn(c *cffuzz.Case, o *cffuzz.Outcome)
}

// CaseFunc adapts a function to a CaseSource.
type CaseFunc func(seed int64, index uint64) cffuzz.Case

// Case calls f.
func (f CaseFunc) Case(seed int64, index uint64) cffuzz.Case { return f(seed, index) }

// Minimizer shrinks input while fails keeps returning true, and returns the
// smallest failing input and the number of accepted shrink steps. It must
// stop when ctx is done. generators.Minimize fits once its options are bound.
type Minimizer func(ctx context.Context, input []byte, fails func([]byte) bool) ([]byte, int)

// Store receives confirmed findings; *corpus.Corpus is one. Add returns the
// path of the entry that holds the finding ("" if none) and whether it was
// new.
type Store interface {
	Add(f cffuzz.Finding) (path string, added bool, err error)
}

// StoreFunc adapts a function to a Store.
type StoreFunc func(f cffuzz.Finding) (path string, added bool, err error)

// Add calls f.
func (f StoreFunc) Add(fd cffuzz.Finding) (string, bool, error) { return f(fd) }

// Options configures a campaign. Only Target and one of Cases or Replay are
// required; every other zero value takes the default documented on it.
type Options struct {
	// Target runs the cases.
	Target cffuzz.Target
	// Compare, when set, also runs every case on a second target and puts
	// its outcome in Outcome.Peer, for the differential oracle.
	Compare cffuzz.Target
	// Determinism, when true, runs every case twice on Target and puts the
	// second outcome in Outcome.Peer. It excludes Compare.
	Determinism bool

	// Cases builds the generated cases; Seed is the campaign seed.
	Cases CaseSource
	Seed  int64
	// Oracles check every outcome.
	Oracles []cffuzz.Oracle

	// MaxCases bounds the case space to the indexes [0, MaxCases); a shard
	// runs its part of it. MaxDuration bounds the wall time of the case loop.
	// Either, both or neither may be set; neither means DefaultMaxCases.
	MaxCases    int64
	MaxDuration time.Duration

	// Rate is the pace in requests per second over all targets (0 means
	// unlimited) and Burst the limiter's burst (default: 50 ms worth of
	// requests, at least 1, so that late timers and descheduled workers
	// on a busy machine are caught up and the achieved rate stays the
	// requested one). The limiter starts with one token, not a full
	// bucket: a campaign never opens with a burst. On a throttle
	// the rate halves (from the observed rate when unlimited) and creeps
	// back up on success, never below MinRate (default DefaultMinRate, or
	// Rate when that is lower).
	Rate    float64
	Burst   int
	MinRate float64
	// Concurrency is the number of cases in flight, and of findings being
	// confirmed and minimized at once (default GOMAXPROCS: the embedded
	// emulator is CPU-bound, and against AWS Rate does the pacing).
	Concurrency int
	// Shard selects part K of N of the case space (zero means all of it).
	Shard Shard

	// Replay holds corpus inputs to run before the generated cases, as
	// family "corpus". The shard applies to them too (by position).
	Replay []cffuzz.Case
	// Store, when set, receives every confirmed finding.
	Store Store
	// Raised, when set, is called as soon as a signature is raised for the
	// first time (or at a higher severity than before), before anything is
	// confirmed or shrunk, with the raw input as Original and no Minimized
	// input. It is called from the workers, concurrently, and should save
	// the finding durably at once, so that a crash or a kill -9 keeps
	// every finding raised so far; the Store later receives the confirmed
	// and minimized version.
	Raised func(cffuzz.Finding)
	// Observer is told what happens (default NopObserver).
	Observer Observer

	// MaxTransportRetries is how often a transport error or a transient 5xx
	// (anything but TestFunctionFailed) is retried (default
	// DefaultMaxTransportRetries; negative means never).
	MaxTransportRetries int
	// MaxThrottleRetries is how often a throttled attempt is retried
	// (default DefaultMaxThrottleRetries; negative means never).
	MaxThrottleRetries int
	// Minimize shrinks a finding's input; nil keeps inputs as they are.
	Minimize Minimizer
	// Reclassify builds the case a shrink candidate runs as: c with Object
	// replaced and, as the input changed, its Class and Expect recomputed
	// (generators.Reclassify). Nil only replaces Object.
	Reclassify func(c cffuzz.Case, object []byte) cffuzz.Case
	// ShrinkTimeout bounds the minimization of one finding (default DefaultShrinkTimeout).
	ShrinkTimeout time.Duration
	// Grace is how long in-flight cases and the findings pipeline may run
	// after ctx is cancelled, and in-flight cases after MaxDuration or a
	// hang (default DefaultGrace).
	Grace time.Duration
	// HangTimeout ends the case loop with StopTargetHung when requests are
	// in flight and none has been answered for that long (default
	// DefaultHangTimeout). Make it longer than the target's per-request
	// timeout, so that one slow answer is not a hang.
	HangTimeout time.Duration
	// Reproducer builds a finding's one-line replay command; nil leaves it empty.
	Reproducer func(cffuzz.Finding) string

	// Progress, when set, is called every ProgressInterval (default
	// DefaultProgressInterval) from a single goroutine, and once at the end.
	Progress         func(Snapshot)
	ProgressInterval time.Duration
	// Clock returns the time for the report's timestamps, FirstSeen and the
	// duration budget (default time.Now).
	Clock func() time.Time

	// Campaign and Function label the report.
	Campaign string
	Function string
}

// withDefaults returns o with every zero field set to its default, or an
// error for options that cannot work.
func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Target == nil:
		return o, errors.New("runner: no target: pass Options.Target")
	case o.Cases == nil && len(o.Replay) == 0:
		return o, errors.New("runner: nothing to run: pass Options.Cases or Options.Replay")
	case o.Compare != nil && o.Determinism:
		return o, errors.New("runner: Compare and Determinism both fill Outcome.Peer: choose one")
	case o.Rate < 0 || o.MinRate < 0:
		return o, errors.New("runner: Rate and MinRate must not be negative")
	case o.MaxCases < 0 || o.MaxDuration < 0:
		return o, errors.New("runner: MaxCases and MaxDuration must not be negative")
	}
	if err := o.Shard.validate(); err != nil {
		return o, err
	}
	if o.MaxCases == 0 && o.MaxDuration == 0 {
		o.MaxCases = DefaultMaxCases
	}
	if o.Burst <= 0 {
		o.Burst = max(1, int(math.Ceil(o.Rate*burstWindow.Seconds())))
	}
	if o.MinRate == 0 {
		o.MinRate = DefaultMinRate
	}
	if o.Rate > 0 && o.MinRate > o.Rate {
		o.MinRate = o.Rate
	}
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.Observer == nil {
		o.Observer = NopObserver{}
	}
	o.MaxTransportRetries = retriesOrDefault(o.MaxTransportRetries, DefaultMaxTransportRetries)
	o.MaxThrottleRetries = retriesOrDefault(o.MaxThrottleRetries, DefaultMaxThrottleRetries)
	if o.ShrinkTimeout <= 0 {
		o.ShrinkTimeout = DefaultShrinkTimeout
	}
	if o.Reclassify == nil {
		o.Reclassify = func(c cffuzz.Case, object []byte) cffuzz.Case {
			c.Object = object
			return c
		}
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.HangTimeout <= 0 {
		o.HangTimeout = DefaultHangTimeout
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = DefaultProgressInterval
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o, nil
}

func retriesOrDefault(n, def int) int {
	switch {
	case n < 0:
		return 0
	case n == 0:
		return def
	}
	return n
}
