package target

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
)

// DefaultRegion is the region CloudFront's control plane signs in.
const DefaultRegion = "us-east-1"

// awsEndpoint is CloudFront's global control-plane endpoint.
const awsEndpoint = "https://cloudfront.amazonaws.com"

// NewHTTPClient returns an http.Client tuned for a campaign: keep-alive
// connections, up to maxConns of them idle per host (at least 64), no
// compression (the answers are small, and gzip would cost CPU on both
// sides), each request written in one piece (see inMemoryBodies), and no
// overall timeout (each call carries its own).
func NewHTTPClient(maxConns int) *http.Client {
	maxConns = max(maxConns, 64)
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          maxConns,
		MaxIdleConnsPerHost:   maxConns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
	}
	return &http.Client{Transport: inMemoryBodies{tr}}
}

// maxInMemoryBody is the largest request body inMemoryBodies reads ahead.
const maxInMemoryBody = 1 << 20

// inMemoryBodies is an http.RoundTripper that reads a request body of
// known, small length into memory before handing the request to next.
// net/http writes a request's headers and body with one write only when
// the body is one of the in-memory readers it knows; the AWS SDK wraps
// its bodies in a reader of its own, so each SDK request took two write
// system calls, two TCP segments and two reads on the server
// (BenchmarkSDKClient). Bodies http.NewRequest built (GetBody set) and
// bodies of unknown length pass through.
type inMemoryBodies struct{ next http.RoundTripper }

// RoundTrip sends req through next, its body read ahead.
func (t inMemoryBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil || req.ContentLength <= 0 || req.ContentLength > maxInMemoryBody {
		return t.next.RoundTrip(req)
	}
	buf := make([]byte, req.ContentLength)
	_, err := io.ReadFull(req.Body, buf)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read the request body: %w", err)
	}
	r := *req // RoundTrip must not change the caller's request
	r.Body = io.NopCloser(bytes.NewReader(buf))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	return t.next.RoundTrip(&r)
}

// CloseIdleConnections closes next's idle connections
// (http.Client.CloseIdleConnections).
func (t inMemoryBodies) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// awsConfig builds the SDK configuration for opts: the default credential
// chain for AWS, static dummy credentials for an endpoint when none are
// given, retries off.
func awsConfig(ctx context.Context, opts SDKOptions) (aws.Config, error) {
	region := opts.Region
	if region == "" {
		region = DefaultRegion
	}
	httpClient := opts.HTTPClient
	if httpClient == nil {
		httpClient = NewHTTPClient(0)
	}
	noRetries := func() aws.Retryer { return aws.NopRetryer{} }
	if opts.Endpoint != "" {
		creds := opts.Credentials
		if creds == nil {
			creds = credentials.NewStaticCredentialsProvider("AKIDCFFUZZEXAMPLE", "cffuzz-dummy-secret", "")
		}
		return aws.Config{
			Region:      region,
			Credentials: aws.NewCredentialsCache(creds),
			HTTPClient:  httpClient,
			Retryer:     noRetries,
		}, nil
	}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithHTTPClient(httpClient),
		config.WithRetryer(noRetries),
	}
	if opts.Credentials != nil {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(opts.Credentials))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or give an endpoint): %w", err)
	}
	return cfg, nil
}

// newClient builds a CloudFront client from cfg for opts.Endpoint (AWS
// when empty) with SDK retries off, so that every call is exactly one HTTP
// exchange: no 500 and no throttle is ever silently replayed. Its
// TestConnectionFunction answers are decoded by the fast deserializer
// (fastxml.go) unless opts.SDKDeserializer is set.
func newClient(cfg aws.Config, opts SDKOptions) *cloudfront.Client {
	return cloudfront.NewFromConfig(cfg, func(o *cloudfront.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		o.Retryer = aws.NopRetryer{}
		o.RetryMaxAttempts = 1
		if !opts.SDKDeserializer {
			o.APIOptions = append(o.APIOptions, useFastTestDeserializer)
		}
	})
}

// NewClient returns a CloudFront client for opts.Endpoint (AWS when empty),
// opts.Region and opts.Credentials, with SDK retries off. Only the
// connection fields of opts are used. Deploy takes such a client.
func NewClient(ctx context.Context, opts SDKOptions) (*cloudfront.Client, error) {
	cfg, err := awsConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return newClient(cfg, opts), nil
}
