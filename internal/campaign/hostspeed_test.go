package campaign_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/campaign"
)

// TestReportRecordsHostSpeed checks that report.json records the host-speed
// factor the embedded emulator used: the one given, 1 for raw CPU time,
// and this machine's measurement by default.
func TestReportRecordsHostSpeed(t *testing.T) {
	fn := filepath.Join(t.TempDir(), "fn.js")
	if err := os.WriteFile(fn, []byte("function connectionHandler(connection) { connection.allow(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reason   string
		factor   float64
		min, max float64
	}{
		{"a given factor is used and recorded", 0.5, 0.5, 0.5},
		{"a negative factor means raw CPU time: 1", -1, 1, 1},
		{"by default this machine is measured", 0, runtime.MinSpeedFactor, runtime.MaxSpeedFactor},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			out := t.TempDir()
			_, err := campaign.Run(context.Background(), campaign.Config{Function: fn, Cases: 20, Out: out, Corpus: "-",
				Isolation: campaign.IsolationInProcess, SpeedFactor: tt.factor, Concurrency: 1})
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(out, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rep cffuzz.Report
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if f := rep.Utilization.HostSpeedFactor; f < tt.min || f > tt.max {
				t.Errorf("report.json host_speed_factor %v, want %v..%v", f, tt.min, tt.max)
			}
		})
	}
}
