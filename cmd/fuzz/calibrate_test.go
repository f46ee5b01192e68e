package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/cffuzz/cffuzz/emulator/runtime"
	"github.com/cffuzz/cffuzz/internal/calibrate"
)

// planted is a hand-written calibration that makes fuzz emulate differ
// from the emulator's defaults: a fifth of the budget (100 points per ms
// instead of 20) plus a fixed cost of 10, a longer time limit, other error
// and output formats.
var planted = calibrate.Fit{
	Scale: 100, BudgetMillis: 1, Base: 10, TimeLimitMillis: 300,
	Formats: runtime.Formats{Error: "Uncaught {name}: {message}{location}", Location: " (line {line}, column {column})", Output: `{"action":"{decision}"}`},
}

// emulate starts fuzz emulate with args on a free loopback address and
// returns its URL; it stops when the test ends.
func emulate(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"emulate", "--addr", addr, "--isolation", "inprocess"}, args...), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("fuzz emulate exited with %d\nstderr:\n%s", code, stderr.String())
		}
	})
	for !strings.Contains(stdout.String(), "listening on") {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("fuzz emulate exited with %d before listening\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return "http://" + addr
}

// TestCalibrateCommand is the round trip through the CLI: fuzz emulate
// --calibration planted.json stands in for AWS; fuzz calibrate records it
// and recovers the planted scale and formats; fuzz calibrate --check lists
// the differences of the default emulator and none of the calibrated one.
func TestCalibrateCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("records the probe suite and checks it twice (about 10 s; 40 s on an overloaded machine)")
	}
	dir := t.TempDir()
	plantedFile := filepath.Join(dir, "planted.json")
	pf := &calibrate.File{Version: calibrate.Version, Target: "planted", Probes: []calibrate.Recording{{Probe: calibrate.Probes()[0]}}, Fit: planted}
	if err := pf.Save(plantedFile); err != nil {
		t.Fatal(err)
	}
	fn := filepath.Join(dir, "thrower.js")
	if err := os.WriteFile(fn, []byte("function connectionHandler(connection) {\n  throw new RangeError('bad');\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stand := emulate(t, "--calibration", plantedFile, "--function", fn)

	file := filepath.Join(dir, "cal.json")
	r := fuzz(t, "calibrate", "--target", stand, "--out", file, "--quiet")
	mustCode(t, r, exitOK, "fuzz calibrate")
	for _, want := range []string{"utilization = ", "R² ", `error format "Uncaught {name}: {message}{location}"`, `output format "{\"action\":\"{decision}\"}"`, "calibration written to " + file} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("fuzz calibrate's output lacks %q:\n%s", want, r.stdout)
		}
	}
	got, err := calibrate.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(got.Fit.Scale-planted.Scale) / planted.Scale; d > 0.10 || got.Fit.Formats != planted.Formats {
		t.Errorf("recovered scale %.2f and formats %+v, want %.0f within 10%% and %+v", got.Fit.Scale, got.Fit.Formats, planted.Scale, planted.Formats)
	}

	r = fuzz(t, "calibrate", "--check", file, "--quiet")
	mustCode(t, r, exitFindings, "fuzz calibrate --check (the defaults differ from the stand-in)")
	for _, want := range []string{"error/custom ", "output/allow ", "work/loop/2000 ", "differences by field: error ", `target:   "Uncaught Error: cffuzz probe message (line 7, column 13)"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("fuzz calibrate --check does not list %q:\n%s", want, r.stdout)
		}
	}
	r = fuzz(t, "calibrate", "--check", file, "--calibrated", "--quiet")
	mustCode(t, r, exitOK, "fuzz calibrate --check --calibrated")
	if !strings.Contains(r.stdout, "0 of ") {
		t.Errorf("the calibrated check should list nothing:\n%s", r.stdout)
	}

	// The stand-in's preloaded function answers in the planted formats.
	ctx := context.Background()
	client := cloudfront.New(cloudfront.Options{Region: "us-east-1", BaseEndpoint: aws.String(stand),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})
	list, err := client.ListConnectionFunctions(ctx, &cloudfront.ListConnectionFunctionsInput{})
	if err != nil || len(list.ConnectionFunctions) != 1 {
		t.Fatalf("ListConnectionFunctions: %v (probe functions must all be deleted)", err)
	}
	id := list.ConnectionFunctions[0].Id
	desc, err := client.DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: id})
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{Id: id, IfMatch: desc.ETag, ConnectionObject: []byte(calibrate.ProbeObject)})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.ConnectionFunctionTestResult
	if got, want := aws.ToString(tr.ConnectionFunctionErrorMessage), "Uncaught RangeError: bad (line 2, column 9)"; got != want {
		t.Errorf("error message %q, want the calibrated format %q", got, want)
	}
	if got, want := aws.ToString(tr.ConnectionFunctionOutput), `{"action":"none"}`; got != want {
		t.Errorf("output %s, want the calibrated format %s", got, want)
	}
	if u := aws.ToString(tr.ComputeUtilization); u == "0" || u == "1" {
		t.Errorf("utilization %s: the calibrated base (10) is missing", u)
	}
}

// TestRunCalibration runs a campaign with a calibration whose budget is
// tiny: every run of the clean function is then over it, so the
// utilization oracle fires, where without the calibration it does not.
func TestRunCalibration(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.json")
	f := &calibrate.File{Version: calibrate.Version, Target: "test", Probes: []calibrate.Recording{{Probe: calibrate.Probes()[0]}},
		Fit: calibrate.Fit{Scale: 1e4, BudgetMillis: 0.01, TimeLimitMillis: 1000}}
	if err := f.Save(file); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"run", "--out", dir, "--progress", "none", "--corpus", "-", "--function", example("clean.js"), "--kvs", example("demo-kvs.json"),
		"--calibration", file}, quick("40")...)
	r := fuzz(t, args...)
	mustCode(t, r, exitFindings, "a campaign whose calibration makes every run slow")
	var findings struct {
		Findings []struct{ Oracle string } `json:"findings"`
	}
	readJSON(t, filepath.Join(dir, "findings.json"), &findings)
	found := false
	for _, fd := range findings.Findings {
		found = found || fd.Oracle == "utilization"
	}
	if !found {
		t.Errorf("no utilization finding with a 10 µs budget: %+v", findings.Findings)
	}
}

// TestCalibrationFlagErrors checks that a bad calibration file is a usage
// error that says what to do.
func TestCalibrationFlagErrors(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte(`{"version": 99, "probes": [{}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, reason string
		args         []string
		want         string
	}{
		{name: "missing", reason: "a typo must not silently run uncalibrated", args: []string{"run", "--calibration", filepath.Join(dir, "nope.json")}, want: "fuzz calibrate"},
		{name: "version", reason: "another format version is refused", args: []string{"emulate", "--calibration", old}, want: "version 99"},
		{name: "check version", reason: "--check reads the same files", args: []string{"calibrate", "--check", old}, want: "version 99"},
		{name: "no target", reason: "record needs a target", args: []string{"calibrate"}, want: "--target"},
		{name: "bad target", reason: "only aws or a URL", args: []string{"calibrate", "--target", "emulator"}, want: "unknown --target"},
		{name: "both", reason: "record or check, not both", args: []string{"calibrate", "--target", "aws", "--check", old}, want: "not both"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := fuzz(t, tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d mentioning %q (%s)", r.code, r.stderr, exitUsage, tc.want, tc.reason)
			}
		})
	}
}
