package generators

import (
	"reflect"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
)

// profile tunes the model generator for one production variant.
type profile struct {
	name               string
	certProb           float64 // clientCertificate present
	minInter, maxInter int     // intermediates
	revProb            float64 // revocationStatus present
	extProb            float64 // ocspEndpoint, san, spki, sanHex present
	validity           validityMode
	ip                 ipMode
	dn                 dnStyle
	fp                 fpFormat
	longSAN            bool
}

// productionProfiles are the production variants, picked uniformly.
var productionProfiles = []profile{
	{name: "typical", certProb: 0.85, maxInter: 2, revProb: 0.3, extProb: 0.5},
	{name: "no-cert", certProb: 0},
	{name: "leaf-only", certProb: 1, extProb: 0},
	{name: "chain", certProb: 1, minInter: 1, maxInter: 4, revProb: 0.3, extProb: 0.7},
	{name: "ocsp", certProb: 1, maxInter: 4, revProb: 1, extProb: 0.8},
	{name: "ipv6", certProb: 0.7, maxInter: 1, revProb: 0.2, extProb: 0.3, ip: ipV6},
	{name: "ipv4-special", certProb: 0.7, maxInter: 1, revProb: 0.2, extProb: 0.3, ip: ipV4Special},
	{name: "expired-1s", certProb: 1, maxInter: 2, revProb: 0.3, extProb: 0.3, validity: validExpired1s},
	{name: "expired-1d", certProb: 1, maxInter: 2, revProb: 0.3, extProb: 0.3, validity: validExpired1d},
	{name: "expired-1mo", certProb: 1, maxInter: 2, revProb: 0.3, extProb: 0.3, validity: validExpired1mo},
	{name: "valid-1s", certProb: 1, maxInter: 2, revProb: 0.3, extProb: 0.3, validity: validLast1s},
	{name: "not-yet-valid", certProb: 1, maxInter: 2, revProb: 0.3, extProb: 0.3, validity: validNotYet},
	{name: "extreme-dates", certProb: 1, maxInter: 2, extProb: 0.3, validity: validExtreme},
	{name: "any-dates", certProb: 1, maxInter: 2, extProb: 0.3, validity: validAnyRange},
	{name: "dn-rfc2253", certProb: 1, maxInter: 2, extProb: 0.3, dn: dnRFC2253},
	{name: "dn-comma-space", certProb: 1, maxInter: 2, extProb: 0.3, dn: dnCommaSp},
	{name: "dn-escaped", certProb: 1, maxInter: 2, extProb: 0.3, dn: dnEscaped},
	{name: "dn-non-ascii", certProb: 1, maxInter: 2, extProb: 0.3, dn: dnNonASCII},
	{name: "dn-empty", certProb: 1, maxInter: 1, extProb: 0.3, dn: dnEmpty},
	{name: "fp-base64url", certProb: 1, maxInter: 2, extProb: 0.3, fp: fpBase64URL},
	{name: "fp-hex", certProb: 1, maxInter: 2, extProb: 0.3, fp: fpHex},
	{name: "fp-colon-hex", certProb: 1, maxInter: 2, extProb: 0.3, fp: fpColonHex},
	{name: "long-values", certProb: 1, minInter: 4, maxInter: 4, revProb: 0.5, extProb: 1, dn: dnLong, longSAN: true},
}

var (
	typeCertificate           = reflect.TypeOf(Certificate{})
	typeCertificateRevocation = reflect.TypeOf(CertificateRevocation{})
)

// Enumerations of the revocation status.
var (
	chainValidities = []string{"Valid", "Invalid", "Unknown"}
	ocspStatuses    = []string{"Good", "Revoked", "Unknown", "Error"}
	ocspErrorTypes  = []string{"InternalError", "OCSP response verification failed: Unauthorized",
		"OCSP response verification failed: SignatureFailure", "OCSP response verification failed: Expired",
		"OCSP response verification failed: MalformedRequest"}
)

// enumGen picks one of values; it shrinks towards the first one.
func enumGen(values ...string) gopter.Gen {
	index := map[string]int{}
	for i, v := range values {
		index[v] = i
	}
	shrinker := func(v interface{}) gopter.Shrink {
		i, ok := index[v.(string)]
		if !ok || i == 0 {
			return gopter.NoShrink
		}
		return listShrink(values[:i])
	}
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(values[p.Rng.Intn(len(values))], shrinker)
	}
}

func validityGen(mode validityMode, now time.Time) gopter.Gen {
	return func(p *gopter.GenParameters) *gopter.GenResult {
		return gopter.NewGenResult(makeValidity(mode, now, p.Rng), validityShrinker)
	}
}

// certValidity is the validity mode of a certificate of the profile:
// intermediates have typical dates unless the profile is about any dates.
func certValidity(pr *profile, leaf bool) validityMode {
	if !leaf && pr.validity != validExtreme && pr.validity != validAnyRange {
		return validTypical
	}
	return pr.validity
}

func certificateGen(pr profile, leaf bool, d *dictionary, now time.Time) gopter.Gen {
	dn := func(w *draw) string { return w.dn(pr.dn) }
	return gen.Struct(typeCertificate, map[string]gopter.Gen{
		"SerialNumber":      stringGen(d, (*draw).serial, shrinkSerial),
		"Issuer":            stringGen(d, dn, shrinkDN),
		"Subject":           stringGen(d, dn, shrinkDN),
		"Validity":          validityGen(certValidity(&pr, leaf), now),
		"SHA256Fingerprint": stringGen(d, func(w *draw) string { return w.fingerprint(pr.fp) }, shrinkFingerprint),
		"OCSPEndpoint":      optionalString(pr.extProb, stringGen(d, (*draw).ocspEndpoint, shrinkToShort)),
		"SAN":               optionalString(pr.extProb, stringGen(d, func(w *draw) string { return w.san(pr.longSAN) }, shrinkSAN)),
		"SPKI":              optionalString(pr.extProb, stringGen(d, (*draw).spki, shrinkHex)),
		"SANHex":            optionalString(pr.extProb, stringGen(d, (*draw).sanHex, shrinkHex)),
	})
}

// revocationGen builds one OCSP result; errorType exists only with status Error.
func revocationGen() gopter.Gen {
	return gopter.DeriveGen(
		func(method, status, errorType string) CertificateRevocation {
			if status != "Error" {
				errorType = ""
			} else if errorType == "" {
				errorType = ocspErrorTypes[0]
			}
			return CertificateRevocation{Method: method, Status: status, ErrorType: errorType}
		},
		func(c CertificateRevocation) (string, string, string) { return c.Method, c.Status, c.ErrorType },
		gen.Const("OCSP"), enumGen(ocspStatuses...), enumGen(ocspErrorTypes...),
	)
}

func revocationStatusGen() gopter.Gen {
	return gopter.DeriveGen(
		func(chain string, leaf CertificateRevocation, inter []CertificateRevocation) RevocationStatus {
			return RevocationStatus{ChainValidity: chain, Certificates: RevocationCertificates{Leaf: &leaf, Intermediates: inter}}
		},
		func(s RevocationStatus) (string, CertificateRevocation, []CertificateRevocation) {
			var leaf CertificateRevocation
			if s.Certificates.Leaf != nil {
				leaf = *s.Certificates.Leaf
			}
			return s.ChainValidity, leaf, s.Certificates.Intermediates
		},
		enumGen(chainValidities...), revocationGen(), sliceRange(0, 3, typeCertificateRevocation, revocationGen()),
	)
}

// consistent copies the chain's serial numbers into the revocation status
// and gives it one entry per checked intermediate (at most three), padding
// with Good: CloudFront reports on the certificates it checked.
func consistent(certs Certificates, rev *RevocationStatus) ClientCertificate {
	cc := ClientCertificate{Certificates: certs}
	if rev == nil {
		return cc
	}
	r := *rev
	leaf := CertificateRevocation{Method: "OCSP", Status: "Good"}
	if r.Certificates.Leaf != nil {
		leaf = *r.Certificates.Leaf
	}
	leaf.SerialNumber = certs.Leaf.SerialNumber
	r.Certificates.Leaf = &leaf
	n := min(len(certs.Intermediates), 3)
	inter := make([]CertificateRevocation, n)
	for i := range inter {
		if i < len(r.Certificates.Intermediates) {
			inter[i] = r.Certificates.Intermediates[i]
		} else {
			inter[i] = CertificateRevocation{Method: "OCSP", Status: "Good"}
		}
		inter[i].SerialNumber = certs.Intermediates[i].SerialNumber
	}
	if n == 0 {
		inter = nil
	}
	r.Certificates.Intermediates = inter
	cc.RevocationStatus = &r
	return cc
}

func clientCertificateGen(pr profile, d *dictionary, now time.Time) gopter.Gen {
	certs := gen.Struct(reflect.TypeOf(Certificates{}), map[string]gopter.Gen{
		"Leaf":          certificateGen(pr, true, d, now),
		"Intermediates": sliceRange(pr.minInter, pr.maxInter, typeCertificate, certificateGen(pr, false, d, now)),
	})
	return gopter.DeriveGen(
		consistent,
		func(cc ClientCertificate) (Certificates, *RevocationStatus) {
			return cc.Certificates, cc.RevocationStatus
		},
		certs, optionalPtr(pr.revProb, revocationStatusGen()),
	)
}

// connectionGen is the gopter generator of production connections for one
// profile, built on gen.Struct and gopter.DeriveGen so that it shrinks field
// by field while keeping the object production-possible. It draws the same
// fields, from the same makers, as draw.connection, the fast path cases use.
func connectionGen(pr profile, d *dictionary, now time.Time) gopter.Gen {
	return gen.Struct(reflect.TypeOf(Connection{}), map[string]gopter.Gen{
		"ClientCertificate": optionalPtr(pr.certProb, clientCertificateGen(pr, d, now)),
		"ClientIP":          stringGen(d, func(w *draw) string { return w.ip(pr.ip) }, shrinkIP),
		"Endpoint":          stringGen(d, (*draw).endpoint, shrinkEndpoint),
		"DistributionID":    stringGen(d, (*draw).distributionID, shrinkDistributionID),
		"ConnectionID":      stringGen(d, (*draw).connectionID, shrinkConnectionID),
	})
}

// productionFamily builds production cases from the profiles.
type productionFamily struct {
	now  time.Time
	gens []gopter.Gen // gopter generators with shrinkers, one per profile
}

func newProductionFamily(d *dictionary, now time.Time) *productionFamily {
	f := &productionFamily{now: now}
	for _, pr := range productionProfiles {
		f.gens = append(f.gens, connectionGen(pr, d, now))
	}
	return f
}

// connection draws a production connection and its variant name, directly
// from the RNG (gopter's reflection costs more than the rest of a case).
func (f *productionFamily) connection(w *draw) (Connection, string) {
	pr := &productionProfiles[w.r.Intn(len(productionProfiles))]
	return w.connection(pr, f.now), pr.name
}
