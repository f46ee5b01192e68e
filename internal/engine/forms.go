package engine

import (
	"encoding/base64"
	"encoding/hex"
	"math/rand"
	"strings"

	"github.com/cffuzz/cffuzz/generators"
)

// A byte string — a fingerprint, a serial, a key identifier — travels in
// several forms: hex digits in either case, with or without a separator
// between byte pairs, or base64 in either alphabet. Policy code normalizes
// them (and gets that wrong: a replace that removes only the first colon,
// a decoder for one alphabet), so input-to-state replacement compares a
// captured operand with a field in the bytes both stand for, and writes
// the other operand back in the field's own form; and a comparison that
// held on such a field is tried again with the same bytes in another form.

// byteForm is how a field writes its bytes.
type byteForm struct {
	base64 bool
	sep    byte // hex: the separator between byte pairs, 0 for none
	upper  bool // hex: upper-case digits
	url    bool // base64: the URL alphabet
	pad    bool // base64: '=' padding
}

// minFormBytes is the fewest bytes a value must stand for to be read as a
// byte string (shorter hex or base64 is likelier a word or a number).
const minFormBytes = 4

// parseBytes reads v as a byte string: colon-, space- or dash-separated
// pairs or a run of hex digits (an even number), or base64 of at least 16
// characters. It returns the bytes as lower-case hex and v's form.
func parseBytes(v string) (string, byteForm, bool) {
	if h, f, ok := parseHexForm(v); ok {
		return h, f, true
	}
	return parseBase64Form(v)
}

// parseHexForm reads hex digits, either alone or as pairs with one
// separator between them.
func parseHexForm(v string) (string, byteForm, bool) {
	var f byteForm
	if len(v) >= 5 && (v[2] == ':' || v[2] == ' ' || v[2] == '-') {
		f.sep = v[2]
		if (len(v)+1)%3 != 0 {
			return "", f, false
		}
		for i := 2; i < len(v); i += 3 {
			if v[i] != f.sep {
				return "", f, false
			}
		}
	}
	var b strings.Builder
	b.Grow(len(v))
	lower, upper := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if f.sep != 0 && i%3 == 2 {
			continue
		}
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
			c += 'a' - 'A'
		default:
			return "", f, false
		}
		b.WriteByte(c)
	}
	h := b.String()
	if len(h)%2 != 0 || len(h) < 2*minFormBytes || (lower && upper) {
		return "", f, false
	}
	f.upper = upper
	return h, f, true
}

// parseBase64Form reads base64 in either alphabet, padded or not.
func parseBase64Form(v string) (string, byteForm, bool) {
	var f byteForm
	if len(v) < 16 {
		return "", f, false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case isAlnum(c):
		case c == '-' || c == '_':
			f.url = true
		case c == '=' && i >= len(v)-2:
			f.pad = true
		case c == '+' || c == '/':
		default:
			return "", f, false
		}
	}
	enc := base64.RawStdEncoding
	if f.url {
		enc = base64.RawURLEncoding
	}
	b, err := enc.DecodeString(strings.TrimRight(v, "="))
	if err != nil || len(b) < minFormBytes {
		return "", f, false
	}
	f.base64 = true
	f.pad = f.pad || len(v)%4 == 0 && len(b)%3 == 0
	return hex.EncodeToString(b), f, true
}

// format writes the bytes h (lower- or upper-case hex, even length) in
// form f. It reports false when h is not such hex.
func (f byteForm) format(h string) (string, bool) {
	if len(h)%2 != 0 || !isHex(h) {
		return "", false
	}
	if f.base64 {
		b, _ := hex.DecodeString(h)
		switch {
		case f.url && f.pad:
			return base64.URLEncoding.EncodeToString(b), true
		case f.url:
			return base64.RawURLEncoding.EncodeToString(b), true
		case f.pad:
			return base64.StdEncoding.EncodeToString(b), true
		}
		return base64.RawStdEncoding.EncodeToString(b), true
	}
	if f.upper {
		h = strings.ToUpper(h)
	} else {
		h = strings.ToLower(h)
	}
	if f.sep == 0 {
		return h, true
	}
	var b strings.Builder
	b.Grow(len(h) * 3 / 2)
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(f.sep)
		}
		b.WriteString(h[i : i+2])
	}
	return b.String(), true
}

// byteForms are the forms a field's bytes are tried in: the three
// documented fingerprint formats (hex, colon-separated hex, base64url) in
// both cases and paddings, and standard base64.
var byteForms = []byteForm{
	{}, {upper: true}, {sep: ':'}, {sep: ':', upper: true},
	{base64: true, url: true, pad: true}, {base64: true, url: true}, {base64: true, pad: true},
}

// otherForm returns a form of byteForms other than f.
func otherForm(r *rand.Rand, f byteForm) byteForm {
	for {
		g := byteForms[r.Intn(len(byteForms))]
		if g != f {
			return g
		}
	}
}

// canonHex returns what a compared operand stands for as hex bytes, when it
// is made of hex digits and separators only (possibly a broken
// normalization of a field: "9f86:d0:81…" is colon hex with its first
// colon removed): its digits, lower-case. It reports false for anything
// else, and for fewer than 2*minFormBytes digits.
func canonHex(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		case c == ':' || c == ' ' || c == '-':
			continue
		default:
			return "", false
		}
		b.WriteByte(c)
	}
	h := b.String()
	return h, len(h) >= 2*minFormBytes && len(h)%2 == 0
}

// replaceBytes is input-to-state replacement in the space of bytes: a
// compared operand a that stands for the bytes of a field (or a run of
// them), whatever the forms of the two, gives the field the bytes of the
// other operand b in place of a's, written in the field's own form.
func replaceBytes(r *rand.Rand, t *generators.Tree, leaves []generators.Leaf, a, b, op string, left bool) bool {
	ca, ok := canonHex(a)
	if !ok {
		return false
	}
	cb, ok := canonHex(b)
	if !ok {
		return false
	}
	start := r.Intn(len(leaves))
	for k := range leaves {
		l := leaves[(start+k)%len(leaves)]
		h, f, ok := parseBytes(l.Value)
		if !ok {
			continue
		}
		i := strings.Index(h, ca)
		if i < 0 || i%2 != 0 || (h != ca && len(ca) < 16) {
			continue
		}
		x, ok := canonHex(wants(r, ca, cb, op, left))
		if !ok {
			continue
		}
		v, ok := f.format(h[:i] + x + h[i+len(ca):])
		if !ok || v == l.Value {
			continue
		}
		t.Set(l, v)
		return true
	}
	return false
}

// reformMatched writes a field that a comparison matched — the field is
// the program's operand a, directly or as the same bytes in another form
// — in another form of the same value: the bytes in another of byteForms,
// or a distinguished name with its separators spaced differently ("CN=a,
// O=b" and "CN=a,O=b" are one name). A program that matched one form
// should match them all; where it does not, the oracles and properties
// see the difference.
func reformMatched(r *rand.Rand, t *generators.Tree, leaves []generators.Leaf, a string) bool {
	ca, isBytes := canonHex(a)
	start := r.Intn(len(leaves))
	for k := range leaves {
		l := leaves[(start+k)%len(leaves)]
		if h, f, ok := parseBytes(l.Value); ok && (l.Value == a || isBytes && strings.Contains(h, ca) && len(ca)*2 >= len(h)) {
			if v, ok := otherForm(r, f).format(h); ok && v != l.Value {
				t.Set(l, v)
				return true
			}
			continue
		}
		if strings.Contains(l.Value, a) && len(a) >= 3 && strings.Contains(l.Value, "=") {
			if v := respaceDN(l.Value); v != l.Value {
				t.Set(l, v)
				return true
			}
		}
	}
	return false
}

// respaceDN writes a distinguished name with ", " between its components
// when it has plain commas, and with plain commas when it has ", ".
func respaceDN(dn string) string {
	if strings.Contains(dn, ", ") {
		return strings.ReplaceAll(dn, ", ", ",")
	}
	var b strings.Builder
	for i := 0; i < len(dn); i++ {
		b.WriteByte(dn[i])
		switch dn[i] {
		case '\\':
			if i+1 < len(dn) {
				i++
				b.WriteByte(dn[i])
			}
		case ',':
			b.WriteByte(' ')
		}
	}
	return b.String()
}
