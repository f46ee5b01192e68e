package runtime_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestOutputJSON(t *testing.T) {
	tests := []struct {
		name string
		res  runtime.Result
	}{
		{"allow", runtime.Result{Decision: "allow", Calls: []string{"allow"}}},
		{"none", runtime.Result{}},
		{"error", runtime.Result{Decision: "deny", Calls: []string{"deny", "allow"}, CustomData: "a\"<é>", ErrorName: "TypeError", Error: "TypeError: x at line 3:12", Line: 3, Column: 12}},
	}
	var b strings.Builder
	for _, tt := range tests {
		out := tt.res.OutputJSON()
		if !json.Valid([]byte(out)) {
			t.Errorf("%s: invalid JSON %s", tt.name, out)
		}
		b.WriteString(tt.name + " " + out + "\n")
	}
	golden := filepath.Join("testdata", "golden", "output.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("OutputJSON changed:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestParseOutput(t *testing.T) {
	run := runtime.Result{Decision: "deny", Calls: []string{"deny", "allow"}, CustomData: "<x>", Error: "TypeError: x", ErrorName: "TypeError", Line: 3, Column: 12}
	tests := []struct {
		reason, in string
		want       *runtime.Output
	}{
		{"what OutputJSON writes reads back", run.OutputJSON(), &runtime.Output{Decision: "deny", Calls: []string{"deny", "allow"}, CustomData: "<x>",
			Error: &runtime.OutputError{Name: "TypeError", Line: 3, Column: 12}}},
		{"no decision and no calls", runtime.Result{}.OutputJSON(), &runtime.Output{Decision: "none", Calls: []string{}}},
		{"not JSON (AWS's output, say)", "allowed", nil},
		{"JSON without a valid decision", `{"decision":"maybe"}`, nil},
		{"JSON without a decision", `{"x":1}`, nil},
	}
	for _, tt := range tests {
		got, err := runtime.ParseOutput(tt.in)
		switch {
		case tt.want == nil && err == nil:
			t.Errorf("%s: ParseOutput(%q) = %+v, want an error", tt.reason, tt.in, got)
		case tt.want != nil && err != nil:
			t.Errorf("%s: ParseOutput(%q): %v", tt.reason, tt.in, err)
		case tt.want != nil && !reflect.DeepEqual(got, *tt.want):
			t.Errorf("%s: ParseOutput(%q) = %+v, want %+v", tt.reason, tt.in, got, *tt.want)
		}
	}
}
