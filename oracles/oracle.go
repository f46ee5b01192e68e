// Package oracles decides which outcomes are bugs. Each oracle is a small,
// pure function of a Case and its Outcome that raises Signals; none does I/O.
package oracles

import "github.com/cffuzz/cffuzz"

// Oracle checks one outcome (cffuzz.Oracle, the port the runner drives).
type Oracle = cffuzz.Oracle
