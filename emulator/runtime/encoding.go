package runtime

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf16"
)

// encodings are the Buffer encodings cloudfront-js-2.0 documents, plus the
// "utf-8" alias.
var encodings = map[string]bool{"utf8": true, "utf-8": true, "hex": true, "base64": true, "base64url": true}

// encodeString converts s to bytes in enc. Invalid hex and base64 input
// decodes as far as it is valid, as in Node.
func encodeString(s, enc string) []byte {
	switch enc {
	case "hex":
		n := len(s) / 2
		out := make([]byte, 0, n)
		for i := 0; i+1 < len(s); i += 2 {
			b, err := hex.DecodeString(s[i : i+2])
			if err != nil {
				break
			}
			out = append(out, b[0])
		}
		return out
	case "base64", "base64url":
		return decodeBase64Lenient(s)
	default:
		return []byte(strings.ToValidUTF8(s, "\uFFFD"))
	}
}

// decodeBase64Lenient accepts both alphabets, with or without padding, and
// ignores whitespace and anything after the padding, as Node does.
func decodeBase64Lenient(s string) []byte {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-':
			b.WriteByte('+')
		case c == '_':
			b.WriteByte('/')
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			b.WriteByte(c)
		case c == '=':
			i = len(s)
		}
	}
	clean := b.String()
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out, err := base64.RawStdEncoding.DecodeString(clean)
	if err != nil {
		return nil
	}
	return out
}

// decodeBytes converts b to a string in enc.
func decodeBytes(b []byte, enc string) string {
	switch enc {
	case "hex":
		return hex.EncodeToString(b)
	case "base64":
		return base64.StdEncoding.EncodeToString(b)
	case "base64url":
		return base64.RawURLEncoding.EncodeToString(b)
	default:
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
}

// latin1 converts s to one byte per UTF-16 code unit for btoa, reporting
// whether every unit fits in a byte.
func latin1(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}

// fromLatin1 converts bytes to a string of the same code units, for atob.
func fromLatin1(b []byte) string {
	units := make([]uint16, len(b))
	for i, c := range b {
		units[i] = uint16(c)
	}
	return string(utf16.Decode(units))
}
