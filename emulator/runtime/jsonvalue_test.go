package runtime_test

import (
	"testing"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// TestConnectionObjectJSON checks that the connection object is what
// JSON.parse would make of it, where goja's own JSON.parse differs.
func TestConnectionObjectJSON(t *testing.T) {
	tests := []struct {
		reason, obj, expr, want, wantErr string
	}{
		{"a number beyond float64 is Infinity, as in JSON.parse", `{"x":1e309}`, "String(connection.x)", "Infinity", ""},
		{"a negative one is -Infinity", `{"x":-1e309}`, "String(connection.x)", "-Infinity", ""},
		{"an underflow is 0", `{"x":1e-400}`, "String(connection.x)", "0", ""},
		{"keys keep their order", `{"b":1,"a":2,"c":3}`, "Object.keys(connection).join(',')", "b,a,c", ""},
		{"a duplicate key keeps its last value", `{"a":1,"a":2}`, "String(connection.a)", "2", ""},
		{"__proto__ is an own property, not the prototype", `{"__proto__":{"polluted":1}}`,
			"String(connection.polluted) + ',' + Object.keys(connection).join(',') + ',' + (Object.getPrototypeOf(connection) === Object.prototype)",
			"undefined,__proto__,true", ""},
		{"arrays and nesting", `{"a":[1,[2,{"b":null}],true]}`, "JSON.stringify(connection.a)", `[1,[2,{"b":null}],true]`, ""},
		{"trailing data is not JSON", `{"a":1} x`, "1", "", "SyntaxError"},
		{"a truncated object is not JSON", `{"a":`, "1", "", "SyntaxError"},
		{"a top-level array is not a connection object", `[1,2]`, "1", "", "TypeError"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			res := execute(t, runtime.Options{}, handler("console.log("+tt.expr+"); connection.allow();"), tt.obj, nil)
			if tt.wantErr != "" {
				if res.ErrorName != tt.wantErr {
					t.Fatalf("%s: got error %q (%s), want a %s", tt.reason, res.Error, res.ErrorName, tt.wantErr)
				}
				return
			}
			if res.Error != "" || logs(res) != tt.want {
				t.Fatalf("%s: got logs %q error %q, want %q", tt.reason, logs(res), res.Error, tt.want)
			}
		})
	}
}
