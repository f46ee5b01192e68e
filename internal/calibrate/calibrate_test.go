package calibrate_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/calibrate"
	"github.com/cffuzz/cffuzz/internal/target"
)

// planted is how the stand-in for AWS differs from the emulator's
// defaults: a fifth of the budget (scale 100 points per ms instead of 20),
// a fixed cost of 10 points, a longer time limit, and other error and
// output formats.
var planted = runtime.Options{
	Budget:          time.Millisecond,
	UtilizationBase: 10,
	TimeLimit:       300 * time.Millisecond,
	Formats: runtime.Formats{
		Error:    "Uncaught {name}: {message}{location}",
		Location: " (line {line}, column {column})",
		Output:   `{"action":"{decision}"}`,
	},
}

// TestRoundTrip records the probe suite on an emulator configured with the
// planted differences, standing in for AWS on a loopback port, and checks
// that the fit recovers them and that Check lists exactly the planted
// differences, and none once the calibration is applied.
func TestRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("records the probe suite and checks it twice (about 6 s; 30 s on an overloaded machine)")
	}
	ctx := context.Background()
	ex := runtime.NewInProcess(planted)
	t.Cleanup(func() { ex.Close() })
	stand := emulatortest.NewServer(t, emulator.Options{Executor: ex, Seed: 7})

	f, err := calibrate.Record(ctx, calibrate.Options{SDK: target.SDKOptions{Endpoint: stand.URL()}, Version: "test"})
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	fit := f.Fit
	logPoints(t, f)
	if f.HostSpeedFactor < runtime.MinSpeedFactor || f.HostSpeedFactor > runtime.MaxSpeedFactor {
		t.Errorf("the file records host-speed factor %v, want this machine's measurement", f.HostSpeedFactor)
	}
	t.Logf("fit: scale %.2f points/ms, base %.2f, R² %.4f over %d points, budget %.3f ms, time limit %.1f ms, cap %d, formats %+v, notes %q",
		fit.Scale, fit.Base, fit.R2, fit.Points, fit.BudgetMillis, fit.TimeLimitMillis, fit.MaxUtilization, fit.Formats, fit.Notes)
	wantScale := 100 / (float64(planted.Budget) / float64(time.Millisecond))
	if math.Abs(fit.Scale-wantScale)/wantScale > 0.10 {
		t.Errorf("scale %.2f points per emulator ms, want %.0f within 10%%", fit.Scale, wantScale)
	}
	if math.Abs(fit.Base-float64(planted.UtilizationBase)) > 5 {
		t.Errorf("base %.2f, want %d ± 5", fit.Base, planted.UtilizationBase)
	}
	if fit.Formats != planted.Formats {
		t.Errorf("formats %+v, want the planted %+v", fit.Formats, planted.Formats)
	}
	if fit.MaxUtilization != 0 {
		t.Errorf("cap %d, want none: the stand-in reports values above 100", fit.MaxUtilization)
	}

	path := filepath.Join(t.TempDir(), "calibration.json")
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := calibrate.Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if loaded.HostSpeedFactor != f.HostSpeedFactor {
		t.Errorf("loaded host-speed factor %v, saved %v", loaded.HostSpeedFactor, f.HostSpeedFactor)
	}

	// The uncalibrated emulator differs exactly where the stand-in was
	// made to differ.
	var want []string
	defaultLimit := float64(runtime.DefaultTimeLimit) / float64(time.Millisecond)
	for _, r := range loaded.Probes {
		if r.Target.Deploy != "" || r.Target.Status != 200 {
			continue
		}
		want = append(want, r.Name+" output")
		emulatedTimeout := r.Kind == calibrate.KindWork && r.EmulatorCPUMillis > defaultLimit
		if r.Target.FunctionError != "" || emulatedTimeout {
			want = append(want, r.Name+" error")
		}
		if r.Kind == calibrate.KindWork && !emulatedTimeout {
			want = append(want, r.Name+" utilization")
		}
	}
	diffs, err := calibrate.Check(ctx, loaded, calibrate.CheckOptions{})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got := keys(diffs); strings.Join(got, "\n") != strings.Join(sorted(want), "\n") {
		t.Errorf("Check of the default emulator lists\n%s\nwant exactly the planted differences\n%s", strings.Join(got, "\n"), strings.Join(sorted(want), "\n"))
	}

	// With the calibration applied, nothing is left.
	diffs, err = calibrate.Check(ctx, loaded, calibrate.CheckOptions{Options: loaded.Apply(runtime.Options{})})
	if err != nil {
		t.Fatalf("Check calibrated: %v", err)
	}
	for _, d := range diffs {
		t.Errorf("calibrated emulator still differs: %s", d)
	}
}

func keys(ds []calibrate.Difference) []string {
	var ks []string
	for _, d := range ds {
		ks = append(ks, d.Probe+" "+d.Field)
	}
	return sorted(ks)
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func logPoints(t *testing.T, f *calibrate.File) {
	for _, r := range f.Probes {
		if r.Kind == calibrate.KindWork {
			t.Logf("%-24s x=%8.3f y=%v", r.Name, r.EmulatorCPUMillis, r.Target.Utilizations)
		}
	}
}

// TestLoad checks that Load refuses what is not a usable calibration, with
// a message that says what to do.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, reason, content, want string
	}{
		{name: "not json", reason: "any other file", content: "version: 1", want: "not a calibration file"},
		{name: "no version", reason: "JSON of something else", content: `{"probes":[{}]}`, want: "no version"},
		{name: "newer", reason: "a format this cffuzz does not know", content: `{"version":2,"probes":[{}]}`, want: "record it again"},
		{name: "no probes", reason: "nothing recorded", content: `{"version":1}`, want: "no probes"},
		{name: "negative", reason: "a budget below zero", content: `{"version":1,"probes":[{}],"fit":{"budgetMs":-1}}`, want: "negative"},
		{name: "ok", reason: "a minimal file, recorded before host-speed factors", content: `{"version":1,"probes":[{}],"fit":{"budgetMs":2}}`},
		{name: "with factor", reason: "a file that records its host-speed factor", content: `{"version":1,"hostSpeedFactor":0.8,"probes":[{}],"fit":{"budgetMs":2}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := calibrate.Load(path)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Load: %v (%s)", err, tc.reason)
			case tc.want == "" && f.Apply(runtime.Options{}).Budget != 2*time.Millisecond:
				t.Errorf("Apply: budget %v, want 2ms", f.Apply(runtime.Options{}).Budget)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Load error %v, want one mentioning %q (%s)", err, tc.want, tc.reason)
			}
		})
	}
}
