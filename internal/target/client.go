package target

import (
	"context"
	"fmt"
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
// connections, up to maxConns of them idle per host (at least 64), and no
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
	}
	return &http.Client{Transport: tr}
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
