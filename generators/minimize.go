package generators

import (
	"context"
	"hash/maphash"
	"time"
)

// MinimizeOptions bounds Minimize. The zero value means: at most 10,000
// accepted steps, 100,000 predicate calls, no time limit, every candidate
// allowed.
type MinimizeOptions struct {
	// MaxSteps bounds the accepted shrink steps (0: 10,000).
	MaxSteps int
	// MaxCalls bounds the calls of the predicate (0: 100,000).
	MaxCalls int
	// Timeout bounds the whole minimization (0: none besides ctx).
	Timeout time.Duration
	// Keep, when set, must accept a candidate before the predicate is asked
	// about it; use it to stay in a class, e.g. Keep: IsProduction.
	Keep func(candidate []byte) bool
	// Calls, when set, is incremented on each predicate call.
	Calls *int
}

// Minimize shrinks object, which fails, greedily: it walks Shrink(object),
// accepts the first candidate for which fails still returns true, and starts
// over from it, until no candidate fails (a fixpoint), ctx is done, or a
// bound of opts is reached. It returns the smallest failing input found and
// the number of accepted steps. fails must be deterministic; Minimize never
// asks it twice about the same bytes.
func Minimize(ctx context.Context, object []byte, fails func([]byte) bool, opts MinimizeOptions) (smallest []byte, steps int) {
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = 10000
	}
	if opts.MaxCalls <= 0 {
		opts.MaxCalls = 100000
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	seed := maphash.MakeSeed()
	rejected := map[uint64]bool{}
	calls := 0
	smallest = object
	for steps < opts.MaxSteps {
		next := Shrink(smallest)
		accepted := false
		for {
			if ctx.Err() != nil || calls >= opts.MaxCalls {
				return smallest, steps
			}
			v, ok := next()
			if !ok {
				break
			}
			c := v.([]byte)
			h := maphash.Bytes(seed, c)
			if rejected[h] {
				continue
			}
			if opts.Keep != nil && !opts.Keep(c) {
				rejected[h] = true
				continue
			}
			calls++
			if opts.Calls != nil {
				*opts.Calls++
			}
			if fails(c) {
				smallest, steps, accepted = c, steps+1, true
				break
			}
			rejected[h] = true
		}
		if !accepted {
			return smallest, steps
		}
	}
	return smallest, steps
}
