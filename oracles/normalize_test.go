package oracles_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz/oracles"
)

func TestNormalizeMessage(t *testing.T) {
	tests := []struct {
		in, want, reason string
	}{
		{"TypeError: Cannot read property 'leaf' of null", "TypeError: Cannot read property 'leaf' of null",
			"a quoted property name comes from the code and tells bugs apart"},
		{"TypeError: Object has no member 'certificates.leaf'", "TypeError: Object has no member 'certificates.leaf'",
			"a quoted dotted path is kept too"},
		{`Error: bad issuer "CN=Evil Corp, O=X"`, `Error: bad issuer "<str>"`,
			"a quoted string that is not an identifier may come from the input"},
		{"Error: unknown client 203.0.113.42", "Error: unknown client <ip>", "IPv4"},
		{"Error: unknown client 203.0.113.42:443", "Error: unknown client <ip>", "IPv4 with port"},
		{"Error: unknown client 2001:db8::1", "Error: unknown client <ip>", "IPv6"},
		{"Error: unknown client ::1", "Error: unknown client <ip>", "IPv6 loopback"},
		{"Error: serial 4a:3f:9c:00:12 revoked", "Error: serial <hex> revoked", "colon-hex serial"},
		{"Error: serial 4a3f9c0012 revoked", "Error: serial <hex> revoked", "plain hex serial"},
		{"Error: serial 0x4A3F revoked", "Error: serial <hex> revoked", "0x hex"},
		{"Error: expired at 2025-11-24T10:00:00Z", "Error: expired at <date>", "ISO timestamp"},
		{"Error: expired at 2025-11-24T10:00:00.123+01:00", "Error: expired at <date>", "ISO timestamp with fraction and zone"},
		{"Error: now Thu Jan 01 1970 00:00:00 GMT+0000 (UTC)", "Error: now <date>", "Date.prototype.toString"},
		{"Error: notAfter Jan  1 00:00:00 2025 GMT", "Error: notAfter <date>", "certificate validity date"},
		{"Error: id 0aa0528f-5b1d-40ba-b5e8-5cb869a803ad", "Error: id <uuid>", "UUID"},
		{"Error: bad fp a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4=", "Error: bad fp <blob>", "base64 blob"},
		{"Error: subject CN=example.com,O=Example", "Error: subject <dn>,<dn>", "distinguished-name values"},
		{"RangeError: index 42 out of range -7.5e3", "RangeError: index <n> out of range <n>", "numbers of any sign and form"},
		{"TypeError: x at line 3:12", "TypeError: x at line <n>:<n>", "a location is a pair of numbers, not an IPv6 address"},
		{"SyntaxError: invalid character 'x' looking for beginning of value", "SyntaxError: invalid character <char> looking for beginning of value",
			"Go's JSON error quotes an input byte, even one that looks like an identifier"},
		{"SyntaxError: invalid character '\\'' in string literal", "SyntaxError: invalid character <char> in string literal",
			"an escaped quote inside the JSON error's character"},
		{"ReferenceError: sha256Fingerprint is not defined", "ReferenceError: sha256Fingerprint is not defined",
			"digits inside an identifier are not numbers"},
		{"ReferenceError: connectionHandlerForProductionTraffic is not defined", "ReferenceError: connectionHandlerForProductionTraffic is not defined",
			"a long identifier is not a blob"},
		{"Error:   two\n\tlines  ", "Error: two lines", "white space collapses"},
		{"Error: bad \xff byte", "Error: bad \uFFFD byte", "invalid UTF-8 becomes U+FFFD"},
		{"", "", "empty stays empty"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := oracles.NormalizeMessage(tt.in); got != tt.want {
				t.Errorf("NormalizeMessage(%q) = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
			}
		})
	}
}

func TestNormalizeMessageSeparatesAndMerges(t *testing.T) {
	same := [][2]string{
		{"Error: client 10.0.0.1 denied", "Error: client 192.0.2.200 denied"},
		{"Error: serial 01:02:03 revoked", "Error: serial ff:ee:dd:cc revoked"},
		{`Error: bad "abc def"`, `Error: bad "zz-9"`},
	}
	for _, p := range same {
		if a, b := oracles.NormalizeMessage(p[0]), oracles.NormalizeMessage(p[1]); a != b {
			t.Errorf("same bug, different keys: %q vs %q", a, b)
		}
	}
	a := oracles.NormalizeMessage("TypeError: Cannot read property 'leaf' of null")
	b := oracles.NormalizeMessage("TypeError: Cannot read property 'split' of undefined")
	if a == b {
		t.Errorf("two bugs share the key %q", a)
	}
}

func TestNormalizeMessageTruncates(t *testing.T) {
	got := oracles.NormalizeMessage("Error: " + strings.Repeat("é", 500))
	if len(got) > oracles.MaxKeyLen || !utf8.ValidString(got) {
		t.Errorf("got %d bytes, valid UTF-8 %v; want at most %d and valid", len(got), utf8.ValidString(got), oracles.MaxKeyLen)
	}
}

func FuzzNormalizeMessage(f *testing.F) {
	for _, s := range []string{
		"TypeError: Cannot read property 'leaf' of null at line 3:12",
		"Error: client 2001:db8::1 at 2025-01-01T00:00:00Z serial 4a:3f:9c",
		`it's "x" and 'y z' ` + "`q`",
		"SyntaxError: invalid character 'x' looking for beginning of value",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := oracles.NormalizeMessage(s)
		if !utf8.ValidString(got) {
			t.Fatalf("NormalizeMessage(%q) = %q: not valid UTF-8", s, got)
		}
		if len(got) > oracles.MaxKeyLen {
			t.Fatalf("NormalizeMessage(%q) is %d bytes, over %d", s, len(got), oracles.MaxKeyLen)
		}
		if again := oracles.NormalizeMessage(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}

func BenchmarkNormalizeMessage(b *testing.B) {
	msg := "TypeError: Cannot read property 'leaf' of null at line 3:12 for client 203.0.113.42 serial 4a:3f:9c"
	long := strings.Repeat("Error: 12ab 'x y' 10.0.0.1 ", 1500) // ~40 KB, a huge thrown message
	b.Run("short", func(b *testing.B) {
		for b.Loop() {
			oracles.NormalizeMessage(msg)
		}
	})
	b.Run("40KB", func(b *testing.B) {
		for b.Loop() {
			oracles.NormalizeMessage(long)
		}
	})
}
