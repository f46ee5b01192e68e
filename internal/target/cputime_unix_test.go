//go:build unix

package target_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) this process has used,
// which a benchmark divides by its operations: unlike ns/op it hardly
// depends on what else the machine runs.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
