package generators

import (
	"encoding/base64"
	"math/rand"
	"net/netip"
	"strconv"
	"strings"
)

// The class model: for each certificate field whose value is free text or
// has several written forms, the forms (classes) a real certificate, or
// its printer, can give it, each made by rule from character classes and
// code-point ranges, with a weight. The blind families draw from it (the
// production family from the production-valid forms, in a stated share of
// the values; the mutation and malformed families from every form), so
// that every class is reached at a known rate whatever the word lists
// hold. docs/generators.md has the table and the measured reach.

// form is one class of values of a field.
type form struct {
	name   string
	weight int
	// valid says whether a value of the form is production-valid in its
	// field (Validate accepts it): production draws use only those.
	valid bool
	value func(r *rand.Rand) string
}

// fieldModel is the class model of one field.
type fieldModel struct {
	field string
	// prob is the share of a production value of the field drawn from the
	// model (the rest come from the field's usual maker).
	prob  float64
	forms []form
	// Cumulative weights over the valid forms and over all forms.
	cumValid, cumAll []int
}

func newFieldModel(field string, prob float64, forms []form) *fieldModel {
	m := &fieldModel{field: field, prob: prob, forms: forms}
	v, a := 0, 0
	for _, f := range forms {
		a += f.weight
		if f.valid {
			v += f.weight
		}
		m.cumAll = append(m.cumAll, a)
		m.cumValid = append(m.cumValid, v)
	}
	return m
}

// pick draws a form: a production-valid one when valid, any otherwise.
func (m *fieldModel) pick(r *rand.Rand, valid bool) *form {
	cum := m.cumAll
	if valid {
		cum = m.cumValid
	}
	k := r.Intn(cum[len(cum)-1])
	for i, c := range cum {
		if k < c {
			return &m.forms[i]
		}
	}
	return &m.forms[len(m.forms)-1]
}

// draw returns a value of a form drawn as pick does.
func (m *fieldModel) draw(r *rand.Rand, valid bool) string { return m.pick(r, valid).value(r) }

// drawNamed draws a value of one of the named forms, uniformly.
func (m *fieldModel) drawNamed(r *rand.Rand, names ...string) string {
	name := pick(r, names...)
	for i := range m.forms {
		if m.forms[i].name == name {
			return m.forms[i].value(r)
		}
	}
	panic("generators: no form " + name + " in the class model of " + m.field)
}

// drawInvalid draws a value of a form that is not production-valid (of
// any form when the model has none).
func (m *fieldModel) drawInvalid(r *rand.Rand) string {
	var names []string
	for _, f := range m.forms {
		if !f.valid {
			names = append(names, f.name)
		}
	}
	if len(names) == 0 {
		return m.draw(r, false)
	}
	return m.drawNamed(r, names...)
}

// maybe returns a production value drawn from the model with probability
// m.prob.
func (m *fieldModel) maybe(r *rand.Rand) (string, bool) {
	if !chance(r, m.prob) {
		return "", false
	}
	return m.draw(r, true), true
}

const hexUpper = "0123456789ABCDEF"

// runOf returns n characters of class c.
func runOf(r *rand.Rand, c CharClass, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(ClassRune(r, c))
	}
	return b.String()
}

// word is a short printable word (letters and digits), 1 to 12 characters.
func word(r *rand.Rand) string { return randFrom(r, alnumMixed, 1+r.Intn(12)) }

const alnumMixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// around puts mid between two words, or at one end of a word.
func around(r *rand.Rand, mid string) string {
	switch r.Intn(4) {
	case 0:
		return mid + word(r)
	case 1:
		return word(r) + mid
	}
	return word(r) + mid + word(r)
}

// hexPairs writes b as RFC 4514 hex-pair escapes (\C3\A9).
func hexPairs(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		s.WriteByte('\\')
		s.WriteByte(hexUpper[c>>4])
		s.WriteByte(hexUpper[c&0xf])
	}
	return s.String()
}

// dnValueModel is the class model of a DN attribute value, as written in
// the DN string (escaped).
var dnValueModel = newFieldModel("dn-value", 0.25, []form{
	{"printable", 3, true, func(r *rand.Rand) string { // PrintableString, RFC 4514-escaped
		return escapeDNValue(strings.TrimSpace(runOf(r, ClassPrintable, 1+r.Intn(24))) + "x")
	}},
	{"escape-special", 3, true, func(r *rand.Rand) string { // \, \+ \" \\ \< \> \; \=
		return around(r, `\`+string(`,+"\<>;=`[r.Intn(8)]))
	}},
	{"escape-hex", 2, true, func(r *rand.Rand) string { // \2C, or a UTF-8 character as hex pairs
		if chance(r, 0.5) {
			return around(r, hexPairs([]byte(ClassRune(r, ClassNonASCII))))
		}
		return around(r, hexPairs([]byte{byte(r.Intn(256))}))
	}},
	{"escape-edges", 1, true, func(r *rand.Rand) string { // a leading \# or \ , a trailing \
		return pick(r, `\#`, `\ `) + word(r) + pick(r, "", `\ `)
	}},
	{"hex-string", 1, true, func(r *rand.Rand) string { // #<BER>: a UTF8String or PrintableString value
		w := []byte(word(r))
		tag := pick(r, byte(0x0c), byte(0x13), byte(0x16))
		return "#" + strings.ToUpper(hexString(append([]byte{tag, byte(len(w))}, w...)))
	}},
	{"quote", 2, true, func(r *rand.Rand) string { // straight quotes escaped, typographic ones as they are
		q := ClassRune(r, ClassQuote)
		if q == `"` {
			q = `\"`
		}
		return around(r, q)
	}},
	{"separator", 2, true, func(r *rand.Rand) string { // ; / : . @ - _ * and spaces inside a value
		return escapeDNValue(around(r, runOf(r, ClassSeparator, 1+r.Intn(3))))
	}},
	{"percent", 1, true, func(r *rand.Rand) string { return around(r, ClassRune(r, ClassPercent)) }},
	{"non-ascii", 4, true, func(r *rand.Rand) string { // UTF8String / BMPString / UniversalString content
		return escapeDNValue(around(r, runOf(r, ClassNonASCII, 1+r.Intn(6))))
	}},
	{"long", 1, true, func(r *rand.Rand) string { // past ub-common-name (64)
		return randFrom(r, alnumMixed, 65+r.Intn(200))
	}},
	{"control", 1, false, func(r *rand.Rand) string { // a raw control character: printers escape them
		return around(r, ClassRune(r, ClassControl))
	}},
})

// hexString is lower-case hex.
func hexString(b []byte) string {
	var s strings.Builder
	s.Grow(2 * len(b))
	writeHex(&s, b)
	return s.String()
}

// dnTypeModel is the class model of a DN attribute type.
var dnTypeModel = newFieldModel("dn-type", 0.1, []form{
	{"oid", 2, true, func(r *rand.Rand) string {
		return pick(r, "2.5.4.3", "2.5.4.10", "2.5.4.5", "1.2.840.113549.1.9.1", "0.9.2342.19200300.100.1.25", "1.3.6.1.4.1."+strconv.Itoa(r.Intn(60000))+"."+strconv.Itoa(r.Intn(100)))
	}},
	{"other-name", 3, true, func(r *rand.Rand) string {
		return pick(r, "DC", "UID", "serialNumber", "emailAddress", "title", "SN", "GN", "street", "postalCode", "businessCategory", "jurisdictionC", "organizationIdentifier", "dnQualifier", "pseudonym")
	}},
	{"case", 1, true, func(r *rand.Rand) string { return pick(r, "cn", "Cn", "o", "ou", "c", "st", "l") }},
})

// dnRDNProb is the share of production DN components that become
// multi-valued RDNs (CN=a+UID=b).
const dnRDNProb = 0.05

// sanModel is the class model of one SAN entry, as OpenSSL prints it.
var sanModel = newFieldModel("san", 0.3, []form{
	{"dns", 4, true, func(r *rand.Rand) string { return "DNS:" + hostName(r) }},
	{"dns-wildcard", 2, true, func(r *rand.Rand) string { return "DNS:*." + hostName(r) }},
	{"dns-idn", 1, true, func(r *rand.Rand) string {
		return "DNS:xn--" + randFrom(r, alnumLower, 4+r.Intn(10)) + "-" + randFrom(r, alnumLower, 3) + "." + hostName(r)
	}},
	{"dns-odd", 2, true, func(r *rand.Rand) string { // underscore, trailing dot, upper case, a bare label
		switch r.Intn(4) {
		case 0:
			return "DNS:_" + word(r) + "." + hostName(r)
		case 1:
			return "DNS:" + hostName(r) + "."
		case 2:
			return "DNS:" + strings.ToUpper(hostName(r))
		}
		return "DNS:" + strings.ToLower(word(r))
	}},
	{"ip4", 2, true, func(r *rand.Rand) string { return "IP Address:" + randomV4(r, false).String() }},
	{"ip6", 2, true, func(r *rand.Rand) string { // OpenSSL writes every group, upper case
		a := randomV6(r)
		if chance(r, 0.5) {
			return "IP Address:" + opensslV6(a)
		}
		return "IP Address:" + a
	}},
	{"uri", 2, true, func(r *rand.Rand) string { return "URI:" + uriModel.draw(r, true) }},
	{"uri-spiffe", 1, true, func(r *rand.Rand) string {
		return "URI:spiffe://" + hostName(r) + "/ns/" + word(r) + "/sa/" + word(r)
	}},
	{"email", 2, true, func(r *rand.Rand) string { return "email:" + emailAddress(r) }},
	{"dirname", 1, true, func(r *rand.Rand) string {
		return "DirName:/C=" + pick(r, dnCountry...) + "/O=" + word(r) + "/CN=" + dnValueModel.draw(r, true)
	}},
	{"othername", 1, true, func(r *rand.Rand) string {
		return pick(r, "othername:<unsupported>", "othername: UPN::"+emailAddress(r), "Registered ID:1.3.6.1.4.1."+strconv.Itoa(r.Intn(99999)))
	}},
	{"non-ascii", 2, true, func(r *rand.Rand) string { // U-labels and UTF-8 mailboxes, as bytes
		return pick(r, "DNS:", "email:"+word(r)+"@", "URI:https://") + runOf(r, ClassNonASCII, 1+r.Intn(5)) + "." + hostName(r)
	}},
	{"separator", 1, true, func(r *rand.Rand) string { // a comma or an equals sign inside one entry
		return "DirName:/O=" + word(r) + runOf(r, ClassSeparator, 1+r.Intn(3)) + word(r)
	}},
	{"control", 1, false, func(r *rand.Rand) string { return "DNS:" + word(r) + ClassRune(r, ClassControl) + ".example" }},
})

// hostName is 1 to 4 DNS labels under a documentation or real-looking suffix.
func hostName(r *rand.Rand) string {
	var b strings.Builder
	for range r.Intn(3) {
		b.WriteString(label(r))
		b.WriteByte('.')
	}
	b.WriteString(label(r))
	b.WriteString(pick(r, ".example.com", ".example", ".com", ".internal", ".co.uk", ".test"))
	return b.String()
}

// label is a DNS label of letters, digits and hyphens, 1 to 63 characters.
func label(r *rand.Rand) string {
	n := 1 + r.Intn(12)
	if chance(r, 0.1) {
		n = 50 + r.Intn(14)
	}
	b := []byte(randFrom(r, alnumLower+"-", n))
	b[0], b[n-1] = alnumLower[r.Intn(26)], alnumLower[r.Intn(36)]
	return string(b)
}

// emailAddress is a mailbox with the local parts RFC 5321 allows.
func emailAddress(r *rand.Rand) string {
	local := word(r)
	switch r.Intn(5) {
	case 0:
		local += "+" + word(r)
	case 1:
		local += "." + word(r)
	case 2:
		local = `"` + word(r) + " " + word(r) + `"`
	}
	return local + "@" + hostName(r)
}

// opensslV6 writes an IPv6 address as OpenSSL's SAN printer does: eight
// groups, upper case, no compression.
func opensslV6(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return s
	}
	b := a.As16()
	var out strings.Builder
	for i := 0; i < 16; i += 2 {
		if i > 0 {
			out.WriteByte(':')
		}
		out.WriteString(strings.ToUpper(strconv.FormatUint(uint64(b[i])<<8|uint64(b[i+1]), 16)))
	}
	return out.String()
}

// uriModel is the class model of a URI: an OCSP endpoint, or a SAN URI.
var uriModel = newFieldModel("uri", 0.3, []form{
	{"http", 3, true, func(r *rand.Rand) string { return "http://" + hostName(r) }},
	{"https-port", 2, true, func(r *rand.Rand) string {
		return pick(r, "https://", "http://") + hostName(r) + ":" + strconv.Itoa(1+r.Intn(65535)) + "/" + word(r)
	}},
	{"ip-host", 2, true, func(r *rand.Rand) string {
		if chance(r, 0.5) {
			return "http://" + randomV4(r, false).String() + "/ocsp"
		}
		return "http://[" + randomV6(r) + "]:8080/"
	}},
	{"percent", 3, true, func(r *rand.Rand) string { // %XX in the path and the query, and broken ones
		return "http://" + hostName(r) + "/" + around(r, runOf(r, ClassPercent, 1+r.Intn(3))) + "?q=" + around(r, ClassRune(r, ClassPercent))
	}},
	{"query", 2, true, func(r *rand.Rand) string {
		return "http://" + hostName(r) + "/ocsp?" + word(r) + "=" + word(r) + pick(r, "&", ";") + word(r) + "=" + pick(r, "", word(r)) + pick(r, "", "#"+word(r))
	}},
	{"userinfo", 1, true, func(r *rand.Rand) string { return "http://" + word(r) + ":" + word(r) + "@" + hostName(r) + "/" }},
	{"non-ascii", 2, true, func(r *rand.Rand) string { // an IRI
		return "http://" + runOf(r, ClassNonASCII, 1+r.Intn(4)) + "." + hostName(r) + "/" + runOf(r, ClassNonASCII, r.Intn(3))
	}},
	{"punctuation", 1, true, func(r *rand.Rand) string { // quotes, separators, a backslash (IA5String holds any)
		c := `\`
		if !chance(r, 0.3) {
			c = ClassRune(r, pick(r, ClassQuote, ClassSeparator))
		}
		return "http://" + hostName(r) + "/" + around(r, c)
	}},
	{"control", 1, false, func(r *rand.Rand) string { return "http://" + hostName(r) + "/" + ClassRune(r, ClassControl) }},
})

// serialModel is the class model of a serial number: DER INTEGER content
// bytes as colon hex (production), and the forms a function may parse but
// CloudFront's documented format excludes.
var serialModel = newFieldModel("serialNumber", 0.25, []form{
	{"colon-lower", 2, true, func(r *rand.Rand) string { return colonHex(randBytes(r, 1+r.Intn(20)), false) }},
	{"colon-upper", 2, true, func(r *rand.Rand) string { return colonHex(randBytes(r, 1+r.Intn(20)), true) }},
	{"leading-zero", 3, true, func(r *rand.Rand) string { // 00 before a high bit, or before a zero run
		b := randBytes(r, 2+r.Intn(19))
		b[0] = 0
		if chance(r, 0.7) {
			b[1] |= 0x80
		} else {
			b[1] = 0
		}
		return colonHex(b, chance(r, 0.3))
	}},
	{"short-long", 2, true, func(r *rand.Rand) string { // one byte (00, 01, ff) or all twenty
		if chance(r, 0.5) {
			return colonHex([]byte{pick(r, byte(0), byte(1), byte(0x7f), byte(0x80), byte(0xff))}, false)
		}
		b := randBytes(r, 20)
		b[0] = pick(r, byte(0), byte(0x7f), byte(0xff))
		return colonHex(b, chance(r, 0.5))
	}},
	{"plain-hex", 1, false, func(r *rand.Rand) string { return hexString(randBytes(r, 2+r.Intn(19))) }},
	{"odd-digits", 1, false, func(r *rand.Rand) string { // 4:a3:f, a leading zero dropped
		s := colonHex(randBytes(r, 2+r.Intn(8)), chance(r, 0.5))
		return s[1:]
	}},
	{"other-separator", 1, false, func(r *rand.Rand) string {
		return strings.ReplaceAll(colonHex(randBytes(r, 2+r.Intn(8)), false), ":", pick(r, " ", "-", ".", ""))
	}},
	{"decimal", 1, false, func(r *rand.Rand) string { return strconv.FormatUint(1000+r.Uint64()>>uint(r.Intn(60)), 10) }},
})

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	r.Read(b)
	return b
}

// fingerprintModel is the class model of a SHA-256 fingerprint: the three
// documented formats in both cases (production), and near forms.
var fingerprintModel = newFieldModel("sha256Fingerprint", 0.2, []form{
	{"base64url", 2, true, func(r *rand.Rand) string { return base64.URLEncoding.EncodeToString(randBytes(r, 32)) }},
	{"hex-lower", 2, true, func(r *rand.Rand) string { return hexString(randBytes(r, 32)) }},
	{"hex-upper", 1, true, func(r *rand.Rand) string { return strings.ToUpper(hexString(randBytes(r, 32))) }},
	{"colon-upper", 2, true, func(r *rand.Rand) string { return colonHex(randBytes(r, 32), true) }},
	{"colon-lower", 1, true, func(r *rand.Rand) string { return colonHex(randBytes(r, 32), false) }},
	{"base64-std", 1, false, func(r *rand.Rand) string { // + and / instead of - and _
		b := randBytes(r, 32)
		b[0] |= 0xf8 // the first character is + or /
		return base64.StdEncoding.EncodeToString(b)
	}},
	{"base64url-unpadded", 1, false, func(r *rand.Rand) string { return base64.RawURLEncoding.EncodeToString(randBytes(r, 32)) }},
	{"sha1-length", 1, false, func(r *rand.Rand) string { return colonHex(randBytes(r, 20), chance(r, 0.5)) }},
})

// fieldModels are the class models of the string fields of a certificate,
// by key; dn-value and dn-type are parts of issuer and subject.
var fieldModels = map[string]*fieldModel{
	"issuer": dnValueModel, "subject": dnValueModel, "san": sanModel, "ocspEndpoint": uriModel,
	"serialNumber": serialModel, "sha256Fingerprint": fingerprintModel,
}

// classFields are the keys of fieldModels, in a fixed order.
var classFields = []string{"issuer", "subject", "san", "ocspEndpoint", "serialNumber", "sha256Fingerprint"}

// classMember picks a string member whose key has a class model: a key
// first, uniformly among those the tree has (so that an optional field is
// as likely as the serial number every certificate has), then one of its
// members.
func classMember(r *rand.Rand, root *node) (member, bool) {
	l := listMembers(root)
	defer l.release()
	ms := l.objects()
	var counts [8]int // per classFields index
	n := 0
	for _, m := range ms {
		if i := classFieldIndex(m); i >= 0 {
			if counts[i] == 0 {
				n++
			}
			counts[i]++
		}
	}
	if n == 0 {
		return member{}, false
	}
	k, field := r.Intn(n), -1
	for i, c := range counts[:len(classFields)] {
		if c > 0 {
			if k == 0 {
				field, k = i, r.Intn(c)
				break
			}
			k--
		}
	}
	for _, m := range ms {
		if classFieldIndex(m) == field {
			if k == 0 {
				return m, true
			}
			k--
		}
	}
	return member{}, false
}

// classFieldIndex is the index in classFields of a string member's key, or -1.
func classFieldIndex(m member) int {
	if m.value().kind != kindString {
		return -1
	}
	for i, k := range classFields {
		if keyIs(m.parent.keys[m.index], k) {
			return i
		}
	}
	return -1
}

// classValue returns a value for the field key drawn from the
// production-valid forms of its class model (valid) or from the others,
// as the mutation and malformed families use it; false for a key
// without a model.
func classValue(r *rand.Rand, key string, valid bool) (string, bool) {
	m := fieldModels[key]
	if m == nil {
		return "", false
	}
	v := m.draw(r, true)
	if !valid {
		v = m.drawInvalid(r)
	}
	switch key {
	case "issuer", "subject": // a DN around the value
		return "CN=" + v + pick(r, "", ",O="+word(r), ", O="+word(r)+", C=US"), true
	case "san":
		if chance(r, 0.5) { // one entry among others
			return "DNS:" + hostName(r) + "," + v, true
		}
	}
	return v, true
}

// invalidUTF8 are byte sequences no UTF-8 decoder accepts, and escapes of
// lone surrogates, for the raw JSON of a string value.
var invalidUTF8 = []string{"\xff", "\xc3\x28", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\xc0\xaf", "\xe2\x82", `\ud800`, `\udfff\ud800`}
