package runtime

import "time"

// Defaults of Options. They mirror CloudFront's documented limits where one
// exists and are the emulator's own choice otherwise (see docs/runtime.md).
const (
	// DefaultBudget is the documented 5 ms execution limit of a connection
	// function; it is 100% utilization.
	DefaultBudget = 5 * time.Millisecond
	// DefaultTimeLimit is when a run is interrupted and reported as a
	// TimeoutError (4× the budget, so that slow-but-finishing runs report a
	// utilization above 100 instead of being killed).
	DefaultTimeLimit = 20 * time.Millisecond
	// DefaultMaxCallStackSize bounds JavaScript recursion depth.
	DefaultMaxCallStackSize = 1024
	// DefaultMaxLogBytes is CloudFront's 10 KB cap on function logs.
	DefaultMaxLogBytes = 10240
	// DefaultMaxMemoryBytes is CloudFront's 2 MB function memory quota; the
	// in-process guards refuse single allocations above it.
	DefaultMaxMemoryBytes = 2 << 20
	// MaxCustomDataBytes is the logCustomData cap (UTF-8 bytes).
	MaxCustomDataBytes = 800
)

// Decision rules for Options.DecisionRule.
const (
	// DecisionFirst makes the first allow()/deny() call the decision.
	DecisionFirst = "first"
	// DecisionLast makes the last allow()/deny() call the decision.
	DecisionLast = "last"
)

// Options configures an executor. The zero value is useful: every zero field
// takes the default documented on it.
type Options struct {
	// Budget is the emulator CPU time that counts as 100 points of
	// utilization (default DefaultBudget, 5 ms); 100/Budget is the scale
	// factor a calibration fits (docs/runtime.md, "Utilization and the
	// time limit").
	Budget time.Duration
	// TimeLimit is the emulator CPU time after which a run is interrupted
	// and reported as a TimeoutError; a run whose CPU time exceeds it is
	// reported the same way even if it finished (default DefaultTimeLimit,
	// 20 ms).
	TimeLimit time.Duration
	// UtilizationBase is added to every run's utilization: the target's
	// fixed cost per run, in points (default 0; a calibration fits it).
	UtilizationBase int
	// MaxUtilization caps the reported utilization; 0 (the default)
	// reports values above 100 as they are.
	MaxUtilization int
	// SpeedFactor scales the host's thread CPU time to the reference
	// machine's (hostspeed.go): Result.CPUTime, the utilization and the
	// time limit are all on that scale. Zero (the default) measures this
	// host when the executor starts (SpeedFactor); a positive value is
	// used as it is; a negative one disables the scaling (raw CPU time).
	SpeedFactor float64
	// Formats renders errors and ConnectionFunctionOutput; the zero value
	// renders the emulator's defaults.
	Formats Formats
	// MaxCallStackSize bounds the JavaScript call depth; deeper recursion
	// ends the run with a RangeError (default DefaultMaxCallStackSize).
	MaxCallStackSize int
	// DecisionRule is DecisionFirst (default) or DecisionLast: which
	// allow()/deny() call decides when a function calls several.
	DecisionRule string
	// MaxLogBytes caps the total bytes of console.log output
	// (default DefaultMaxLogBytes, 10 KB).
	MaxLogBytes int
	// MaxMemoryBytes caps single allocations made through the guarded
	// built-ins (String.prototype.repeat, Array, Buffer.alloc, ...);
	// default DefaultMaxMemoryBytes (2 MB).
	MaxMemoryBytes int
	// HeapGuardBytes ends a run with a MemoryError once the process's heap
	// has grown by that much during it, whatever allocated it (a string
	// doubled by + escapes the single-allocation guards); default
	// DefaultHeapGuardBytes (16 MiB), negative disables it. It is what
	// bounds memory under IsolationInProcess, where no worker limit does.
	HeapGuardBytes int
	// AllowES2020 is the older form of StrictSyntax: a pointer to false
	// acts like StrictSyntax (the disputed ES2020-claim features, ?., ??,
	// BigInt and the rest, are refused). Nil or true changes nothing.
	AllowES2020 *bool
	// StrictSyntax refuses, at Check time, the language features whose
	// support on AWS is unconfirmed: those only the connection-function
	// page's "ECMAScript 2020 (ES11) support" covers, which the runtime 2.0
	// page does not list (?., ??, BigInt, classes, destructuring, ...), and
	// removes the ES2020 built-ins that page does not list (Map, Set, ...).
	// False (the default) accepts them with a warning (CheckWarnings).
	StrictSyntax bool
	// BufferCompare selects the sign of buf.compare(target), where AWS's
	// runtime page contradicts Node and its own Buffer.compare: "node"
	// (default: 1 when buf sorts after target) or "page" (the page's
	// wording: 1 when buf comes first). Buffer.compare is Node's either way.
	BufferCompare string
	// BufferSubarray selects what buf.subarray() and buf.slice() return:
	// "view" (default, Node: shares memory with buf) or "copy" (AWS's page:
	// "Returns a copy of Buffer that is offset and cropped").
	BufferSubarray string
}

// Values of Options.BufferCompare and Options.BufferSubarray.
const (
	BufferCompareNode  = "node"
	BufferComparePage  = "page"
	BufferSubarrayView = "view"
	BufferSubarrayCopy = "copy"
)

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	if o.TimeLimit <= 0 {
		o.TimeLimit = DefaultTimeLimit
	}
	if o.MaxCallStackSize <= 0 {
		o.MaxCallStackSize = DefaultMaxCallStackSize
	}
	if o.DecisionRule != DecisionLast {
		o.DecisionRule = DecisionFirst
	}
	if o.MaxLogBytes <= 0 {
		o.MaxLogBytes = DefaultMaxLogBytes
	}
	if o.MaxMemoryBytes <= 0 {
		o.MaxMemoryBytes = DefaultMaxMemoryBytes
	}
	if o.HeapGuardBytes == 0 {
		o.HeapGuardBytes = DefaultHeapGuardBytes
	}
	return o
}

// es2020 reports whether the disputed language features (those only the
// connection-function page's ES2020 claim covers) are accepted: false under
// StrictSyntax or AllowES2020 = &false.
func (o Options) es2020() bool { return !o.StrictSyntax && (o.AllowES2020 == nil || *o.AllowES2020) }
