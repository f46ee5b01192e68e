package runtime

import (
	"testing"
	"time"
)

// TestSpeedScalesTheModel checks the arithmetic of host-speed
// normalization with injected CPU times: a host twice as slow as the
// reference (factor 0.5) reports half its thread CPU time, and its
// watchdog allows twice the time limit of its own clock; a factor of 1, or
// none, changes nothing.
func TestSpeedScalesTheModel(t *testing.T) {
	tests := []struct {
		reason  string
		factor  float64
		host    time.Duration // the thread's own CPU time
		wantCPU time.Duration // CPUTime, on the reference scale
		wantU   int
		watch   time.Duration // the watchdog's limit on the thread's clock
	}{
		{"no factor: raw CPU time", 0, 4 * time.Millisecond, 4 * time.Millisecond, 80, 20 * time.Millisecond},
		{"factor 1: raw CPU time", 1, 4 * time.Millisecond, 4 * time.Millisecond, 80, 20 * time.Millisecond},
		{"a host twice as slow: half the utilization, twice the limit", 0.5, 4 * time.Millisecond, 2 * time.Millisecond, 40, 40 * time.Millisecond},
		{"a host 1.5 times as fast", 1.5, 4 * time.Millisecond, 6 * time.Millisecond, 120, 20 * time.Millisecond * 2 / 3},
	}
	for _, tt := range tests {
		o := Options{SpeedFactor: tt.factor}.withDefaults()
		cpu := o.referenceCPU(tt.host)
		if d := cpu - tt.wantCPU; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("%s: CPUTime %v, want %v", tt.reason, cpu, tt.wantCPU)
		}
		if u := o.utilizationOf(cpu, false); u != tt.wantU {
			t.Errorf("%s: utilization %d, want %d", tt.reason, u, tt.wantU)
		}
		if w := o.hostCPU(o.TimeLimit); w-tt.watch < -time.Microsecond || w-tt.watch > time.Microsecond {
			t.Errorf("%s: watchdog limit %v, want %v", tt.reason, w, tt.watch)
		}
	}
}

// TestSpeedFactorOf checks the factor of a measured reference time and its
// bounds.
func TestSpeedFactorOf(t *testing.T) {
	tests := []struct {
		reason string
		cpu    time.Duration
		want   float64
	}{
		{"the reference machine", ReferenceCPU, 1},
		{"within the measurement's error: 1", ReferenceCPU * 11 / 10, 1},
		{"within the measurement's error, faster: 1", ReferenceCPU * 9 / 10, 1},
		{"just outside it: corrected", ReferenceCPU * 13 / 10, 1 / 1.3},
		{"twice as slow", 2 * ReferenceCPU, 0.5},
		{"twice as fast", ReferenceCPU / 2, 2},
		{"no clock: raw CPU time", 0, 1},
		{"a starved measurement is clamped", 100 * ReferenceCPU, MinSpeedFactor},
		{"a broken clock is clamped", ReferenceCPU / 100, MaxSpeedFactor},
	}
	for _, tt := range tests {
		if got := speedFactorOf(tt.cpu); got < tt.want*0.999 || got > tt.want*1.001 {
			t.Errorf("%s: factor of %v = %v, want %v", tt.reason, tt.cpu, got, tt.want)
		}
	}
}
