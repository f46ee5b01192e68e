package generators

import "time"

// The fast path: the same fields, from the same makers and with the same
// probabilities as connectionGen's gopter generators, built with plain code.
// Objects built here are production-valid by construction; the tests check
// it on samples instead of every case re-validating its object.

// connection builds a production connection of profile pr.
func (w *draw) connection(pr *profile, now time.Time) Connection {
	var c Connection
	if chance(w.r, pr.certProb) {
		cc := w.clientCertificate(pr, now)
		c.ClientCertificate = &cc
	}
	c.ClientIP = w.ip(pr.ip)
	c.Endpoint = w.endpoint()
	c.DistributionID = w.distributionID()
	c.ConnectionID = w.connectionID()
	return c
}

func (w *draw) clientCertificate(pr *profile, now time.Time) ClientCertificate {
	certs := Certificates{Leaf: w.certificate(pr, true, now)}
	n := pr.minInter
	if pr.maxInter > pr.minInter {
		n += w.r.Intn(pr.maxInter - pr.minInter + 1)
	}
	if n > 0 {
		certs.Intermediates = make([]Certificate, n)
		for i := range certs.Intermediates {
			certs.Intermediates[i] = w.certificate(pr, false, now)
		}
	}
	if !chance(w.r, pr.revProb) {
		return ClientCertificate{Certificates: certs}
	}
	rs := w.revocationStatus()
	return consistent(certs, &rs)
}

func (w *draw) certificate(pr *profile, leaf bool, now time.Time) Certificate {
	c := Certificate{
		SerialNumber:      w.serial(),
		Issuer:            w.dn(pr.dn),
		Subject:           w.dn(pr.dn),
		Validity:          makeValidity(certValidity(pr, leaf), now, w.r),
		SHA256Fingerprint: w.fingerprint(pr.fp),
	}
	if chance(w.r, pr.extProb) {
		c.OCSPEndpoint = w.ocspEndpoint()
	}
	if chance(w.r, pr.extProb) {
		c.SAN = w.san(pr.longSAN)
	}
	if chance(w.r, pr.extProb) {
		c.SPKI = w.spki()
	}
	if chance(w.r, pr.extProb) {
		c.SANHex = w.sanHex()
	}
	return c
}

// revocationStatus is revocationStatusGen's value; consistent fills in the
// serial numbers.
func (w *draw) revocationStatus() RevocationStatus {
	rs := RevocationStatus{ChainValidity: pick(w.r, chainValidities...)}
	leaf := w.revocation()
	rs.Certificates.Leaf = &leaf
	if n := w.r.Intn(4); n > 0 {
		rs.Certificates.Intermediates = make([]CertificateRevocation, n)
		for i := range rs.Certificates.Intermediates {
			rs.Certificates.Intermediates[i] = w.revocation()
		}
	}
	return rs
}

// revocation is revocationGen's value: errorType only with status Error.
func (w *draw) revocation() CertificateRevocation {
	c := CertificateRevocation{Method: "OCSP", Status: pick(w.r, ocspStatuses...)}
	if c.Status == "Error" {
		c.ErrorType = pick(w.r, ocspErrorTypes...)
	}
	return c
}
