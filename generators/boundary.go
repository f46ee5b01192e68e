package generators

import (
	"strings"

	"github.com/cffuzz/cffuzz"
	"github.com/leanovate/gopter"
)

// boundaryVariants are the boundary-family cases, picked uniformly.
var boundaryVariants = []string{"empty", "size-40959", "size-40960", "size-40961", "size-near", "size-huge", "long-dn", "long-san"}

func (g *Generator) boundaryCase(p *gopter.GenParameters, c *cffuzz.Case) {
	r, variant, conn := g.start(p, c, cffuzz.ClassBoundary, boundaryVariants)
	leaf := &conn.ClientCertificate.Certificates.Leaf
	switch variant {
	case "empty":
		c.Object = []byte{}
	case "size-40959", "size-40960", "size-40961":
		c.Object = padTo(&conn, map[string]int{"size-40959": 40959, "size-40960": 40960, "size-40961": 40961}[variant])
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
		names := make([]string, 100+r.Intn(1500))
		for i := range names {
			names[i] = "DNS:" + pick(r, sanNames...)
		}
		leaf.SAN = strings.Join(names, ",")
		c.Object = conn.Marshal()
	}
	if len(c.Object) > MaxObjectSize && (variant == "long-dn" || variant == "long-san") {
		c.Object = padTo(&conn, MaxObjectSize) // keep long values within the limit
	}
	c.Expect = expectFor(c.Object)
}

// padTo sets the leaf's SAN so that conn marshals to exactly size bytes
// (ASCII only: one character is one byte), and returns the encoding.
func padTo(conn *Connection, size int) []byte {
	leaf := &conn.ClientCertificate.Certificates.Leaf
	leaf.SAN = "DNS:a"
	base := len(conn.Marshal())
	need := size - base
	if need < 0 { // values are too long already: drop the SAN's neighbours' length
		leaf.SAN = "DNS:a"
		leaf.Subject, leaf.Issuer = "CN=a", "CN=a"
		base = len(conn.Marshal())
		need = max(size-base, 0)
	}
	var sb strings.Builder
	sb.Grow(5 + need)
	sb.WriteString("DNS:a")
	const filler = ",DNS:host.example.com"
	for sb.Len()+len(filler) <= 5+need {
		sb.WriteString(filler)
	}
	sb.WriteString(strings.Repeat("a", 5+need-sb.Len()))
	leaf.SAN = sb.String()
	return conn.Marshal()
}
