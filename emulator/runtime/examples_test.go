package runtime_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// seedsDir holds the connection objects AWS documents.
const seedsDir = "../../../shared/seeds"

// TestDocumentedExamples runs the AWS documentation's example functions
// (testdata/*.js) on the documented connection objects.
func TestDocumentedExamples(t *testing.T) {
	if _, err := os.Stat(seedsDir); err != nil {
		t.Skipf("seed corpus not found: %v", err)
	}
	revoked := runtime.NewKVS(map[string]string{"4a3f5c92d1e87b6c": "revoked"})
	tests := []struct {
		fn, seed, reason string
		kvs              *runtime.KVS
		now              time.Time
		decision         string
		customData       string
	}{
		{"kvs-revocation.js", "doc-full-certificate.json", "its serial is in the revocation KVS", revoked, fixedNow, "deny", "revoked:4a3f5c92d1e87b6c"},
		{"kvs-revocation.js", "doc-event-example.json", "serial not in the KVS", revoked, fixedNow, "allow", ""},
		{"kvs-revocation.js", "doc-revocation-ocsp.json", "serial not in the KVS", revoked, fixedNow, "allow", ""},
		{"ip-allowlist.js", "doc-event-example.json", "127.0.0.1 is listed", nil, fixedNow, "allow", ""},
		{"ip-allowlist.js", "doc-full-certificate.json", "203.0.113.42 is listed", nil, fixedNow, "allow", ""},
		{"ocsp-soft-fail.js", "doc-revocation-ocsp.json", "leaf status Good", nil, fixedNow, "allow", "ocsp:Good"},
		{"ocsp-soft-fail.js", "doc-event-example.json", "no revocation status: soft-fail", nil, fixedNow, "allow", "ocsp:absent"},
		{"expiry-check.js", "doc-event-example.json", "valid 2025-09-10 to 2055-09-11", nil, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), "allow", ""},
		{"expiry-check.js", "doc-full-certificate.json", "expired 2025-01-14", nil, fixedNow, "deny", ""},
		{"expiry-check.js", "doc-revocation-ocsp.json", "expired 2025-01-01", nil, fixedNow, "deny", ""},
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	for _, tt := range tests {
		t.Run(tt.fn+"/"+tt.seed, func(t *testing.T) {
			code, err := os.ReadFile(filepath.Join("testdata", tt.fn))
			if err != nil {
				t.Fatal(err)
			}
			if err := runtime.Check(code); err != nil {
				t.Fatalf("Check: %v", err)
			}
			obj, err := os.ReadFile(filepath.Join(seedsDir, tt.seed))
			if err != nil {
				t.Fatal(err)
			}
			res, err := ex.Execute(t.Context(), runtime.Request{Code: code, Object: obj, KVS: tt.kvs, Now: tt.now, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Error != "" || res.Decision != tt.decision || res.CustomData != tt.customData {
				t.Errorf("got decision %q customData %q error %q, want %q %q (%s)", res.Decision, res.CustomData, res.Error, tt.decision, tt.customData, tt.reason)
			}
		})
	}
}
