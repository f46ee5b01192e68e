package runtime

import (
	"context"
	"time"

	"github.com/cffuzz/cffuzz/coverage"
)

// Request is one execution of a connection function.
type Request struct {
	// Code is the function source as stored by the API (at most 10 KB).
	Code []byte
	// Object is the connection object, raw bytes (at most 40,960).
	Object []byte
	// KVS is the key-value store associated with the function, or nil.
	KVS *KVS
	// Seed seeds Math.random; 0 derives one from the start time, as CloudFront does.
	Seed int64
	// Now is the time Date reports for the whole run; zero means time.Now().
	Now time.Time
	// Feedback asks for an instrumented run: Result.Feedback then holds the
	// edges and comparisons the function reached (see docs/instrumentation.md).
	// Every other Result field still describes the plain function.
	Feedback bool
}

// Result is what one execution produced. Every outcome of the function itself
// (a decision, an exception, a timeout, a resource limit) is a Result, never a
// Go error; Go errors are reserved for failures of the runtime itself.
type Result struct {
	// Decision is the deciding allow()/deny() call ("allow", "deny"; the
	// first or the last per Options.DecisionRule) or "none".
	Decision string
	// Calls lists every allow()/deny() call in order, at most the first
	// 1000; CallCount counts them all.
	Calls     []string
	CallCount int
	// Logs are console.log lines, truncated at 10 KB in total.
	Logs []string
	// CustomData is the logCustomData text, at most 800 bytes.
	CustomData string
	// Error is the uncaught exception or limit message ("" on success), in
	// the form "TypeError: cannot read property 'x' of undefined at line 3:12".
	Error string
	// ErrorName is the error's constructor name or a limit kind
	// ("TypeError", "TimeoutError", "MemoryError", "RangeError" for a stack
	// overflow, "SyntaxError"; "Error" for thrown values that are not errors).
	ErrorName string
	// Line and Column locate the error in the function source (1-based, 0 if unknown).
	Line, Column int
	// CPUTime is the execution's CPU time (thread CPU time, not wall
	// clock), on the reference machine's scale: the thread's own CPU time
	// times Options.SpeedFactor (docs/runtime.md, "Host speed").
	CPUTime time.Duration
	// Utilization is CPUTime as an integer percentage of the budget; it may
	// exceed 100 when the function ran out of time.
	Utilization int
	// OutputFormat is the Options.Formats.Output template OutputJSON
	// renders with ("": the emulator's JSON).
	OutputFormat string
	// Feedback is what an instrumented run reached (Request.Feedback), or
	// nil. Its Hits are indexed like the edges of CoverageMap's Map.
	Feedback *coverage.Feedback
}

// Executor runs connection functions. Implementations: an in-process pool of
// goja runtimes, and a pool of worker subprocesses that survive hostile code.
type Executor interface {
	// Execute runs one request. Its error is a failure of the executor (a
	// dead worker, a closed pool), never of the function.
	Execute(ctx context.Context, req Request) (Result, error)
	// Close releases the executor's resources.
	Close() error
}
