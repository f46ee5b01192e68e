package target

import (
	"context"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ScanTestResult is scanTestResult, for tests that check which answers
// the fast deserializer takes.
var ScanTestResult = scanTestResult

// MaxFastAnswer is the largest answer the fast deserializer reads.
const MaxFastAnswer = maxFastAnswer

// InMemoryBodies returns the RoundTripper of NewHTTPClient's clients over next.
func InMemoryBodies(next http.RoundTripper) http.RoundTripper { return inMemoryBodies{next} }

// ConfigCredentials returns the credentials provider the SDK clients for
// opts sign with.
func ConfigCredentials(ctx context.Context, opts SDKOptions) (aws.CredentialsProvider, error) {
	cfg, err := awsConfig(ctx, opts)
	return cfg.Credentials, err
}

// ConfigHTTPClient returns the HTTP client the SDK clients for opts send with.
func ConfigHTTPClient(ctx context.Context, opts SDKOptions) (aws.HTTPClient, error) {
	cfg, err := awsConfig(ctx, opts)
	return cfg.HTTPClient, err
}
