package redos_test

import (
	"testing"

	"github.com/cffuzz/cffuzz/internal/redos"
)

// TestAnalyze runs the analyzer on unsafe and safe patterns: every unsafe
// one is found at its degree, with an attack string that is confirmed, and
// no safe one is.
func TestAnalyze(t *testing.T) {
	tests := []struct {
		pattern, flags string
		want           string // "", redos.Exponential or redos.Polynomial
		reason         string
	}{
		// Exponential: nested quantifiers over overlapping alternatives.
		{`^(a+)+$`, "", redos.Exponential, "the classic nested plus"},
		{`(a+)+b`, "", redos.Exponential, "nested plus, unanchored, a required b"},
		{`(a|a)*c`, "", redos.Exponential, "identical alternatives under a star"},
		{`(a|aa)*c`, "", redos.Exponential, "overlapping alternatives (a, aa)"},
		{`^(a*b?)*$`, "", redos.Exponential, "a loop with an optional part in a loop"},
		{`^(\w+\s?)*$`, "", redos.Exponential, "words with optional spaces"},
		{`(\w+\s?)*$`, "", redos.Exponential, "the same, unanchored at the start"},
		{`^(a*)*$`, "", redos.Exponential, "nested stars"},
		{`^([a-z0-9]+\.?)+@`, "", redos.Exponential, "an e-mail-like local part"},
		{`^(\d+|\d+\.\d+)*x$`, "", redos.Exponential, "overlapping number alternatives"},
		{`^(A|a)+$`, "i", redos.Exponential, "alternatives equal under case folding"},
		{`^(?:[^,]+,?)+;`, "", redos.Exponential, "a CSV-ish list with an optional separator"},
		{`^(x+x+)+y$`, "", redos.Exponential, "two pluses in a loop"},
		{`^((ab)*)+$`, "", redos.Exponential, "a nullable loop in a loop"},
		{`^(a{1,3})+$`, "", redos.Exponential, "a counted repetition in a loop"},
		{`^(([a-z])+.)+[A-Z]([a-z])+$`, "", redos.Exponential, "OWASP's evil regex example"},
		{`^[a-zA-Z]+(([\'\,\.\- ][a-zA-Z ])?[a-zA-Z]*)*$`, "", redos.Exponential, "OWASP's person-name validator"},
		{`^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$`, "", redos.Exponential, "OWASP's e-mail validator"},
		{`^(a|a?)+$`, "", redos.Exponential, "an alternative and its optional copy"},
		{`^(\s*,\s*)*$`, "", redos.Exponential, "a separator list whose spaces overlap across iterations"},
		{`^([a-z]+-?)*[a-z]+$`, "", redos.Exponential, "hyphenated words"},
		// Polynomial.
		{`\s*\s*$`, "", redos.Polynomial, "two adjacent loops over one class, end-anchored"},
		{`^\s*\s*$`, "", redos.Polynomial, "the same, anchored"},
		{`^a*a*b$`, "", redos.Polynomial, "two adjacent loops"},
		{`^\d+\d+x`, "", redos.Polynomial, "two digit loops"},
		{`^.*a.*a.*b$`, "", redos.Polynomial, "dot-stars around a letter"},
		{`^-?\d*\.?\d*\d$`, "", redos.Polynomial, "a number pattern with optional parts"},
		{`^(\w+)=\w*\w*;`, "", redos.Polynomial, "adjacent word loops after a key"},
		{`^x*\w*y$`, "", redos.Polynomial, "overlapping loops (x ⊂ \\w)"},
		// Safe.
		{`^[a-z]+$`, "", "", "one loop"},
		{`^(a+)$`, "", "", "a plus in a group, no outer loop"},
		{`^(ab)+$`, "", "", "a loop over a fixed word"},
		{`^(a|b)*c$`, "", "", "disjoint alternatives"},
		{`^\d+\.\d+$`, "", "", "loops separated by a literal"},
		{`^[^,]*,[^,]*$`, "", "", "loops separated by what they exclude"},
		{`^CN=([^,]+)(,|$)`, "", "", "an issuer DN field"},
		{`^([0-9a-f]{2}:)*[0-9a-f]{2}$`, "", "", "a serial number"},
		{`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`, "", "", "an IPv4 address"},
		{`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`, "", "", "base64"},
		{`(a+)+`, "", "", "nested plus that always matches at once (no way to fail)"},
		{`^[\w.-]+@[\w-]+\.[a-z]{2,}$`, "", "", "a plain e-mail check"},
		{`foo|bar|baz`, "", "", "literal alternatives"},
		{`(a|ab)*c`, "", "", "alternatives that share a prefix but parse one way (b alone matches neither)"},
		{`^\s+|\s+$`, "g", "", "trim (one loop per side)"},
		{`^(?:a|b|c)+$`, "", "", "disjoint alternatives in a plus"},
		{`\bdeny\b`, "", "", "a word"},
		{`^/api/v[0-9]+/(users|groups)/[^/]+$`, "", "", "a path"},
		{`^[0-9]{3,}$`, "", "", "an open-ended count"},
		{`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, "", "", "a UUID"},
		{`^(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}$`, "", "", "a full IPv6 address"},
		{`^https?:\/\/[^\s/$.?#].[^\s]*$`, "", "", "a URL"},
		{`^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$`, "", "", "a strict IPv4 address"},
		{`^(\w+\.)*\w+$`, "", "", "dotted words (the dot separates the loops)"},
		{`^[^@]+@[^@]+$`, "", "", "an at-sign split"},
		{`(`, "", "", "not a valid pattern"},
		{`^(?=a)(a+)$`, "", "", "a lookahead"},
		{`^(\w)\1+$`, "", "", "a backreference loop"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			f := redos.Analyze(tt.pattern, tt.flags)
			got := ""
			if f != nil {
				got = f.Degree
			}
			if got != tt.want {
				detail := "nil"
				if f != nil {
					detail = f.Message()
				}
				t.Fatalf("/%s/%s (%s): got %q, want %q\n%s", tt.pattern, tt.flags, tt.reason, got, tt.want, detail)
			}
			if f == nil {
				return
			}
			if f.Attack == "" || f.Pumps < 1 || f.Steps < 1000 {
				t.Errorf("/%s/: weak attack %q (%d pumps, %d steps)", tt.pattern, f.Attack, f.Pumps, f.Steps)
			}
			t.Logf("%s: %s", tt.reason, f.Message())
		})
	}
}
