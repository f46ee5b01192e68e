package runtime

import (
	"math"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// jsonSamples are texts both paths of parseJSON must agree on, including
// those the fast path leaves to the general one.
var jsonSamples = []string{
	`{}`, `[]`, ` { "a" : 1 } `, `{"a":[1,2,{"b":null}],"c":true,"d":false}`,
	`{"clientIp":"203.0.113.7","endpoint":"d111111abcdef8.cloudfront.net","distributionId":"E123"}`,
	`{"n":-0,"m":0,"f":1.5,"e":1e3,"E":-2E-3,"big":123456789012345678901234567890,"inf":1e309,"tiny":1e-400}`,
	`{"n":999999999999999,"m":-999999999999999,"k":9999999999999999}`,
	`{"s":"tab\there \"quoted\" \\ \/ \b\f\n\r \u00e9\u4e2d"}`,
	`{"s":"\ud83d\ude00 pair","t":"\ud800 lone","u":"\udc00"}`,
	"{\"raw\":\"caf\xc3\xa9 \xe4\xb8\xad\"}", "{\"bad\":\"\xff\"}",
	`{"a":1,"a":2,"b":3}`, `{"__proto__":{"x":1}}`, `[1,[2,[3,[4]]]]`,
	`{"a":01}`, `{"a":1,}`, `[1,]`, `{"a"}`, `{"a":tru}`, `{"a":"ctrl` + "\x01" + `"}`, `{"a":1} x`, ``, ` `, `"str"`, `-`, `1.`, `1e`, `{"a":-}`,
	strings.Repeat("[", 600) + strings.Repeat("]", 600), `{"a":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`,
	strings.Repeat("[", 9500) + strings.Repeat("]", 9500), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`{"x":"\u0000\u001f"}`, `{"e":"\q"}`, `{"u":"\u12"}`, `{"u":"\ud83d\u0041"}`, `{"u":"\udc00\ud800"}`, `{"u":"\ud83dx"}`,
	"{\"bad\":\"a\xff\xfeb\xc3\"}", "{\"k\xff\":1}",
}

func TestFastJSONAgrees(t *testing.T) {
	for _, s := range jsonSamples {
		checkJSONPaths(t, []byte(s))
	}
}

// TestFastJSONTakesValidText: every valid text of moderate depth stays on
// the fast path, so that no input is parsed twice (which would inflate its
// compute utilization).
func TestFastJSONTakesValidText(t *testing.T) {
	vm := goja.New()
	for _, s := range jsonSamples {
		_, general := parseJSONGeneral(vm, []byte(s))
		_, fast := fastJSON(vm, []byte(s))
		if valid := general == nil; valid && !fast && strings.Count(s, "[") < maxFastDepth {
			t.Errorf("%q: valid JSON left to the general path", s)
		}
	}
}

func FuzzFastJSON(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkJSONPaths(t, data) })
}

// checkJSONPaths parses data both ways: where the fast path gives a value,
// the general path must give the same one.
func checkJSONPaths(t *testing.T, data []byte) {
	t.Helper()
	vm := goja.New()
	fast, ok := fastJSON(vm, data)
	general, err := parseJSONGeneral(vm, data)
	if !ok {
		return // the general path alone decides
	}
	if err != nil {
		t.Fatalf("%q: the fast path accepted what the general path refuses (%v)", data, err)
	}
	if why := differ(fast, general); why != "" {
		t.Fatalf("%q: the paths differ: %s", data, why)
	}
}

// differ says how two parsed JSON values differ ("" when they do not):
// types, numbers to the bit, strings, keys in order, elements.
func differ(a, b goja.Value) string {
	switch {
	case goja.IsNull(a) || goja.IsNull(b):
		if goja.IsNull(a) != goja.IsNull(b) {
			return "null vs non-null"
		}
		return ""
	}
	ao, aObj := a.(*goja.Object)
	bo, bObj := b.(*goja.Object)
	if aObj != bObj {
		return "object vs primitive"
	}
	if aObj {
		if ao.ClassName() != bo.ClassName() {
			return "class " + ao.ClassName() + " vs " + bo.ClassName()
		}
		ak, bk := ao.Keys(), bo.Keys()
		if strings.Join(ak, "\x00") != strings.Join(bk, "\x00") {
			return "keys " + strings.Join(ak, ",") + " vs " + strings.Join(bk, ",")
		}
		for _, k := range ak {
			if why := differ(ao.Get(k), bo.Get(k)); why != "" {
				return k + ": " + why
			}
		}
		return ""
	}
	if a.ExportType() != b.ExportType() {
		if _, an := a.Export().(int64); !an {
			if _, bn := b.Export().(int64); !bn {
				return "type " + a.ExportType().String() + " vs " + b.ExportType().String()
			}
		}
	}
	if af, bf := a.ToFloat(), b.ToFloat(); isNumber(a) && math.Float64bits(af) != math.Float64bits(bf) && !(math.IsNaN(af) && math.IsNaN(bf)) {
		return "number " + a.String() + " vs " + b.String()
	}
	if a.String() != b.String() {
		return "string " + a.String() + " vs " + b.String()
	}
	return ""
}

func isNumber(v goja.Value) bool {
	switch v.Export().(type) {
	case int64, float64:
		return true
	}
	return false
}
