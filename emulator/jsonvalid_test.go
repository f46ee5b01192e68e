package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

var validJSONSamples = []string{
	`{}`, `[]`, ` {"a":1} `, `{"a":[1,2,{"b":null}],"c":true,"d":false}`, `"s"`, `1`, `-0.5e+3`, `null`,
	`{"a":01}`, `{"a":1,}`, `[1,]`, `{"a"}`, `{"a":tru}`, "{\"a\":\"ctrl\x01\"}", `{"a":1} x`, ``, ` `, `-`, `1.`, `1e`, `.5`, `+1`,
	`{"e":"\q"}`, `{"u":"\u12"}`, `{"u":"\u12g4"}`, `{"u":"\ud800"}`, "{\"bad\":\"\xff\"}", "\"\x7f\"", `[1 2]`, `{"a" 1}`, `{,}`, `[,]`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`{"a":` + strings.Repeat("{\"b\":", 9999) + `1` + strings.Repeat("}", 9999) + `}`,
	`{"a":` + strings.Repeat("{\"b\":", 10000) + `1` + strings.Repeat("}", 10000) + `}`,
	"\"a\\", `"\u00`, `{"a":"b"`, `[`, `{`, `"`, `tru`, `nul`, `falsey`,
}

func TestValidJSONAgrees(t *testing.T) {
	for _, s := range validJSONSamples {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("%.60q: validJSON %v, json.Valid %v", s, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, s := range validJSONSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("%q: validJSON %v, json.Valid %v", b, got, want)
		}
	})
}
