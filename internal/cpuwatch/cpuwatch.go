// Package cpuwatch bounds a computation by the CPU time of the OS thread
// running it rather than by wall-clock time, so that a computation that is
// merely descheduled on a loaded machine does not count as too slow. The
// embedded runtime's function watchdog works the same way; this package
// serves code outside it (the JavaScript properties of the oracles).
package cpuwatch

import (
	goruntime "runtime"
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
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	clock := threadClock(unix.Gettid())
	start, ok := clockTime(clock)
	if !ok {
		// No thread clock: fall back to wall time, generously.
		t := time.AfterFunc(10*limit, expire)
		f()
		return !t.Stop()
	}
	var mu sync.Mutex
	stopped, fired := false, false
	began := time.Now()
	var timer *time.Timer
	var check func()
	check = func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		used, ok := clockTime(clock)
		left := limit - (used - start)
		if !ok || left <= 0 || time.Since(began) > MaxWallFactor*limit {
			fired = true
			expire()
			return
		}
		timer = time.AfterFunc(max(left, time.Millisecond), check)
	}
	mu.Lock()
	timer = time.AfterFunc(limit, check)
	mu.Unlock()
	f()
	mu.Lock()
	defer mu.Unlock()
	stopped = true
	timer.Stop()
	return fired
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
