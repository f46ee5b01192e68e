package runtime

import (
	"errors"
	"fmt"
	"math/rand/v2"
	goruntime "runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime/instrument"
	"github.com/dop251/goja"
)

// Error names of limits, in Result.ErrorName.
const (
	ErrorTimeout       = "TimeoutError"
	ErrorMemory        = "MemoryError"
	ErrorStackOverflow = "RangeError"
	ErrorSyntax        = "SyntaxError"
)

// limitError is a resource limit hit by the function; it is the value the
// runtime is interrupted with.
type limitError struct {
	name, msg string
	line, col int // where the user's code was, when known
}

// run is the state of one execution in one fresh goja runtime.
type run struct {
	opts Options
	req  Request
	vm   *goja.Runtime
	res  Result
	// conn is the connection object (or connErr why it could not be
	// built), built before the function's clock starts: the runtime's
	// work, not the function's, so it does not count towards utilization.
	conn    goja.Value
	connErr error

	jsonParse  goja.Callable
	errorCtors map[string]*goja.Object
	u8         goja.Value // Uint8Array before the user's code ran
	mods       modules
	calls      int
	logBytes   int
	logsFull   bool
	limit      atomic.Pointer[limitError] // set from the timer goroutine too
	info       *instrument.Info           // the program's instrumentation, or nil
	plan       *feedbackPlan              // what the instrumented program's runs share, or nil
	fb         *feedbackState             // an instrumented run's counters and hooks
	heapOver   bool                       // the run ended with the heap grown past the guard
	// backtracking: the program can run a regexp2 match (mayBacktrack).
	backtracking bool
}

// setLimit records the first limit hit and interrupts the runtime.
func (r *run) setLimit(l *limitError) {
	if r.limit.CompareAndSwap(nil, l) {
		r.vm.Interrupt(l)
	}
}

// memoryLimit ends the run with a MemoryError: it records the limit at the
// user's current position, interrupts the runtime so that no catch block
// can swallow it, and throws. It runs on the runtime's goroutine.
func (r *run) memoryLimit(msg string) {
	line, col := userPosition(r.vm.CaptureCallStack(0, nil))
	r.setLimit(&limitError{name: ErrorMemory, msg: msg, line: line, col: col})
	panic(r.newError("RangeError", msg))
}

// memoryExceeded ends the run with a MemoryError for an n-byte allocation.
func (r *run) memoryExceeded(n int) {
	r.memoryLimit(fmt.Sprintf("allocation of %d bytes exceeds the %d-byte function memory limit", n, r.opts.MaxMemoryBytes))
}

// newError builds an error with one of the constructors captured before
// the user's code ran (which may replace the globals).
func (r *run) newError(ctor, msg string) *goja.Object {
	c := r.errorCtor(ctor)
	if c == nil {
		return r.vm.NewTypeError(msg)
	}
	o, err := r.vm.New(c, r.vm.ToValue(msg))
	if err != nil {
		return r.vm.NewTypeError(msg)
	}
	return o
}

// program is a compiled function and the lockdown-relevant names its
// source mentions.
type program struct {
	prog     *goja.Program
	mentions mentions
	// info describes the instrumentation of an instrumented program, or nil.
	info *instrument.Info
	// plan is what every run of an instrumented program shares, or nil.
	plan *feedbackPlan
	// backtracking reports whether the program can run a match on the
	// backtracking engine, which may time out (mayBacktrack).
	backtracking bool
}

// execute runs req with the compiled program p. err is a failure of the
// runtime itself (a bug in the host code), never of the function.
func execute(p *program, req Request, opts Options) (res Result, err error) {
	r := &run{opts: opts, req: req, info: p.info, plan: p.plan, backtracking: p.backtracking}
	r.res.Decision = DecisionNone
	r.res.OutputFormat = opts.Formats.Output
	defer func() {
		if p := recover(); p != nil {
			buf := make([]byte, 8<<10)
			buf = buf[:goruntime.Stack(buf, false)]
			res, err = Result{}, fmt.Errorf("runtime: internal error running the function: %v\n%s", p, buf)
		}
	}()
	if err := r.setup(p.mentions); err != nil {
		return Result{}, fmt.Errorf("runtime: setting up the JavaScript runtime: %w", err)
	}
	// No user code runs while the object is built (data properties only,
	// as JSON.parse defines them), so building it before the program
	// runs is the same as building it after; its errors are reported
	// where the handler would be called (invoke).
	r.conn, r.connErr = r.connection()
	r.call(p.prog)
	if r.fb != nil {
		r.res.Feedback = r.fb.feedback()
	}
	res, heavy := r.res, r.heapOver
	r = nil
	if heavy {
		// The run is garbage now: hand its memory back at once, so that a
		// function that bombs on every input does not hold the process
		// at its peak between runs.
		debug.FreeOSMemory()
	}
	return res, nil
}

// DecisionNone is the decision of a function that called neither allow()
// nor deny(); CloudFront denies such connections.
const DecisionNone = "none"

// Decisions recorded in Result.Calls and Result.Decision.
const (
	DecisionAllow = "allow"
	DecisionDeny  = "deny"
)

func (r *run) setup(m mentions) error {
	now := r.req.Now
	if now.IsZero() {
		now = time.Now()
	}
	seed := r.req.Seed
	if seed == 0 {
		seed = now.UnixNano()
	}
	vm := goja.New()
	r.vm = vm
	vm.SetTimeSource(func() time.Time { return now })
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	vm.SetRandSource(rng.Float64)
	vm.SetMaxCallStackSize(r.opts.MaxCallStackSize)
	if r.info != nil {
		r.installFeedback(r.info, r.plan)
	}
	r.installHost(m)
	r.lockdown(m)
	return nil
}

// call runs the program and connectionHandler, filling r.res.
func (r *run) call(prog *goja.Program) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	start, began := threadCPUTime(), time.Now()
	// The watchdog counts this host's CPU time: the limit, on the
	// reference scale, is converted (Options.SpeedFactor).
	w := startWatchdog(r.opts.hostCPU(r.opts.TimeLimit), start, func() {
		r.setLimit(&limitError{name: ErrorTimeout, msg: fmt.Sprintf("the function ran longer than the %v time limit", r.opts.TimeLimit)})
	})
	hg := startHeapGuard(r.opts.HeapGuardBytes, func(grown uint64) {
		r.setLimit(&limitError{name: ErrorMemory, msg: heapLimitMessage(grown, r.opts.HeapGuardBytes)})
	})
	defer hg.stop()
	err := r.invoke(prog)
	wall := time.Since(began)
	over, grown := hg.stop()
	if l := r.limit.Load(); over && l != nil && l.name == ErrorTimeout {
		// It ran out of time while growing the heap past the guard (a
		// native copy of a huge string outlasts both): memory is the cause.
		r.limit.Store(&limitError{name: ErrorMemory, msg: heapLimitMessage(grown, r.opts.HeapGuardBytes), line: l.line, col: l.col})
	}
	r.heapOver = over
	// The run's CPU time on the reference machine's scale (hostspeed.go).
	cpu := r.opts.referenceCPU(threadCPUTime() - start)
	defer w.stop() // armed while describing an exception: getters may loop

	r.res.CPUTime = cpu
	r.res.Utilization = r.opts.utilizationOf(cpu, false)
	if cpu > r.opts.TimeLimit {
		// A native built-in (a regular expression that hit its match
		// timeout, a long sort) ran past the limit without being
		// interruptible; its result cannot be trusted.
		r.setLimit(&limitError{name: ErrorTimeout, msg: fmt.Sprintf("the function used %v of CPU time, more than the %v time limit", cpu.Round(time.Microsecond), r.opts.TimeLimit)})
	}
	if r.backtracking && mayHaveRegexpTimeout(wall) {
		// A regular expression may have hit its wall-clock match timeout
		// (the machine starved the run of CPU) and silently reported no
		// match: the outcome cannot be trusted, whatever the load. Only a
		// program that can run a backtracking match is suspected: goja
		// runs every other pattern on Go's linear engine. When or
		// whether it happened is unknown, so no helper call can be known
		// to precede it: the run reports no decision, as one that
		// CloudFront ends at the time limit before it decides.
		r.res.Decision, r.res.Calls, r.res.CallCount = DecisionNone, nil, 0
		r.setLimit(&limitError{name: ErrorTimeout, msg: fmt.Sprintf("the function ran for %v of wall-clock time, long enough for a regular expression to hit its match timeout (the %v time limit; %v of CPU time used)", wall.Round(time.Millisecond), r.opts.TimeLimit, cpu.Round(time.Microsecond))})
	}
	switch {
	case r.limit.Load() != nil:
		r.setLimitError(err)
	case err != nil:
		r.setException(err)
	}
}

// errNoHandler and friends are failures of the function's shape.
var (
	errNoHandler  = errors.New("connectionHandler is not defined")
	errNotHandler = errors.New("connectionHandler is not a function")
)

// invoke runs the program and calls the handler with the connection
// object, awaiting a returned promise.
func (r *run) invoke(prog *goja.Program) error {
	if _, err := r.vm.RunProgram(prog); err != nil {
		return err
	}
	h := r.vm.GlobalObject().Get("connectionHandler")
	if h == nil || goja.IsUndefined(h) {
		return r.jsError("ReferenceError", errNoHandler.Error())
	}
	fn, ok := goja.AssertFunction(h)
	if !ok {
		return r.jsError("TypeError", errNotHandler.Error())
	}
	if r.connErr != nil {
		return r.connErr
	}
	v, err := fn(goja.Undefined(), r.conn)
	if err != nil {
		return err
	}
	if p, ok := v.Export().(*goja.Promise); ok {
		switch p.State() {
		case goja.PromiseStateRejected:
			return &rejection{value: p.Result()}
		case goja.PromiseStatePending:
			return r.jsError("Error", "connectionHandler returned a promise that never settled")
		}
	}
	return nil
}

// rejection is a promise rejected with value.
type rejection struct{ value goja.Value }

func (e *rejection) Error() string { return "promise rejected" }

// jsErr is an error raised by the host with a JavaScript error name.
type jsErr struct{ name, msg string }

func (e *jsErr) Error() string { return e.name + ": " + e.msg }

func (r *run) jsError(name, msg string) error { return &jsErr{name, msg} }

// setLimitError reports the limit the run hit; err is what the runtime
// returned, whose stack locates a timeout.
func (r *run) setLimitError(err error) {
	l := r.limit.Load()
	line, col := l.line, l.col
	var ie *goja.InterruptedError
	if line == 0 && errors.As(err, &ie) {
		line, col = userPosition(ie.Stack())
	}
	r.setError(l.name, l.msg, line, col)
	if l.name == ErrorTimeout {
		r.res.Utilization = r.opts.utilizationOf(r.res.CPUTime, true)
	}
}

func (r *run) setError(name, msg string, line, col int) {
	r.res.ErrorName = name
	r.res.Error = r.opts.Formats.FormatError(name, msg, line, col)
	r.res.Line, r.res.Column = line, col
}
