package runtime_test

import (
	"os"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestMain lets the test binary serve as a process-pool worker.
func TestMain(m *testing.M) {
	runtime.ServeWorkerIfRequested()
	os.Exit(m.Run())
}
