package generators

import (
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// dictionary sorts the tokens of Options.Dictionary by the fields whose
// shape they fit. A token may fit several fields.
type dictionary struct {
	all       []string
	dnValues  []string  // attribute values (CN, O, OU, L, ST), escaped
	dns       []string  // whole distinguished names
	dnTails   []dnTail  // DN fragments without a CN ("O=Example Corp,C=US")
	serials   []string  // colon-hex serials, valid as written
	serialRaw [][]byte  // serial bytes (1–20), from hex and colon-hex tokens
	fpExact   []string  // valid fingerprints, as written
	fpRaw     [][]byte  // 32-byte digests of fingerprint-shaped tokens
	ips       []ipToken // every address, network and prefix
	ips6      []ipToken // those that give IPv6 addresses
	hosts     []string  // host names and domain suffixes (".example.com"), lower case
	urls      []string  // http(s) URLs, for ocspEndpoint
	endpoints []string  // distribution domain names (*.cloudfront.net)
	distIDs   []string  // distribution ids (E1NXS4MQZH501R)
}

// dnTail is a DN fragment and the separator its RDNs use.
type dnTail struct {
	rdns string // without leading separators
	sep  string // "," or ", "
	lead bool   // the token started with a separator: keep it verbatim
	raw  string
}

type ipKind uint8

const (
	ipTokAddr     ipKind = iota // 198.51.100.7, 2001:db8::7
	ipTokCIDR                   // 10.1.0.0/16
	ipTokV4Prefix               // "10.1." or "10.1" (a string prefix)
	ipTokV6Prefix               // "2001:db8:"
)

type ipToken struct {
	kind   ipKind
	addr   netip.Addr
	prefix netip.Prefix
	text   string
}

var (
	dnAttrRE   = regexp.MustCompile(`(?i)(?:^|[,+;]\s*)(?:CN|O|OU|C|L|ST|DC|STREET|UID|E|emailAddress|serialNumber|title|GN|SN)=[^,+;]`)
	hostRE     = regexp.MustCompile(`^(?:\*\.|\.)?(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]\.?$`)
	v4PrefixRE = regexp.MustCompile(`^(?:\d{1,3}\.){1,3}$|^\d{1,3}(?:\.\d{1,3}){1,2}$`)
	distIDRE   = regexp.MustCompile(`^E[0-9A-Z]{12,14}$`)
	hexRE      = regexp.MustCompile(`^(?:0[xX])?[0-9a-fA-F]{2,40}$`)
)

// newDictionary classifies tokens; nil when there are none.
func newDictionary(tokens []string) *dictionary {
	if len(tokens) == 0 {
		return nil
	}
	d := &dictionary{all: normalizeTokens(tokens)}
	for _, t := range d.all {
		d.classify(t)
	}
	return d
}

func (d *dictionary) classify(t string) {
	if !printable(t) {
		return
	}
	low := strings.ToLower(t)
	if b := fingerprintBytes(t); b != nil {
		d.fpRaw = append(d.fpRaw, b)
		if validFingerprint(t) {
			d.fpExact = append(d.fpExact, t)
		}
	}
	if validSerial(t) {
		d.serials = append(d.serials, t)
		b, _ := hex.DecodeString(strings.ReplaceAll(low, ":", ""))
		d.serialRaw = append(d.serialRaw, b)
	} else if hexRE.MatchString(t) {
		h := strings.TrimPrefix(low, "0x")
		if len(h)%2 == 1 {
			h = "0" + h
		}
		if b, err := hex.DecodeString(h); err == nil && len(b) <= 20 {
			d.serialRaw = append(d.serialRaw, b)
		}
	}
	d.classifyIP(t)
	host := strings.TrimPrefix(low, "dns:")
	switch {
	case strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://"):
		if !strings.ContainsAny(t, " \t") {
			d.urls = append(d.urls, t)
			if h := urlHost(low); hostRE.MatchString(h) {
				d.hosts = append(d.hosts, h)
			}
		}
	case hostRE.MatchString(host):
		d.hosts = append(d.hosts, host)
		if strings.HasSuffix(host, ".cloudfront.net") && host[0] != '.' && host[0] != '*' {
			d.endpoints = append(d.endpoints, host)
		}
	}
	if distIDRE.MatchString(t) {
		d.distIDs = append(d.distIDs, t)
	}
	if dnAttrRE.MatchString(t) {
		d.classifyDN(t)
	} else if looksLikeDNValue(t) {
		d.dnValues = append(d.dnValues, escapeDNValue(t))
	}
}

// urlHost is the host of a lower-case http(s) URL.
func urlHost(u string) string {
	h := u[strings.Index(u, "//")+2:]
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return h
}

// classifyDN keeps a token that holds RDNs: whole DNs as they are, CN-less
// fragments as tails to append to a CN, and every attribute value.
func (d *dictionary) classifyDN(t string) {
	trimmed := strings.TrimLeft(t, ",;+ ")
	rdns, sep := splitDN(strings.TrimRight(trimmed, ",;+ "))
	hasCN := false
	for _, rdn := range rdns {
		k := strings.IndexByte(rdn, '=')
		if k <= 0 || k == len(rdn)-1 {
			return // "CN=" and friends: a prefix, no value
		}
		if strings.EqualFold(strings.TrimSpace(rdn[:k]), "CN") {
			hasCN = true
		}
		if v := rdn[k+1:]; looksLikeDNValue(v) {
			d.dnValues = append(d.dnValues, escapeDNValue(v))
		}
	}
	if hasCN && trimmed == t {
		d.dns = append(d.dns, t)
		return
	}
	d.dnTails = append(d.dnTails, dnTail{rdns: trimmed, sep: sep, lead: trimmed != t, raw: t})
}

// dnKeywords are attribute names: in a function they name what to look
// for, they are not values.
var dnKeywords = map[string]bool{"CN": true, "O": true, "OU": true, "C": true, "L": true, "ST": true, "DC": true,
	"STREET": true, "UID": true, "E": true, "EMAILADDRESS": true, "SERIALNUMBER": true, "TITLE": true, "GN": true, "SN": true}

// looksLikeDNValue reports whether t could be a CN, O or OU: a name of
// letters, digits and a little punctuation, not a sentence (log messages
// have spaces and start in lower case).
func looksLikeDNValue(t string) bool {
	if len(t) > 64 || t == "" || t[0] == ' ' || t[len(t)-1] == ' ' || dnKeywords[strings.ToUpper(t)] {
		return false
	}
	upper, space, letter := false, false, false
	for _, c := range t {
		letter = letter || unicode.IsLetter(c)
		switch {
		case unicode.IsUpper(c):
			upper = true
		case c == ' ':
			space = true
		case unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune(".-_'&@*()", c):
		default:
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(t)
	return letter && (!space || unicode.IsUpper(first) || unicode.IsDigit(first)) && (upper || !space)
}

// escapeDNValue escapes a value the RFC 2253 way: \, \+ \" \\ \< \> \; and
// a leading # or space, a trailing space.
func escapeDNValue(v string) string {
	if !strings.ContainsAny(v, `,+"\<>;#`) && v[0] != ' ' && v[len(v)-1] != ' ' {
		return v
	}
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if strings.IndexByte(`,+"\<>;`, c) >= 0 || (i == 0 && (c == '#' || c == ' ')) || (i == len(v)-1 && c == ' ') {
			sb.WriteByte('\\')
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// fingerprintBytes decodes a fingerprint-shaped token (hex, colon hex,
// base64url or base64 of 32 bytes), or returns nil.
func fingerprintBytes(t string) []byte {
	var b []byte
	var err error
	switch len(t) {
	case 64:
		b, err = hex.DecodeString(t)
	case 95:
		b, err = hex.DecodeString(strings.ReplaceAll(t, ":", ""))
	case 44:
		if b, err = base64.URLEncoding.DecodeString(t); err != nil {
			b, err = base64.StdEncoding.DecodeString(t)
		}
	}
	if err != nil || len(b) != 32 {
		return nil
	}
	return b
}

func (d *dictionary) classifyIP(t string) {
	add := func(tok ipToken, v6 bool) {
		d.ips = append(d.ips, tok)
		if v6 {
			d.ips6 = append(d.ips6, tok)
		}
	}
	if p, err := netip.ParsePrefix(t); err == nil {
		add(ipToken{kind: ipTokCIDR, prefix: p.Masked(), text: t}, p.Addr().Is6())
		return
	}
	if a, err := netip.ParseAddr(t); err == nil && a.Zone() == "" {
		add(ipToken{kind: ipTokAddr, addr: a, text: t}, true) // IPv4 ones also as ::ffff:a.b.c.d
		return
	}
	if v4PrefixRE.MatchString(t) {
		for _, p := range strings.Split(strings.TrimSuffix(t, "."), ".") {
			if n, _ := strconv.Atoi(p); n > 255 {
				return
			}
		}
		add(ipToken{kind: ipTokV4Prefix, text: t}, false)
		return
	}
	if strings.Count(t, ":") >= 1 && strings.Trim(t, "0123456789abcdefABCDEF:") == "" && !validSerial(t) {
		for _, c := range []string{t + "1", t + ":1"} {
			if a, err := netip.ParseAddr(c); err == nil && a.Is6() {
				add(ipToken{kind: ipTokV6Prefix, text: t}, true)
				return
			}
		}
	}
}

// Accessors that work on a nil dictionary.
func (d *dictionary) endpointPool() []string {
	if d == nil {
		return nil
	}
	return d.endpoints
}

func (d *dictionary) distIDPool() []string {
	if d == nil {
		return nil
	}
	return d.distIDs
}
