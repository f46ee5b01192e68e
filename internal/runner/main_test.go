package runner_test

import (
	"os"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestMain lets the process-isolation benchmarks re-execute this test
// binary as runtime worker processes.
func TestMain(m *testing.M) {
	runtime.ServeWorkerIfRequested()
	os.Exit(m.Run())
}
