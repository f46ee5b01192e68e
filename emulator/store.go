package emulator

import (
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// Stages of a connection function.
const (
	StageDevelopment = "DEVELOPMENT"
	StageLive        = "LIVE"
)

// Statuses of a connection function stage.
const (
	StatusUnpublished  = "UNPUBLISHED"
	StatusUnassociated = "UNASSOCIATED"
)

// Runtimes of the FunctionConfig model; connection functions accept only RuntimeJS2.
const (
	RuntimeJS1 = "cloudfront-js-1.0"
	RuntimeJS2 = "cloudfront-js-2.0"
)

// FunctionConfig is a connection function's configuration
// (ConnectionFunctionConfig on the wire).
type FunctionConfig struct {
	// Comment is free text, at most 128 characters.
	Comment string
	// Runtime must be RuntimeJS2; empty means RuntimeJS2 in the Go API.
	Runtime string
	// KeyValueStoreARN is the associated KeyValueStore, or "". The store must
	// have been added with AddKVS.
	KeyValueStoreARN string
}

// version is one stage of a function: its code, configuration and ETag.
type version struct {
	code     []byte
	config   FunctionConfig
	etag     string
	status   string
	modified time.Time
}

// function is a stored connection function.
type function struct {
	id, name, arn string
	created       time.Time
	dev           *version
	live          *version // nil until published
}

// stage returns the version of the named stage, or nil.
func (f *function) stage(name string) *version {
	if name == StageLive {
		return f.live
	}
	return f.dev
}

// store holds the functions and KeyValueStores of one Server.
type store struct {
	mu     sync.RWMutex
	byID   map[string]*function
	byName map[string]*function
	kvs    map[string]*runtime.KVS

	rngMu sync.Mutex
	rng   *rand.Rand
}

func newStore(seed int64) *store {
	return &store{
		byID:   map[string]*function{},
		byName: map[string]*function{},
		kvs:    map[string]*runtime.KVS{},
		rng:    rand.New(rand.NewPCG(uint64(seed), 0x636666757a7a)),
	}
}

const (
	base62    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	upperAlnu = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// randString returns n characters drawn from alphabet with the store's rng.
func (s *store) randString(prefix, alphabet string, n int) string {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	b := make([]byte, len(prefix), len(prefix)+n)
	copy(b, prefix)
	for range n {
		b = append(b, alphabet[s.rng.IntN(len(alphabet))])
	}
	return string(b)
}

// newID returns a fresh function id: "cf_" and 27 base62 characters.
func (s *store) newID() string { return s.randString("cf_", base62, 27) }

// newETag returns a fresh ETag: "E" and 12 uppercase alphanumerics.
func (s *store) newETag() string { return s.randString("E", upperAlnu, 12) }

// lookup finds a function by id, or — when byAny is set — also by name.
// The caller holds s.mu.
func (s *store) lookup(ident string, byAny bool) *function {
	if f, ok := s.byID[ident]; ok {
		return f
	}
	if !byAny {
		return nil
	}
	return s.byName[ident]
}

// sortedByName returns the functions ordered by name. The caller holds s.mu.
func (s *store) sortedByName() []*function {
	out := make([]*function, 0, len(s.byName))
	for _, f := range s.byName {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
