package engine

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/coverage"
	"github.com/cffuzz/cffuzz/generators"
)

const i2sObject = `{"clientCertificate":{"certificates":{"leaf":{"serialNumber":"7e:01:0f:10","issuer":"CN=Example CA,O=Example Corp,C=US",` +
	`"subject":"CN=svc.example.com,OU=Payments,O=Example Corp","validity":{"notBefore":"2026-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z"},` +
	`"sha256Fingerprint":"3F:6A:9D:0C:5B:7E:81:F2:A4:C6:E8:D0:B2:F4:A6:C8:E0:D2:F4:A6:B8:C0:E2:F4:A6:C8:E0:D2:F4:A6:B8:C0",` +
	`"san":"DNS:a.example.com,DNS:b.example.com"}}},"clientIp":"198.51.100.9","endpoint":"d111111abcdef8.cloudfront.net","distributionId":"E1NXS4MQZH501R","connectionId":"x"}`

func num(f float64) coverage.Operand { return coverage.Operand{Kind: "number", Num: f} }
func text(s string) coverage.Operand { return coverage.Operand{Kind: "string", Str: s} }

// TestInputToState checks each way input-to-state replacement finds an
// operand in a field and what it puts there.
func TestInputToState(t *testing.T) {
	tests := []struct {
		reason      string
		op          string
		left, right coverage.Operand
		path, want  string // the field that must change, and any value it may take ("" for a check by wantAny)
		wantAny     []string
	}{
		{"a DN value compared as is", "===", text("Payments"), text("Devices"), "clientCertificate.certificates.leaf.subject", "", []string{"CN=svc.example.com,OU=Devices,O=Example Corp"}},
		{"a lower-cased CN", "===", text("example ca"), text("partner issuing ca g3"), "clientCertificate.certificates.leaf.issuer", "", []string{"cn=partner issuing ca g3,o=example corp,c=us"}},
		{"colon hex compared without colons", "===", text("3f6a9d0c5b7e81f2a4c6e8d0b2f4a6c8e0d2f4a6b8c0e2f4a6c8e0d2f4a6b8c0"), text("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
			"clientCertificate.certificates.leaf.sha256Fingerprint", "", []string{"9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08"}},
		{"a key built from part of a field", "===", text("op:3f6a9d0c5b7e81f2"), text("op:5e0d8c1a97f3b246"),
			"clientCertificate.certificates.leaf.sha256Fingerprint", "", []string{"5E:0D:8C:1A:97:F3:B2:46:A4:C6:E8:D0:B2:F4:A6:C8:E0:D2:F4:A6:B8:C0:E2:F4:A6:C8:E0:D2:F4:A6:B8:C0"}},
		{"startsWith puts the prefix in front", "startsWith", text("d111111abcdef8.cloudfront.net"), text("admin."), "endpoint", "", []string{"admin.d111111abcdef8.cloudfront.net", "admin."}},
		{"an IPv4 address read as an integer", "===", num(3325256713), num(3325256781), "clientIp", "198.51.100.77", nil},
		{"two serial bytes read as one integer", "===", num(0x0f10), num(4012), "clientCertificate.certificates.leaf.serialNumber", "7e:01:0f:ac", nil},
		{"a date as milliseconds", "===", num(1767225600000), num(1767225601000), "clientCertificate.certificates.leaf.validity.notBefore", "2026-01-01T00:00:01Z", nil},
		{"colon hex whose first colon a broken normalization removed", "===", text("3f6a:9d:0c:5b:7e:81:f2:a4:c6:e8:d0:b2:f4:a6:c8:e0:d2:f4:a6:b8:c0:e2:f4:a6:c8:e0:d2:f4:a6:b8:c0"),
			text("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "clientCertificate.certificates.leaf.sha256Fingerprint", "",
			[]string{"9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08"}},
		{"a list's length", "===", num(2), num(5), "clientCertificate.certificates.leaf.san", "DNS:a.example.com,DNS:b.example.com,DNS:a.example.com,DNS:b.example.com,DNS:a.example.com", nil},
	}
	for _, tt := range tests {
		e := &Engine{m: &coverage.Map{Sites: []coverage.Site{{Op: tt.op}}}, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
		ok := false
		for seed := int64(0); seed < 40 && !ok; seed++ {
			tree, _ := generators.ParseTree([]byte(i2sObject))
			r := rand.New(rand.NewSource(seed))
			if !e.i2s(r, tree, &entry{cmps: []coverage.Comparison{{Site: 0, Left: tt.left, Right: tt.right}}}) {
				continue
			}
			l, _ := tree.Lookup(tt.path)
			want := append([]string{tt.want}, tt.wantAny...)
			for _, w := range want {
				ok = ok || (w != "" && l.Value == w)
			}
		}
		if !ok {
			t.Errorf("%s: no replacement of %s gave %q %v", tt.reason, tt.path, tt.want, tt.wantAny)
		}
	}
}

// TestByteForms checks that a byte string is read in each of its forms and
// written back in the same form.
func TestByteForms(t *testing.T) {
	const h = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	tests := []struct {
		reason, v string
		ok        bool
	}{
		{"lower-case hex", h, true},
		{"upper-case colon hex", "9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08", true},
		{"space-separated hex", "9f 86 d0 81 88 4c 7d 65", true},
		{"base64url, padded", "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg=", true},
		{"standard base64, unpadded", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg", true},
		{"mixed-case hex is not one form (and too short for base64)", "9f86D081884c7d", false},
		{"a word is not bytes", "CN=Example", false},
		{"too short to be bytes", "9f86", false},
		{"colons in the wrong places", "9f86:d0:81:88:4c", false},
	}
	for _, tt := range tests {
		got, f, ok := parseBytes(tt.v)
		if ok != tt.ok {
			t.Errorf("%s: parseBytes(%q) ok = %v, want %v", tt.reason, tt.v, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if back, _ := f.format(got); back != tt.v {
			t.Errorf("%s: %q read as %q and written back as %q", tt.reason, tt.v, got, back)
		}
		if len(tt.v) > 40 && got != h {
			t.Errorf("%s: %q read as %q, want %q", tt.reason, tt.v, got, h)
		}
	}
}

// TestReformMatched checks that a field a comparison matched is written in
// another form of the same value.
func TestReformMatched(t *testing.T) {
	seen := map[string]bool{}
	for seed := int64(0); seed < 60; seed++ {
		tree, _ := generators.ParseTree([]byte(i2sObject))
		r := rand.New(rand.NewSource(seed))
		// The program compared the fingerprint without colons, lower-case.
		if !reformMatched(r, tree, tree.Leaves(), "3f6a9d0c5b7e81f2a4c6e8d0b2f4a6c8e0d2f4a6b8c0e2f4a6c8e0d2f4a6b8c0") {
			t.Fatalf("seed %d: no field reformed", seed)
		}
		l, _ := tree.Lookup("clientCertificate.certificates.leaf.sha256Fingerprint")
		h, _, ok := parseBytes(l.Value)
		if !ok || h != "3f6a9d0c5b7e81f2a4c6e8d0b2f4a6c8e0d2f4a6b8c0e2f4a6c8e0d2f4a6b8c0" {
			t.Fatalf("seed %d: the fingerprint %q no longer holds the same bytes", seed, l.Value)
		}
		seen[l.Value] = true
	}
	if len(seen) < 4 {
		t.Errorf("reformMatched wrote %d forms, want several: %v", len(seen), seen)
	}
	tree, _ := generators.ParseTree([]byte(i2sObject))
	if !reformMatched(rand.New(rand.NewSource(1)), tree, tree.Leaves(), "OU=Payments") {
		t.Fatal("a matched DN component: no field reformed")
	}
	if l, _ := tree.Lookup("clientCertificate.certificates.leaf.subject"); l.Value != "CN=svc.example.com, OU=Payments, O=Example Corp" {
		t.Errorf("a matched DN component: subject %q, want its components spaced", l.Value)
	}
}

// TestFieldViewsSameCases checks that input-to-state replacement with an
// entry's precomputed views makes exactly the children it makes computing
// them on every try.
func TestFieldViewsSameCases(t *testing.T) {
	cmps := []coverage.Comparison{
		{Site: 0, Left: text("payments"), Right: text("devices")},
		{Site: 1, Left: text("3f6a9d0c5b7e81f2"), Right: text("5e0d8c1a97f3b246")},
		{Site: 0, Left: text("DNS:A.EXAMPLE.COM"), Right: text("DNS:admin.example.com")},
		{Site: 2, Left: text("CN=svc.example.com"), Right: text("CN=")},
	}
	e := &Engine{m: &coverage.Map{Sites: []coverage.Site{{Op: "==="}, {Op: "includes"}, {Op: "startsWith"}}}, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		st: state{sites: map[int]*siteState{}}}
	base, _ := generators.ParseTree([]byte(i2sObject))
	with := &entry{tree: base, cmps: cmps, views: fieldViews(base.Leaves())}
	without := &entry{tree: base, cmps: cmps}
	for seed := int64(0); seed < 300; seed++ {
		a, b := base.Clone(), base.Clone()
		okA := e.i2s(rand.New(rand.NewSource(seed)), a, with)
		okB := e.i2s(rand.New(rand.NewSource(seed)), b, without)
		if okA != okB || string(a.Bytes()) != string(b.Bytes()) {
			t.Fatalf("seed %d: with views %v %s; without %v %s", seed, okA, a.Bytes(), okB, b.Bytes())
		}
	}
}

// TestMatchOf checks that matchOf builds strings its expressions match.
func TestMatchOf(t *testing.T) {
	tests := []struct {
		reason, re string
		anchored   bool
	}{
		{"a dotted IPv4 address", `/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/`, true},
		{"a DN component, case-insensitive", `/(^|,)\s*OU=(Admins|Ops)\b/i`, false},
		{"a break-glass CN", `/^CN=breakglass-[0-9]{8}(,|$)/`, false},
		{"classes and alternation", `/^[A-Z]{2}-(prod|stage)-[a-f0-9]+$/`, true},
	}
	for _, tt := range tests {
		body := tt.re[1:strings.LastIndexByte(tt.re, '/')]
		if strings.HasSuffix(tt.re, "/i") {
			body = "(?i)" + body
		}
		want := regexp.MustCompile(body)
		for seed := int64(0); seed < 50; seed++ {
			s, anchored, ok := matchOf(rand.New(rand.NewSource(seed)), tt.re)
			if !ok || anchored != tt.anchored || !want.MatchString(s) {
				t.Fatalf("%s: matchOf(%s) = %q, %v, %v; want a match, anchored %v", tt.reason, tt.re, s, anchored, ok, tt.anchored)
			}
		}
	}
	if _, _, ok := matchOf(rand.New(rand.NewSource(1)), `/(?<=a)b/`); ok {
		t.Error("a lookbehind Go cannot parse: want ok false")
	}
}

// TestOverlapPrecheck checks overlap against the same search without its
// byte-set precheck, on random strings over small alphabets (where pieces
// are shared) and large ones (where they rarely are).
func TestOverlapPrecheck(t *testing.T) {
	plain := func(a, f string) (i, j, n int) {
		if len(a) < 4 || len(f) < 4 {
			return 0, 0, 0
		}
		for ai := 0; ai+max(n, 3) < len(a); ai++ {
			seed := a[ai : ai+min(4, len(a)-ai)]
			for off := 0; ; {
				k := strings.Index(f[off:], seed)
				if k < 0 {
					break
				}
				fj := off + k
				m := 0
				for ai+m < len(a) && fj+m < len(f) && a[ai+m] == f[fj+m] {
					m++
				}
				if m > n {
					i, j, n = ai, fj, m
				}
				off = fj + 1
			}
		}
		return i, j, n
	}
	r := rand.New(rand.NewSource(1))
	str := func(alphabet string, n int) string {
		b := make([]byte, n)
		for k := range b {
			b[k] = alphabet[r.Intn(len(alphabet))]
		}
		return string(b)
	}
	for k := 0; k < 5000; k++ {
		alphabet := pick(r, "ab", "abc:", "0123456789abcdef:", "CN=,O Examplecorp", "\x00\xff\x80a")
		a, f := str(alphabet, r.Intn(40)), str(alphabet, r.Intn(60))
		i1, j1, n1 := overlap(a, f)
		i2, j2, n2 := plain(a, f)
		if i1 != i2 || j1 != j2 || n1 != n2 {
			t.Fatalf("overlap(%q, %q) = %d, %d, %d; without the precheck %d, %d, %d", a, f, i1, j1, n1, i2, j2, n2)
		}
	}
}

// TestSplitListGrowth checks that a field the program split is found from
// the split comparison and grown at the program's separator with copies of
// its non-empty entries.
func TestSplitListGrowth(t *testing.T) {
	e := &Engine{m: &coverage.Map{Sites: []coverage.Site{{Op: "split"}}}}
	tree, _ := generators.ParseTree([]byte(i2sObject))
	lists := e.splitFields(tree, []coverage.Comparison{{Site: 0, Left: text("DNS:a.example.com,DNS:b.example.com"), Right: text(",")}})
	want := listField{path: "clientCertificate.certificates.leaf.san", sep: ","}
	if len(lists) != 1 || lists[0] != want {
		t.Fatalf("splitFields = %v, want [%v]", lists, want)
	}
	for seed := int64(0); seed < 20; seed++ {
		c := tree.Clone()
		r := rand.New(rand.NewSource(seed))
		l, _ := c.Lookup(want.path)
		if !growList(r, c, l, ",") {
			t.Fatalf("seed %d: growList did nothing", seed)
		}
		l, _ = c.Lookup(want.path)
		parts := strings.Split(l.Value, ",")
		if len(parts) < 4 || len(parts) > 8 {
			t.Errorf("seed %d: %d entries after growth, want 2 to 4 times the 2", seed, len(parts))
		}
		for _, part := range parts {
			if part != "DNS:a.example.com" && part != "DNS:b.example.com" {
				t.Fatalf("seed %d: entry %q is not a copy of one of the list's own", seed, part)
			}
		}
	}
	// Only empty entries: nothing to copy.
	c := tree.Clone()
	l, _ := c.Lookup(want.path)
	c.Set(l, ",,")
	l, _ = c.Lookup(want.path)
	if growList(rand.New(rand.NewSource(1)), c, l, ",") {
		t.Error("a list of empty entries was grown")
	}
}

// TestComponentIndex checks which occurrences of an operand count as a
// whole DN or list component.
func TestComponentIndex(t *testing.T) {
	tests := []struct {
		reason, v, a string
		want         int
	}{
		{"a CN value after CN=", "C=US, CN=Intermediate CA", "Intermediate CA", 9},
		{"inside a longer value is not a component", "CN=Example Corp Intermediate CA", "Intermediate CA", -1},
		{"a whole list entry", "DNS:a.example.com,DNS:b.example.com", "DNS:b.example.com", 18},
		{"a prefix of an entry is not", "DNS:a.example.com,DNS:b.example.com", "DNS:b", -1},
		{"a whole value", "Payments", "Payments", 0},
		{"a component after a space", "O=Example Corp, OU=Payments", "OU=Payments", 16},
	}
	for _, tt := range tests {
		if got := componentIndex(rand.New(rand.NewSource(1)), tt.v, tt.a); got != tt.want {
			t.Errorf("%s: componentIndex(%q, %q) = %d, want %d", tt.reason, tt.v, tt.a, got, tt.want)
		}
	}
}
