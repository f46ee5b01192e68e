package generators_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/cffuzz/cffuzz/generators"
)

// stdMarshal is what Connection.Marshal must equal: encoding/json without
// HTML escaping, without the trailing newline.
func stdMarshal(t testing.TB, c *generators.Connection) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func TestMarshalMatchesEncodingJSON(t *testing.T) {
	g := newGen(t, generators.Options{Weights: map[string]int{"production": 1}})
	for i := uint64(0); i < 1500; i++ {
		c := g.Case(8, i)
		var conn generators.Connection
		if err := json.Unmarshal(c.Object, &conn); err != nil {
			t.Fatal(err)
		}
		if want := stdMarshal(t, &conn); !bytes.Equal(c.Object, want) {
			t.Fatalf("%s: Marshal differs from encoding/json:\n got %s\nwant %s", c.Variant, c.Object, want)
		}
	}
}

func TestMarshalEscapes(t *testing.T) {
	tests := []struct {
		reason string
		value  string
	}{
		{"quotes and backslashes are escaped", `CN=\"a\\b\"`},
		{"control characters use short escapes where JSON has them", "a\b\f\n\r\tb"},
		{"other control characters use \\u00XX", "\x00\x01\x1f\x7f"},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb\xc3("},
		{"line and paragraph separators are escaped", "a\u2028b\u2029c"},
		{"HTML characters are not escaped", "<a href='x'>&</a>"},
		{"non-ASCII text stays as it is", "Zürich 東京 🔒"},
	}
	for _, tt := range tests {
		conn := generators.Connection{ClientIP: tt.value, ClientCertificate: &generators.ClientCertificate{
			Certificates: generators.Certificates{Leaf: generators.Certificate{Issuer: tt.value, SAN: tt.value}},
			RevocationStatus: &generators.RevocationStatus{ChainValidity: tt.value, Certificates: generators.RevocationCertificates{
				Intermediates: []generators.CertificateRevocation{{ErrorType: tt.value}}}},
		}}
		if got, want := conn.Marshal(), stdMarshal(t, &conn); !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", tt.reason, got, want)
		}
	}
}

func FuzzMarshal(f *testing.F) {
	f.Add("CN=a", "1.2.3.4", "DNS:x", "", 1)
	f.Add("\x00\xff\u2028", "", "", "Error", 0)
	f.Fuzz(func(t *testing.T, dn, ip, san, status string, n int) {
		leaf := generators.Certificate{Issuer: dn, Subject: san + dn, SAN: san, OCSPEndpoint: status, SerialNumber: ip}
		conn := generators.Connection{ClientIP: ip, Endpoint: dn, ConnectionID: status}
		if n%2 == 0 {
			cc := &generators.ClientCertificate{Certificates: generators.Certificates{Leaf: leaf}}
			for i := 0; i < n%5; i++ {
				cc.Certificates.Intermediates = append(cc.Certificates.Intermediates, leaf)
			}
			if n%3 == 0 {
				cc.RevocationStatus = &generators.RevocationStatus{ChainValidity: status,
					Certificates: generators.RevocationCertificates{Leaf: &generators.CertificateRevocation{Status: status, ErrorType: dn}}}
			}
			conn.ClientCertificate = cc
		}
		if got, want := conn.Marshal(), stdMarshal(t, &conn); !bytes.Equal(got, want) {
			t.Fatalf("Marshal differs from encoding/json:\n got %q\nwant %q", got, want)
		}
	})
}
