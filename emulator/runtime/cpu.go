package runtime

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPUTime is the CPU time consumed so far by the calling OS thread.
// Callers lock the goroutine to its thread around the measured section.
func threadCPUTime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
