package generators

import (
	"encoding/base64"
	"encoding/hex"
	"math/rand"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// dateLayout is the documented ISO 8601 UTC form of validity dates.
const dateLayout = "2006-01-02T15:04:05Z"

// ipMode selects the kind of client address.
type ipMode int

const (
	ipAny ipMode = iota
	ipV4Special
	ipV6
)

var v4Ranges = []struct {
	base  [4]byte
	fixed int // leading bytes kept from base
}{
	{[4]byte{10, 0, 0, 0}, 1},        // private
	{[4]byte{172, 16, 0, 0}, 2},      // private (172.16/16 of /12)
	{[4]byte{192, 168, 0, 0}, 2},     // private
	{[4]byte{127, 0, 0, 0}, 1},       // loopback
	{[4]byte{169, 254, 0, 0}, 2},     // link-local
	{[4]byte{100, 64, 0, 0}, 2},      // CGNAT (100.64/16 of /10)
	{[4]byte{192, 0, 2, 0}, 3},       // TEST-NET-1
	{[4]byte{198, 51, 100, 0}, 3},    // TEST-NET-2
	{[4]byte{203, 0, 113, 0}, 3},     // TEST-NET-3
	{[4]byte{0, 0, 0, 0}, 4},         // unspecified
	{[4]byte{255, 255, 255, 255}, 4}, // broadcast
}

func randomV4(r *rand.Rand, special bool) netip.Addr {
	var b [4]byte
	if special || chance(r, 0.5) {
		rg := v4Ranges[r.Intn(len(v4Ranges))]
		b = rg.base
		for i := rg.fixed; i < 4; i++ {
			b[i] = byte(r.Intn(256))
		}
	} else {
		for i := range b {
			b[i] = byte(r.Intn(256))
		}
	}
	return netip.AddrFrom4(b)
}

var v6Prefixes = [][]byte{
	{0x20, 0x01, 0x0d, 0xb8},       // documentation
	{0xfe, 0x80, 0, 0, 0, 0, 0, 0}, // link-local (zone-less)
	{0xfd},                         // unique local
	{0x26, 0x00},                   // global unicast
	{0x2a, 0x05},                   // global unicast
}

func randomV6(r *rand.Rand) string {
	switch r.Intn(8) {
	case 0:
		return "::1"
	case 1:
		return "::ffff:" + randomV4(r, false).String() // IPv4-mapped
	}
	var b [16]byte
	pre := v6Prefixes[r.Intn(len(v6Prefixes))]
	copy(b[:], pre)
	for i := len(pre); i < 16; i++ {
		if chance(r, 0.6) { // zero runs so that "::" compression appears
			b[i] = byte(r.Intn(256))
		}
	}
	a := netip.AddrFrom16(b)
	switch r.Intn(4) {
	case 0:
		return a.StringExpanded() // full form with leading zeros
	case 1:
		return strings.ToUpper(a.String())
	default:
		return a.String() // compressed
	}
}

// ip makes a client address of the mode; a dictionary address, network or
// prefix may stand in for a random one (not for the special ranges).
func (w *draw) ip(mode ipMode) string {
	r := w.r
	if mode != ipV4Special {
		if s, ok := w.dictIP(mode == ipV6); ok {
			return s
		}
	}
	switch {
	case mode == ipV6 || (mode == ipAny && chance(r, 0.3)):
		return randomV6(r)
	default:
		return randomV4(r, mode == ipV4Special).String()
	}
}

func shrinkIP(string) []string { return []string{"::", "::1", "1.1.1.1", "127.0.0.1"} }

// serial makes a colon-hex serial of 1–20 bytes, lower or upper case,
// often with a leading 00 (positive integer with the high bit set), or
// one from the dictionary.
func (w *draw) serial() string {
	if s, ok := w.dictSerial(); ok {
		return s
	}
	r := w.r
	if s, ok := serialModel.maybe(r); ok {
		return s
	}
	n := 1 + r.Intn(20)
	b := make([]byte, n)
	r.Read(b)
	if n > 1 && chance(r, 0.4) {
		b[0] = 0
		b[1] |= 0x80
	}
	return colonHex(b, chance(r, 0.2))
}

func colonHex(b []byte, upper bool) string {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	if len(b) == 0 {
		return ""
	}
	var out strings.Builder
	out.Grow(3*len(b) - 1)
	for i, c := range b {
		if i > 0 {
			out.WriteByte(':')
		}
		out.WriteByte(digits[c>>4])
		out.WriteByte(digits[c&0xf])
	}
	return out.String()
}

func shrinkSerial(s string) []string {
	parts := strings.Split(s, ":")
	n := len(parts)
	out := []string{"00", parts[0]}
	if n > 2 {
		out = append(out, strings.Join(parts[:n/2], ":"), strings.Join(parts[:n-1], ":"))
	}
	return out
}

// dnStyle selects how a distinguished name is written.
type dnStyle int

const (
	dnMixed    dnStyle = iota
	dnRFC2253          // CN=a,O=b,C=US
	dnCommaSp          // C=US, O=b, CN=a (certificate order)
	dnEscaped          // values with \, \+ \" \\
	dnNonASCII         // UTF-8 values
	dnEmpty            // ""
	dnLong             // a long CN
)

var (
	dnWords = []string{"Example Corp", "Ram", "Edge", "mTLS-CA", "client.example.com", "Root CA", "Intermediate CA", "Snoqualmie", "WA", "Acme", "Device 42", "api"}
	// dnEscapeForms are the class-model forms of the dn-escaped style.
	dnEscapeForms = []string{"escape-special", "escape-hex", "escape-edges", "hex-string", "quote"}
	dnAttrs       = []string{"C", "ST", "L", "O", "OU", "CN"} // certificate order
	dnCountry     = []string{"US", "DE", "JP", "FR", "GB", "CH"}
	longLetter    = "abcdefghijklmnopqrstuvwxyz"
)

// dnEdgeProb is the share of DNs (other than long ones) given an edge case
// by dnEdge.
const dnEdgeProb = 0.07

// dn makes a distinguished name of the style; dictionary values stand in
// for some attribute values, or a dictionary DN for the whole name. A few
// get an empty component or value (dnEdge).
func (w *draw) dn(style dnStyle) string {
	s := w.plainDN(style)
	if style != dnLong && chance(w.r, dnEdgeProb) {
		s = dnEdge(w.r, s)
	}
	return s
}

// dnEdge gives the DN s an edge case that component loops mishandle: an
// attribute with an empty value ("O="), a leading, trailing or doubled
// separator (",C=US", "CN=a, ", "CN=a,,O=b"), a lone "=" component, or
// for the whole name "CN=", "=" or a bare separator. Certificates can
// carry all of these, and DN fields accept any printable string, so the
// object stays production.
func dnEdge(r *rand.Rand, s string) string {
	rdns, sep := splitDN(s)
	if s == "" {
		rdns = nil
	}
	if len(rdns) == 0 {
		return pick(r, "CN=", "=", ",", ", ", "CN=,O=")
	}
	switch r.Intn(5) {
	case 0: // an empty value
		i := r.Intn(len(rdns))
		if k := strings.IndexByte(rdns[i], '='); k > 0 {
			rdns[i] = rdns[i][:k+1]
		} else {
			rdns[i] = "CN="
		}
		return strings.Join(rdns, sep)
	case 1:
		return sep + strings.Join(rdns, sep)
	case 2:
		return strings.Join(rdns, sep) + sep
	case 3: // an empty component inside (or at an end)
		return strings.Join(insertAt(rdns, r.Intn(len(rdns)+1), ""), sep)
	default:
		return strings.Join(insertAt(rdns, r.Intn(len(rdns)+1), "="), sep)
	}
}

func insertAt(xs []string, i int, x string) []string {
	out := make([]string, 0, len(xs)+1)
	out = append(append(append(out, xs[:i]...), x), xs[i:]...)
	return out
}

// plainDN makes a distinguished name of the style, without edge cases.
func (w *draw) plainDN(style dnStyle) string {
	r, size := w.r, w.size
	st := style
	if st == dnMixed {
		st = pick(r, dnRFC2253, dnRFC2253, dnCommaSp, dnCommaSp, dnEscaped, dnNonASCII, dnEmpty)
	}
	if st == dnEmpty {
		return ""
	}
	if st != dnLong {
		if s, ok := w.dictDN(); ok {
			return s
		}
	}
	var rdns [7][2]string // attribute, value; certificate order
	n, total := 0, 0
	for _, a := range dnAttrs {
		if a != "CN" && !chance(r, 0.6) { // missing attributes
			continue
		}
		v := pick(r, dnWords...)
		switch {
		case a == "C":
			v = pick(r, dnCountry...)
		case st == dnEscaped && chance(r, 0.5):
			v = dnValueModel.drawNamed(r, dnEscapeForms...)
		case st == dnNonASCII && chance(r, 0.6):
			v = dnValueModel.drawNamed(r, "non-ascii")
		case st == dnLong && a == "CN":
			v = strings.Repeat(longLetter, 1+(100+size*10)/26)
		}
		name := a
		if a != "C" && !(st == dnLong && a == "CN") {
			if dv, ok := w.dictDNValue(); ok {
				v = dv
			} else if cv, ok := dnValueModel.maybe(r); ok {
				v = cv
			}
			if t, ok := dnTypeModel.maybe(r); ok {
				name = t
			}
			if chance(r, dnRDNProb) { // a multi-valued RDN
				v += "+" + dnTypeModel.draw(r, true) + "=" + dnValueModel.draw(r, true)
			}
		}
		rdns[n] = [2]string{name, v}
		n++
		total += len(a) + len(v) + 3
	}
	if chance(r, 0.5) && st != dnCommaSp {
		rdns[n] = [2]string{"emailAddress", "user@example.com"}
		n++
		total += 30
	}
	var out strings.Builder
	out.Grow(total)
	for k := 0; k < n; k++ {
		rdn := rdns[k]
		if st != dnCommaSp {
			rdn = rdns[n-1-k] // RFC 2253: most specific first
		}
		if k > 0 {
			out.WriteByte(',')
			if st == dnCommaSp {
				out.WriteByte(' ')
			}
		}
		out.WriteString(rdn[0])
		out.WriteByte('=')
		out.WriteString(rdn[1])
	}
	return out.String()
}

// splitDN splits a DN at unescaped commas, keeping the separator style.
func splitDN(s string) (rdns []string, sep string) {
	sep = ","
	start, esc := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case esc:
			esc = false
		case s[i] == '\\':
			esc = true
		case s[i] == ',':
			rdns = append(rdns, strings.TrimLeft(s[start:i], " "))
			if i+1 < len(s) && s[i+1] == ' ' {
				sep = ", "
			}
			start = i + 1
		}
	}
	return append(rdns, strings.TrimLeft(s[start:], " ")), sep
}

func shrinkDN(s string) []string {
	rdns, sep := splitDN(s)
	out := []string{"", "CN=a"}
	for i := range rdns { // drop one RDN
		rest := append(append([]string{}, rdns[:i]...), rdns[i+1:]...)
		out = append(out, strings.Join(rest, sep))
	}
	for i, rdn := range rdns { // shorten one value to "a"
		if k := strings.IndexByte(rdn, '='); k > 0 {
			c := append([]string{}, rdns...)
			c[i] = rdn[:k+1] + "a"
			out = append(out, strings.Join(c, sep))
		}
	}
	return out
}

// fpFormat is one of the three documented fingerprint formats.
type fpFormat int

const (
	fpMixed fpFormat = iota
	fpBase64URL
	fpHex
	fpColonHex
)

// fingerprint makes a SHA-256 fingerprint in format f (any of the three
// when fpMixed), random or from the dictionary.
func (w *draw) fingerprint(f fpFormat) string {
	if s, ok := w.dictFingerprint(f); ok {
		return s
	}
	r := w.r
	if f == fpMixed {
		if s, ok := fingerprintModel.maybe(r); ok {
			return s
		}
	}
	var b [32]byte
	r.Read(b[:])
	ff := f
	if ff == fpMixed {
		ff = pick(r, fpBase64URL, fpBase64URL, fpHex, fpColonHex)
	}
	return formatFingerprint(b[:], ff)
}

func formatFingerprint(b []byte, f fpFormat) string {
	switch f {
	case fpHex:
		return hex.EncodeToString(b)
	case fpColonHex:
		return colonHex(b, true)
	default:
		return base64.URLEncoding.EncodeToString(b)
	}
}

func shrinkFingerprint(s string) []string {
	zero := make([]byte, 32)
	return []string{formatFingerprint(zero, fpBase64URL), formatFingerprint(zero, fpHex), formatFingerprint(zero, fpColonHex)}
}

const alnumLower = "abcdefghijklmnopqrstuvwxyz0123456789"
const alnumUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randFrom(r *rand.Rand, alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	for range n {
		b.WriteByte(alphabet[r.Intn(len(alphabet))])
	}
	return b.String()
}

func (w *draw) connectionID() string {
	r := w.r
	var b [40]byte
	r.Read(b[:])
	if chance(r, 0.3) {
		return base64.URLEncoding.EncodeToString(b[:]) // the extended doc example uses - and _
	}
	return base64.StdEncoding.EncodeToString(b[:])
}

func shrinkConnectionID(string) []string {
	return []string{base64.StdEncoding.EncodeToString(make([]byte, 40))}
}

func (w *draw) endpoint() string {
	if s, ok := w.dictPick(w.d.endpointPool()); ok {
		return s
	}
	return "d" + randFrom(w.r, alnumLower, 13) + ".cloudfront.net"
}

func shrinkEndpoint(string) []string { return []string{"d111111abcdef8.cloudfront.net"} }

func (w *draw) distributionID() string {
	if s, ok := w.dictPick(w.d.distIDPool()); ok {
		return s
	}
	return "E" + randFrom(w.r, alnumUpper, 13)
}

func shrinkDistributionID(string) []string { return []string{"E1NXS4MQZH501R", "E0000000000000"} }

func (w *draw) ocspEndpoint() string {
	if s, ok := w.dictOCSP(); ok {
		return s
	}
	r := w.r
	if s, ok := uriModel.maybe(r); ok {
		return s
	}
	u := "http://ocsp." + pick(r, "example.com", "example.org", "digicert.com", "pki.goog", "r10.o.lencr.org")
	if chance(r, 0.3) {
		u += "/" + pick(r, "intermediate", "ca1", "ocsp")
	}
	return u
}

func shrinkToShort(string) []string { return []string{"a"} }

var sanNames = []string{"client.example.com", "api.example.com", "device-42.iot.example.net", "*.example.org", "xn--bcher-kva.example", "localhost"}

// san makes a SAN list; dictionary host names and domain suffixes stand in
// for some DNS names.
func (w *draw) san(long bool) string {
	r, size := w.r, w.size
	n := 1 + r.Intn(1+size/20)
	if long {
		n = 20 + size
	}
	var b strings.Builder
	b.Grow(n * 24)
	var num [20]byte
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if !long {
			if e, ok := sanModel.maybe(r); ok {
				b.WriteString(e)
				continue
			}
		}
		switch r.Intn(8) {
		case 0:
			b.WriteString("IP Address:")
			b.Write(randomV4(r, false).AppendTo(num[:0]))
		case 1:
			b.WriteString("email:user")
			b.Write(strconv.AppendInt(num[:0], int64(i), 10))
			b.WriteString("@example.com")
		default:
			h, ok := w.dictHost()
			if !ok {
				h = pick(r, sanNames...)
			}
			b.WriteString("DNS:")
			if long && i > 0 { // many distinct names, like a multi-domain certificate
				b.WriteByte('h')
				b.Write(strconv.AppendInt(num[:0], int64(i), 10))
				b.WriteByte('.')
				h = strings.TrimPrefix(h, "*.")
			}
			b.WriteString(h)
		}
	}
	return b.String()
}

func shrinkSAN(s string) []string {
	parts := strings.Split(s, ",")
	return []string{"DNS:a", parts[0], strings.Join(parts[:len(parts)/2], ",")}
}

const (
	spkiRSAPrefix = "30820122300d06092a864886f70d01010105000382010f003082010a0282010100"
	spkiECPrefix  = "3059301306072a8648ce3d020106082a8648ce3d03010703420004"
)

func (w *draw) spki() string {
	r := w.r
	prefix, n, suffix := spkiRSAPrefix, 256, "0203010001"
	if chance(r, 0.5) {
		prefix, n, suffix = spkiECPrefix, 64, ""
	}
	var key [256]byte
	r.Read(key[:n])
	var out strings.Builder
	out.Grow(len(prefix) + 2*n + len(suffix))
	out.WriteString(prefix)
	writeHex(&out, key[:n])
	out.WriteString(suffix)
	return out.String()
}

// writeHex writes b as lower-case hex.
func writeHex(w *strings.Builder, b []byte) {
	for _, c := range b {
		w.WriteByte(hexLower[c>>4])
		w.WriteByte(hexLower[c&0xf])
	}
}

// sanHex DER-encodes a GeneralNames of dNSName entries, as hex.
func (w *draw) sanHex() string {
	r := w.r
	var buf [2 + 3*(2+32)]byte // three names of at most 32 bytes
	der := append(buf[:0], 0x30, 0)
	for i := 0; i < 1+r.Intn(3); i++ {
		n := pick(r, sanNames...)
		der = append(der, 0x82, byte(len(n)))
		der = append(der, n...)
	}
	der[1] = byte(len(der) - 2)
	var out strings.Builder
	out.Grow(2 * len(der))
	writeHex(&out, der)
	return out.String()
}

func shrinkHex(string) []string { return []string{"3000"} }

// validityMode places a certificate's validity relative to Options.Now.
type validityMode int

const (
	validTypical    validityMode = iota // started up to 3 years ago, lasts 1 day to 30 years
	validExpired1s                      // notAfter = now-1s
	validExpired1d                      // notAfter = now-1 day
	validExpired1mo                     // notAfter = now-1 month
	validLast1s                         // notAfter = now+1s
	validNotYet                         // notBefore = now+1s..1 day
	validExtreme                        // 1950-01-01 .. 9999-12-31T23:59:59Z
	validAnyRange                       // any two dates in 1950..9999, ordered
)

var (
	minDate = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

func makeValidity(mode validityMode, now time.Time, r *rand.Rand) Validity {
	sec := func(max int64) time.Duration { return time.Duration(r.Int63n(max)) * time.Second }
	const day, year = 86400, 365 * 86400
	var nb, na time.Time
	switch mode {
	case validExpired1s:
		na = now.Add(-time.Second)
	case validExpired1d:
		na = now.AddDate(0, 0, -1)
	case validExpired1mo:
		na = now.AddDate(0, -1, 0)
	case validLast1s:
		na = now.Add(time.Second)
	case validNotYet:
		nb = now.Add(time.Second + sec(day))
		na = nb.Add(sec(2*year) + day*time.Second)
	case validExtreme:
		nb, na = minDate, maxDate
	case validAnyRange:
		span := maxDate.Unix() - minDate.Unix()
		a, b := r.Int63n(span), r.Int63n(span)
		if a > b {
			a, b = b, a
		}
		nb, na = time.Unix(minDate.Unix()+a, 0), time.Unix(minDate.Unix()+b, 0)
	default:
		nb = now.Add(-sec(3 * year))
		na = nb.Add(day*time.Second + sec(30*year))
	}
	if nb.IsZero() {
		nb = na.Add(-(day*time.Second + sec(2*year)))
	}
	return Validity{nb.UTC().Format(dateLayout), na.UTC().Format(dateLayout)}
}
