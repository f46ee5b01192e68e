package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/generators"
)

// TestBeyondCertificatesPrecheck checks that the cheap precheck never
// hides an object the full check flags, on crafted objects at the limits
// and on generated cases of every family.
func TestBeyondCertificatesPrecheck(t *testing.T) {
	dn := func(n int, sep string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = "OU=u" + string(rune('a'+i%26))
		}
		return strings.Join(parts, sep)
	}
	leaf := func(field, value string) []byte {
		return []byte(`{"clientCertificate":{"certificates":{"leaf":{"` + field + `":"` + value + `"}}},"clientIp":"198.51.100.9","pad":"` + strings.Repeat("p", 600) + `"}`)
	}
	tests := []struct {
		reason string
		object []byte
		want   bool
	}{
		{"a DN of 32 components is within limits", leaf("issuer", dn(32, ",")), false},
		{"a DN of 33 components is beyond", leaf("issuer", dn(33, ",")), true},
		{"plus signs separate components too", leaf("subject", dn(33, "+")), true},
		{"escaped commas written as \\u002c still count", leaf("subject", dn(33, `\u002c`)), true},
		{"escaped commas do not separate components", leaf("subject", dn(33, `\\,`)), false},
		{"a field of 16 KB fits", leaf("san", strings.Repeat("a", MaxCertificateBytes)), false},
		{"a field over 16 KB is beyond", leaf("san", strings.Repeat("a", MaxCertificateBytes+1)), true},
		{"fields of one certificate add up", []byte(`{"clientCertificate":{"certificates":{"leaf":{"san":"` + strings.Repeat("a", 9000) +
			`","subject":"` + strings.Repeat("b", 9000) + `"}}}}`), true},
		{"a small object is within limits", []byte(`{"clientIp":"` + strings.Repeat("1", 600) + `"}`), false},
	}
	for _, tt := range tests {
		if got := beyondCertificates(tt.object); got != tt.want {
			t.Errorf("%s: beyondCertificates = %v, want %v", tt.reason, got, tt.want)
		}
		if overCertificates(tt.object) && !mayBeBeyond(tt.object) {
			t.Errorf("%s: the precheck hides an object the full check flags", tt.reason)
		}
	}
	g, err := generators.New(generators.Options{Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for i := uint64(0); i < 3000; i++ {
		c := g.Case(1, i)
		if overCertificates(c.Object) {
			flagged++
			if !mayBeBeyond(c.Object) {
				t.Fatalf("case %d (%s): the precheck hides an object the full check flags", i, c.Family)
			}
		}
	}
	t.Logf("%d of 3000 generated cases carry more than a certificate can", flagged)
}

// TestReplaceHexRunWindows checks the allocation-free window arithmetic of
// replaceHexRun against ParseUint of the joined pairs.
func TestReplaceHexRunWindows(t *testing.T) {
	tests := []struct {
		reason    string
		v         string
		a, target float64
		want      string
		ok        bool
	}{
		{"one byte", "7e:01:0f:10", 0x0f, 0xac, "7e:01:ac:10", true},
		{"two bytes read as one integer", "7e:01:0f:10", 0x0f10, 4012, "7e:01:0f:ac", true},
		{"six bytes, upper case kept", "0A:1B:2C:3D:4E:5F:60", 0x0A1B2C3D4E5F, 0x0A1B2C3D4E60, "0A:1B:2C:3D:4E:60:60", true},
		{"no window holds the number", "7e:01", 0x1234, 1, "", false},
		{"not colon hex", "7e:0g", 0x7e, 1, "", false},
	}
	for _, tt := range tests {
		got, ok := replaceHexRun(nil, tt.v, tt.a, tt.target)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: replaceHexRun(%q, %v, %v) = %q, %v; want %q, %v", tt.reason, tt.v, tt.a, tt.target, got, ok, tt.want, tt.ok)
		}
	}
	for _, v := range []string{"", "a", "7e:01:0f", "CN=a,O=b 12 x7F", "  9:10.1x"} {
		var want [][2]int
		start := -1
		for i := 0; i <= len(v); i++ {
			alnum := i < len(v) && isAlnum(v[i])
			if alnum && start < 0 {
				start = i
			} else if !alnum && start >= 0 {
				want = append(want, [2]int{start, i})
				start = -1
			}
		}
		if got := tokens(v); len(got) != len(want) || (len(got) > 0 && got[len(got)-1] != want[len(want)-1]) {
			t.Errorf("tokens(%q) = %v, want %v", v, got, want)
		}
	}
}
