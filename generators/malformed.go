package generators

import (
	"fmt"
	"math/rand"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// malformedVariants are the malformed-family cases, picked uniformly. The
// first five are not JSON objects (the API answers 400 InvalidArgument); the
// rest are JSON objects CloudFront would never send, which the function runs on.
var malformedVariants = []string{
	"not-json", "truncated", "top-scalar", "top-array", "bom",
	"wrong-type", "null-field", "missing-required", "extra-field", "proto-key",
	"deep-nesting", "duplicate-key", "invalid-utf8", "cert-null", "clientCertInfo",
	"bad-enum", "errortype-without-error", "too-many-intermediates", "control-chars",
	"garbage-ip", "bad-date", "bad-serial", "big-number", "empty-object", "class-invalid",
}

var notJSON = []string{
	"hello", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "<connection/>",
	"{clientIp:'203.0.113.42'}", "{'clientIp':'203.0.113.42'}", `{"clientIp":"1.2.3.4",}`,
	`{"a":NaN}`, `{"a":Infinity}`, `{/*c*/"a":1}`, `{"a":1}{"b":2}`, `{"a":01}`, `{"a":"\x"}`,
	"undefined", `{"a":'x'}`, "\x00\x01\x02", `{"clientIp":"1.2.3.4"`,
}

var topScalars = []string{"1", "0", "-0.5e3", `"clientIp"`, `""`, "true", "false", "null", "1e999", `"\u0000"`}

func (g *Generator) malformedCase(w *draw, c *cffuzz.Case) {
	r, variant, conn := g.start(w, c, cffuzz.ClassMalformed, malformedVariants)
	sc := getScratch()
	defer sc.release()
	base := sc.marshal(&conn) // scratch: every object below is new bytes
	switch variant {
	case "not-json":
		if chance(r, 0.3) {
			b := make([]byte, 1+r.Intn(256))
			r.Read(b)
			c.Object = b
		} else {
			c.Object = []byte(pick(r, notJSON...))
		}
	case "truncated":
		c.Object = append([]byte(nil), base[:1+r.Intn(len(base)-1)]...)
	case "top-scalar":
		c.Object = []byte(pick(r, topScalars...))
	case "top-array":
		c.Object = []byte(pick(r, "[]", "[null]", "[1,2,3]", "["+string(base)+"]"))
	case "bom":
		c.Object = append([]byte("\xef\xbb\xbf"), base...)
	default:
		root, _ := sc.parse(base)
		malformObject(r, root, variant)
		c.Object = root.encode(nil, len(base)+256)
		// Every edit writes valid JSON (tested): the object runs.
		c.Expect = &cffuzz.Expectation{Status: 200}
		return
	}
	c.Expect = expectFor(c.Object)
}

// wrongTypes are values of every JSON type, to put where another is expected.
var wrongTypes = []string{"0", "-1", "1.5", "true", "false", "null", "[]", `["a"]`, "{}", `{"a":1}`, `""`, `"x"`, "1e308"}

// malformObject turns a production object tree into the named malformed variant.
func malformObject(r *rand.Rand, root *node, variant string) {
	l := listMembers(root)
	all := l.objects()
	m := all[r.Intn(len(all))]
	l.release()
	switch variant {
	case "wrong-type":
		v := raw(pick(r, wrongTypes...))
		for v.lead() == m.value().lead() { // a different type
			v = raw(pick(r, wrongTypes...))
		}
		m.set(v)
	case "null-field":
		m.set(raw("null"))
	case "missing-required":
		if req, ok := findMember(root, r, "clientIp", "connectionId", "certificates", "leaf", "serialNumber", "validity", "notAfter", "issuer", "subject", "status", "chainValidity"); ok {
			req.remove()
		}
	case "extra-field":
		obj := containerOf(r, root)
		key := pick(r, "tlsProtocol", "tlsCipher", "tlsSni", "clientPort", "serverIp", "x", "clientCertInfo", "", "allow", "deny", "toString", "hasOwnProperty", "length")
		addMember(obj, key, raw(pick(r, `"TLSv1.3"`, "443", "null", `{"a":1}`, `"x"`)))
	case "proto-key":
		obj := root
		if chance(r, 0.5) {
			obj = containerOf(r, root)
		}
		key := pick(r, "__proto__", "constructor", "prototype", "__defineGetter__", "valueOf")
		addMember(obj, key, raw(pick(r, `{"allow":1,"deny":1}`, `{"clientIp":"10.0.0.1","isAdmin":true}`, `{"prototype":{"x":1}}`, "null", `"x"`, "[]")))
	case "deep-nesting":
		depth := 10 + r.Intn(6000)
		if chance(r, 0.5) {
			m.set(raw(strings.Repeat("[", depth) + strings.Repeat("]", depth)))
		} else {
			m.set(raw(strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)))
		}
	case "duplicate-key":
		addMember(m.parent, m.key(), raw(pick(r, `"x"`, "null", "1", `{"a":1}`)))
		if chance(r, 0.5) { // duplicate first, then the original: which one wins?
			n := len(m.parent.kids) - 1
			m.parent.keys[n], m.parent.keys[m.index] = m.parent.keys[m.index], m.parent.keys[n]
			m.parent.kids[n], m.parent.kids[m.index] = m.parent.kids[m.index], m.parent.kids[n]
		}
	case "invalid-utf8":
		if s, ok := pickString(r, root); ok {
			bad := pick(r, invalidUTF8...)
			t := s.value().raw
			s.set(&node{kind: kindString, raw: []byte(string(t[:len(t)-1]) + bad + `"`)})
		}
	case "cert-null":
		if cc, ok := findMember(root, r, "clientCertificate"); ok {
			cc.set(raw("null"))
		} else {
			addMember(root, "clientCertificate", raw("null"))
		}
	case "clientCertInfo":
		if cc, ok := findMember(root, r, "clientCertificate"); ok {
			cc.parent.keys[cc.index] = encodeString("clientCertInfo")
		} else {
			addMember(root, "clientCertInfo", raw(`{"certificates":{"leaf":{"serialNumber":"4a:3f"}}}`))
		}
	case "bad-enum":
		ensureRevocation(root)
		e, _ := findMember(root, r, "chainValidity", "status", "method")
		e.set(strNode(pick(r, "good", "VALID", "", "Other", "OCSP ", "CRL", "Error\u0000")))
	case "errortype-without-error":
		ensureRevocation(root)
		st, _ := findMember(root, r, "status")
		st.set(strNode(pick(r, "Good", "Revoked", "Unknown")))
		addMember(st.parent, "errorType", strNode(pick(r, ocspErrorTypes...)))
	case "too-many-intermediates":
		certs := root.field("clientCertificate").field("certificates")
		leaf := certs.field("leaf")
		list := raw("[" + strings.TrimSuffix(strings.Repeat(string(leaf.encode(nil, 0))+",", 5+r.Intn(6)), ",") + "]")
		if in, ok := findMember(certs, r, "intermediates"); ok && in.parent == certs {
			in.set(list)
		} else {
			addMember(certs, "intermediates", list)
		}
	case "control-chars":
		if s, ok := findMember(root, r, "subject", "issuer", "clientIp", "serialNumber"); ok {
			s.set(strNode(decodeString(s.value().raw) + pick(r, "\x00", "\x00evil", "\n", "\x1b[31m", "\x7f", "\t")))
		}
	case "garbage-ip":
		ip, _ := findMember(root, r, "clientIp")
		ip.set(strNode(pick(r, "999.1.1.1", "fe80::1%eth0", "", "localhost", " 1.2.3.4", "1.2.3.4:443", "[::1]", "1.2.3", "::ffff:999.0.0.1", "0x7f000001", "01.02.03.004", strings.Repeat("1", 300))))
	case "bad-date":
		d, _ := findMember(root, r, "notBefore", "notAfter")
		d.set(strNode(pick(r, "2025-13-01T00:00:00Z", "2025-01-01", "0000-01-01T00:00:00Z", "2025-01-01T00:00:00+02:00", "", "2025-02-30T00:00:00Z", "10000-01-01T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:00:60Z", "yesterday", "1736899199")))
	case "bad-serial":
		s, _ := findMember(root, r, "serialNumber")
		s.set(strNode(pick(r, "zz:zz", "", "0", "4A3F5C92", "4a-3f", ":", "00:"+strings.Repeat("ff:", 25)+"ff", "-1")))
	case "big-number":
		m.set(raw(pick(r, "1e309", "-0", "12345678901234567890", "1e-400", "9007199254740993", "-9223372036854775809")))
	case "class-invalid": // a certificate field in a form of its class model CloudFront never sends
		if f, ok := classMember(r, root); ok { // always: the object has a certificate
			v, _ := classValue(r, f.key(), false)
			f.set(strNode(v))
		}
	case "empty-object":
		root.keys, root.kids = nil, nil
	default:
		panic(fmt.Sprintf("generators: no malformed variant %q", variant))
	}
}

// containerOf picks a random object node of the tree.
func containerOf(r *rand.Rand, root *node) *node {
	var objs []*node
	root.walk(func(n, _ *node) {
		if n.kind == kindObject {
			objs = append(objs, n)
		}
	})
	return objs[r.Intn(len(objs))]
}

// pickString picks a random string member.
func pickString(r *rand.Rand, root *node) (member, bool) {
	l := listMembers(root)
	defer l.release()
	ss := l.ms[:0]
	for _, m := range l.ms {
		if m.value().kind == kindString {
			ss = append(ss, m)
		}
	}
	if len(ss) == 0 {
		return member{}, false
	}
	return ss[r.Intn(len(ss))], true
}

// ensureRevocation gives the tree a client certificate with a revocation status.
func ensureRevocation(root *node) {
	const rs = `{"chainValidity":"Valid","certificates":{"leaf":{"method":"OCSP","status":"Good","serialNumber":"4a:3f"}}}`
	cc := root.field("clientCertificate")
	if cc == nil {
		cc, _ = parseJSON([]byte(`{"certificates":{"leaf":{"serialNumber":"4a:3f","issuer":"CN=a","subject":"CN=b","validity":{"notBefore":"2024-01-01T00:00:00Z","notAfter":"2030-01-01T00:00:00Z"},"sha256Fingerprint":"_w6bJ7aOAlGOj7NUhJxTfsfee-ONg_xop3_PTgTJpqs="}}}`))
		addMember(root, "clientCertificate", cc)
	}
	if cc.field("revocationStatus") == nil {
		n, _ := parseJSON([]byte(rs))
		addMember(cc, "revocationStatus", n)
	}
}
