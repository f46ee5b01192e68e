package runtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestUtilizationModel checks the documented model on runs whose CPU time
// is controlled by the budget: a trivial function with a huge budget is 0
// plus the base, a timeout is at least 100, and MaxUtilization caps.
func TestUtilizationModel(t *testing.T) {
	loop := handler("for (;;) {}")
	tests := []struct {
		name, reason, code string
		opts               runtime.Options
		min, max           int
	}{
		{name: "trivial", reason: "no base: a trivial run is near 0", code: handler("connection.allow();"), opts: runtime.Options{Budget: time.Hour}, min: 0, max: 0},
		{name: "base", reason: "the fixed cost per run is added", code: handler("connection.allow();"), opts: runtime.Options{Budget: time.Hour, UtilizationBase: 12}, min: 12, max: 12},
		{name: "negative base", reason: "never below 0", code: handler("connection.allow();"), opts: runtime.Options{Budget: time.Hour, UtilizationBase: -5}, min: 0, max: 0},
		{name: "timeout", reason: "a TimeoutError reports at least 100", code: loop, opts: runtime.Options{Budget: time.Hour, TimeLimit: 2 * time.Millisecond}, min: 100, max: 100},
		{name: "timeout uncapped", reason: "over the budget is reported as it is", code: loop, opts: runtime.Options{Budget: time.Millisecond, TimeLimit: 3 * time.Millisecond}, min: 300, max: 100000},
		{name: "timeout capped", reason: "MaxUtilization caps", code: loop, opts: runtime.Options{Budget: time.Millisecond, TimeLimit: 3 * time.Millisecond, MaxUtilization: 100}, min: 100, max: 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := execute(t, tc.opts, tc.code, modelObject, nil)
			if res.Utilization < tc.min || res.Utilization > tc.max {
				t.Errorf("utilization %d, want %d..%d (%s); cpu %v, error %q", res.Utilization, tc.min, tc.max, tc.reason, res.CPUTime, res.Error)
			}
		})
	}
}

// TestFormats checks that Options.Formats renders errors and outputs.
func TestFormats(t *testing.T) {
	planted := runtime.Formats{Error: "Uncaught {name}: {message}{location}", Location: " (line {line}, column {column})", Output: `{"action":"{decision}","data":"{customData}","error":"{errorName}"}`}
	tests := []struct {
		name, reason, code string
		formats            runtime.Formats
		wantError          string
		wantOutput         string
	}{
		{name: "default", reason: "the zero Formats is the emulator's own", code: handler("connection.allow();\nthrow new Error('m');"),
			wantError: "Error: m at line 3:7", wantOutput: `{"decision":"allow","calls":["allow"],"customData":"","error":{"name":"Error","line":3,"column":7}}`},
		{name: "planted", reason: "every placeholder is rendered", code: handler("connection.logCustomData('a\"<b');\nthrow new TypeError('m');"), formats: planted,
			wantError: "Uncaught TypeError: m (line 3, column 7)", wantOutput: `{"action":"none","data":"a\"<b","error":"TypeError"}`},
		{name: "no location", reason: "{location} is empty when the position is unknown", code: "var connectionHandler = 1;", formats: planted,
			wantError: "Uncaught TypeError: connectionHandler is not a function", wantOutput: `{"action":"none","data":"","error":"TypeError"}`},
		{name: "syntax", reason: "syntax errors use the format too", code: "function connectionHandler( {", formats: planted,
			wantError: "Uncaught SyntaxError: Unexpected end of input (line 1, column 30)", wantOutput: `{"action":"none","data":"","error":"SyntaxError"}`},
		{name: "message braces", reason: "placeholders in the message are not expanded", code: handler("throw new Error('{location}{name}');"), formats: planted,
			wantError: "Uncaught Error: {location}{name} (line 2, column 7)", wantOutput: `{"action":"none","data":"","error":"Error"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := execute(t, runtime.Options{Formats: tc.formats}, tc.code, modelObject, nil)
			if res.Error != tc.wantError {
				t.Errorf("Error %q, want %q (%s)", res.Error, tc.wantError, tc.reason)
			}
			if got := res.OutputJSON(); got != tc.wantOutput {
				t.Errorf("OutputJSON %s, want %s (%s)", got, tc.wantOutput, tc.reason)
			}
		})
	}
}

// modelObject is a minimal connection object.
const modelObject = `{"clientIp":"203.0.113.7","clientCertificate":{"certificatesPresent":true}}`

// TestModelInWorkers checks that the model's options reach worker
// processes: the formats and the base apply there too.
func TestModelInWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a worker process")
	}
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1, Options: runtime.Options{
		Budget: time.Hour, UtilizationBase: 7, MaxUtilization: 100,
		Formats: runtime.Formats{Error: "E[{name}|{message}]{location}", Location: "@{line}", Output: "{decision}/{errorName}"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	res, err := pool.Execute(context.Background(), runtime.Request{Code: []byte(handler("throw new TypeError('m');")), Object: []byte(modelObject), Seed: 1, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "E[TypeError|m]@2" || res.OutputJSON() != "none/TypeError" || res.Utilization != 7 {
		t.Errorf("in a worker: error %q, output %q, utilization %d; want E[TypeError|m]@2, none/TypeError, 7", res.Error, res.OutputJSON(), res.Utilization)
	}
}
