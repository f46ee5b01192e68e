package calibrate

import (
	"math"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestDeriveErrorFormat learns formats from one known error message.
func TestDeriveErrorFormat(t *testing.T) {
	tests := []struct {
		name, reason, msg     string
		errName               string
		line, col             int
		wantError, wantLocate string
		ok                    bool
	}{
		{name: "default", reason: "the emulator's own format", msg: "Error: m at line 7:13", errName: "Error", line: 7, col: 13,
			wantError: "{name}: {message}{location}", wantLocate: " at line {line}:{column}", ok: true},
		{name: "brackets", reason: "a bracketed location keeps its closing bracket", msg: "Uncaught TypeError: m (line 7, column 13)", errName: "TypeError", line: 7, col: 13,
			wantError: "Uncaught {name}: {message}{location}", wantLocate: " (line {line}, column {column})", ok: true},
		{name: "location first", reason: "the location may come before the message", msg: "Error at function.js:7:13: m", errName: "Error", line: 7, col: 13,
			wantError: "{name}{location}: {message}", wantLocate: " at function.js:{line}:{column}", ok: true},
		{name: "no location", reason: "a target that gives no position", msg: "The CloudFront function could not run. Error: m", errName: "Error", line: 7, col: 13,
			wantError: "The CloudFront function could not run. {name}: {message}", wantLocate: runtime.DefaultLocationFormat, ok: true},
		{name: "name inside a word", reason: "only a whole word is the name", msg: "ErrorHandler: Error: m", errName: "Error", line: 0,
			wantError: "ErrorHandler: {name}: {message}", wantLocate: runtime.DefaultLocationFormat, ok: true},
		{name: "message missing", reason: "nothing to anchor on", msg: "TypeError: other text", errName: "TypeError", line: 7, col: 13},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := deriveErrorFormat(tc.msg, tc.errName, "m", tc.line, tc.col)
			if ok != tc.ok || f.Error != tc.wantError || (ok && f.Location != tc.wantLocate) {
				t.Fatalf("got %+v %v, want {Error:%s Location:%s} %v (%s)", f, ok, tc.wantError, tc.wantLocate, tc.ok, tc.reason)
			}
			if ok {
				if got := f.FormatError(tc.errName, "m", tc.line, tc.col); got != tc.msg {
					t.Errorf("the derived format renders %q, want %q (%s)", got, tc.msg, tc.reason)
				}
			}
		})
	}
}

// TestDeriveOutputFormat learns output templates from one output.
func TestDeriveOutputFormat(t *testing.T) {
	allow := runtime.Result{Decision: "allow", Calls: []string{"allow"}, CustomData: "d<1>"}
	failed := runtime.Result{Decision: "none", ErrorName: "TypeError", Error: "TypeError: x"}
	tests := []struct {
		name, reason, out string
		res               runtime.Result
		want              string
	}{
		{name: "action", reason: "a decision word", out: `{"action":"allow"}`, res: allow, want: `{"action":"{decision}"}`},
		{name: "calls and data", reason: "calls before the decision, custom data unescaped", out: `allow ["allow"] d<1>`, res: allow, want: `{decision} {calls} {customData}`},
		{name: "error name", reason: "an error name in the output", out: `{"result":"none","error":"TypeError"}`, res: failed, want: `{"result":"{decision}","error":"{errorName}"}`},
		{name: "nothing", reason: "an output that says nothing of the run", out: `ok`, res: allow, want: ""},
		{name: "empty", reason: "no output", out: ``, res: allow, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := deriveOutputFormat(tc.out, tc.res); got != tc.want {
				t.Errorf("got %q, want %q (%s)", got, tc.want, tc.reason)
			}
		})
	}
}

// work is a finished work probe recording at x ms with utilizations us.
func work(x float64, us ...int) Recording {
	return Recording{Probe: Probe{Name: "work/x", Kind: KindWork}, EmulatorCPUMillis: x, Target: Answer{Status: 200, Utilizations: us}}
}

// stopped is a work probe the target stopped.
func stopped(x float64, u int) Recording {
	r := work(x, u)
	r.Target.FunctionError = "TimeoutError: stopped"
	return r
}

// TestFitFile fits synthetic recordings: the line, a robust slope, the
// time limit bracket and the cap.
func TestFitFile(t *testing.T) {
	tests := []struct {
		name, reason    string
		probes          []Recording
		scale, base     float64
		timeLimit, cap_ float64
		noScale         bool
	}{
		{name: "line", reason: "an exact line is recovered; all finished: 2× the largest", probes: []Recording{work(1, 30), work(2, 50), work(4, 90)},
			scale: 20, base: 10, timeLimit: 20},
		{name: "outlier", reason: "one disturbed run does not tilt the line", probes: []Recording{work(1, 30), work(2, 50), work(3, 70), work(4, 90), work(5, 400)},
			scale: 20, base: 10, timeLimit: 20},
		{name: "bracket", reason: "the limit lies between the largest finished and the smallest stopped", probes: []Recording{work(1, 30), work(2, 50), work(4, 90), stopped(16, 320)},
			scale: 20, base: 10, timeLimit: 8},
		{name: "cap", reason: "a target that never reports more than 100 and reports it when it stops", probes: []Recording{work(1, 30), work(2, 50), work(4, 90), work(6, 100), stopped(8, 100)},
			scale: 20, base: 10, timeLimit: math.Sqrt(6 * 8), cap_: 100},
		{name: "too few", reason: "two points are not a fit", probes: []Recording{work(1, 30), work(2, 50)}, noScale: true, timeLimit: 20},
		{name: "flat", reason: "utilization that does not grow with work", probes: []Recording{work(1, 30), work(2, 30), work(4, 30)}, noScale: true, timeLimit: 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fit := FitFile(&File{Probes: tc.probes})
			if tc.noScale {
				if fit.BudgetMillis != 0 || len(fit.Notes) == 0 {
					t.Errorf("budget %v, notes %q: want no scale and a note (%s)", fit.BudgetMillis, fit.Notes, tc.reason)
				}
			} else if math.Abs(fit.Scale-tc.scale) > 1e-9 || math.Abs(fit.Base-tc.base) > 1e-9 || math.Abs(fit.BudgetMillis-100/tc.scale) > 1e-9 {
				t.Errorf("scale %v base %v budget %v, want %v %v %v (%s)", fit.Scale, fit.Base, fit.BudgetMillis, tc.scale, tc.base, 100/tc.scale, tc.reason)
			}
			if math.Abs(fit.TimeLimitMillis-tc.timeLimit) > 1e-9 {
				t.Errorf("time limit %v, want %v (%s)", fit.TimeLimitMillis, tc.timeLimit, tc.reason)
			}
			if float64(fit.MaxUtilization) != tc.cap_ {
				t.Errorf("cap %d, want %v (%s)", fit.MaxUtilization, tc.cap_, tc.reason)
			}
		})
	}
}

// TestApply puts a fit into runtime options.
func TestApply(t *testing.T) {
	f := &File{Fit: Fit{BudgetMillis: 2.5, Base: 11.6, TimeLimitMillis: 40, MaxUtilization: 100, Formats: runtime.Formats{Output: "{decision}"}}}
	o := f.Apply(runtime.Options{MaxCallStackSize: 7})
	if o.Budget.Microseconds() != 2500 || o.UtilizationBase != 12 || o.TimeLimit.Milliseconds() != 40 || o.MaxUtilization != 100 || o.Formats.Output != "{decision}" || o.MaxCallStackSize != 7 {
		t.Errorf("Apply: %+v", o)
	}
	f.Fit.Base = -3.6
	if o := f.Apply(runtime.Options{}); o.UtilizationBase != -4 {
		t.Errorf("negative base rounds to %d, want -4", o.UtilizationBase)
	}
}

// TestUtilizationDiffs checks that the check lists a kind of work whose
// scale is off, and not one probe disturbed by noise.
func TestUtilizationDiffs(t *testing.T) {
	kind := func(name string, pairs ...[2]int) []workPair {
		var ps []workPair
		for i, p := range pairs {
			ps = append(ps, workPair{name: name + "/" + string(rune('a'+i)), kind: name, emu: p[0], rec: p[1]})
		}
		return ps
	}
	tests := []struct {
		name, reason string
		pairs        []workPair
		want         int
	}{
		{name: "same", reason: "nothing differs", pairs: kind("loop", [2]int{20, 22}, [2]int{50, 45}, [2]int{200, 210}), want: 0},
		{name: "one noisy", reason: "one disturbed probe cannot move its kind's median", pairs: kind("json", [2]int{20, 22}, [2]int{50, 45}, [2]int{500, 210}, [2]int{90, 100}), want: 0},
		{name: "scale", reason: "a kind 5× off lists its probes that differ", pairs: kind("loop", [2]int{4, 20}, [2]int{10, 50}, [2]int{40, 200}, [2]int{1, 3}), want: 3},
		{name: "one kind", reason: "a kind off while another is right", pairs: append(kind("loop", [2]int{20, 22}, [2]int{50, 45}), kind("json", [2]int{100, 30}, [2]int{300, 90})...), want: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := utilizationDiffs(tc.pairs); len(got) != tc.want {
				t.Errorf("%d differences %v, want %d (%s)", len(got), got, tc.want, tc.reason)
			}
		})
	}
}
