package benchfuncs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/benchfuncs"
)

const validEntry = `{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[{"oracle":"crash","kind":"TypeError","line":3,"trigger":{"clientIp":"1.2.3.4"}}]}`

// wrap makes a manifest of one entry.
func wrap(entry string) string { return `{"functions":[` + entry + `]}` }

func TestParse(t *testing.T) {
	tests := []struct {
		reason  string
		in      string
		wantErr string // substring; "" means success
	}{
		{"a planted bug with one crash", `{"functions":[` + validEntry + `]}`, ""},
		{"a clean function", `{"functions":[{"name":"c","file":"c.js","clean":true,"expect":[]}]}`, ""},
		{"a property finding named after its file", `{"functions":[{"name":"p","file":"p.js","property":"props/no-expired.js","clean":false,"bug":"b","expect":[{"oracle":"property","kind":"no-expired","line":0,"trigger":{}}]}]}`, ""},
		{"not JSON", `functions`, "not valid JSON"},
		{"unknown field, probably a typo", `{"functions":[{"name":"f","file":"f.js","clean":true,"expect":[],"bugg":"x"}]}`, "unknown field"},
		{"trailing data", `{"functions":[` + validEntry + `]} {}`, "data after"},
		{"no functions", `{"functions":[]}`, "no functions"},
		{"duplicate names", `{"functions":[` + validEntry + `,` + validEntry + `]}`, "duplicate name"},
		{"bad name", `{"functions":[{"name":"Bad Name","file":"f.js","clean":true,"expect":[]}]}`, "name must be"},
		{"file is not JavaScript", `{"functions":[{"name":"f","file":"f.ts","clean":true,"expect":[]}]}`, ".js"},
		{"clean function with an expectation", `{"functions":[{"name":"f","file":"f.js","clean":true,"expect":[{"oracle":"crash","kind":"TypeError","line":1,"trigger":{}}]}]}`, "clean function"},
		{"planted bug without expectation", `{"functions":[{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[]}]}`, "needs"},
		{"unknown oracle", wrap(strings.Replace(validEntry, `"crash"`, `"oops"`, 1)), "oracle"},
		{"crash without line", wrap(strings.Replace(validEntry, `"line":3`, `"line":0`, 1)), "line"},
		{"empty kind", wrap(strings.Replace(validEntry, `"TypeError"`, `""`, 1)), "kind"},
		{"utilization with an unknown kind", `{"functions":[{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[{"oracle":"utilization","kind":"slow","line":0,"trigger":{}}]}]}`, "utilization kind"},
		{"utilization with a line", `{"functions":[{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[{"oracle":"utilization","kind":"over-100","line":4,"trigger":{}}]}]}`, "only crashes"},
		{"decision with an unknown kind", `{"functions":[{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[{"oracle":"decision","kind":"maybe","line":0,"trigger":{}}]}]}`, "decision kind"},
		{"property finding without property file", `{"functions":[{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[{"oracle":"property","kind":"p","line":0,"trigger":{}}]}]}`, "property"},
		{"property kind not the file's name", `{"functions":[{"name":"f","file":"f.js","property":"a.js","clean":false,"bug":"b","expect":[{"oracle":"property","kind":"b","line":0,"trigger":{}}]}]}`, "named after its file"},
		{"trigger missing", wrap(strings.Replace(validEntry, `,"trigger":{"clientIp":"1.2.3.4"}`, ``, 1)), "trigger"},
		{"trigger not an object", wrap(strings.Replace(validEntry, `{"clientIp":"1.2.3.4"}`, `[1]`, 1)), "trigger"},
		{"trigger over 40960 bytes", wrap(strings.Replace(validEntry, `"1.2.3.4"`, `"`+strings.Repeat("x", 41000)+`"`, 1)), "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			m, err := benchfuncs.Parse(strings.NewReader(tt.in))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(m.Functions) == 0 {
					t.Fatal("Parse returned no functions")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse error = %v; want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseCompactsTriggers(t *testing.T) {
	m, err := benchfuncs.Parse(strings.NewReader(`{"functions":[{"name":"f","file":"f.js","clean":false,"bug":"b","expect":[{"oracle":"crash","kind":"TypeError","line":1,"trigger":{ "clientIp" : "::1" ,
	"x": [1, 2] }}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(m.Functions[0].Expect[0].Trigger), `{"clientIp":"::1","x":[1,2]}`; got != want {
		t.Errorf("trigger = %s; want %s", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	write := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, body := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	clean := func(extra string) string {
		return `{"functions":[{"name":"c","file":"c.js","clean":true,"expect":[]` + extra + `}]}`
	}
	tests := []struct {
		reason  string
		files   map[string]string
		wantErr string
	}{
		{"no manifest", map[string]string{}, "benchmark directory"},
		{"bad manifest", map[string]string{"manifest.json": "{"}, "not valid JSON"},
		{"function file missing", map[string]string{"manifest.json": clean("")}, "c.js"},
		{"function over 10 KB", map[string]string{"manifest.json": clean(""), "c.js": strings.Repeat(" ", 10241)}, "quota"},
		{"absolute path", map[string]string{"manifest.json": `{"functions":[{"name":"c","file":"/etc/c.js","clean":true,"expect":[]}]}`}, "relative"},
		{"property file missing", map[string]string{"manifest.json": clean(`,"property":"p.js"`), "c.js": "x"}, "property"},
		{"kvs file missing", map[string]string{"manifest.json": clean(`,"kvs":"k.json"`), "c.js": "x"}, "kvs"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			_, err := benchfuncs.Load(write(t, tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Load error = %v; want one containing %q", err, tt.wantErr)
			}
		})
	}

	t.Run("a bad KVS file fails in Store, naming the function", func(t *testing.T) {
		m, err := benchfuncs.Load(write(t, map[string]string{"manifest.json": clean(`,"kvs":"k.json"`), "c.js": "x", "k.json": `{"data":[{"key":""}]}`}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Functions[0].Store(); err == nil || !strings.Contains(err.Error(), `"c"`) {
			t.Fatalf("Store error = %v; want one naming function \"c\"", err)
		}
	})
}

func TestExpectMatches(t *testing.T) {
	crash := benchfuncs.Expect{Oracle: "crash", Kind: "TypeError", Line: 12}
	over70 := benchfuncs.Expect{Oracle: "utilization", Kind: "over-70"}
	over100 := benchfuncs.Expect{Oracle: "utilization", Kind: "over-100"}
	timeout := benchfuncs.Expect{Oracle: "utilization", Kind: "TimeoutError"}
	prop := benchfuncs.Expect{Oracle: "property", Kind: "no-expired"}
	tests := []struct {
		reason string
		e      benchfuncs.Expect
		s      cffuzz.Signal
		want   bool
	}{
		{"same crash at the same line", crash, cffuzz.Signal{Oracle: "crash", Kind: "TypeError", Line: 12, Column: 7}, true},
		{"same crash at another line is another bug", crash, cffuzz.Signal{Oracle: "crash", Kind: "TypeError", Line: 13}, false},
		{"another error name", crash, cffuzz.Signal{Oracle: "crash", Kind: "RangeError", Line: 12}, false},
		{"another oracle", crash, cffuzz.Signal{Oracle: "decision", Kind: "TypeError", Line: 12}, false},
		{"over-100 is worse than over-70", over70, cffuzz.Signal{Oracle: "utilization", Kind: "over-100"}, true},
		{"a timeout is worse than over-100", over100, cffuzz.Signal{Oracle: "utilization", Kind: "TimeoutError"}, true},
		{"over-70 is not enough for over-100", over100, cffuzz.Signal{Oracle: "utilization", Kind: "over-70"}, false},
		{"over-100 is not a timeout", timeout, cffuzz.Signal{Oracle: "utilization", Kind: "over-100"}, false},
		{"an unknown utilization kind", over70, cffuzz.Signal{Oracle: "utilization", Kind: "huge"}, false},
		{"the property by name", prop, cffuzz.Signal{Oracle: "property", Kind: "no-expired"}, true},
		{"another property", prop, cffuzz.Signal{Oracle: "property", Kind: "no-revoked"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := tt.e.Matches(tt.s); got != tt.want {
				t.Errorf("Matches(%+v) = %v; want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestLookupAndPropertyName(t *testing.T) {
	m := loadBench(t)
	f, ok := m.Lookup("demo")
	if !ok {
		t.Fatal(`Lookup("demo"): not found`)
	}
	if got := f.PropertyName(); got != "demo-property" {
		t.Errorf("PropertyName = %q; want demo-property", got)
	}
	if _, ok := m.Lookup("no-such-function"); ok {
		t.Error("Lookup found a function that is not in the manifest")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(`{"functions":[` + validEntry + `]}`)
	f.Add(`{"functions":[{"name":"c","file":"c.js","clean":true,"expect":[]}]}`)
	f.Add(`{"functions":[{"name":"p","file":"p.js","property":"x/p.js","clean":false,"bug":"b","expect":[{"oracle":"property","kind":"p","line":0,"trigger":{}}]}]}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, in string) {
		m, err := benchfuncs.Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		// Whatever Parse accepts is a usable benchmark.
		seen := map[string]bool{}
		for _, fn := range m.Functions {
			if seen[fn.Name] || fn.Clean != (len(fn.Expect) == 0) {
				t.Fatalf("Parse accepted an inconsistent manifest: %+v", fn)
			}
			seen[fn.Name] = true
			for _, e := range fn.Expect {
				if len(e.Trigger) == 0 || e.Trigger[0] != '{' || len(e.Trigger) > benchfuncs.MaxObjectBytes {
					t.Fatalf("Parse accepted trigger %q", e.Trigger)
				}
			}
		}
	})
}

func ExampleLoad() {
	m, err := benchfuncs.Load(filepath.Join("..", "..", "testdata", "bench"))
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := m.Lookup("ocsp-unknown-no-decision")
	e := f.Expect[0]
	fmt.Println(f.File, e.Oracle, e.Kind)
	fmt.Println(e.Matches(cffuzz.Signal{Oracle: "decision", Kind: "no-decision"}))
	// Output:
	// b09-ocsp-unknown.js decision no-decision
	// true
}

func TestExpectMatchesFinding(t *testing.T) {
	tests := []struct {
		reason string
		e      benchfuncs.Expect
		f      cffuzz.Finding
		want   bool
	}{
		{"a crash with the same name and line", benchfuncs.Expect{Oracle: "crash", Kind: "TypeError", Line: 7},
			cffuzz.Finding{Oracle: "crash", Kind: "TypeError", Line: 7, Severity: cffuzz.SeverityHigh}, true},
		{"a crash on another line is another bug", benchfuncs.Expect{Oracle: "crash", Kind: "TypeError", Line: 7},
			cffuzz.Finding{Oracle: "crash", Kind: "TypeError", Line: 8}, false},
		{"another error name is another bug", benchfuncs.Expect{Oracle: "crash", Kind: "TypeError", Line: 7},
			cffuzz.Finding{Oracle: "crash", Kind: "RangeError", Line: 7}, false},
		{"a timeout is a high slow finding", benchfuncs.Expect{Oracle: "utilization", Kind: benchfuncs.KindTimeout},
			cffuzz.Finding{Oracle: "utilization", Kind: "slow", Severity: cffuzz.SeverityHigh}, true},
		{"a medium slow finding is not a timeout", benchfuncs.Expect{Oracle: "utilization", Kind: benchfuncs.KindOver100},
			cffuzz.Finding{Oracle: "utilization", Kind: "slow", Severity: cffuzz.SeverityMedium}, false},
		{"over-70 is matched by a worse band", benchfuncs.Expect{Oracle: "utilization", Kind: benchfuncs.KindOver70},
			cffuzz.Finding{Oracle: "utilization", Kind: "slow", Severity: cffuzz.SeverityHigh}, true},
		{"a property by its name", benchfuncs.Expect{Oracle: "property", Kind: "admin-vpn-only"},
			cffuzz.Finding{Oracle: "property", Kind: "admin-vpn-only"}, true},
		{"another oracle never matches", benchfuncs.Expect{Oracle: "decision", Kind: "no-decision"},
			cffuzz.Finding{Oracle: "crash", Kind: "no-decision"}, false},
	}
	for _, tt := range tests {
		if got := tt.e.MatchesFinding(tt.f); got != tt.want {
			t.Errorf("%s: MatchesFinding = %v, want %v", tt.reason, got, tt.want)
		}
	}
}
