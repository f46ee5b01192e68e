package emulator_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"

	"github.com/cffuzz/cffuzz/emulator"
	"github.com/cffuzz/cffuzz/emulator/emulatortest"
)

// TestSigV4 checks signature verification with the SDK's own signer.
func TestSigV4(t *testing.T) {
	creds := &emulator.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	var skew atomic.Int64 // how far the server's clock is ahead
	srv := emulatortest.NewServer(t, emulator.Options{Seed: 7, Credentials: creds, Executor: &fakeExecutor{},
		Clock: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
	ctx := context.Background()
	list := func(c *cloudfront.Client) error {
		_, err := c.ListConnectionFunctions(ctx, &cloudfront.ListConnectionFunctionsInput{})
		return err
	}
	if err := list(newClient(srv.URL())); err != nil {
		t.Fatalf("correctly signed request refused: %v", err)
	}
	// A path with a query string and an escaped label must verify too.
	_, err := newClient(srv.URL()).DescribeConnectionFunction(ctx, &cloudfront.DescribeConnectionFunctionInput{Identifier: aws.String("a b/c"), Stage: "LIVE"})
	if apiCode(err) != "EntityNotFound" {
		t.Errorf("signed Describe with an escaped id and a query: %v; want EntityNotFound (signature accepted)", err)
	}

	tests := []struct {
		name       string
		client     *cloudfront.Client
		skew       time.Duration
		wantCode   string
		wantStatus int
		reason     string
	}{
		{"wrong-secret", newClientWith(srv.URL(), "AKIDEXAMPLE", "other"), 0, "SignatureDoesNotMatch", 403, "signed with another secret"},
		{"wrong-key", newClientWith(srv.URL(), "AKIDOTHER", "secret"), 0, "InvalidClientTokenId", 403, "unknown access key"},
		{"anonymous", cloudfront.New(cloudfront.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL()), Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1}), 0, "AccessDenied", 403, "unsigned request"},
		{"expired", newClient(srv.URL()), time.Hour, "SignatureDoesNotMatch", 403, "signature older than 15 minutes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			skew.Store(int64(tc.skew))
			defer skew.Store(0)
			err := list(tc.client)
			if apiCode(err) != tc.wantCode || httpStatus(err) != tc.wantStatus {
				t.Errorf("%s: %v (status %d); want %s %d", tc.reason, err, httpStatus(err), tc.wantCode, tc.wantStatus)
			}
		})
	}

	t.Run("session-token", func(t *testing.T) {
		srv := emulatortest.NewServer(t, emulator.Options{Executor: &fakeExecutor{}, Credentials: &emulator.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s", SessionToken: "tok"}})
		with := cloudfront.New(cloudfront.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL()), Credentials: credentials.NewStaticCredentialsProvider("AKID", "s", "tok"), RetryMaxAttempts: 1})
		if err := list(with); err != nil {
			t.Errorf("request with the session token: %v", err)
		}
		if err := list(newClientWith(srv.URL(), "AKID", "s")); apiCode(err) != "InvalidClientTokenId" {
			t.Errorf("request without the session token: %v; want InvalidClientTokenId", err)
		}
	})

	t.Run("tampered", func(t *testing.T) {
		s, err := emulator.New(emulator.Options{Executor: &fakeExecutor{}, Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		rec := do(s, "POST", "/2020-05-31/connection-functions", map[string]string{
			"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
			"X-Amz-Date":    time.Now().UTC().Format("20060102T150405Z"),
		}, "")
		if rec.Code != http.StatusForbidden || errorCode(rec.Body.Bytes()) != "SignatureDoesNotMatch" {
			t.Errorf("forged signature: %d %s; want 403 SignatureDoesNotMatch", rec.Code, errorCode(rec.Body.Bytes()))
		}
		rec = do(s, "POST", "/2020-05-31/connection-functions", map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}, "")
		if rec.Code != http.StatusBadRequest || errorCode(rec.Body.Bytes()) != "IncompleteSignature" {
			t.Errorf("non-SigV4 Authorization: %d %s; want 400 IncompleteSignature", rec.Code, errorCode(rec.Body.Bytes()))
		}
	})
}

// TestSigV4Off accepts any signature when Credentials is nil.
func TestSigV4Off(t *testing.T) {
	srv := emulatortest.NewServer(t, emulator.Options{Executor: &fakeExecutor{}})
	for _, c := range []*cloudfront.Client{newClientWith(srv.URL(), "ANY", "thing"),
		cloudfront.New(cloudfront.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL()), Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1})} {
		if _, err := c.ListConnectionFunctions(context.Background(), &cloudfront.ListConnectionFunctionsInput{}); err != nil {
			t.Errorf("Credentials nil: request refused: %v", err)
		}
	}
}
