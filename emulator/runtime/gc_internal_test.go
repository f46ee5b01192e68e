package runtime

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC checks that a worker collects at WorkerGCPercent unless the
// user set GOGC, whose value then stands.
func TestTuneGC(t *testing.T) {
	tests := []struct {
		reason string
		gogc   string // "" leaves GOGC unset
		want   int
	}{
		{"no GOGC: the worker's own target", "", WorkerGCPercent},
		{"GOGC set: the user's value stands", "set", 77},
	}
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			debug.SetGCPercent(77)
			if tt.gogc != "" {
				t.Setenv("GOGC", "77")
			} else {
				t.Setenv("GOGC", "")
				unsetEnv(t, "GOGC")
			}
			tuneGC()
			if got := debug.SetGCPercent(77); got != tt.want {
				t.Errorf("GC percent after tuneGC = %d, want %d", got, tt.want)
			}
		})
	}
}

// unsetEnv removes key for the rest of the test (t.Setenv restores it).
func unsetEnv(t *testing.T, key string) {
	t.Helper()
	if err := os.Unsetenv(key); err != nil {
		t.Fatal(err)
	}
}
