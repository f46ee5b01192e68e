package campaign_test

import (
	"os"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestMain lets this test binary serve as the emulator's worker process.
func TestMain(m *testing.M) {
	runtime.ServeWorkerIfRequested()
	os.Exit(m.Run())
}
