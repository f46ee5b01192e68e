package target

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
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
	// RoundTrip must not change the caller's request. GetBody stays nil:
	// with it, net/http would resend the request by itself after a
	// failure on a reused connection, and retries are the runner's (it
	// counts them).
	r := *req
	r.Body = io.NopCloser(bytes.NewReader(buf))
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
// chain for AWS, retries off. An endpoint without opts.Credentials gets
// anonymous credentials: its requests are not signed. An emulator needs
// no signature (`fuzz emulate` checks one only with --verify-sigv4, and
// then no made-up key would pass), and SigV4 was about a quarter of the
// client's CPU per case (BenchmarkSDKClient, unsigned); the requests are
// otherwise the ones AWS gets, through the same client. AWS always gets
// signed requests.
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
		var creds aws.CredentialsProvider = aws.AnonymousCredentials{}
		if opts.Credentials != nil {
			creds = aws.NewCredentialsCache(opts.Credentials)
		}
		return aws.Config{
			Region:      region,
			Credentials: creds,
			HTTPClient:  httpClient,
			Retryer:     noRetries,
		}, nil
	}
	// The configuration is loaded with the SDK's own HTTP client, which is
	// the only kind it can add a custom CA bundle (AWS_CA_BUNDLE, ca_bundle)
	// to; the campaign's client then takes over, with those roots.
	loadOpts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithRetryer(noRetries),
	}
	if opts.Credentials != nil {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(opts.Credentials))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or give an endpoint): %w", err)
	}
	if opts.HTTPClient == nil || isCampaignClient(opts.HTTPClient) {
		if sdk, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok {
			if tlsConfig := sdk.GetTransport().TLSClientConfig; tlsConfig != nil && tlsConfig.RootCAs != nil {
				httpClient = withRootCAs(httpClient, tlsConfig.RootCAs)
			}
		}
	}
	cfg.HTTPClient = httpClient
	return cfg, nil
}

// isCampaignClient reports whether c is one NewHTTPClient made.
func isCampaignClient(c *http.Client) bool {
	t, ok := c.Transport.(inMemoryBodies)
	if !ok {
		return false
	}
	_, ok = t.next.(*http.Transport)
	return ok
}

// withRootCAs returns a copy of c, a NewHTTPClient client, that trusts
// roots (and not the system's).
func withRootCAs(c *http.Client, roots *x509.CertPool) *http.Client {
	tr := c.Transport.(inMemoryBodies).next.(*http.Transport).Clone()
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{}
	}
	tr.TLSClientConfig.RootCAs = roots
	return &http.Client{Transport: inMemoryBodies{tr}}
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
