package calibrate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/internal/calibrate"
)

func TestTotals(t *testing.T) {
	diffs := []calibrate.Difference{
		{Probe: "throw-type", Field: calibrate.FieldError},
		{Probe: "throw-type", Field: calibrate.FieldLogs},
		{Probe: "work-4", Field: calibrate.FieldUtilization},
		{Probe: "deploy-big", Field: calibrate.FieldDeploy},
		{Probe: "work-8", Field: calibrate.FieldUtilization},
	}
	tests := []struct {
		reason string
		diffs  []calibrate.Difference
		probes int
		text   string
	}{
		{"no difference", nil, 0, ""},
		{"probes counted once, fields in report order", diffs, 4, "deploy 1, error 1, logs 1, utilization 2"},
	}
	for _, tt := range tests {
		got := calibrate.Total(tt.diffs)
		if got.Probes != tt.probes || got.String() != tt.text {
			t.Errorf("%s: %d probes, %q; want %d, %q", tt.reason, got.Probes, got.String(), tt.probes, tt.text)
		}
	}
	var b strings.Builder
	f := &calibrate.File{Target: "aws", Recorded: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Probes: make([]calibrate.Recording, 60)}
	if err := calibrate.WriteCheck(&b, f, diffs, "the emulator's defaults"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"differences by field: deploy 1, error 1, logs 1, utilization 2\n", "4 of 60 probes differ between the emulator's defaults and aws (recorded 2026-11-01)\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("WriteCheck lacks %q:\n%s", want, b.String())
		}
	}
}
