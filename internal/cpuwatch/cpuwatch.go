// Package cpuwatch bounds a computation by the CPU time of the OS thread
// running it rather than by wall-clock time, so that a computation that is
// merely descheduled on a loaded machine does not count as too slow, and
// optionally by how much it grows the process's heap. The embedded
// runtime's function watchdog and heap guard work the same way; this
// package serves code outside it (the JavaScript properties of the
// oracles).
package cpuwatch

import (
	goruntime "runtime"
	"runtime/metrics"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// MaxWallFactor bounds the wall-clock time of a watched computation to this
// many CPU limits, however little CPU it gets.
const MaxWallFactor = 50

// Run runs f on a locked OS thread and calls expire (from another
// goroutine) once the thread has spent limit of CPU time in f, or
// MaxWallFactor times limit of wall time has passed. It reports whether
// expire was called. f must stop soon after expire (goja: Interrupt).
func Run(limit time.Duration, f func(), expire func()) (expired bool) {
	return Watch(Limits{CPU: limit}, f, func(Exceeded) { expire() }) != None
}

// Limits bound a watched computation.
type Limits struct {
	// CPU is the CPU time of the thread running it.
	CPU time.Duration
	// HeapGrowth, when not zero, bounds how much the process's heap may
	// grow while it runs (sampled every millisecond): a memory bomb in
	// code that runs in this process.
	HeapGrowth uint64
}

// Exceeded says which limit a computation hit.
type Exceeded int

// Values of Exceeded.
const (
	None Exceeded = iota
	CPU
	Heap
)

// Watch runs f on a locked OS thread and calls expire (from another
// goroutine) once it exceeds one of l's limits (or MaxWallFactor times the
// CPU limit of wall time has passed, which counts as CPU). It returns the
// limit exceeded, or None. f must stop soon after expire.
func Watch(l Limits, f func(), expire func(Exceeded)) Exceeded {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	clock := threadClock(unix.Gettid())
	start, ok := clockTime(clock)
	if !ok {
		// No thread clock: fall back to wall time, generously.
		t := time.AfterFunc(10*l.CPU, func() { expire(CPU) })
		f()
		if !t.Stop() {
			return CPU
		}
		return None
	}
	period := func(left time.Duration) time.Duration {
		if l.HeapGrowth > 0 {
			return min(left, time.Millisecond)
		}
		return left
	}
	var heapBase uint64
	if l.HeapGrowth > 0 {
		heapBase = heapBytes()
	}
	var mu sync.Mutex
	stopped, fired := false, None
	began := time.Now()
	var timer *time.Timer
	var check func()
	check = func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		if l.HeapGrowth > 0 {
			if h := heapBytes(); h > heapBase && h-heapBase > l.HeapGrowth {
				fired = Heap
				expire(Heap)
				return
			}
		}
		used, ok := clockTime(clock)
		left := l.CPU - (used - start)
		if !ok || left <= 0 || time.Since(began) > MaxWallFactor*l.CPU {
			fired = CPU
			expire(CPU)
			return
		}
		timer = time.AfterFunc(max(period(left), 100*time.Microsecond), check)
	}
	mu.Lock()
	timer = time.AfterFunc(period(l.CPU), check)
	mu.Unlock()
	f()
	mu.Lock()
	defer mu.Unlock()
	stopped = true
	timer.Stop()
	return fired
}

// heapBytes is the heap's object bytes, live and not yet swept.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// threadClock is the CPU-time clock of thread tid (Linux's
// MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED), as glibc's
// pthread_getcpuclockid computes it).
func threadClock(tid int) int32 { return int32(^tid<<3 | 6) }

func clockTime(clock int32) (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
