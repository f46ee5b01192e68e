package runner

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard selects part K (1-based) of N of the case space: case index i
// belongs to shard K/N iff i % N == K-1. The N shards of a campaign never
// overlap and together cover every index, so N machines running shards
// 1/N … N/N with the same seed and budget run exactly the cases of one
// unsharded campaign. The zero Shard is the whole space.
type Shard struct {
	K, N int
}

// ParseShard parses "K/N" (1 ≤ K ≤ N). The empty string is the whole space.
func ParseShard(s string) (Shard, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Shard{}, nil
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(strings.TrimSpace(ks))
	n, errN := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || errK != nil || errN != nil {
		return Shard{}, fmt.Errorf("bad shard %q: write K/N, for example 2/4", s)
	}
	sh := Shard{K: k, N: n}
	if err := sh.validate(); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

func (s Shard) validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.N < 1 || s.K < 1 || s.K > s.N {
		return fmt.Errorf("bad shard %d/%d: K must be between 1 and N", s.K, s.N)
	}
	return nil
}

// whole reports whether s is the whole case space.
func (s Shard) whole() bool { return s.N <= 1 }

// String returns "K/N", or "" for the whole space.
func (s Shard) String() string {
	if s.whole() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Contains reports whether case index i belongs to s.
func (s Shard) Contains(i uint64) bool {
	return s.whole() || i%uint64(s.N) == uint64(s.K-1)
}

// first and step walk the indexes of s in order: first, first+step, ...
func (s Shard) first() uint64 {
	if s.whole() {
		return 0
	}
	return uint64(s.K - 1)
}

func (s Shard) step() uint64 {
	if s.whole() {
		return 1
	}
	return uint64(s.N)
}
