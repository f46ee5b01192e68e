package runtime

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// maxWallFactor bounds a run's wall-clock time to this many time limits,
// however little CPU it got (a hopelessly overloaded machine).
const maxWallFactor = 50

// watchdog interrupts a run when the thread running it has used more than
// limit of CPU time. It wakes up on wall-clock timers but counts CPU time,
// so that a run descheduled on a loaded machine is not reported as a
// timeout: when it fires early it re-arms for the CPU time still left.
type watchdog struct {
	mu      sync.Mutex
	timer   *time.Timer
	stopped bool
}

// startWatchdog watches the calling goroutine's OS thread (which the
// caller has locked), whose CPU clock read start when the run began, and
// calls expire once the run has used limit of CPU time.
func startWatchdog(limit, start time.Duration, expire func()) *watchdog {
	w := &watchdog{}
	clock := threadCPUClock(unix.Gettid())
	began := time.Now()
	var check func()
	check = func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.stopped {
			return
		}
		used, ok := clockTime(clock)
		left := limit - (used - start)
		if !ok || left <= 0 || time.Since(began) > maxWallFactor*limit {
			expire()
			return
		}
		w.timer = time.AfterFunc(left, check)
	}
	w.mu.Lock() // check may already run and re-arm the timer
	w.timer = time.AfterFunc(limit, check)
	w.mu.Unlock()
	return w
}

// stop disarms the watchdog.
func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.timer.Stop()
}

// threadCPUClock is the CPU-time clock of thread tid (Linux's
// MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED), as glibc's
// pthread_getcpuclockid computes it).
func threadCPUClock(tid int) int32 {
	return int32(^tid<<3 | 6)
}

// clockTime reads clock.
func clockTime(clock int32) (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
