package generators

import (
	"math/rand"
	"net/netip"
	"strconv"
	"strings"

	"github.com/leanovate/gopter"
)

// draw is what the field makers of one case draw from: its RNG, its gopter
// size, and the dictionary with the probability that an eligible field
// takes a dictionary token.
type draw struct {
	r    *rand.Rand
	size int
	d    *dictionary
	pd   float64
}

// dictIntensities are the per-case dictionary probabilities, picked
// uniformly (mean 0.4). Varying it per case keeps plain random values
// common (a quarter of the cases use no token) while making cases that
// need two or three tokens at once (an issuer CN and a subject OU and an
// address prefix) far likelier than a fixed probability would.
var dictIntensities = []float64{0, 0.25, 0.5, 0.85}

// defaultDictProb is the dictionary probability of the gopter generators.
const defaultDictProb = 0.35

// newDraw is the draw of one case from its gopter parameters.
func newDraw(p *gopter.GenParameters, d *dictionary, pd float64) *draw {
	return &draw{r: p.Rng, size: p.MaxSize, d: d, pd: pd}
}

// take reports whether a field with n fitting tokens takes one.
func (w *draw) take(n int) bool {
	return n > 0 && w.pd > 0 && chance(w.r, w.pd)
}

// dictPick returns a token of pool, with probability pd.
func (w *draw) dictPick(pool []string) (string, bool) {
	if !w.take(len(pool)) {
		return "", false
	}
	return pool[w.r.Intn(len(pool))], true
}

// dictDNValue returns an (escaped) attribute value.
func (w *draw) dictDNValue() (string, bool) {
	if w.d == nil {
		return "", false
	}
	return w.dictPick(w.d.dnValues)
}

// dictDN returns a whole DN: a dictionary DN as written, or a CN followed
// by a dictionary fragment in the fragment's separator style.
func (w *draw) dictDN() (string, bool) {
	d := w.d
	if d == nil || !w.take(len(d.dns)+len(d.dnTails)) {
		return "", false
	}
	i := w.r.Intn(len(d.dns) + len(d.dnTails))
	if i < len(d.dns) {
		return d.dns[i], true
	}
	t := d.dnTails[i-len(d.dns)]
	cn := pick(w.r, dnWords...)
	if len(d.dnValues) > 0 && chance(w.r, 0.5) {
		cn = pick(w.r, d.dnValues...)
	}
	if t.lead {
		return "CN=" + cn + t.raw, true
	}
	return "CN=" + cn + t.sep + t.rdns, true
}

// dictSerial returns a dictionary serial: as written when it is colon hex,
// or normalized to colon hex, lower or upper case, sometimes with the
// leading 00 of a positive DER integer; a share are near misses (last hex
// digit or last byte ±1, see nearMissBytes).
func (w *draw) dictSerial() (string, bool) {
	d := w.d
	if d == nil || !w.take(len(d.serials)+len(d.serialRaw)) {
		return "", false
	}
	r := w.r
	if len(d.serials) > 0 && chance(r, 0.3) {
		return pick(r, d.serials...), true
	}
	b := pick(r, d.serialRaw...)
	if chance(r, nearMissProb) {
		b = nearMissBytes(r, b)
	}
	if len(b) < 20 && (b[0] >= 0x80 || chance(r, 0.15)) && chance(r, 0.6) {
		b = append([]byte{0}, b...)
	}
	return colonHex(b, chance(r, 0.2)), true
}

// dictFingerprint returns a dictionary digest in format f (as written when
// the format is free and the token is a valid fingerprint).
func (w *draw) dictFingerprint(f fpFormat) (string, bool) {
	d := w.d
	if d == nil || !w.take(len(d.fpRaw)) {
		return "", false
	}
	r := w.r
	if f == fpMixed {
		if len(d.fpExact) > 0 && chance(r, 0.5) {
			return pick(r, d.fpExact...), true
		}
		f = pick(r, fpBase64URL, fpHex, fpColonHex)
	}
	b := pick(r, d.fpRaw...)
	s := formatFingerprint(b, f)
	if f == fpHex && chance(r, 0.3) {
		s = strings.ToUpper(s)
	}
	return s, true
}

// dictHost returns a DNS name from a dictionary host name or suffix.
func (w *draw) dictHost() (string, bool) {
	if w.d == nil {
		return "", false
	}
	h, ok := w.dictPick(w.d.hosts)
	if !ok {
		return "", false
	}
	return w.hostName(h), true
}

// hostName turns a host token into a name: a suffix gets a label in front,
// a wildcard sometimes its * replaced, a name sometimes a subdomain.
func (w *draw) hostName(h string) string {
	r := w.r
	switch {
	case h[0] == '.':
		return w.label() + h
	case strings.HasPrefix(h, "*.") && chance(r, 0.5):
		return w.label() + h[1:]
	case chance(r, 0.15):
		return w.label() + "." + h
	}
	return h
}

var labelWords = []string{"a", "api", "client", "svc-1", "device-42", "x1", "payments", "www"}

// label makes a DNS label: a short word, a dotted name, or a long label,
// sometimes with the underscore real certificates carry.
func (w *draw) label() string {
	r := w.r
	switch r.Intn(8) {
	case 0:
		return pick(r, labelWords...) + "." + pick(r, "prod", "dev", "eu-west-1")
	case 1, 2:
		n := 20 + r.Intn(44) // up to 63, the longest label
		b := []byte(randFrom(r, alnumLower+"-", n))
		b[0], b[n-1] = 'a', '2'
		if chance(r, 0.5) { // late in the label, where a backtracking pattern fails last
			b[n-2-r.Intn(n/4)] = '_'
		}
		return string(b)
	}
	return pick(r, labelWords...)
}

// dictOCSP returns an OCSP URL: a dictionary URL, or one on a dictionary host.
func (w *draw) dictOCSP() (string, bool) {
	d := w.d
	if d == nil || !w.take(len(d.urls)+len(d.hosts)) {
		return "", false
	}
	r := w.r
	i := r.Intn(len(d.urls) + len(d.hosts))
	if i < len(d.urls) {
		return d.urls[i], true
	}
	h := d.hosts[i-len(d.urls)]
	if h[0] == '.' {
		h = "ocsp" + h
	} else if strings.HasPrefix(h, "*.") {
		h = "ocsp" + h[1:]
	}
	u := pick(r, "http://", "http://", "https://") + h
	if chance(r, 0.3) {
		u += "/" + pick(r, "ocsp", "ca1", "intermediate")
	}
	return u, true
}

// dictIP returns an address from a dictionary address, network or prefix:
// the address or its neighbours; inside a network, at its first or last
// address, or just outside it; completing a prefix, or a string prefix
// that is not the network ("10.1" → 10.10.x.x). With v6 only IPv6 results.
func (w *draw) dictIP(v6 bool) (string, bool) {
	d := w.d
	if d == nil {
		return "", false
	}
	pool := d.ips
	if v6 {
		pool = d.ips6
	}
	if !w.take(len(pool)) {
		return "", false
	}
	r := w.r
	t := pool[r.Intn(len(pool))]
	var s string
	switch t.kind {
	case ipTokAddr:
		a := t.addr
		switch r.Intn(4) {
		case 1:
			if p := a.Prev(); p.IsValid() {
				a = p
			}
		case 2:
			if n := a.Next(); n.IsValid() {
				a = n
			}
		}
		s = a.String()
		if a.Is4() && (v6 || chance(r, 0.1)) {
			s = "::ffff:" + s
		}
	case ipTokCIDR:
		s = inOrAround(r, t.prefix).String()
	case ipTokV4Prefix:
		s = completeV4(r, t.text)
	case ipTokV6Prefix:
		s = completeV6(r, t.text)
	}
	if !validIP(s) || (v6 && !strings.Contains(s, ":")) {
		return "", false
	}
	return s, true
}

// inOrAround returns an address of p (random, first or last) or next to it.
func inOrAround(r *rand.Rand, p netip.Prefix) netip.Addr {
	first := p.Addr()
	b := first.AsSlice()
	last := make([]byte, len(b))
	for i := range b {
		last[i] = b[i]
		for bit := 0; bit < 8; bit++ {
			if i*8+bit >= p.Bits() {
				last[i] |= 0x80 >> bit
				if chance(r, 0.5) {
					b[i] |= 0x80 >> bit
				}
			}
		}
	}
	lastAddr, _ := netip.AddrFromSlice(last)
	switch r.Intn(6) {
	case 0:
		return first
	case 1:
		return lastAddr
	case 2:
		if a := first.Prev(); a.IsValid() {
			return a
		}
	case 3:
		if a := lastAddr.Next(); a.IsValid() {
			return a
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// completeV4 completes the dotted prefix s ("10.1." or "10.1") to an
// address: inside the network it names, in a network whose string starts
// with s but is another network (10.1 → 10.15.x.x, 10.100.x.x), or in the
// neighbouring network (10.2.x.x).
func completeV4(r *rand.Rand, s string) string {
	parts := strings.Split(strings.TrimSuffix(s, "."), ".")
	dot := strings.HasSuffix(s, ".")
	last := len(parts) - 1
	n, _ := strconv.Atoi(parts[last])
	switch k := r.Intn(3); {
	case k == 0 && !dot && n != 0 && n*10 <= 255: // string prefix, other network
		ext := n*10 + r.Intn(10)
		if n*100 <= 255 && chance(r, 0.5) {
			ext = n*100 + r.Intn(min(100, 256-n*100))
		}
		parts[last] = strconv.Itoa(ext)
	case k == 1: // the neighbouring network
		if n < 255 && (chance(r, 0.5) || n == 0) {
			parts[last] = strconv.Itoa(n + 1)
		} else {
			parts[last] = strconv.Itoa(n - 1)
		}
	default:
		parts[last] = strconv.Itoa(n) // "010" style leading zeros do not parse
	}
	for len(parts) < 4 {
		parts = append(parts, strconv.Itoa(r.Intn(256)))
	}
	return strings.Join(parts, ".")
}

// completeV6 completes an IPv6 prefix like "2001:db8:" to an address.
func completeV6(r *rand.Rand, s string) string {
	g := strconv.FormatInt(int64(1+r.Intn(0xffff)), 16)
	for _, c := range []string{s + g, s + ":" + g, s + "1"} {
		if validIP(c) {
			return c
		}
	}
	return ""
}
