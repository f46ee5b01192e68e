// Package calibrate fits the emulator to a real target by record and
// replay. Record deploys a fixed suite of probe functions (known amounts of
// work, thrown errors of each kind, output and log shapes, malformed
// connection objects, limits) to a target through the AWS SDK for Go v2,
// runs them with TestConnectionFunction, and keeps every answer in a
// versioned JSON File together with the emulator's own CPU time for each
// work probe. Fit turns the recordings into a utilization scale (least
// squares, with its R²), a time limit, a cap, and the target's error and
// output formats; File.Apply puts them into runtime.Options. Check replays
// the recorded probes on the emulator and lists every answer that differs,
// so a recording is also a differential baseline that needs no credentials
// later. The model the fit feeds is described in docs/runtime.md
// ("Utilization and the time limit").
package calibrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// Version is the calibration file format this package writes and reads.
const Version = 1

// File is a calibration: the recorded answers of a target to the probe
// suite and what was fitted from them.
type File struct {
	// Version is the file format (Version).
	Version int `json:"version"`
	// Target is what was recorded: "aws" or the endpoint URL.
	Target string `json:"target"`
	// Recorded is when the recording was made.
	Recorded time.Time `json:"recorded"`
	// Cffuzz is the version of cffuzz that recorded it.
	Cffuzz string `json:"cffuzz,omitempty"`
	// Repeats is how many times each work probe ran on each side.
	Repeats int `json:"repeats"`
	// HostSpeedFactor is the host-speed factor of the machine that
	// recorded (runtime.SpeedFactor): its emulator CPU times, and so the
	// fitted budget and time limit, are on the reference machine's scale,
	// and apply on any machine whose emulator scales its own CPU time the
	// same way. Files recorded before it existed (0) hold that machine's
	// raw CPU time, which is taken as the reference scale.
	HostSpeedFactor float64 `json:"hostSpeedFactor,omitempty"`
	// Probes are the probes and their answers, in suite order.
	Probes []Recording `json:"probes"`
	// Fit is what was fitted from the answers.
	Fit Fit `json:"fit"`
}

// Recording is one probe and the target's answer to it.
type Recording struct {
	Probe
	// Target is the target's answer.
	Target Answer `json:"target"`
	// EmulatorCPUMillis is the least CPU time of the probe's runs on the
	// emulator's runtime, for work probes (milliseconds, on the reference
	// machine's scale: see File.HostSpeedFactor).
	EmulatorCPUMillis float64 `json:"emulatorCpuMs,omitempty"`
}

// Answer is what a target answered to one probe: the API error when it
// refused, otherwise the ConnectionFunctionTestResult fields.
type Answer struct {
	// Deploy is the error of creating the probe's function ("" when it
	// was created); then nothing else is set.
	Deploy string `json:"deploy,omitempty"`
	// Status is the HTTP status of TestConnectionFunction; ErrorCode and
	// ErrorMessage the API error when it was not 200.
	Status       int    `json:"status,omitempty"`
	ErrorCode    string `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	// Utilizations are ComputeUtilization of every run (-1: missing).
	Utilizations []int `json:"utilizations,omitempty"`
	// FunctionError is ConnectionFunctionErrorMessage.
	FunctionError string `json:"functionError,omitempty"`
	// Logs are ConnectionFunctionExecutionLogs.
	Logs []string `json:"logs,omitempty"`
	// Output is ConnectionFunctionOutput.
	Output string `json:"output,omitempty"`
}

// Utilization is the least of the answer's utilizations, or -1: noise in
// CPU time (other load, garbage collection, page faults) only ever adds, so
// the least disturbed run is the best estimate of the work itself.
func (a Answer) Utilization() int {
	var us []float64
	for _, u := range a.Utilizations {
		if u >= 0 {
			us = append(us, float64(u))
		}
	}
	if len(us) == 0 {
		return -1
	}
	return int(slices.Min(us) + 0.5)
}

// Fit is the model fitted to a recording (docs/runtime.md).
type Fit struct {
	// Scale is the target's utilization points per millisecond of emulator
	// CPU time, Base the target's utilization of an empty run: the line
	// utilization = Base + Scale × CPU through the work probes that
	// finished (the least of the repeats on each side), fitted robustly (Theil–Sen: the
	// median of the pairwise slopes). R2 is its coefficient of
	// determination and Points the number of probes it was fitted to.
	// LeastSquaresScale is the ordinary least-squares slope, for
	// comparison: far from Scale, a few runs were disturbed.
	Scale             float64 `json:"scale"`
	Base              float64 `json:"base"`
	R2                float64 `json:"r2"`
	Points            int     `json:"points"`
	LeastSquaresScale float64 `json:"leastSquaresScale"`
	// BudgetMillis is 100/Scale: the emulator CPU time that is 100 points
	// (on the reference machine's scale, as every emulator CPU time here).
	BudgetMillis float64 `json:"budgetMs"`
	// TimeLimitMillis is the emulator CPU time after which the target
	// stops a function: between the largest work probe that finished there
	// and the smallest that did not, or, when all finished, twice the
	// largest (and at least 4 budgets).
	TimeLimitMillis float64 `json:"timeLimitMs"`
	// MaxUtilization is the largest utilization the target reports when
	// it clamps (0: values above 100 were seen, no cap).
	MaxUtilization int `json:"maxUtilization,omitempty"`
	// Formats are the target's error and output formats where they differ
	// from the emulator's defaults (empty fields: the defaults).
	Formats runtime.Formats `json:"formats"`
	// Notes say what could not be fitted and why.
	Notes []string `json:"notes,omitempty"`
}

// Apply returns o with the calibration's budget, base, cap, time limit and
// formats. Fields a user set explicitly should be set after Apply.
func (f *File) Apply(o runtime.Options) runtime.Options {
	fit := f.Fit
	if fit.BudgetMillis > 0 {
		o.Budget = millis(fit.BudgetMillis)
		o.UtilizationBase = int(fit.Base + 0.5)
		if fit.Base < 0 {
			o.UtilizationBase = -int(-fit.Base + 0.5)
		}
	}
	if fit.TimeLimitMillis > 0 {
		o.TimeLimit = millis(fit.TimeLimitMillis)
	}
	o.MaxUtilization = fit.MaxUtilization
	o.Formats = fit.Formats
	return o
}

func millis(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

// Load reads a calibration file and checks its version.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w (record one with fuzz calibrate --target aws --out %s)", err, path)
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("calibration: %s is not a calibration file: %v", path, err)
	}
	switch {
	case f.Version == 0:
		return nil, fmt.Errorf("calibration: %s has no version: is it a calibration file written by fuzz calibrate?", path)
	case f.Version != Version:
		return nil, fmt.Errorf("calibration: %s is version %d; this cffuzz reads version %d: record it again with fuzz calibrate", path, f.Version, Version)
	case len(f.Probes) == 0:
		return nil, fmt.Errorf("calibration: %s records no probes", path)
	case f.Fit.BudgetMillis < 0 || f.Fit.TimeLimitMillis < 0 || f.Fit.MaxUtilization < 0:
		return nil, fmt.Errorf("calibration: %s has a negative budget, time limit or cap", path)
	}
	return &f, nil
}

// Save writes f to path atomically (a temporary file renamed into place).
func (f *File) Save(path string) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".calibration-*")
	if err != nil {
		return fmt.Errorf("calibration: write %s: %w", path, err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("calibration: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("calibration: write %s: %w", path, err)
	}
	return nil
}
