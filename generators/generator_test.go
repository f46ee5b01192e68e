package generators_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/generators"
)

var testNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func newGen(t testing.TB, opts generators.Options) *generators.Generator {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	g, err := generators.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestNewRejectsBadWeights(t *testing.T) {
	tests := []struct {
		reason  string
		weights map[string]int
		wantErr string
	}{
		{"unknown family names are typos", map[string]int{"prod": 1}, `unknown family "prod"`},
		{"negative weights make no sense", map[string]int{"production": -1}, "must be ≥ 0"},
		{"some family must be on", map[string]int{"production": 0}, "every family weight is 0"},
	}
	for _, tt := range tests {
		_, err := generators.New(generators.Options{Weights: tt.weights})
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: New(%v) error = %v, want %q", tt.reason, tt.weights, err, tt.wantErr)
		}
	}
}

func TestCaseIsPure(t *testing.T) {
	opts := generators.Options{Wire: true}
	g1, g2 := newGen(t, opts), newGen(t, opts)
	const n = 400
	want := make([]cffuzz.Case, n)
	for i := range want {
		want[i] = g1.Case(42, uint64(i))
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for k := 0; k < n; k++ {
				i := (k*7 + w*13) % n // every goroutine in its own order
				got := g2.Case(42, uint64(i))
				if !sameCase(got, want[i]) {
					t.Errorf("Case(42, %d) differs between calls/goroutines: %s/%s vs %s/%s", i, got.Family, got.Variant, want[i].Family, want[i].Variant)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	distinct := map[string]bool{}
	for _, c := range want {
		distinct[string(c.Object)+wireBody(c)] = true
	}
	if len(distinct) < n*9/10 {
		t.Errorf("only %d distinct objects in %d cases: different indexes should differ", len(distinct), n)
	}
	if other := g1.Case(43, 0); sameCase(other, want[0]) {
		t.Error("seeds 42 and 43 gave the same case 0")
	}
}

func wireBody(c cffuzz.Case) string {
	if c.Wire == nil {
		return ""
	}
	return string(c.Wire.Body) + c.Wire.Path + c.Wire.Method
}

func sameCase(a, b cffuzz.Case) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(a.Object, b.Object) && bytes.Equal(ja, jb)
}

func TestWeightsAreRespected(t *testing.T) {
	weights := map[string]int{"production": 50, "malformed": 15, "boundary": 5, "mutation": 30}
	g := newGen(t, generators.Options{Weights: weights})
	const n = 20000
	counts := map[string]int{}
	for i := uint64(0); i < n; i++ {
		counts[g.Case(7, i).Family]++
	}
	for fam, w := range weights {
		p := float64(w) / 100
		sd := math.Sqrt(n * p * (1 - p))
		if got := float64(counts[fam]); math.Abs(got-n*p) > 5*sd {
			t.Errorf("family %s: %v of %d cases, want %.0f ± %.0f (weight %d%%)", fam, got, n, n*p, 5*sd, w)
		}
	}
	if counts["wire"] != 0 {
		t.Errorf("wire family has weight 0 but built %d cases", counts["wire"])
	}
}

// onlyFamily returns n cases of one family.
func onlyFamily(t *testing.T, family string, n int) []cffuzz.Case {
	g := newGen(t, generators.Options{Weights: map[string]int{family: 1}})
	out := make([]cffuzz.Case, n)
	for i := range out {
		out[i] = g.Case(1, uint64(i))
		if out[i].Family != family {
			t.Fatalf("case %d: family %q, want %q", i, out[i].Family, family)
		}
	}
	return out
}

func TestProductionFamily(t *testing.T) {
	variants := map[string]bool{}
	for _, c := range onlyFamily(t, "production", 2000) {
		variants[c.Variant] = true
		if c.Class != cffuzz.ClassProduction {
			t.Fatalf("%s: class %s", c.Variant, c.Class)
		}
		if len(c.Object) > generators.MaxObjectSize {
			t.Fatalf("%s: %d bytes, over the limit", c.Variant, len(c.Object))
		}
		if err := generators.Validate(c.Object); err != nil {
			t.Fatalf("%s: production object does not validate: %v\n%s", c.Variant, err, c.Object)
		}
		var conn generators.Connection
		if err := json.Unmarshal(c.Object, &conn); err != nil {
			t.Fatalf("%s: not JSON: %v", c.Variant, err)
		}
		if _, err := netip.ParseAddr(conn.ClientIP); err != nil {
			t.Fatalf("%s: clientIp %q: %v", c.Variant, conn.ClientIP, err)
		}
		checkDates(t, c.Variant, conn)
		if c.Expect == nil || c.Expect.Status != 200 {
			t.Fatalf("%s: expect %+v, want 200", c.Variant, c.Expect)
		}
	}
	for _, v := range []string{"no-cert", "ocsp", "expired-1s", "not-yet-valid", "dn-escaped", "fp-colon-hex", "ipv6", "long-values"} {
		if !variants[v] {
			t.Errorf("variant %s never produced", v)
		}
	}
}

func checkDates(t *testing.T, variant string, conn generators.Connection) {
	t.Helper()
	if conn.ClientCertificate == nil {
		return
	}
	v := conn.ClientCertificate.Certificates.Leaf.Validity
	nb, err1 := time.Parse(time.RFC3339, v.NotBefore)
	na, err2 := time.Parse(time.RFC3339, v.NotAfter)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: dates %q %q do not parse", variant, v.NotBefore, v.NotAfter)
	}
	want := map[string]func() bool{
		"expired-1s":    func() bool { return na.Equal(testNow.Add(-time.Second)) },
		"valid-1s":      func() bool { return na.Equal(testNow.Add(time.Second)) },
		"expired-1d":    func() bool { return na.Equal(testNow.AddDate(0, 0, -1)) },
		"not-yet-valid": func() bool { return nb.After(testNow) },
		"extreme-dates": func() bool { return v.NotAfter == "9999-12-31T23:59:59Z" && v.NotBefore == "1950-01-01T00:00:00Z" },
	}
	if check, ok := want[variant]; ok && !check() {
		t.Fatalf("%s: validity %+v is not what the variant says (now %s)", variant, v, testNow)
	}
}

func TestBoundaryFamily(t *testing.T) {
	sizes := map[string]int{"size-40959": 40959, "size-40960": 40960, "size-40961": 40961, "empty": 0}
	for _, c := range onlyFamily(t, "boundary", 300) {
		if c.Class != cffuzz.ClassBoundary {
			t.Fatalf("%s: class %s", c.Variant, c.Class)
		}
		if want, ok := sizes[c.Variant]; ok && len(c.Object) != want {
			t.Fatalf("%s: %d bytes, want %d", c.Variant, len(c.Object), want)
		}
		switch {
		case len(c.Object) > generators.MaxObjectSize:
			if *c.Expect != (cffuzz.Expectation{Status: 400, Code: "MalformedXML"}) {
				t.Fatalf("%s (%d bytes): expect %+v, want 400 MalformedXML", c.Variant, len(c.Object), c.Expect)
			}
		case len(c.Object) == 0:
			if *c.Expect != (cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}) {
				t.Fatalf("empty: expect %+v, want 400 InvalidArgument", c.Expect)
			}
		default:
			if !json.Valid(c.Object) || c.Expect.Status != 200 {
				t.Fatalf("%s: a boundary object within the limit must be JSON and expect 200, got %+v", c.Variant, c.Expect)
			}
		}
	}
}

func TestMalformedFamily(t *testing.T) {
	notObject := map[string]bool{"not-json": true, "truncated": true, "top-scalar": true, "top-array": true, "bom": true}
	seen := map[string]bool{}
	for _, c := range onlyFamily(t, "malformed", 1500) {
		seen[c.Variant] = true
		if c.Class != cffuzz.ClassMalformed {
			t.Fatalf("%s: class %s", c.Variant, c.Class)
		}
		isObject := json.Valid(c.Object) && bytes.HasPrefix(c.Object, []byte("{"))
		switch {
		case notObject[c.Variant]:
			if isObject || c.Expect.Code != "InvalidArgument" {
				t.Fatalf("%s: want a non-object expecting InvalidArgument, got %q expect %+v", c.Variant, c.Object, c.Expect)
			}
		case c.Variant == "top-scalar" || c.Variant == "top-array":
		default:
			if !isObject || c.Expect.Status != 200 {
				t.Fatalf("%s: want a JSON object expecting 200, got expect %+v:\n%.300s", c.Variant, c.Expect, c.Object)
			}
			if generators.IsProduction(c.Object) && c.Variant != "extra-field" {
				t.Fatalf("%s: malformed object validates as production:\n%s", c.Variant, c.Object)
			}
		}
	}
	for _, v := range []string{"proto-key", "deep-nesting", "duplicate-key", "invalid-utf8", "cert-null", "clientCertInfo", "missing-required", "wrong-type"} {
		if !seen[v] {
			t.Errorf("variant %s never produced", v)
		}
	}
}

func TestMutationFamily(t *testing.T) {
	classes := map[cffuzz.Class]int{}
	for _, c := range onlyFamily(t, "mutation", 3000) {
		classes[c.Class]++
		if got := generators.Classify(c.Object); got != c.Class {
			t.Fatalf("%s: labelled %s but classifies as %s:\n%.400s", c.Variant, c.Class, got, c.Object)
		}
		if re := generators.Reclassify(c, c.Object); *re.Expect != *c.Expect {
			t.Fatalf("%s: expects %+v, the documented answer is %+v", c.Variant, *c.Expect, *re.Expect)
		}
		if c.Expect == nil {
			t.Fatalf("%s: no expectation", c.Variant)
		}
	}
	if classes[cffuzz.ClassProduction] == 0 || classes[cffuzz.ClassMalformed] == 0 {
		t.Errorf("mutations should be both production and malformed, got %v", classes)
	}
}

func TestMutationUsesSeeds(t *testing.T) {
	seed := []byte(`{"clientIp":"198.51.100.7","endpoint":"d1.cloudfront.net","distributionId":"E1","connectionId":"AAAA","zzmarker":1}`)
	g := newGen(t, generators.Options{Weights: map[string]int{"mutation": 1}, Seeds: [][]byte{seed}})
	hits := 0
	for i := uint64(0); i < 200; i++ {
		if bytes.Contains(g.Case(1, i).Object, []byte("zzmarker")) {
			hits++
		}
	}
	if hits < 40 {
		t.Errorf("only %d of 200 mutations came from the given seed", hits)
	}
}

func TestWireFamily(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range onlyFamily(t, "wire", 600) {
		seen[c.Variant] = true
		if c.Class != cffuzz.ClassWire || c.Wire == nil {
			t.Fatalf("%s: class %s wire %v", c.Variant, c.Class, c.Wire)
		}
		if c.Variant != "id-empty" && c.Variant != "id-oversized" && c.Variant != "id-unknown" && c.Variant != "id-url-encoded" && !strings.Contains(c.Wire.Path, "{id}") {
			t.Fatalf("%s: path %q has no {id}", c.Variant, c.Wire.Path)
		}
		if _, ok := c.Wire.Header["If-Match"]; ok == (c.Variant == "ifmatch-missing") {
			t.Fatalf("%s: If-Match presence wrong: %v", c.Variant, c.Wire.Header)
		}
	}
	if len(seen) < 25 {
		t.Errorf("only %d wire variants in 600 cases", len(seen))
	}
}

func TestWireOffByDefault(t *testing.T) {
	g := newGen(t, generators.Options{})
	for i := uint64(0); i < 2000; i++ {
		if c := g.Case(3, i); c.Wire != nil || c.Family == "wire" {
			t.Fatalf("case %d is a wire case; the family is off by default", i)
		}
	}
}

func BenchmarkCase(b *testing.B) {
	g := newGen(b, generators.Options{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Case(1, uint64(i))
	}
}

func BenchmarkCaseProduction(b *testing.B) {
	g := newGen(b, generators.Options{Weights: map[string]int{"production": 1}})
	for i := 0; b.Loop(); i++ {
		g.Case(1, uint64(i))
	}
}

// TestReclassifyAgreesWithClassify checks Reclassify's class and
// expectation against Classify and the documented answers, on cases of
// every family and on a few odd inputs.
func TestReclassifyAgreesWithClassify(t *testing.T) {
	g := newGen(t, generators.Options{})
	objects := [][]byte{nil, []byte("[]"), []byte(" {}"), []byte(`{"a":`), []byte(strings.Repeat("[", 10001) + strings.Repeat("]", 10001)),
		[]byte(`{"a":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`)}
	for i := uint64(0); i < 1500; i++ {
		objects = append(objects, g.Case(6, i).Object)
	}
	for _, obj := range objects {
		c := generators.Reclassify(cffuzz.Case{}, obj)
		if want := generators.Classify(obj); c.Class != want {
			t.Fatalf("Reclassify class %s, Classify %s: %.200q", c.Class, want, obj)
		}
		var want cffuzz.Expectation
		switch t := bytes.TrimLeft(obj, " \t\r\n"); {
		case len(obj) > generators.MaxObjectSize:
			want = cffuzz.Expectation{Status: 400, Code: "MalformedXML"}
		case len(t) == 0 || t[0] != '{' || !json.Valid(obj):
			want = cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}
		default:
			want = cffuzz.Expectation{Status: 200}
		}
		if *c.Expect != want {
			t.Fatalf("Reclassify expects %+v, want %+v: %.200q", *c.Expect, want, obj)
		}
	}
}

func BenchmarkCaseDictionary(b *testing.B) {
	dict := generators.DictionaryFromJS([]byte(`const A = ['Example Corp Intermediate CA', 'Contractor CA', 'CN=Intermediate CA,O=Example Org'];
const NETS = ['10.1.0.0/16', '192.0.2.', '2001:db8:'], SUFFIX = '.internal.example.com', OCSP = 'http://ocsp.example.com';
const RE = /^10\.1\./, SERIALS = ['4a:3f:5c:92', '9e2aaf16'];`))
	g := newGen(b, generators.Options{Dictionary: dict})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Case(1, uint64(i))
	}
}
