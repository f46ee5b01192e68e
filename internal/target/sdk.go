package target

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cffuzz/cffuzz"
)

// OpTest is the operation name passed to observers for TestConnectionFunction.
const OpTest = cffuzz.OpTest

// SDKOptions configures an SDK target. The zero value of every field is
// useful except FunctionID, which is required.
type SDKOptions struct {
	// Name labels the target: "emulator", "endpoint" or "aws". Empty means
	// "aws" without an Endpoint and "endpoint" with one.
	Name string
	// Endpoint is the API's base URL ("http://127.0.0.1:4566"); empty means AWS.
	Endpoint string
	// Region signs requests; empty means us-east-1.
	Region string
	// Credentials sign requests. Nil means the default credential chain for
	// AWS, and no signature (anonymous) for an Endpoint.
	Credentials aws.CredentialsProvider
	// FunctionID is the connection function's Id ("cf_...").
	FunctionID string
	// ETag is the If-Match value; empty means DescribeConnectionFunction is
	// called once for Stage to fetch it.
	ETag string
	// Stage is the stage tested when a case names none: "DEVELOPMENT"
	// (default) or "LIVE".
	Stage string
	// HTTPClient sends requests; nil means NewHTTPClient(MaxConns), which
	// also gets a custom CA bundle the AWS configuration names
	// (AWS_CA_BUNDLE). A client of your own keeps its TLS settings.
	HTTPClient *http.Client
	// MaxConns is the expected number of concurrent requests, used to size
	// the default HTTP client's idle pool.
	MaxConns int
	// Timeout bounds one call; zero means 30 s.
	Timeout time.Duration
	// Setup retries and bounds the DescribeConnectionFunction call that
	// fetches the ETag (its zero Timeout means Timeout).
	Setup CallPolicy
	// SDKDeserializer decodes TestConnectionFunction answers with the
	// SDK's own XML deserializer instead of the fast scanner that gives
	// the same result (fastxml.go): for comparisons and debugging.
	SDKDeserializer bool
}

// SDK is a Target that calls TestConnectionFunction through the AWS SDK for
// Go v2 with SDK retries off, so that every Test is exactly one HTTP
// exchange. Cases with a Wire request go through a Wire target on the same
// endpoint and credentials. It is safe for concurrent use.
type SDK struct {
	name    string
	client  *cloudfront.Client
	id      string
	etag    string
	stage   string
	timeout time.Duration
	wire    *Wire
}

// NewSDK returns an SDK target for opts. It fetches the ETag with
// DescribeConnectionFunction when opts.ETag is empty.
func NewSDK(ctx context.Context, opts SDKOptions) (*SDK, error) {
	if opts.FunctionID == "" {
		return nil, errors.New("target: no function id: deploy the function first or pass its id (cf_...)")
	}
	stage, err := normalizeStage(opts.Stage)
	if err != nil {
		return nil, err
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = NewHTTPClient(opts.MaxConns)
	}
	cfg, err := awsConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	s := &SDK{
		name:    targetName(opts.Name, opts.Endpoint),
		client:  newClient(cfg, opts),
		id:      opts.FunctionID,
		etag:    opts.ETag,
		stage:   stage,
		timeout: opts.Timeout,
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	if s.etag == "" {
		setup := opts.Setup
		if setup.Timeout <= 0 {
			setup.Timeout = s.timeout
		}
		if s.etag, err = describeETag(ctx, s.client, s.id, types.FunctionStage(stage), setup); err != nil {
			return nil, err
		}
	}
	opts.Timeout = s.timeout
	s.wire = newWire(s.name, opts, cfg, s.etag)
	return s, nil
}

func targetName(name, endpoint string) string {
	switch {
	case name != "":
		return name
	case endpoint != "":
		return "endpoint"
	}
	return "aws"
}

func normalizeStage(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "DEVELOPMENT":
		return "DEVELOPMENT", nil
	case "LIVE":
		return "LIVE", nil
	}
	return "", fmt.Errorf("target: unknown stage %q: use DEVELOPMENT or LIVE", s)
}

// Name returns the target's label.
func (s *SDK) Name() string { return s.name }

// Client returns the underlying CloudFront client.
func (s *SDK) Client() *cloudfront.Client { return s.client }

// FunctionID returns the Id of the function under test.
func (s *SDK) FunctionID() string { return s.id }

// ETag returns the If-Match value the target sends.
func (s *SDK) ETag() string { return s.etag }

// Close releases nothing: the SDK target owns no resources beyond idle
// connections, which its HTTP client keeps.
func (s *SDK) Close() error { return nil }

// Test runs c once. A case with a Wire request is sent raw. An API error,
// throttles included, is an Outcome; the error is returned only when no
// HTTP answer came back (the Outcome then has Transport set).
func (s *SDK) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	if c.Wire != nil {
		return s.wire.Test(ctx, c)
	}
	stage := s.stage
	if c.Stage != "" {
		stage = c.Stage
	}
	obj := c.Object
	if obj == nil {
		obj = []byte{} // the SDK refuses a nil blob; an empty one is sent as <ConnectionObject/>
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	start := time.Now()
	out, err := s.client.TestConnectionFunction(ctx, &cloudfront.TestConnectionFunctionInput{
		Id: aws.String(s.id), IfMatch: aws.String(s.etag), ConnectionObject: obj, Stage: types.FunctionStage(stage),
	})
	o := &cffuzz.Outcome{Target: s.name, Latency: time.Since(start), Sent: start, Attempts: 1, Utilization: -1}
	if err != nil {
		return o, mapSDKError(o, err)
	}
	o.Status = http.StatusOK
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
		o.Status = raw.StatusCode
	}
	if r := out.ConnectionFunctionTestResult; r != nil {
		testResult{r.ComputeUtilization, r.ConnectionFunctionErrorMessage, r.ConnectionFunctionExecutionLogs, r.ConnectionFunctionOutput}.fill(o)
	}
	return o, nil
}

// mapSDKError fills o from an SDK error and returns the error to give the
// caller: nil for an API answer, err itself for a transport failure.
func mapSDKError(o *cffuzz.Outcome, err error) error {
	var sendErr *smithyhttp.RequestSendError
	var re *smithyhttp.ResponseError
	if errors.As(err, &sendErr) || !errors.As(err, &re) || re.Response == nil || re.HTTPStatusCode() == 0 {
		o.Transport = TransportClass(err)
		return err
	}
	o.Status = re.HTTPStatusCode()
	var ae smithy.APIError
	if errors.As(err, &ae) {
		o.ErrorCode, o.ErrorMessage = ae.ErrorCode(), ae.ErrorMessage()
	}
	if o.ErrorCode == "" {
		o.ErrorCode = "UnknownError"
	}
	return nil
}
