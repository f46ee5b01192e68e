package generators

// Connection is the connection object CloudFront passes to a connection
// function. Fields are declared, and so marshalled, in the order of the
// captured event in the CloudFront Developer Guide (clientCertificate first,
// connectionId last); optional parts are pointers or omitempty so that
// "absent" is representable.
type Connection struct {
	// ClientCertificate is nil when the client sent no certificate
	// (optional or passthrough mTLS).
	ClientCertificate *ClientCertificate `json:"clientCertificate,omitempty"`
	// ClientIP is the client's address, IPv4 or IPv6, in any textual form.
	ClientIP string `json:"clientIp"`
	// Endpoint is the distribution's domain name (d111111abcdef8.cloudfront.net).
	Endpoint string `json:"endpoint"`
	// DistributionID is the distribution's id (E1NXS4MQZH501R).
	DistributionID string `json:"distributionId"`
	// ConnectionID identifies the TLS connection (56-character base64 of 40 bytes).
	ConnectionID string `json:"connectionId"`
}

// ClientCertificate is the client's certificate chain and, when OCSP is
// enabled on the trust store, its revocation status.
type ClientCertificate struct {
	Certificates Certificates `json:"certificates"`
	// RevocationStatus is nil when OCSP checking is off.
	RevocationStatus *RevocationStatus `json:"revocationStatus,omitempty"`
}

// Certificates is the leaf and its intermediates (absent when empty).
type Certificates struct {
	Leaf          Certificate   `json:"leaf"`
	Intermediates []Certificate `json:"intermediates,omitempty"`
}

// Certificate is one certificate of the chain. The extended fields
// (OCSPEndpoint, SAN, SPKI, SANHex) are absent when empty, as in the older
// documentation.
type Certificate struct {
	// SerialNumber is colon-separated hex ("00:9e:2a"), 1–20 bytes.
	SerialNumber string `json:"serialNumber"`
	// Issuer and Subject are distinguished names, in RFC 2253 style
	// ("CN=a,O=b,C=US") or certificate-order comma-space style ("C=US, O=b, CN=a").
	Issuer   string   `json:"issuer"`
	Subject  string   `json:"subject"`
	Validity Validity `json:"validity"`
	// SHA256Fingerprint is base64url with padding (44 characters), 64 hex
	// characters, or colon-separated upper-case hex: the docs show all three.
	SHA256Fingerprint string `json:"sha256Fingerprint"`
	OCSPEndpoint      string `json:"ocspEndpoint,omitempty"`
	// SAN is like "DNS:a.example.com,DNS:b.example.com".
	SAN string `json:"san,omitempty"`
	// SPKI and SANHex are DER, hex-encoded.
	SPKI   string `json:"spki,omitempty"`
	SANHex string `json:"sanHex,omitempty"`
}

// Validity is a certificate's validity period, as ISO 8601 UTC
// ("2025-01-14T23:59:59Z").
type Validity struct {
	NotBefore string `json:"notBefore"`
	NotAfter  string `json:"notAfter"`
}

// RevocationStatus is the OCSP result for the chain.
type RevocationStatus struct {
	// ChainValidity is "Valid", "Invalid" or "Unknown".
	ChainValidity string                 `json:"chainValidity"`
	Certificates  RevocationCertificates `json:"certificates"`
}

// RevocationCertificates holds the OCSP result of the leaf and of up to three
// intermediates.
type RevocationCertificates struct {
	Leaf          *CertificateRevocation  `json:"leaf,omitempty"`
	Intermediates []CertificateRevocation `json:"intermediates,omitempty"`
}

// CertificateRevocation is the OCSP result of one certificate.
type CertificateRevocation struct {
	// Method is "OCSP".
	Method string `json:"method"`
	// Status is "Good", "Revoked", "Unknown" or "Error".
	Status string `json:"status"`
	// ErrorType is present only when Status is "Error": "InternalError" or
	// "OCSP response verification failed: {Type}".
	ErrorType    string `json:"errorType,omitempty"`
	SerialNumber string `json:"serialNumber"`
}
