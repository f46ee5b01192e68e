package runtime_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
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
