package generators_test

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/generators"
	"github.com/leanovate/gopter"
)

func TestDictionaryFromJS(t *testing.T) {
	long := strings.Repeat("x", 257)
	tests := []struct {
		reason string
		code   string
		want   []string // all of these, in this order among themselves
		not    []string // none of these
	}{
		{"string literals in both quote styles are tokens",
			`const A = ['Example Corp Intermediate CA', "Contractor CA"]; function connectionHandler(c) { return c.deny(); }`,
			[]string{"Contractor CA", "Example Corp Intermediate CA"}, nil},
		{"escapes are decoded",
			`const s = 'a\'b\u0041';`, []string{"a'bA"}, nil},
		{"the static parts of template literals are tokens, not the expressions",
			"const k = `revoked:${serial}:end`; const x = `plain`;", []string{":end", "plain", "revoked:"}, []string{"serial"}},
		{"regex literals give their literal runs",
			`const re = /^10\.1\./; const mesh = /^dns:(?!-)([a-z0-9-]+\.?)+\.mesh\.example\.com$/;`,
			[]string{".mesh.example.com", "10.1.", "dns:"}, nil},
		{"a quantified character is not part of a run",
			`const re = /abc+de?f/;`, []string{"ab"}, []string{"abc", "abcdef", "de", "def"}},
		{"interesting numbers are tokens, 0, 1, 2 and -1 are not",
			`const a = 0, b = 1, c = 2, d = 443, e = 0x7f, f = 1.5;`, []string{"1.5", "127", "443", "7f"}, []string{"0", "1", "2"}},
		{"the cloudfront import line does not stop the parse",
			"import cf from 'cloudfront';\nconst kvs = cf.kvs();\nconst re = /^abc/;\n", []string{"abc"}, []string{"cloudfront"}},
		{"a syntax error falls back to scanning quoted strings, skipping comments",
			"// don't\nconst a = 'first';\nfunction ( { \"second\" /* it's */ `third`",
			[]string{"first", "second", "third"}, []string{"t\nconst a = "}},
		{"tokens longer than 256 bytes are dropped",
			`const a = '` + long + `', b = 'short';`, []string{"short"}, []string{long}},
		{"empty strings are dropped", `const a = '';`, nil, []string{""}},
	}
	for _, tt := range tests {
		got := generators.DictionaryFromJS([]byte(tt.code))
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("%s: %q is not sorted and deduplicated", tt.reason, got)
		}
		last := -1
		for _, w := range tt.want {
			i := slices.Index(got, w)
			if i < 0 {
				t.Errorf("%s: %q lacks %q", tt.reason, got, w)
				continue
			}
			if i < last {
				t.Errorf("%s: %q out of order in %q", tt.reason, w, got)
			}
			last = i
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: %q holds %q", tt.reason, got, n)
			}
		}
	}
}

func TestDictionaryFromJSDeduplicates(t *testing.T) {
	got := generators.DictionaryFromJS([]byte(`const a = 'b', c = 'b', d = 'a'; const e = "b";`))
	if want := []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q: tokens deduplicated and sorted", got, want)
	}
}

func TestDictionaryFromKVS(t *testing.T) {
	tests := []struct {
		reason string
		keys   []string
		values []string
		want   []string
	}{
		{"a key and what follows its prefix", []string{"revoked:4a3f"}, []string{""}, []string{"4a3f", "revoked:4a3f"}},
		{"a prefix of several words", []string{"issuer:Legacy Partner CA"}, []string{"trusted"},
			[]string{"Legacy Partner CA", "issuer:Legacy Partner CA", "trusted"}},
		{"an IPv6 address after the prefix stays whole", []string{"blocked-ip:2001:db8:bad::7"}, nil,
			[]string{"2001:db8:bad::7", "blocked-ip:2001:db8:bad::7"}},
		{"strings and numbers inside JSON values", []string{"client:9e2a"}, []string{`{"tenant":"Ram","n":[3,{"x":"deep"}],"ok":true}`},
			[]string{"3", "9e2a", "Ram", "client:9e2a", "deep", `{"tenant":"Ram","n":[3,{"x":"deep"}],"ok":true}`}},
		{"nothing in, nothing out", nil, nil, []string{}},
	}
	for _, tt := range tests {
		got := generators.DictionaryFromKVS(tt.keys, tt.values)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.reason, got, tt.want)
		}
	}
}

func FuzzDictionaryFromJS(f *testing.F) {
	f.Add([]byte(`const a = 'x'; const r = /^1\.2[/; const t = ` + "`a${b}c`"))
	f.Add([]byte("import cf from 'cloudfront';\nasync function connectionHandler(c) { await cf.kvs().get(`k:${c.clientIp}`); }"))
	f.Add([]byte(`'unterminated`))
	f.Add([]byte(`/\/`))
	f.Fuzz(func(t *testing.T, code []byte) {
		got := generators.DictionaryFromJS(code)
		for i, tok := range got {
			if tok == "" || len(tok) > 256 || !utf8.ValidString(tok) || (i > 0 && got[i-1] >= tok) {
				t.Fatalf("bad token %q at %d in %q", tok, i, got)
			}
		}
	})
}

// leafFields is what TestDictionaryPlacement looks at in a connection.
type leafFields struct {
	dns     []string // issuers and subjects of the chain
	serials []string
	ip      netip.Addr
}

func fieldsOf(t *testing.T, object []byte) leafFields {
	var c generators.Connection
	if err := json.Unmarshal(object, &c); err != nil {
		t.Fatal(err)
	}
	f := leafFields{ip: netip.MustParseAddr(c.ClientIP)}
	if c.ClientCertificate != nil {
		for _, cert := range append([]generators.Certificate{c.ClientCertificate.Certificates.Leaf}, c.ClientCertificate.Certificates.Intermediates...) {
			f.dns = append(f.dns, cert.Issuer, cert.Subject)
			f.serials = append(f.serials, cert.SerialNumber)
		}
	}
	return f
}

// TestDictionaryPlacement checks that dictionary tokens land in the fields
// they fit, in a fixed-seed sample, and that the objects stay production.
func TestDictionaryPlacement(t *testing.T) {
	const cn, cidr, serial, hexSerial = "Contractor CA", "10.1.0.0/16", "4a:3f:5c:92", "9e2aaf16"
	g := newGen(t, generators.Options{Weights: map[string]int{"production": 1},
		Dictionary: []string{cn, cidr, serial, hexSerial, "an unrelated log message"}})
	network := netip.MustParsePrefix(cidr)
	counts := map[string]int{}
	for i := uint64(0); i < 2000; i++ {
		c := g.Case(9, i)
		if c.Class != cffuzz.ClassProduction {
			t.Fatalf("case %d: class %s", i, c.Class)
		}
		if err := generators.Validate(c.Object); err != nil {
			t.Fatalf("case %d (%s): dictionary object does not validate: %v\n%s", i, c.Variant, err, c.Object)
		}
		f := fieldsOf(t, c.Object)
		for _, dn := range f.dns {
			if strings.Contains(dn, "CN="+cn+",") || strings.HasSuffix(dn, "CN="+cn) {
				counts["cn"]++
			}
		}
		for _, s := range f.serials {
			switch strings.ToLower(s) {
			case serial:
				counts["serial exact"]++
			case "9e:2a:af:16", "00:9e:2a:af:16":
				counts["serial from hex"]++
			}
		}
		switch a := f.ip.Unmap(); {
		case a == network.Addr():
			counts["ip first"]++
		case a == netip.MustParseAddr("10.1.255.255"):
			counts["ip last"]++
		case network.Contains(a):
			counts["ip inside"]++
		case a == netip.MustParseAddr("10.0.255.255") || a == netip.MustParseAddr("10.2.0.0"):
			counts["ip just outside"]++
		}
	}
	t.Logf("placements in 2000 cases: %v", counts)
	for _, k := range []string{"cn", "serial exact", "serial from hex", "ip first", "ip last", "ip inside", "ip just outside"} {
		if counts[k] < 5 {
			t.Errorf("%s: %d times in 2000 production cases, want the dictionary token placed there often (all: %v)", k, counts[k], counts)
		}
	}
	if counts["cn"] > 2000*4 {
		t.Errorf("the CN is in %d DNs: plain random values should stay common", counts["cn"])
	}
}

// TestDictionaryShapes checks the placement of the other token shapes.
func TestDictionaryShapes(t *testing.T) {
	fp := "3f6a9d0c5b7e81f2a4c6e8d0b2f4a6c8e0d2f4a6b8c0e2f4a6c8e0d2f4a6b8c0"
	g := newGen(t, generators.Options{Weights: map[string]int{"production": 1},
		Dictionary: []string{"10.1", ".mesh.example.com", "http://ocsp.example.net/x", fp, "O=Example Corp,C=US", "Admins", "Smith, John", "2001:db8:bad::7"}})
	seen := map[string]bool{}
	for i := uint64(0); i < 3000; i++ {
		c := g.Case(4, i)
		if err := generators.Validate(c.Object); err != nil {
			t.Fatalf("case %d (%s): %v\n%s", i, c.Variant, err, c.Object)
		}
		var conn generators.Connection
		_ = json.Unmarshal(c.Object, &conn)
		ip := netip.MustParseAddr(conn.ClientIP).Unmap()
		switch {
		case ip.Is4() && strings.HasPrefix(ip.String(), "10.1."):
			seen["ip in the prefix"] = true
		case ip.Is4() && strings.HasPrefix(ip.String(), "10.1") && !strings.HasPrefix(ip.String(), "10.1."):
			seen["ip string-prefixed outside the network"] = true
		case conn.ClientIP == "2001:db8:bad::7":
			seen["exact IPv6"] = true
		}
		if conn.ClientCertificate == nil {
			continue
		}
		leaf := conn.ClientCertificate.Certificates.Leaf
		if strings.Contains(leaf.SAN, ".mesh.example.com") && !strings.Contains(leaf.SAN, "DNS:.mesh") {
			seen["SAN under the suffix"] = true
		}
		if leaf.OCSPEndpoint == "http://ocsp.example.net/x" {
			seen["OCSP URL"] = true
		}
		if strings.HasPrefix(leaf.OCSPEndpoint, "http") && strings.Contains(leaf.OCSPEndpoint, "ocsp.mesh.example.com") {
			seen["OCSP host from a suffix"] = true
		}
		switch strings.ToLower(strings.ReplaceAll(leaf.SHA256Fingerprint, ":", "")) {
		case fp:
			seen["fingerprint hex"] = true
		}
		if leaf.SHA256Fingerprint == "P2qdDFt-gfKkxujQsvSmyODS9Ka4wOL0psjg0vSmuMA=" {
			seen["fingerprint base64url"] = true
		}
		for _, dn := range []string{leaf.Issuer, leaf.Subject} {
			if strings.HasSuffix(dn, ",O=Example Corp,C=US") && strings.HasPrefix(dn, "CN=") {
				seen["DN ending in the fragment"] = true
			}
			if strings.Contains(dn, "OU=Admins") {
				seen["OU value"] = true
			}
			// "Smith, John" is no DN value for the dictionary (it holds a
			// comma); escaped commas come from the class model.
			if strings.Contains(dn, `\,`) {
				seen["escaped value"] = true
			}
			if strings.Contains(dn, "Smith, John") {
				t.Fatalf("unescaped comma in a DN value: %q", dn)
			}
		}
	}
	for _, k := range []string{"ip in the prefix", "ip string-prefixed outside the network", "exact IPv6", "SAN under the suffix", "OCSP URL",
		"OCSP host from a suffix", "fingerprint hex", "fingerprint base64url", "DN ending in the fragment", "OU value", "escaped value"} {
		if !seen[k] {
			t.Errorf("%s: never in 3000 production cases", k)
		}
	}
}

func TestDictionaryMutations(t *testing.T) {
	g := newGen(t, generators.Options{Weights: map[string]int{"mutation": 1}, Dictionary: []string{"Contractor CA", "zzmarker"}})
	variants := map[string]int{}
	for i := uint64(0); i < 1500; i++ {
		c := g.Case(2, i)
		if c.Variant != "dict-replace" && c.Variant != "dict-splice" {
			continue
		}
		variants[c.Variant]++
		if !strings.Contains(string(c.Object), "Contractor CA") && !strings.Contains(string(c.Object), "zzmarker") {
			t.Fatalf("%s: no dictionary token in %s", c.Variant, c.Object)
		}
		if got := generators.Classify(c.Object); got != c.Class {
			t.Fatalf("%s: labelled %s, classifies as %s", c.Variant, c.Class, got)
		}
	}
	if variants["dict-replace"] < 20 || variants["dict-splice"] < 20 {
		t.Errorf("dictionary mutations: %v in 1500 mutation cases", variants)
	}
	plain := newGen(t, generators.Options{Weights: map[string]int{"mutation": 1}})
	for i := uint64(0); i < 500; i++ {
		if v := plain.Case(2, i).Variant; strings.HasPrefix(v, "dict-") {
			t.Fatalf("case %d: %s without a dictionary", i, v)
		}
	}
}

func TestDictionaryCaseIsPure(t *testing.T) {
	opts := generators.Options{Dictionary: generators.DictionaryFromJS([]byte(`const a = ['CN=x,O=y', '10.0.0.0/8', 'ab:cd', '.example.com'];`))}
	g1, g2 := newGen(t, opts), newGen(t, opts)
	for i := uint64(0); i < 300; i++ {
		if a, b := g1.Case(5, i), g2.Case(5, i); !sameCase(a, b) {
			t.Fatalf("case %d differs between two generators with the same options", i)
		}
	}
}

// TestConnectionGenWithDictionary checks the gopter generator (the one
// properties shrink with) with a dictionary: its objects stay production.
func TestConnectionGenWithDictionary(t *testing.T) {
	g := newGen(t, generators.Options{Dictionary: []string{"Contractor CA", "10.1.0.0/16", "4a3f5c92", ".example.com", "O=Example Corp, C=US"}})
	gen := g.ConnectionGen()
	params := gopter.DefaultGenParameters().WithSize(50)
	params.Rng.Seed(3)
	hits := 0
	for i := 0; i < 500; i++ {
		conn := gen(params).Result.(generators.Connection)
		b := conn.Marshal()
		if err := generators.Validate(b); err != nil {
			t.Fatalf("ConnectionGen object does not validate: %v\n%s", err, b)
		}
		if strings.Contains(string(b), "Contractor CA") {
			hits++
		}
	}
	if hits == 0 {
		t.Error("ConnectionGen never used the dictionary")
	}
}
