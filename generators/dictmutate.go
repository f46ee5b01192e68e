package generators

import "unicode/utf8"

// mutateWithDict puts a dictionary token into a string value of the tree:
// dict-replace replaces the value, by a token shaped for the field when
// the key is a known one (a serial for serialNumber, an address for
// clientIp...) or by any token, a share of number-shaped tokens as near
// misses (nearMissToken); dict-splice inserts a token at the start,
// the end or inside the value.
func (w *draw) mutateWithDict(root *node, variant string) {
	r := w.r
	m, ok := pickString(r, root)
	if !ok {
		return
	}
	tok := pick(r, w.d.all...)
	if variant == "dict-splice" {
		s := decodeString(m.value().raw)
		i := 0
		switch r.Intn(3) {
		case 0:
			i = len(s)
		case 1:
			if len(s) > 0 {
				i = r.Intn(len(s) + 1)
				for i < len(s) && !utf8.RuneStart(s[i]) {
					i++
				}
			}
		}
		m.set(strNode(s[:i] + tok + s[i:]))
		return
	}
	if v, ok := w.shapedFor(m.key()); ok && chance(r, 0.7) {
		tok = v
	}
	if chance(r, nearMissProb) {
		if v, ok := nearMissToken(r, tok); ok {
			tok = v
		}
	}
	m.set(strNode(tok))
}

// shapedFor returns a dictionary value for the field key, if any token fits it.
func (w *draw) shapedFor(key string) (string, bool) {
	f := *w
	f.pd = 1
	switch key {
	case "serialNumber":
		return f.dictSerial()
	case "issuer", "subject":
		if s, ok := f.dictDN(); ok && chance(w.r, 0.5) {
			return s, true
		}
		if v, ok := f.dictDNValue(); ok {
			return "CN=" + v, true
		}
	case "clientIp":
		return f.dictIP(false)
	case "san":
		if h, ok := f.dictHost(); ok {
			return "DNS:" + h, true
		}
	case "ocspEndpoint":
		return f.dictOCSP()
	case "sha256Fingerprint":
		return f.dictFingerprint(fpMixed)
	case "endpoint":
		return f.dictPick(w.d.endpoints)
	case "distributionId":
		return f.dictPick(w.d.distIDs)
	}
	return "", false
}
