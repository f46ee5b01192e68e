package generators

import (
	"encoding/hex"
	"math/big"
	"math/rand"
	"strings"
)

// nearMissProb is the share of dictionary serials and dict-replace tokens
// that are near misses of the token rather than the token itself.
const nearMissProb = 0.25

// nearMissBytes returns a copy of the big-endian number b changed a little:
// its last hex digit ±1 (within the digit) or the number ±1 (with carry,
// modulo 256^len(b), so the length stays). Functions that compare parsed
// numbers lossily (parseInt of 16 hex digits) see such a serial as equal to
// the token; exact comparisons see it as different.
func nearMissBytes(r *rand.Rand, b []byte) []byte {
	out := append([]byte(nil), b...)
	if len(out) == 0 {
		return []byte{1}
	}
	last := len(out) - 1
	up := chance(r, 0.5)
	if chance(r, 0.5) { // last hex digit ±1, no carry
		lo := out[last] & 0x0f
		if up {
			lo = (lo + 1) & 0x0f
		} else {
			lo = (lo + 15) & 0x0f
		}
		out[last] = out[last]&0xf0 | lo
		return out
	}
	for i := last; i >= 0; i-- { // the number ±1
		if up {
			out[i]++
			if out[i] != 0 {
				break
			}
		} else {
			out[i]--
			if out[i] != 0xff {
				break
			}
		}
	}
	return out
}

// serialTokenBytes decodes a serial-shaped token: colon hex ("4a:3f"),
// hex ("4a3f", "0x4a3f", an odd number of digits padded with a 0).
func serialTokenBytes(t string) ([]byte, bool) {
	low := strings.ToLower(t)
	if validSerial(low) {
		low = strings.ReplaceAll(low, ":", "")
	} else if hexRE.MatchString(low) {
		low = strings.TrimPrefix(low, "0x")
		if len(low)%2 == 1 {
			low = "0" + low
		}
	} else {
		return nil, false
	}
	b, err := hex.DecodeString(low)
	return b, err == nil && len(b) > 0
}

// nearMissToken returns a near miss of a number-shaped token, or false for
// other tokens: a decimal number ±1, or a hex or colon-hex serial with its
// last digit or byte ±1, written with or without colons, in lower or upper
// case, sometimes with a leading 00 byte.
func nearMissToken(r *rand.Rand, t string) (string, bool) {
	if isDecimal(t) && (len(t) < 2 || chance(r, 0.5)) {
		n, _ := new(big.Int).SetString(t, 10)
		if n.Sign() == 0 || chance(r, 0.5) {
			n.Add(n, big.NewInt(1))
		} else {
			n.Sub(n, big.NewInt(1))
		}
		return n.String(), true
	}
	b, ok := serialTokenBytes(t)
	if !ok {
		return "", false
	}
	b = nearMissBytes(r, b)
	if chance(r, 0.3) {
		b = append([]byte{0}, b...)
	}
	s := colonHex(b, chance(r, 0.3))
	if chance(r, 0.5) {
		s = strings.ReplaceAll(s, ":", "")
	}
	return s, true
}

// isDecimal reports whether t is a non-empty string of ASCII digits.
func isDecimal(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return t != ""
}
