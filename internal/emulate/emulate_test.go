package emulate_test

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/calibrate"
	"github.com/cffuzz/cffuzz/internal/emulate"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		want   emulator.FaultRates
		ok     bool
	}{
		{"empty injects nothing", " ", emulator.FaultRates{}, true},
		{"every kind, with aliases", "throttle=0.05,drop=0.01,503=0.02,internal=0.03,latency=1",
			emulator.FaultRates{Throttling: 0.05, Drop: 0.01, ServiceUnavailable: 0.02, InternalError: 0.03, Latency: 1}, true},
		{"probabilities are at most 1", "drop=1.5", emulator.FaultRates{}, false},
		{"probabilities are not negative", "drop=-0.1", emulator.FaultRates{}, false},
		{"NaN is not a probability", "throttle=NaN", emulator.FaultRates{}, false},
		{"unknown kinds are refused", "gremlins=0.1", emulator.FaultRates{}, false},
		{"a kind needs a rate", "drop", emulator.FaultRates{}, false},
	}
	for _, tt := range tests {
		got, err := emulate.ParseFaults(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("%s: ParseFaults(%q) error %v, want ok=%v", tt.reason, tt.in, err, tt.ok)
			continue
		}
		if tt.ok && got != tt.want {
			t.Errorf("%s: ParseFaults(%q) = %+v, want %+v", tt.reason, tt.in, got, tt.want)
		}
	}
}

// FuzzParseFaults checks that any --faults value is parsed into
// probabilities in [0, 1] or refused, never a panic.
func FuzzParseFaults(f *testing.F) {
	for _, s := range []string{"throttle=0.05,drop=0.01", "503=1", "latency=NaN", "drop=+Inf", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fr, err := emulate.ParseFaults(s)
		if err != nil {
			return
		}
		for _, p := range []float64{fr.Throttling, fr.Drop, fr.ServiceUnavailable, fr.InternalError, fr.Latency} {
			if math.IsNaN(p) || p < 0 || p > 1 {
				t.Fatalf("ParseFaults(%q) accepted the probability %v", s, p)
			}
		}
	})
}

func TestRuntimeOptions(t *testing.T) {
	calib := &calibrate.File{Fit: calibrate.Fit{Scale: 100, BudgetMillis: 1, TimeLimitMillis: 300,
		Formats: runtime.Formats{Output: `{"action":"{decision}"}`}}}
	tests := []struct {
		reason        string
		r             emulate.Runtime
		budget, limit time.Duration
		output        string
	}{
		{"the zero value leaves the runtime's defaults", emulate.Runtime{}, 0, 0, ""},
		{"a calibration gives its model and formats", emulate.Runtime{Calibration: calib}, time.Millisecond, 300 * time.Millisecond, `{"action":"{decision}"}`},
		{"explicit limits win over the calibration", emulate.Runtime{Calibration: calib, Budget: 7 * time.Millisecond, TimeLimit: 9 * time.Millisecond}, 7 * time.Millisecond, 9 * time.Millisecond, `{"action":"{decision}"}`},
	}
	for _, tt := range tests {
		o := tt.r.Options()
		if o.Budget != tt.budget || o.TimeLimit != tt.limit || o.Formats.Output != tt.output {
			t.Errorf("%s: budget %v, time limit %v, output %q; want %v, %v, %q", tt.reason, o.Budget, o.TimeLimit, o.Formats.Output, tt.budget, tt.limit, tt.output)
		}
	}
}

// TestStartServesPreloadedFunctions: a standalone emulator serves the
// functions it preloaded, and its metrics.
func TestStartServesPreloadedFunctions(t *testing.T) {
	dir := t.TempDir()
	fn := filepath.Join(dir, "gate.js")
	if err := os.WriteFile(fn, []byte("function connectionHandler(connection) { connection.allow(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	srv, err := emulate.Start(emulate.Options{Runtime: emulate.Runtime{Isolation: emulate.IsolationInProcess}, Functions: []string{fn}, Publish: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if info, ok := srv.API().Function("gate"); !ok || info.LiveETag == "" {
		t.Errorf("the preloaded function is missing or unpublished: %+v", info)
	}
	if !strings.Contains(log.String(), "function gate: id ") {
		t.Errorf("the preload was not logged: %q", log.String())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/metrics: status %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
}

func TestUnknownIsolation(t *testing.T) {
	_, err := emulate.Runtime{Isolation: "vm"}.NewExecutor(runtime.Options{})
	if !errors.Is(err, emulate.ErrIsolation) || !strings.Contains(err.Error(), `"vm"`) {
		t.Errorf("unknown isolation: %v", err)
	}
	if _, err := emulate.Start(emulate.Options{Runtime: emulate.Runtime{Isolation: emulate.IsolationInProcess}, Functions: []string{"/no/such.js"}}); err == nil {
		t.Error("a missing function file must be an error")
	}
}
