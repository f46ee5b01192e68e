// Package oracles decides which outcomes are bugs. Each oracle is a small,
// pure function of a Case and its Outcome that raises Signals; none does I/O.
package oracles

import "github.com/cffuzz/cffuzz"

// Oracle checks one outcome.
type Oracle interface {
	// Name is the oracle's stable name, used in signatures, metrics and reports.
	Name() string
	// Check returns the signals raised by the case's outcome, or nil.
	Check(c *cffuzz.Case, o *cffuzz.Outcome) []cffuzz.Signal
}
