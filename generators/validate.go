package generators

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cffuzz/cffuzz"
)

// MaxObjectSize is the largest ConnectionObject TestConnectionFunction
// accepts, in bytes before base64.
const MaxObjectSize = 40960

// Classify returns the validity class of a connection object: boundary when
// it is empty or larger than MaxObjectSize, production when Validate accepts
// it, malformed otherwise.
func Classify(object []byte) cffuzz.Class {
	if len(object) == 0 || len(object) > MaxObjectSize {
		return cffuzz.ClassBoundary
	}
	if Validate(object) != nil {
		return cffuzz.ClassMalformed
	}
	return cffuzz.ClassProduction
}

// classifyExpect is Classify and expectFor at once, checking and parsing
// the JSON once.
func classifyExpect(object []byte) (cffuzz.Class, *cffuzz.Expectation) {
	switch {
	case len(object) == 0:
		return cffuzz.ClassBoundary, &cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}
	case len(object) > MaxObjectSize:
		return cffuzz.ClassBoundary, &cffuzz.Expectation{Status: 400, Code: "MalformedXML"}
	case !json.Valid(object):
		return cffuzz.ClassMalformed, &cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}
	}
	sc := getScratch()
	defer sc.release()
	root, err := sc.parse(object)
	if err != nil || root.kind != kindObject {
		exp := &cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}
		if isJSONObject(object) { // nested too deeply for the tree, still an object
			exp = &cffuzz.Expectation{Status: 200}
		}
		return cffuzz.ClassMalformed, exp
	}
	v := validator{}
	v.connection(root)
	if v.err != nil {
		return cffuzz.ClassMalformed, &cffuzz.Expectation{Status: 200}
	}
	return cffuzz.ClassProduction, &cffuzz.Expectation{Status: 200}
}

// IsProduction reports whether object is one CloudFront could send.
func IsProduction(object []byte) bool { return Classify(object) == cffuzz.ClassProduction }

// Validate checks that object is a connection object CloudFront could send:
// a JSON object of the documented shape (section 2 of the reference notes),
// with no unknown or duplicate keys, and every value in a documented format.
// The error names the first offending path.
func Validate(object []byte) error {
	if !json.Valid(object) {
		return fmt.Errorf("connection object: %w", errNotJSON)
	}
	sc := getScratch()
	defer sc.release()
	root, err := sc.parse(object)
	if err != nil {
		return fmt.Errorf("connection object: %w", err)
	}
	v := validator{}
	v.connection(root)
	return v.err
}

type validator struct{ err error }

func (v *validator) fail(path, format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}
}

// object checks that n is an object whose keys are unique and among
// required+optional, with every required key present.
func (v *validator) object(n *node, path string, required, optional []string) bool {
	if n == nil || n.kind != kindObject {
		v.fail(path, "want an object")
		return false
	}
	// Keys are few: a bit set over required+optional finds duplicates.
	var seen uint64
	for _, k := range n.keys {
		i := keyIndex(k, required, optional)
		if i < 0 {
			v.fail(path, "unknown key %q", decodeString(k))
			return false
		}
		if seen&(1<<i) != 0 {
			v.fail(path, "duplicate key %q", decodeString(k))
			return false
		}
		seen |= 1 << i
	}
	for i, k := range required {
		if seen&(1<<i) == 0 {
			v.fail(path, "missing %q", k)
			return false
		}
	}
	return true
}

// keyIndex is the index of the raw key k in required followed by optional, or -1.
func keyIndex(k []byte, required, optional []string) int {
	for i, s := range required {
		if keyIs(k, s) {
			return i
		}
	}
	for i, s := range optional {
		if keyIs(k, s) {
			return len(required) + i
		}
	}
	return -1
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// str returns the string at key, checking it with ok when the key exists.
func (v *validator) str(n *node, key, path string, ok func(string) bool, what string) {
	f := n.field(key)
	if f == nil {
		return
	}
	if f.kind != kindString {
		v.fail(path+"."+key, "want a string")
		return
	}
	s := decodeString(f.raw)
	if !wellFormed(f.raw, s) {
		v.fail(path+"."+key, "want valid UTF-8 (no invalid bytes, no lone surrogate escapes)")
		return
	}
	if ok != nil && !ok(s) {
		v.fail(path+"."+key, "want %s", what)
	}
}

func (v *validator) connection(n *node) {
	// endpoint and distributionId are in the documented schema and the
	// event example, but AWS's own full-certificate example (the "full
	// specification of client certificate properties") has neither: what
	// AWS documents as sendable is production, so both are optional.
	if !v.object(n, "$", []string{"clientIp", "connectionId"}, []string{"endpoint", "distributionId", "clientCertificate"}) {
		return
	}
	v.str(n, "clientIp", "$", validIP, "an IPv4 or IPv6 address")
	v.str(n, "endpoint", "$", nonEmpty, "a domain name")
	v.str(n, "distributionId", "$", nonEmpty, "a distribution id")
	v.str(n, "connectionId", "$", validBase64, "base64")
	cc := n.field("clientCertificate")
	if cc == nil {
		return
	}
	const p = "$.clientCertificate"
	if !v.object(cc, p, []string{"certificates"}, []string{"revocationStatus"}) {
		return
	}
	certs := cc.field("certificates")
	if !v.object(certs, p+".certificates", []string{"leaf"}, []string{"intermediates"}) {
		return
	}
	v.certificate(certs.field("leaf"), p+".certificates.leaf")
	if in := certs.field("intermediates"); in != nil {
		v.array(in, p+".certificates.intermediates", 4, v.certificate)
	}
	if rs := cc.field("revocationStatus"); rs != nil {
		v.revocationStatus(rs, p+".revocationStatus")
	}
}

func (v *validator) array(n *node, path string, max int, each func(*node, string)) {
	if n.kind != kindArray || len(n.kids) > max {
		v.fail(path, "want an array of at most %d", max)
		return
	}
	for i, k := range n.kids {
		each(k, path+"["+strconv.Itoa(i)+"]")
	}
}

func (v *validator) certificate(n *node, path string) {
	if !v.object(n, path, []string{"serialNumber", "issuer", "subject", "validity", "sha256Fingerprint"},
		[]string{"ocspEndpoint", "san", "spki", "sanHex"}) {
		return
	}
	v.str(n, "serialNumber", path, validSerial, "colon-separated hex of 1–20 bytes")
	v.str(n, "issuer", path, printable, "no control characters")
	v.str(n, "subject", path, printable, "no control characters")
	v.str(n, "sha256Fingerprint", path, validFingerprint, "a SHA-256 fingerprint (base64url, hex or colon hex)")
	v.str(n, "ocspEndpoint", path, printable, "no control characters")
	v.str(n, "san", path, printable, "no control characters")
	v.str(n, "spki", path, validHexOrElided, "hex")
	v.str(n, "sanHex", path, validHexOrElided, "hex")
	val := n.field("validity")
	if v.object(val, path+".validity", []string{"notBefore", "notAfter"}, nil) {
		v.str(val, "notBefore", path+".validity", validDate, "a date like 2025-01-14T23:59:59Z, 1950 to 9999")
		v.str(val, "notAfter", path+".validity", validDate, "a date like 2025-01-14T23:59:59Z")
	}
}

func (v *validator) revocationStatus(n *node, path string) {
	if !v.object(n, path, []string{"chainValidity", "certificates"}, nil) {
		return
	}
	v.str(n, "chainValidity", path, oneOf(chainValidities), "Valid, Invalid or Unknown")
	certs := n.field("certificates")
	if !v.object(certs, path+".certificates", []string{"leaf"}, []string{"intermediates"}) {
		return
	}
	if leaf := certs.field("leaf"); leaf != nil {
		v.revocation(leaf, path+".certificates.leaf")
	}
	if in := certs.field("intermediates"); in != nil {
		v.array(in, path+".certificates.intermediates", 3, v.revocation)
	}
}

func (v *validator) revocation(n *node, path string) {
	if !v.object(n, path, []string{"method", "status", "serialNumber"}, []string{"errorType"}) {
		return
	}
	v.str(n, "method", path, oneOf([]string{"OCSP"}), "OCSP")
	v.str(n, "status", path, oneOf(ocspStatuses), "Good, Revoked, Unknown or Error")
	v.str(n, "serialNumber", path, validSerial, "colon-separated hex of 1–20 bytes")
	v.str(n, "errorType", path, validErrorType, "InternalError or OCSP response verification failed: {Type}")
	status := n.field("status")
	isError := status != nil && decodeString(status.raw) == "Error"
	if (n.field("errorType") != nil) != isError {
		v.fail(path+".errorType", "errorType is present exactly when status is Error")
	}
}

// wellFormed reports whether a string token holds valid Unicode: valid UTF-8
// bytes, and no escape that decodes to U+FFFD unless U+FFFD was written.
func wellFormed(raw []byte, decoded string) bool {
	if !utf8.Valid(raw) {
		return false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		// No escapes: decoded is raw's text, so any U+FFFD in it was
		// written (and scanning it rune by rune is the slow part).
		return true
	}
	return !strings.ContainsRune(decoded, utf8.RuneError) ||
		bytes.Contains(raw, []byte("\uFFFD")) || bytes.Contains(raw, []byte("\ufffd")) || bytes.ContainsRune(raw, utf8.RuneError)
}

func nonEmpty(s string) bool { return s != "" }

// printable reports whether s has no C0 control character or DEL: a DN
// printer escapes those (RFC 2253 writes \00).
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

func oneOf(values []string) func(string) bool {
	return func(s string) bool { return contains(values, s) }
}

func validIP(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Zone() == ""
}

func validBase64(s string) bool {
	if s == "" {
		return false
	}
	_, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		_, err = base64.URLEncoding.DecodeString(s)
	}
	return err == nil
}

// validSerial reports whether s is colon-separated hex pairs, 1 to 20 of them.
func validSerial(s string) bool {
	return colonPairs(s) >= 1 && colonPairs(s) <= 20
}

// colonPairs is the number of hex pairs of s when it is colon-separated hex
// pairs ("4a:3F"), -1 otherwise.
func colonPairs(s string) int {
	if len(s)%3 != 2 {
		return -1
	}
	for i := 0; i < len(s); i++ {
		if i%3 == 2 {
			if s[i] != ':' {
				return -1
			}
		} else if !isHex(s[i]) {
			return -1
		}
	}
	return (len(s) + 1) / 3
}

// validHex reports whether s is a non-empty even number of hex digits.
func validHex(s string) bool {
	if s == "" || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// validHexOrElided accepts hex as validHex does, and hex shortened the
// way AWS's documented examples shorten it: one "..." anywhere, with hex
// digits around it ("3082010a...", "a1b2c3...def456"). AWS documents those
// objects as what a function receives, so they are production.
func validHexOrElided(s string) bool {
	if validHex(s) {
		return true
	}
	i := strings.Index(s, "...")
	if i < 0 || strings.Contains(s[i+3:], "...") {
		return false
	}
	rest := s[:i] + s[i+3:]
	if rest == "" {
		return false
	}
	for j := 0; j < len(rest); j++ {
		if !isHex(rest[j]) {
			return false
		}
	}
	return true
}

func validFingerprint(s string) bool {
	if strings.Contains(s, "...") { // "a1b2c3d4e5f6...abc123def456", as documented
		return validHexOrElided(s) && len(s) < 64
	}
	switch len(s) {
	case 44:
		b, err := base64.URLEncoding.DecodeString(s)
		return err == nil && len(b) == 32
	case 64:
		return validHex(s)
	case 95:
		return colonPairs(s) == 32
	}
	return false
}

func validDate(s string) bool {
	t, err := time.Parse(dateLayout, s)
	return err == nil && len(s) == len(dateLayout) && !t.Before(minDate) // X.509 dates start in 1950

}

func validErrorType(s string) bool {
	return s == "InternalError" || (strings.HasPrefix(s, "OCSP response verification failed: ") && len(s) > 35)
}
