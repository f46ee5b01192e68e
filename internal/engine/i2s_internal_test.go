package engine

import (
	"math/rand"
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
		{"a list's length", "===", num(2), num(5), "clientCertificate.certificates.leaf.san", "DNS:a.example.com,DNS:b.example.com,DNS:a.example.com,DNS:b.example.com,DNS:a.example.com", nil},
	}
	for _, tt := range tests {
		e := &Engine{m: &coverage.Map{Sites: []coverage.Site{{Op: tt.op}}}, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
		ok := false
		for seed := int64(0); seed < 40 && !ok; seed++ {
			tree, _ := generators.ParseTree([]byte(i2sObject))
			r := rand.New(rand.NewSource(seed))
			if !e.i2s(r, tree, []coverage.Comparison{{Site: 0, Left: tt.left, Right: tt.right}}) {
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
