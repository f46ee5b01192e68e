package generators

import (
	"unicode/utf8"
)

// Marshal encodes c as compact JSON in field-declaration order, without
// HTML escaping (a DN's "<" stays "<"), as a service would send it. The
// bytes are those of encoding/json's Encoder with SetEscapeHTML(false)
// (tested), written without reflection.
func (c *Connection) Marshal() []byte {
	return c.appendJSON(make([]byte, 0, c.sizeHint()))
}

// sizeHint is about the encoded size of c, so that Marshal allocates once.
func (c *Connection) sizeHint() int {
	n := 160 + len(c.ClientIP) + len(c.Endpoint) + len(c.DistributionID) + len(c.ConnectionID)
	if cc := c.ClientCertificate; cc != nil {
		n += 64 + cc.Certificates.Leaf.sizeHint()
		for i := range cc.Certificates.Intermediates {
			n += cc.Certificates.Intermediates[i].sizeHint()
		}
		if cc.RevocationStatus != nil {
			n += 160 + 200*len(cc.RevocationStatus.Certificates.Intermediates)
		}
	}
	return n + n/16
}

func (c *Certificate) sizeHint() int {
	return 200 + len(c.SerialNumber) + len(c.Issuer) + len(c.Subject) + len(c.SHA256Fingerprint) +
		len(c.OCSPEndpoint) + len(c.SAN) + len(c.SPKI) + len(c.SANHex)
}

func (c *Connection) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if cc := c.ClientCertificate; cc != nil {
		b = append(b, `"clientCertificate":{"certificates":{"leaf":`...)
		b = cc.Certificates.Leaf.appendJSON(b)
		if in := cc.Certificates.Intermediates; len(in) > 0 {
			b = append(b, `,"intermediates":[`...)
			for i := range in {
				if i > 0 {
					b = append(b, ',')
				}
				b = in[i].appendJSON(b)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
		if rs := cc.RevocationStatus; rs != nil {
			b = append(b, `,"revocationStatus":{"chainValidity":`...)
			b = appendJSONString(b, rs.ChainValidity)
			b = append(b, `,"certificates":{`...)
			comma := false
			if l := rs.Certificates.Leaf; l != nil {
				b = append(b, `"leaf":`...)
				b = l.appendJSON(b)
				comma = true
			}
			if in := rs.Certificates.Intermediates; len(in) > 0 {
				if comma {
					b = append(b, ',')
				}
				b = append(b, `"intermediates":[`...)
				for i := range in {
					if i > 0 {
						b = append(b, ',')
					}
					b = in[i].appendJSON(b)
				}
				b = append(b, ']')
			}
			b = append(b, "}}"...)
		}
		b = append(b, "},"...)
	}
	b = appendField(b, `"clientIp":`, c.ClientIP)
	b = appendField(b, `,"endpoint":`, c.Endpoint)
	b = appendField(b, `,"distributionId":`, c.DistributionID)
	b = appendField(b, `,"connectionId":`, c.ConnectionID)
	return append(b, '}')
}

func (c *Certificate) appendJSON(b []byte) []byte {
	b = appendField(b, `{"serialNumber":`, c.SerialNumber)
	b = appendField(b, `,"issuer":`, c.Issuer)
	b = appendField(b, `,"subject":`, c.Subject)
	b = appendField(b, `,"validity":{"notBefore":`, c.Validity.NotBefore)
	b = appendField(b, `,"notAfter":`, c.Validity.NotAfter)
	b = appendField(b, `},"sha256Fingerprint":`, c.SHA256Fingerprint)
	if c.OCSPEndpoint != "" {
		b = appendField(b, `,"ocspEndpoint":`, c.OCSPEndpoint)
	}
	if c.SAN != "" {
		b = appendField(b, `,"san":`, c.SAN)
	}
	if c.SPKI != "" {
		b = appendField(b, `,"spki":`, c.SPKI)
	}
	if c.SANHex != "" {
		b = appendField(b, `,"sanHex":`, c.SANHex)
	}
	return append(b, '}')
}

func (c *CertificateRevocation) appendJSON(b []byte) []byte {
	b = appendField(b, `{"method":`, c.Method)
	b = appendField(b, `,"status":`, c.Status)
	if c.ErrorType != "" {
		b = appendField(b, `,"errorType":`, c.ErrorType)
	}
	b = appendField(b, `,"serialNumber":`, c.SerialNumber)
	return append(b, '}')
}

// appendField appends prefix and s as a JSON string.
func appendField(b []byte, prefix, s string) []byte {
	return appendJSONString(append(b, prefix...), s)
}

const hexLower = "0123456789abcdef"

// plainJSON marks the bytes a JSON string holds as they are: printable
// ASCII other than " and \.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString appends s as a JSON string the way encoding/json does
// without HTML escaping: \" \\ \b \f \n \r \t, \u00XX for other control
// characters, \ufffd for invalid UTF-8, \u2028 and \u2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	i := 0
	for i < len(s) && plainJSON[s[i]] {
		i++
	}
	if i == len(s) { // nearly always
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexLower[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
