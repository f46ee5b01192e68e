//go:build !unix

package target_test

import "time"

// processCPU is unknown on this system: benchmarks report no CPU time.
func processCPU() time.Duration { return 0 }
