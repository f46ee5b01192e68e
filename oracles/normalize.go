package oracles

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxKeyLen is the length, in bytes, at which NormalizeMessage truncates its
// result, so that a huge error message cannot bloat a signature.
const MaxKeyLen = 200

// A replacement rewrites every match of re with repl. The rules run in order;
// the ones for the most specific shapes (dates, addresses, serials) come
// before the general ones (hex, numbers) that would otherwise eat them piecemeal.
type replacement struct {
	re   *regexp.Regexp
	repl string
	// fn, when set, computes the replacement of each match instead of repl.
	fn func(string) string
}

var (
	// quotedRE matches a quoted string in any of JavaScript's three quote styles.
	quotedRE = regexp.MustCompile("'[^']*'|\"[^\"]*\"|`[^`]*`")
	// identRE matches what a quoted property name or dotted path looks like.
	identRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)

	// inputRules replace text that typically comes from the input.
	inputRules = []replacement{
		// Go's encoding/json (behind goja's JSON.parse) quotes the offending byte.
		{re: regexp.MustCompile(`invalid character '(?:[^'\\]|\\.)*'`), repl: "invalid character <char>"},
		// Date.prototype.toString: "Thu Jan 01 1970 00:00:00 GMT+0000 (UTC)".
		{re: regexp.MustCompile(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d{4}(?: \d{2}:\d{2}:\d{2})?(?: GMT[+-]\d{4})?(?: \([^)]*\))?`), repl: "<date>"},
		// Certificate validity: "Jan  1 00:00:00 2025 GMT".
		{re: regexp.MustCompile(`\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}(?: GMT)?`), repl: "<date>"},
		// ISO 8601 dates and times.
		{re: regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`), repl: "<date>"},
		// UUIDs.
		{re: regexp.MustCompile(`\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b`), repl: "<uuid>"},
		// Colon-hex serials and fingerprints: "4a:3f:9c".
		{re: regexp.MustCompile(`\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){2,}\b`), repl: "<hex>"},
		// IPv6 addresses (loosely: three or more colon-separated hex groups, or "::").
		{re: regexp.MustCompile(`(?:\b[0-9a-fA-F]{1,4})?(?:::?[0-9a-fA-F]{1,4}){2,7}(?:::)?\b|(?:\b[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}\b)?`), repl: "<ip>"},
		// IPv4 addresses, with an optional prefix length or port.
		{re: regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2}|:\d{1,5})?\b`), repl: "<ip>"},
		// Distinguished-name attributes: "CN=example.com".
		{re: regexp.MustCompile(`\b(?:CN|OU|O|C|L|ST|DC|E|emailAddress|serialNumber)=[^,;/\s]*`), repl: "<dn>"},
		// 0x-prefixed hex.
		{re: regexp.MustCompile(`\b0[xX][0-9a-fA-F]+\b`), repl: "<hex>"},
		// Hex words (hashes, serials) mixing digits and letters.
		{re: regexp.MustCompile(`\b[0-9a-fA-F]{4,}\b`), fn: hexWord},
		// Base64 and base64url blobs.
		{re: regexp.MustCompile(`[A-Za-z0-9+/_-]{24,}={0,2}`), fn: blob},
		// Numbers, with sign, fraction, exponent and a unit ("5ms", "2MB").
		{re: regexp.MustCompile(`-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(ms|us|ns|s|[kKMG]i?B|B)?\b`), repl: "<n>$1"},
	}
	spaceRE = regexp.MustCompile(`\s+`)
)

// NormalizeMessage turns an error message into a deduplication key: the same
// bug raised by different inputs gets the same key, and different bugs keep
// different keys. It replaces what could come from the input — numbers, dates,
// IP addresses, hex and colon-hex serials, UUIDs, base64 blobs,
// distinguished-name values and quoted strings — with placeholders such as
// <n>, <date>, <ip>, <hex>, <uuid>, <dn>, <blob> and '<str>'. A quoted JavaScript identifier or
// dotted path ('leaf', "certificates.leaf") is kept, because engines quote
// property names from the function's code there, which tell bugs apart.
// It also makes the text valid UTF-8, collapses white space and truncates
// the result to MaxKeyLen bytes. NormalizeMessage is idempotent.
func NormalizeMessage(msg string) string {
	// Only the first MaxKeyLen bytes survive; placeholders rarely shrink text
	// by more than 20 times, so the rest need not be scanned.
	s := strings.ToValidUTF8(truncate(msg, 20*MaxKeyLen), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	// A cut can leave a token that the rules see differently (the "12" of
	// "12ab"), so normalize and cut again until nothing changes; two rounds
	// are almost always enough.
	for range 8 {
		next := truncate(strings.TrimSpace(spaceRE.ReplaceAllString(normalizeOutsideQuotes(s), " ")), MaxKeyLen)
		if next == s {
			break
		}
		s = next
	}
	return s
}

// normalizeOutsideQuotes applies the input rules to the text between quoted
// strings, and replaces each quoted string that is not an identifier.
func normalizeOutsideQuotes(s string) string {
	// "invalid character 'x'" quotes input, so it must run before quotes are kept.
	s = inputRules[0].re.ReplaceAllString(s, inputRules[0].repl)
	var b strings.Builder
	last := 0
	for _, m := range quotedRE.FindAllStringIndex(s, -1) {
		b.WriteString(applyRules(s[last:m[0]]))
		q := s[m[0]:m[1]]
		inner := q[1 : len(q)-1]
		if len(inner) <= 64 && identRE.MatchString(inner) {
			b.WriteString(q)
		} else {
			b.WriteByte(q[0])
			b.WriteString("<str>")
			b.WriteByte(q[0])
		}
		last = m[1]
	}
	b.WriteString(applyRules(s[last:]))
	return b.String()
}

func applyRules(s string) string {
	for _, r := range inputRules[1:] {
		if r.fn != nil {
			s = r.re.ReplaceAllStringFunc(s, r.fn)
			continue
		}
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}

// hexWord replaces a hex word that has both a digit and a letter ("4a3f",
// "9c0ffee1"); all-digit words are left to the number rule and all-letter
// ones ("face", "added") are words.
func hexWord(w string) string {
	if strings.ContainsAny(w, "0123456789") && strings.ContainsAny(w, "abcdefABCDEF") {
		return "<hex>"
	}
	return w
}

// blob replaces a long base64-alphabet token that has a digit or a symbol,
// so that a long identifier ("connectionHandlerForProduction") survives.
func blob(w string) string {
	if strings.ContainsAny(w, "0123456789+/=") {
		return "<blob>"
	}
	return w
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut])
}
