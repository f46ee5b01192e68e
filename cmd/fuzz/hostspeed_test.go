package main

import (
	"path/filepath"
	"testing"
)

// TestHostSpeedFlag checks that --host-speed reaches the embedded emulator
// and report.json records the factor it used.
func TestHostSpeedFlag(t *testing.T) {
	tests := []struct {
		reason string
		flag   string
		want   float64
	}{
		{"a given factor is used", "0.5", 0.5},
		{"a negative factor reports raw CPU time", "-1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"run", "--out", out, "--corpus", "-", "--progress", "none", "--host-speed", tt.flag},
				append(quick("20"), cleanArgs()...)...)
			r := fuzz(t, args...)
			mustCode(t, r, exitOK, "clean campaign")
			var rep struct {
				Utilization struct {
					HostSpeedFactor float64 `json:"host_speed_factor"`
				} `json:"utilization"`
			}
			readJSON(t, filepath.Join(out, "report.json"), &rep)
			if got := rep.Utilization.HostSpeedFactor; got != tt.want {
				t.Errorf("--host-speed %s: report.json host_speed_factor %v, want %v", tt.flag, got, tt.want)
			}
		})
	}
}
