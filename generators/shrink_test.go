package generators_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/generators"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"
)

// bigObject is a ~40 KB production object whose leaf serial contains "zz".
func bigObject(t testing.TB) []byte {
	g := newGen(t, generators.Options{Weights: map[string]int{"boundary": 1}})
	for i := uint64(0); ; i++ {
		c := g.Case(5, i)
		if c.Variant == "size-40960" {
			var conn generators.Connection
			if err := json.Unmarshal(c.Object, &conn); err != nil {
				t.Fatal(err)
			}
			leaf := &conn.ClientCertificate.Certificates.Leaf
			leaf.SerialNumber = "00:9e:zz:af:16"
			return conn.Marshal()
		}
	}
}

func serialHasZZ(b []byte) bool {
	var v struct {
		ClientCertificate struct {
			Certificates struct {
				Leaf struct {
					SerialNumber string `json:"serialNumber"`
				} `json:"leaf"`
			} `json:"certificates"`
		} `json:"clientCertificate"`
	}
	return json.Unmarshal(b, &v) == nil && strings.Contains(v.ClientCertificate.Certificates.Leaf.SerialNumber, "zz")
}

func TestMinimizeFindsSmallReproducer(t *testing.T) {
	obj := bigObject(t)
	calls := 0
	min, steps := generators.Minimize(context.Background(), obj, serialHasZZ, generators.MinimizeOptions{Calls: &calls})
	t.Logf("%d bytes -> %d bytes in %d steps, %d predicate calls: %s", len(obj), len(min), steps, calls, min)
	if !serialHasZZ(min) {
		t.Fatalf("minimized input no longer fails: %s", min)
	}
	if len(min) > 300 {
		t.Errorf("minimized to %d bytes, want ≤ 300: %s", len(min), min)
	}
	if !json.Valid(min) || min[0] != '{' {
		t.Errorf("a JSON object must stay a JSON object: %s", min)
	}
	if calls > 2000 {
		t.Errorf("%d predicate calls: minimization should take few calls", calls)
	}
}

func TestMinimizeBounds(t *testing.T) {
	obj := bigObject(t)
	tests := []struct {
		reason    string
		opts      generators.MinimizeOptions
		ctx       func() context.Context
		wantSteps int
		maxCalls  int
	}{
		{"MaxSteps stops after that many accepted steps", generators.MinimizeOptions{MaxSteps: 2}, context.Background, 2, 1 << 30},
		{"MaxCalls stops after that many predicate calls", generators.MinimizeOptions{MaxCalls: 3}, context.Background, -1, 3},
		{"a done context stops at once", generators.MinimizeOptions{}, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, 0, 0},
		{"Keep vetoes candidates without asking the predicate", generators.MinimizeOptions{Keep: func([]byte) bool { return false }}, context.Background, 0, 0},
	}
	for _, tt := range tests {
		calls := 0
		tt.opts.Calls = &calls
		_, steps := generators.Minimize(tt.ctx(), obj, serialHasZZ, tt.opts)
		if (tt.wantSteps >= 0 && steps != tt.wantSteps) || calls > tt.maxCalls {
			t.Errorf("%s: steps %d calls %d, want steps %d calls ≤ %d", tt.reason, steps, calls, tt.wantSteps, tt.maxCalls)
		}
	}
}

func TestMinimizeKeepsProductionClass(t *testing.T) {
	obj := bigObject(t)
	min, _ := generators.Minimize(context.Background(), obj, serialHasZZ, generators.MinimizeOptions{
		Keep: func(b []byte) bool {
			return generators.Validate(b) == nil || bytes.Equal(b, obj) || serialHasZZ(b) && validButSerial(b)
		},
	})
	if !validButSerial(min) {
		t.Errorf("with Keep, the minimized object should keep its production shape: %s", min)
	}
}

// validButSerial validates b with the leaf serial replaced by a valid one.
func validButSerial(b []byte) bool {
	return generators.Validate(bytes.Replace(b, []byte("zz"), []byte("aa"), 1)) == nil
}

func TestMinimizeNonJSON(t *testing.T) {
	obj := []byte(strings.Repeat("garbage ", 500) + "BOOM" + strings.Repeat(" tail", 300))
	fails := func(b []byte) bool { return bytes.Contains(b, []byte("BOOM")) }
	min, steps := generators.Minimize(context.Background(), obj, fails, generators.MinimizeOptions{})
	if string(min) != "BOOM" {
		t.Errorf("ddmin ended at %q after %d steps, want BOOM", min, steps)
	}
}

func TestShrinkCandidates(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		want   string // a candidate that must be offered
	}{
		{"drops a member", `{"a":1,"b":2}`, `{"b":2}`},
		{"keeps duplicate keys and order", `{"a":1,"a":2,"b":3}`, `{"a":1,"a":2}`},
		{"drops array elements", `{"a":[1,2,3]}`, `{"a":[1,3]}`},
		{"empties a subtree", `{"a":{"b":{"c":1}}}`, `{"a":{}}`},
		{"halves strings", `{"s":"abcdefgh"}`, `{"s":"abcd"}`},
		{"simplifies numbers", `{"n":12345}`, `{"n":0}`},
		{"cuts strings on rune boundaries", `{"s":"ééé"}`, `{"s":"é"}`},
		{"bisects non-JSON", "abcdefgh", "abcd"},
		{"removes chunks of non-JSON", "abcdefgh", "abcdefg"},
	}
	for _, tt := range tests {
		found := false
		for _, c := range generators.Shrink([]byte(tt.in)).All() {
			if string(c.([]byte)) == tt.want {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: Shrink(%s) never offers %s", tt.reason, tt.in, tt.want)
		}
	}
}

func TestShrinkKeepsJSONObjects(t *testing.T) {
	in := []byte(`{"clientIp":"1.2.3.4","x":[{"y":"zzzz"},null,true,1.5e3]}`)
	for _, c := range generators.Shrink(in).All() {
		b := c.([]byte)
		if !json.Valid(b) || b[0] != '{' {
			t.Fatalf("candidate %q of a JSON object is not a JSON object", b)
		}
	}
}

// TestConnectionGenShrinks runs a gopter property on the model generator and
// checks that gopter's shrinking (field shrinkers kept through gen.Struct and
// DeriveGen) reaches a small, still production-valid counterexample.
func TestConnectionGenShrinks(t *testing.T) {
	g := newGen(t, generators.Options{})
	params := gopter.DefaultTestParametersWithSeed(11)
	params.MinSuccessfulTests = 200
	res := prop.ForAll(func(c generators.Connection) bool {
		return c.ClientCertificate == nil || len(c.ClientCertificate.Certificates.Intermediates) == 0
	}, g.ConnectionGen()).Check(params)
	if res.Passed() || len(res.Args) != 1 {
		t.Fatalf("the property should fail: some production connections have intermediates; got %+v", res)
	}
	last := res.Args[0].Arg.(generators.Connection)
	t.Logf("%d shrinks", res.Args[0].Shrinks)
	b := last.Marshal()
	if err := generators.Validate(b); err != nil {
		t.Errorf("shrunk counterexample is not production-valid: %v\n%s", err, b)
	}
	if n := len(last.ClientCertificate.Certificates.Intermediates); n != 1 {
		t.Errorf("shrunk counterexample has %d intermediates, want 1", n)
	}
	if len(b) > 900 {
		t.Errorf("shrunk counterexample is %d bytes, want a small one: %s", len(b), b)
	}
	t.Logf("shrunk to %d bytes: %s", len(b), b)
}

func FuzzShrink(f *testing.F) {
	for _, s := range generators.DefaultSeeds() {
		f.Add(s)
	}
	f.Add([]byte(`{"a":[1,{"b":"\ud800"}],"a":null}`))
	f.Add([]byte("\xff{\"x\":"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 4096 {
			return
		}
		wasObject := json.Valid(in) && bytes.HasPrefix(in, []byte("{"))
		next := generators.Shrink(in)
		for i := 0; i < 2000; i++ {
			v, ok := next()
			if !ok {
				break
			}
			c := v.([]byte)
			if len(c) >= len(in) {
				t.Fatalf("candidate %q is not smaller than input %q", c, in)
			}
			if wasObject && (!json.Valid(c) || c[0] != '{') {
				t.Fatalf("candidate %q of JSON object %q is not a JSON object", c, in)
			}
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range generators.DefaultSeeds() {
		f.Add(s)
	}
	f.Add([]byte(`{"clientIp":"::1","endpoint":"d","distributionId":"E","connectionId":"AA=="}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		c := generators.Classify(in)
		if c == "production" && !json.Valid(in) {
			t.Fatalf("invalid JSON %q classified production", in)
		}
	})
}

func BenchmarkMinimize(b *testing.B) {
	obj := bigObject(b)
	for b.Loop() {
		calls := 0
		generators.Minimize(context.Background(), obj, serialHasZZ, generators.MinimizeOptions{Calls: &calls})
		b.ReportMetric(float64(calls), "calls/op")
	}
}

func ExampleMinimize() {
	obj := []byte(`{"clientIp":"203.0.113.42","endpoint":"d1.cloudfront.net","distributionId":"E1","connectionId":"AA==","note":"the bug needs BOOM here"}`)
	fails := func(b []byte) bool { return bytes.Contains(b, []byte("BOOM")) }
	min, steps := generators.Minimize(context.Background(), obj, fails, generators.MinimizeOptions{})
	fmt.Printf("%s (%d steps)\n", min, steps)
	// Output: {"note":"BOOM"} (9 steps)
}
