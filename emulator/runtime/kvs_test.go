package runtime_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

func TestLoadKVS(t *testing.T) {
	long := strings.Repeat("k", 513)
	tests := []struct{ name, reason, in, wantErr string }{
		{"ok", "the import-file format", `{"data":[{"key":"a","value":"1"},{"key":"b","value":""}]}`, ""},
		{"empty data", "an empty store is fine", `{"data":[]}`, ""},
		{"not json", "clear error", `nope`, "not a KeyValueStore import file"},
		{"no data", "the data array is required", `{}`, `no "data" array`},
		{"missing key", "every entry needs a key", `{"data":[{"value":"1"}]}`, `data[0]: missing "key"`},
		{"missing value", "every entry needs a value", `{"data":[{"key":"a"}]}`, `missing "value"`},
		{"empty key", "keys are 1-512 bytes", `{"data":[{"key":"","value":"1"}]}`, "empty key"},
		{"long key", "keys are at most 512 bytes", `{"data":[{"key":"` + long + `","value":"1"}]}`, "key is 513 bytes, the limit is 512"},
		{"long value", "values are at most 1 KB", `{"data":[{"key":"a","value":"` + strings.Repeat("v", 1025) + `"}]}`, "value is 1025 bytes, the limit is 1024"},
		{"duplicate", "keys are unique", `{"data":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}`, "duplicate key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kvs, err := runtime.LoadKVS(strings.NewReader(tt.in))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("LoadKVS: %v (%s)", err, tt.reason)
				}
				out, _ := json.Marshal(kvs)
				back, err := runtime.LoadKVS(strings.NewReader(string(out)))
				if err != nil || back.Len() != kvs.Len() {
					t.Errorf("round trip through MarshalJSON failed: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("LoadKVS error = %v, want it to contain %q (%s)", err, tt.wantErr, tt.reason)
			}
		})
	}
	kvs, _ := runtime.LoadKVS(strings.NewReader(`{"data":[{"key":"b","value":"2"},{"key":"a","value":"1"}]}`))
	if v, ok := kvs.Get("a"); !ok || v != "1" || strings.Join(kvs.Keys(), ",") != "a,b" {
		t.Errorf("Get/Keys: %q %v %v", v, ok, kvs.Keys())
	}
}

// TestLoadKVSTotalSize checks the total-size limit: a store over 5 MB (the
// quotas page) but under 10 MB (the connection-function page) loads, one
// over 10 MB does not.
func TestLoadKVSTotalSize(t *testing.T) {
	build := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"data":[`)
		v := strings.Repeat("v", 1000)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"key":"k%07d","value":"%s"}`, i, v)
		}
		b.WriteString("]}")
		return b.String()
	}
	if kvs, err := runtime.LoadKVS(strings.NewReader(build(6000))); err != nil || kvs.Len() != 6000 {
		t.Errorf("a 6 MB store: %v, want it loaded (the connection-function page documents 10 MB)", err)
	}
	if _, err := runtime.LoadKVS(strings.NewReader(build(10500))); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("a 10.6 MB store: err = %v, want the size limit", err)
	}
}
