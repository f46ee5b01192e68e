package generators

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/cffuzz/cffuzz"
)

// boundaryVariants are the boundary-family cases, picked uniformly.
var boundaryVariants = []string{"empty", "size-40959", "size-40960", "size-40961", "size-near", "size-huge", "long-dn", "long-san"}

func (g *Generator) boundaryCase(w *draw, c *cffuzz.Case) {
	r, variant, conn := g.start(w, c, cffuzz.ClassBoundary, boundaryVariants)
	leaf := &conn.ClientCertificate.Certificates.Leaf
	switch variant {
	case "empty":
		c.Object = []byte{}
	case "size-40959":
		c.Object = padTo(&conn, MaxObjectSize-1)
	case "size-40960":
		c.Object = padTo(&conn, MaxObjectSize)
	case "size-40961":
		c.Object = padTo(&conn, MaxObjectSize+1)
	case "size-near":
		c.Object = padTo(&conn, MaxObjectSize-64+r.Intn(129))
	case "size-huge":
		// Well above the limit, but below the emulator's 256 KiB body cap
		// (150 KiB is 200 KiB of base64), so the answer is the model's
		// length error, not the body cap's 413.
		c.Object = padTo(&conn, pick(r, 2*MaxObjectSize, 65536, 150*1024, MaxObjectSize+1+r.Intn(MaxObjectSize)))
	case "long-dn":
		n := 1000 + r.Intn(30000)
		cn := "CN=" + strings.Repeat(pick(r, "a", "é", "x\\,y", "Long Name "), n/10)
		if chance(r, 0.5) {
			leaf.Subject = cn
		} else {
			leaf.Issuer = cn
		}
		c.Object = conn.Marshal()
	case "long-san":
		// 100 to 1,600 names or, half of the time, as many as fit, distinct
		// or the same few repeated; never more than fit within the size
		// limit: a list that would not fit stops at the limit (the longest
		// list of its kind an object can carry) instead of losing its
		// names to padTo's filler.
		want := 100 + r.Intn(1500)
		if chance(r, 0.5) {
			want = MaxObjectSize
		}
		distinct := chance(r, 0.5)
		leaf.SAN = ""
		budget := MaxObjectSize - len(conn.Marshal()) - len(`,"san":""`)
		var san strings.Builder
		san.Grow(max(0, min(budget, 32*want))) // names are at most 32 bytes
		var num [20]byte
		for i := 0; i < want; i++ {
			name := pick(r, sanNames...)
			n := len(name) + len("DNS:") + 1
			if distinct {
				name = strings.TrimPrefix(name, "*.")
				n = len(name) + len("DNS:h.") + len(strconv.AppendInt(num[:0], int64(i), 10)) + 1
			}
			if san.Len()+n > budget+1 { // +1: the first name has no comma
				break
			}
			if i > 0 {
				san.WriteByte(',')
			}
			san.WriteString("DNS:")
			if distinct {
				san.WriteByte('h')
				san.Write(strconv.AppendInt(num[:0], int64(i), 10))
				san.WriteByte('.')
			}
			san.WriteString(name)
		}
		leaf.SAN = san.String()
		c.Object = conn.Marshal()
	}
	if len(c.Object) > MaxObjectSize && (variant == "long-dn" || variant == "long-san") {
		c.Object = padTo(&conn, MaxObjectSize) // keep long values within the limit
	}
	// Every object here is Marshal's (a JSON object) or empty: no need to
	// re-check the JSON as expectFor does.
	switch {
	case len(c.Object) == 0:
		c.Expect = &cffuzz.Expectation{Status: 400, Code: "InvalidArgument"}
	case len(c.Object) > MaxObjectSize:
		c.Expect = &cffuzz.Expectation{Status: 400, Code: "MalformedXML"}
	default:
		c.Expect = &cffuzz.Expectation{Status: 200}
	}
}

// sanMarker is how the leaf's SAN starts in padTo's first encoding; the
// leaf is the first certificate written, and a value's quotes are escaped,
// so its first occurrence is the leaf's SAN.
const sanMarker = `"san":"DNS:a`

// padTo returns the encoding of conn with the leaf's SAN padded so that it
// is exactly size bytes ("DNS:a,DNS:host.example.com,…aaa": ASCII, one
// character is one byte), or as small as it gets when conn is too large
// already. It leaves the leaf's SAN "DNS:a", and may shorten its DNs.
func padTo(conn *Connection, size int) []byte {
	leaf := &conn.ClientCertificate.Certificates.Leaf
	leaf.SAN = "DNS:a"
	sc := getScratch()
	defer sc.release()
	b := sc.marshal(conn)
	if len(b) > size { // values are too long already: drop the SAN's neighbours' length
		leaf.Subject, leaf.Issuer = "CN=a", "CN=a"
		b = sc.marshal(conn)
	}
	need := max(size-len(b), 0)
	at := bytes.Index(b, []byte(sanMarker)) + len(sanMarker)
	out := make([]byte, 0, len(b)+need)
	out = append(out, b[:at]...)
	const filler = ",DNS:host.example.com"
	k := 0
	for ; k+len(filler) <= need; k += len(filler) {
		out = append(out, filler...)
	}
	for ; k < need; k++ {
		out = append(out, 'a')
	}
	return append(out, b[at:]...)
}
