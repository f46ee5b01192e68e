package target

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/cffuzz/cffuzz"
)

// maxResponse bounds how much of an answer the wire target reads.
const maxResponse = 4 << 20

// Wire is a Target that sends each case's WireRequest as a raw HTTP request
// signed with SigV4 (service "cloudfront"; unsigned with anonymous
// credentials, as the SDK target's to an endpoint), bypassing the SDK's
// validation, and parses the XML answer. It is safe for concurrent use.
type Wire struct {
	name     string
	endpoint string
	region   string
	creds    aws.CredentialsProvider
	client   *http.Client
	id, etag string
	timeout  time.Duration
	signer   *v4.Signer
	unsigned bool // anonymous credentials: requests go unsigned, as the SDK's
}

// NewWire returns a Wire target for the connection fields of opts
// (Endpoint, Region, Credentials, HTTPClient, Timeout) and the FunctionID
// and ETag that replace the "{id}" and "{etag}" placeholders. It never calls
// the API.
func NewWire(ctx context.Context, opts SDKOptions) (*Wire, error) {
	if opts.HTTPClient == nil {
		opts.HTTPClient = NewHTTPClient(opts.MaxConns)
	}
	cfg, err := awsConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return newWire(targetName(opts.Name, opts.Endpoint), opts, cfg, opts.ETag), nil
}

func newWire(name string, opts SDKOptions, cfg aws.Config, etag string) *Wire {
	return &Wire{
		name: name, endpoint: endpointOrAWS(opts.Endpoint), region: cfg.Region, creds: cfg.Credentials,
		client: opts.HTTPClient, id: opts.FunctionID, etag: etag, timeout: opts.Timeout, signer: v4.NewSigner(),
		unsigned: aws.IsCredentialsProvider(cfg.Credentials, aws.AnonymousCredentials{}),
	}
}

func endpointOrAWS(endpoint string) string {
	if endpoint == "" {
		return awsEndpoint
	}
	return strings.TrimRight(endpoint, "/")
}

// Name returns the target's label.
func (w *Wire) Name() string { return w.name }

// Close releases nothing.
func (w *Wire) Close() error { return nil }

// Test sends c.Wire once. A case without a Wire request is an error.
func (w *Wire) Test(ctx context.Context, c *cffuzz.Case) (*cffuzz.Outcome, error) {
	if c.Wire == nil {
		return nil, errors.New("target: the wire target needs a case with a Wire request")
	}
	o := &cffuzz.Outcome{Target: w.name, Attempts: 1, Utilization: -1}
	if w.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.timeout)
		defer cancel()
	}
	req, err := w.request(ctx, c.Wire)
	if err != nil {
		// The request cannot even be formed: not worth retrying. The
		// error text is not kept, as it may quote the (generated) path.
		o.Transport = "unsendable"
		return o, nil
	}
	start := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		o.Latency = time.Since(start)
		o.Transport = TransportClass(err)
		return o, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	resp.Body.Close()
	o.Latency = time.Since(start)
	if err != nil {
		o.Transport = TransportClass(err)
		return o, err
	}
	o.Status = resp.StatusCode
	ParseWireAnswer(o, resp.StatusCode, body)
	return o, nil
}

// request builds and signs the HTTP request for wr.
func (w *Wire) request(ctx context.Context, wr *cffuzz.WireRequest) (*http.Request, error) {
	path := w.expand(wr.Path)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u, err := url.Parse(w.endpoint + path)
	if err != nil {
		return nil, fmt.Errorf("bad path: %w", err)
	}
	u.RawQuery = w.expand(wr.Query)
	method := wr.Method
	if method == "" {
		method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(wr.Body))
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(wr.Body))
	if len(wr.Body) == 0 {
		req.Body = http.NoBody
	}
	for k, v := range wr.Header {
		req.Header.Set(k, w.expand(v))
	}
	if w.unsigned {
		return req, nil
	}
	creds, err := w.creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieve credentials: %w", err)
	}
	sum := sha256.Sum256(wr.Body)
	if err := w.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cloudfront", w.region, time.Now()); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return req, nil
}

func (w *Wire) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return strings.NewReplacer("{id}", w.id, "{etag}", w.etag).Replace(s)
}

// wireAnswer matches both an ErrorResponse envelope (Error>Code) and a bare
// <Error> root, and a ConnectionFunctionTestResult, whatever the root name.
type wireAnswer struct {
	WrappedCode    string   `xml:"Error>Code"`
	WrappedMessage string   `xml:"Error>Message"`
	Code           string   `xml:"Code"`
	Message        string   `xml:"Message"`
	Utilization    *string  `xml:"ComputeUtilization"`
	ErrorMessage   *string  `xml:"ConnectionFunctionErrorMessage"`
	Logs           []string `xml:"ConnectionFunctionExecutionLogs>member"`
	Output         *string  `xml:"ConnectionFunctionOutput"`
}

// ParseWireAnswer fills o from a raw API answer: for an error status, the
// error code and message from the ErrorResponse envelope ("UnknownError"
// when the body has none); for a success, the test result. A body that is
// not XML leaves the result empty, as the SDK does.
func ParseWireAnswer(o *cffuzz.Outcome, status int, body []byte) {
	var a wireAnswer
	_ = xml.Unmarshal(body, &a) // a non-XML body is an answer without a result
	if status < 200 || status > 299 {
		o.ErrorCode, o.ErrorMessage = a.WrappedCode, a.WrappedMessage
		if o.ErrorCode == "" {
			o.ErrorCode, o.ErrorMessage = a.Code, a.Message
		}
		if o.ErrorCode == "" {
			o.ErrorCode = "UnknownError"
		}
		return
	}
	testResult{a.Utilization, a.ErrorMessage, a.Logs, a.Output}.fill(o)
}
