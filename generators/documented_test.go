package generators_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/generators"
)

// TestDocumentedObjectsAreProduction checks that every connection object
// AWS documents (the seeds: the event example, the full certificate
// specification without endpoint and distributionId, the OCSP example) is
// production: what AWS documents as sendable must not be capped at low
// severity as malformed.
func TestDocumentedObjectsAreProduction(t *testing.T) {
	var files []string
	for _, dir := range []string{"seeds", "/work/shared/seeds"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("found %d seed files, want the three documented objects in generators/seeds", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := generators.Validate(b); err != nil {
			t.Errorf("%s: Validate = %v, want nil (AWS documents this object)", f, err)
		}
		if c := generators.Classify(b); c != cffuzz.ClassProduction {
			t.Errorf("%s: Classify = %s, want production", f, c)
		}
	}
}

// TestValidateElisionsAndOptionalFields checks the rules the documented
// objects need, and that they stay narrow.
func TestValidateElisionsAndOptionalFields(t *testing.T) {
	const leaf = `"serialNumber":"4a:3f","issuer":"CN=a","subject":"CN=b","validity":{"notBefore":"2024-01-15T00:00:00Z","notAfter":"2025-01-14T23:59:59Z"}`
	obj := func(extra, fp string) []byte {
		return []byte(`{"connectionId":"NpvTe1925xfj24a67sPQr7ae42BIq03FGhJJKfrQYWZcWZFp96SIIg==","clientIp":"203.0.113.42"` + extra +
			`,"clientCertificate":{"certificates":{"leaf":{` + leaf + `,"sha256Fingerprint":"` + fp + `"}}}}`)
	}
	tests := []struct {
		name, reason string
		object       []byte
		production   bool
	}{
		{"no endpoint or distributionId", "AWS's full-certificate example has neither", obj("", "a1b2c3d4e5f6...abc123def456"), true},
		{"with endpoint and distributionId", "the documented schema", obj(`,"endpoint":"d1.cloudfront.net","distributionId":"E1"`, "a1b2c3d4e5f6...abc123def456"), true},
		{"empty endpoint", "present fields keep their formats", obj(`,"endpoint":""`, "a1b2c3d4e5f6...abc123def456"), false},
		{"elided hex fingerprint", "the documented elision", obj("", "b2c3d4e5f6a1...def456abc123"), true},
		{"elision without hex", "an elision still needs hex digits", obj("", "..."), false},
		{"two elisions", "one elision only", obj("", "a1...b2...c3"), false},
		{"elided non-hex", "hex around the elision", obj("", "zz...zz"), false},
		{"full hex fingerprint", "64 hex characters", obj("", "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2"), true},
		{"short hex fingerprint", "not elided, not 64 characters", obj("", "a1b2c3d4e5f6"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := generators.Validate(tt.object)
			if (err == nil) != tt.production {
				t.Errorf("Validate = %v, want production=%v (%s)", err, tt.production, tt.reason)
			}
		})
	}
}
