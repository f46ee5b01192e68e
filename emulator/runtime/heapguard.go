package runtime

import (
	"fmt"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultHeapGuardBytes is how much a run may grow the process's heap
// before it is ended with a MemoryError (Options.HeapGuardBytes): 8 times
// CloudFront's 2 MB function memory quota, so that only a function far
// over the quota reaches it, whatever else the process allocates meanwhile.
const DefaultHeapGuardBytes = 16 << 20

// heapGuardPeriod is how often the heap guard samples the heap.
const heapGuardPeriod = time.Millisecond

// heapObjects is the runtime/metrics name of the heap's object bytes.
const heapObjects = "/memory/classes/heap/objects:bytes"

// heapGuard ends a run whose allocations grow the heap past a limit: the
// allocation paths the lockdown guards (repeat, Array, Buffer.alloc) cover
// single allocations, but not a string doubled by + in a loop, which in
// the calling process (IsolationInProcess, where no worker memory limit
// applies) would otherwise grow it to gigabytes. It samples the heap on a
// wall-clock timer; the interrupt lands at the run's next instruction, so
// a doubling string overshoots the limit by at most one doubling.
type heapGuard struct {
	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
	base    uint64
	limit   int
}

// guardedRuns counts the runs being guarded in this process: the heap
// also grows with their garbage, so each run's limit is scaled by it.
var guardedRuns atomic.Int64

// startHeapGuard calls expire with the growth once the heap has grown by
// more than limit bytes per run in flight since the call (the other runs'
// garbage counts too: a run next to n others may see n times the limit
// before it fires). A limit ≤ 0 disables it.
func startHeapGuard(limit int, expire func(grown uint64)) *heapGuard {
	g := &heapGuard{}
	if limit <= 0 {
		g.stopped = true
		return g
	}
	guardedRuns.Add(1)
	base := heapBytes()
	g.base, g.limit = base, limit
	var check func()
	check = func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.stopped {
			return
		}
		if now := heapBytes(); now > base && now-base > uint64(limit)*uint64(max(1, guardedRuns.Load())) {
			expire(now - base)
			return
		}
		g.timer = time.AfterFunc(heapGuardPeriod, check)
	}
	g.mu.Lock()
	g.timer = time.AfterFunc(heapGuardPeriod, check)
	g.mu.Unlock()
	return g
}

// stop disarms the guard (it may be called more than once) and reports
// whether the heap had grown past the limit by then, and by how much.
func (g *heapGuard) stop() (over bool, grown uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return false, 0
	}
	if now := heapBytes(); now > g.base {
		grown = now - g.base
		over = grown > uint64(g.limit)*uint64(max(1, guardedRuns.Load()))
	}
	guardedRuns.Add(-1)
	g.stopped = true
	if g.timer != nil {
		g.timer.Stop()
	}
	return over, grown
}

// heapSamples holds the sample heapBytes reads into (metrics.Read keeps
// its argument on the heap: two allocations per run otherwise).
var heapSamples = sync.Pool{New: func() any { return &[1]metrics.Sample{{Name: heapObjects}} }}

// heapBytes is the heap's object bytes, live and not yet swept.
func heapBytes() uint64 {
	s := heapSamples.Get().(*[1]metrics.Sample)
	defer heapSamples.Put(s)
	metrics.Read(s[:])
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// heapLimitMessage is the MemoryError message of the heap guard.
func heapLimitMessage(grown uint64, limit int) string {
	return fmt.Sprintf("the function's allocations grew the heap by %d MB, over the emulator's %d MB guard", grown>>20, limit>>20)
}
