package runtime

import (
	"context"
	"crypto/sha256"
	"errors"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2/v2"
)

// programCacheSize bounds the compiled-program cache; when it is full the
// cache is emptied (campaigns use few distinct functions).
const programCacheSize = 256

// ErrClosed is returned by Execute on a closed executor.
var ErrClosed = errors.New("runtime: executor is closed")

// inProcess runs functions in the calling process: every execution gets a
// fresh goja.Runtime (so no state leaks between runs), compiled programs are
// shared through a cache keyed by the code's SHA-256 and Options.AllowES2020.
type inProcess struct {
	opts Options
	sem  chan struct{}

	mu     sync.Mutex
	cache  map[[sha256.Size]byte]compiled
	closed bool
}

// compiled is a cache entry: a program or the reason it does not compile.
type compiled struct {
	prog *program
	err  error
}

// NewInProcess returns an Executor that runs functions on goja runtimes in
// the calling process, at most GOMAXPROCS at a time. It is fast (tens of
// microseconds per run) and guards against the common resource bombs, but
// a function that allocates through an unguarded path can still exhaust
// the process's memory: use NewProcessPool for untrusted code.
func NewInProcess(opts Options) Executor {
	setRegexpTimeout(opts.withDefaults().TimeLimit)
	opts.SpeedFactor = SpeedFactor(opts) // measured now unless given
	return &inProcess{
		opts:  opts.withDefaults(),
		sem:   make(chan struct{}, maxProcs()),
		cache: make(map[[sha256.Size]byte]compiled),
	}
}

var (
	regexpTimeoutOnce sync.Once
	// regexpTimeout is the process-wide match timeout setRegexpTimeout set
	// (nanoseconds; 0 before any executor exists).
	regexpTimeout atomic.Int64
)

// regexpTimeoutFactor sets how many time limits a backtracking match may
// run (in wall-clock time) before regexp2 gives up.
const regexpTimeoutFactor = 20

// setRegexpTimeout bounds backtracking regular expressions (goja uses
// regexp2 for them and cannot interrupt a match). It is process-wide and
// set once. A match that times out reports "no match" (goja drops
// regexp2's timeout error), so its run's outcome cannot be trusted.
// regexp2 counts wall-clock time, and on a loaded machine a match may get
// only a small fraction of a CPU, so the CPU-time watchdog cannot be
// relied on to have fired first. Instead a run is flagged after the fact
// by its wall-clock time (see mayHaveRegexpTimeout): a match that timed
// out ran for about regexpTimeout of wall time, so any run shorter than
// that had no timed-out match, whatever the load.
func setRegexpTimeout(limit time.Duration) {
	regexpTimeoutOnce.Do(func() {
		d := regexpTimeoutFactor * limit
		regexp2.DefaultMatchTimeout = d
		regexpTimeout.Store(int64(d))
	})
}

// mayHaveRegexpTimeout reports whether a run that took wall of wall-clock
// time may have had a regular-expression match give up. regexp2 gives up
// at the earliest regexpTimeout + clockPeriod - lag after the match
// started, where lag is how late its coarse background clock is (at most
// its 100 ms tick plus however late that goroutine wakes up); half the
// timeout as the threshold tolerates a wake-up regexpTimeoutFactor/2 time
// limits late (200 ms at the default 20 ms limit). Runs this long are
// otherwise rare: they got less than a tenth of a CPU for 10 time limits.
func mayHaveRegexpTimeout(wall time.Duration) bool {
	d := time.Duration(regexpTimeout.Load())
	return d > 0 && wall >= d/2
}

// Execute runs one request. It blocks while GOMAXPROCS runs are in flight.
func (e *inProcess) Execute(ctx context.Context, req Request) (Result, error) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	defer func() { <-e.sem }()
	if req.Feedback {
		return e.executeFeedback(req)
	}
	c, err := e.compile(req.Code)
	if err != nil {
		return Result{}, err
	}
	if c.err != nil {
		return syntaxResult(c.err, e.opts), nil
	}
	return execute(c.prog, req, e.opts)
}

// compile returns the cached compilation of code.
func (e *inProcess) compile(code []byte) (compiled, error) {
	return e.compileAs(code, false)
}

// compileAs returns the cached compilation of code, plain or instrumented.
func (e *inProcess) compileAs(code []byte, instrumented bool) (compiled, error) {
	key := sha256.Sum256(code)
	if !e.opts.es2020() {
		key[0] ^= 1 // a different key space for the stricter syntax
	}
	if instrumented {
		key[0] ^= 2 // and another for instrumented programs
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return compiled{}, ErrClosed
	}
	c, ok := e.cache[key]
	e.mu.Unlock()
	if ok {
		return c, nil
	}
	compileFn := compile
	if instrumented {
		compileFn = compileInstrumented
	}
	prog, err := compileFn(code, e.opts.es2020())
	c = compiled{prog, err}
	e.mu.Lock()
	if len(e.cache) >= programCacheSize {
		clear(e.cache)
	}
	e.cache[key] = c
	e.mu.Unlock()
	return c, nil
}

// syntaxResult is the Result of a function that does not compile.
func syntaxResult(err error, opts Options) Result {
	res := Result{Decision: DecisionNone, ErrorName: ErrorSyntax, Error: err.Error(), OutputFormat: opts.Formats.Output}
	var se *SyntaxError
	if errors.As(err, &se) {
		res.Line, res.Column = se.Line, se.Column
		res.Error = opts.Formats.FormatError(ErrorSyntax, se.Message, se.Line, se.Column)
	}
	return res
}

// Close releases the program cache; later calls to Execute fail.
func (e *inProcess) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	e.cache = nil
	return nil
}

func maxProcs() int {
	n := goruntime.GOMAXPROCS(0)
	if n < 1 {
		return 1
	}
	return n
}
