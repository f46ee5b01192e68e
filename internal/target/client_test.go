package target_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/target"
)

// opaqueBody is a request body of a type net/http does not know, as the
// AWS SDK's are; it records whether it was closed.
type opaqueBody struct {
	r      io.Reader
	closed bool
}

func (b *opaqueBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *opaqueBody) Close() error               { b.closed = true; return nil }

// seen is a RoundTripper that keeps the request it was given and its body.
type seen struct {
	req  *http.Request
	body []byte
}

func (s *seen) RoundTrip(r *http.Request) (*http.Response, error) {
	s.req = r
	if r.Body != nil {
		s.body, _ = io.ReadAll(r.Body)
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

func TestInMemoryBodies(t *testing.T) {
	payload := strings.Repeat("<x>", 100)
	tests := []struct {
		reason   string
		body     func() (io.ReadCloser, *opaqueBody)
		length   int64
		readHere bool // the body is read ahead into memory
	}{
		{"an SDK-like body of known length is read into memory", func() (io.ReadCloser, *opaqueBody) {
			b := &opaqueBody{r: strings.NewReader(payload)}
			return b, b
		}, int64(len(payload)), true},
		{"a body of unknown length passes through", func() (io.ReadCloser, *opaqueBody) {
			b := &opaqueBody{r: strings.NewReader(payload)}
			return b, b
		}, -1, false},
		{"a body over the limit passes through", func() (io.ReadCloser, *opaqueBody) {
			b := &opaqueBody{r: io.LimitReader(zeros{}, 2<<20)}
			return b, b
		}, 2 << 20, false},
		{"no body passes through", func() (io.ReadCloser, *opaqueBody) { return http.NoBody, nil }, 0, false},
	}
	for _, tt := range tests {
		next := &seen{}
		body, opaque := tt.body()
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Body, req.ContentLength = body, tt.length
		if _, err := target.InMemoryBodies(next).RoundTrip(req); err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if tt.readHere {
			// A copy with the body in memory is sent; no GetBody, so
			// net/http never resends it by itself.
			if next.req == req || next.req.GetBody != nil || !bytes.Equal(next.body, []byte(payload)) || !opaque.closed {
				t.Errorf("%s: sent the caller's request: %v, GetBody set: %v, body intact: %v, original closed: %v",
					tt.reason, next.req == req, next.req.GetBody != nil, bytes.Equal(next.body, []byte(payload)), opaque.closed)
			}
			if req.GetBody != nil || req.Body != body {
				t.Errorf("%s: the caller's request was changed", tt.reason)
			}
			continue
		}
		if next.req != req {
			t.Errorf("%s: the request was replaced", tt.reason)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestEndpointRequestsAreUnsignedWithoutCredentials(t *testing.T) {
	var auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, resultBody)
	}))
	defer srv.Close()
	tests := []struct {
		reason string
		creds  aws.CredentialsProvider
		signed bool
	}{
		{"an endpoint without credentials gets unsigned requests", nil, false},
		{"given credentials sign", credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), true},
	}
	for _, tt := range tests {
		opts := target.SDKOptions{Endpoint: srv.URL, FunctionID: "cf_abc", ETag: "E", Credentials: tt.creds}
		s, err := target.NewSDK(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		w, err := target.NewWire(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range []struct {
			name string
			test func() (*cffuzz.Outcome, error)
		}{
			{"SDK", func() (*cffuzz.Outcome, error) {
				return s.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
			}},
			{"wire", func() (*cffuzz.Outcome, error) {
				return w.Test(context.Background(), &cffuzz.Case{Wire: &cffuzz.WireRequest{Path: "/2020-05-31/connection-function/{id}/test", Body: []byte("<x/>")}})
			}},
		} {
			auth.Store("")
			o, err := run.test()
			if err != nil || o.Status != 200 {
				t.Fatalf("%s (%s): outcome %+v, %v", tt.reason, run.name, o, err)
			}
			got := auth.Load().(string)
			if signed := strings.HasPrefix(got, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"); signed != tt.signed || (!tt.signed && got != "") {
				t.Errorf("%s (%s): Authorization %q", tt.reason, run.name, got)
			}
		}
	}
}

// hermeticAWS points the AWS configuration of the test at no files and
// no profile, with credentials keyID and secret from the environment.
func hermeticAWS(t *testing.T, keyID, secret string) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", keyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
}

func TestAWSIsNeverAnonymous(t *testing.T) {
	hermeticAWS(t, "", "")
	creds, err := target.ConfigCredentials(context.Background(), target.SDKOptions{})
	if err != nil {
		t.Fatalf("the AWS configuration without files or credentials: %v", err)
	}
	if creds == nil || aws.IsCredentialsProvider(creds, aws.AnonymousCredentials{}) {
		t.Errorf("AWS gets credentials %T, want the default chain (never anonymous)", creds)
	}
}

// TestAWSCABundle checks that a custom CA bundle (AWS_CA_BUNDLE, as behind
// a TLS-intercepting proxy) reaches the campaign's HTTP client: the SDK
// adds one only to its own client type and refused to load the
// configuration with ours.
func TestAWSCABundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	hermeticAWS(t, "AKIDEXAMPLE", "secret")
	t.Setenv("AWS_CA_BUNDLE", bundle)
	client, err := target.ConfigHTTPClient(context.Background(), target.SDKOptions{})
	if err != nil {
		t.Fatalf("AWS configuration with a CA bundle: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("a server certified by the bundle is not trusted: %v", err)
	}
	resp.Body.Close()
	// Without the bundle the same server is not trusted: the check above
	// is not vacuous.
	req, _ = http.NewRequest(http.MethodGet, srv.URL, nil)
	if resp, err := target.NewHTTPClient(0).Do(req); err == nil {
		resp.Body.Close()
		t.Error("the test server is trusted without the bundle")
	}
}
