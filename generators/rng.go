package generators

import (
	"math/rand"

	"github.com/leanovate/gopter"
)

// splitmix is a small, fast rand.Source64 (SplitMix64). A fresh one per case
// costs a few nanoseconds, where rand.NewSource costs microseconds.
type splitmix struct{ s uint64 }

func (r *splitmix) Uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *splitmix) Int63() int64    { return int64(r.Uint64() >> 1) }
func (r *splitmix) Seed(seed int64) { r.s = uint64(seed) }

// SplitMix returns a SplitMix64 rand.Source64 starting from state: the same
// cheap per-case source the generators use, for packages (the engine) that
// derive their own per-case random streams.
func SplitMix(state uint64) rand.Source64 { return &splitmix{s: state} }

// mix derives the per-case RNG seed from the campaign seed and the case index.
func mix(seed int64, index uint64) uint64 {
	r := splitmix{s: uint64(seed) ^ 0x6a09e667f3bcc908}
	r.s ^= r.Uint64() + index*0xd1b54a32d192ed03
	return r.Uint64()
}

// newRand returns a deterministic *rand.Rand for one (seed, index).
func newRand(seed int64, index uint64) *rand.Rand {
	return rand.New(&splitmix{s: mix(seed, index)})
}

// genParams builds the gopter parameters of one case: its own RNG and a size
// that ramps from 0 to maxSize with the index, then starts over.
func genParams(seed int64, index uint64, maxSize int) *gopter.GenParameters {
	return &gopter.GenParameters{
		MinSize:        0,
		MaxSize:        int(index % uint64(maxSize+1)),
		MaxShrinkCount: 1000,
		Rng:            newRand(seed, index),
	}
}

// pick returns one of xs, uniformly.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.Intn(len(xs))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }
