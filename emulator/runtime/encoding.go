package runtime

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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
		return decodeUTF8(b)
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

// decodeUTF8 decodes b as UTF-8 the way Node's Buffer.toString, TextDecoder
// and querystring.unescape do (the WHATWG UTF-8 decoder): each maximal
// invalid subsequence becomes one U+FFFD, so "\xE4\xBD" (a truncated
// character) is one replacement and "\xFF\xFE" is two. It is written out
// because strings.ToValidUTF8 folds a run of invalid bytes into one U+FFFD
// and utf8.DecodeRune (which golang.org/x/text's UTF-8 decoder follows)
// replaces byte by byte: neither matches Node.
func decodeUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out.WriteByte(c)
			i++
			continue
		}
		need, lo, hi := 0, byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c >= 0xE0 && c <= 0xEF:
			need = 2
			if c == 0xE0 {
				lo = 0xA0
			} else if c == 0xED {
				hi = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need = 3
			if c == 0xF0 {
				lo = 0x90
			} else if c == 0xF4 {
				hi = 0x8F
			}
		default:
			out.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lo || b[j] > hi {
				ok = false
				break
			}
			lo, hi = 0x80, 0xBF
			j++
		}
		if ok {
			out.Write(b[i:j])
		} else {
			out.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return out.String()
}

// unescapeBytes is Node's querystring.unescapeBuffer: each %XX becomes the
// byte XX, anything else (including a stray or malformed %) its UTF-8
// bytes.
func unescapeBytes(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
