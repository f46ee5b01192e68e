package emulator_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"
	"github.com/aws/smithy-go"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

const (
	allowCode = `function connectionHandler(connection) { connection.allow(); }`
	denyCode  = `function connectionHandler(connection) { console.log("no"); connection.deny(); }`
	object    = `{"clientIp":"203.0.113.42","clientCertificate":{"certificates":{"leaf":{"serialNumber":"4a:3f"}}}}`
)

// newClient returns an SDK client for the emulator at url with static
// credentials and retries disabled.
func newClient(url string) *cloudfront.Client {
	return newClientWith(url, "AKIDEXAMPLE", "secret")
}

func newClientWith(url, akid, secret string) *cloudfront.Client {
	return cloudfront.New(cloudfront.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(akid, secret, ""),
		BaseEndpoint:     aws.String(url),
		RetryMaxAttempts: 1,
	})
}

// fakeExecutor answers every execution with res or err and counts calls.
type fakeExecutor struct {
	mu    sync.Mutex
	res   runtime.Result
	err   error
	calls []runtime.Request
	// discard stops recording calls (for benchmarks).
	discard bool
}

func (f *fakeExecutor) Execute(_ context.Context, req runtime.Request) (runtime.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.discard {
		f.calls = append(f.calls, req)
	}
	return f.res, f.err
}

func (f *fakeExecutor) Close() error { return nil }

// create creates a function through the SDK and returns its id and ETag.
func create(t testing.TB, c *cloudfront.Client, name, code string) (id, etag string) {
	t.Helper()
	out, err := c.CreateConnectionFunction(context.Background(), &cloudfront.CreateConnectionFunctionInput{
		Name:                     aws.String(name),
		ConnectionFunctionCode:   []byte(code),
		ConnectionFunctionConfig: &cftypes.FunctionConfig{Comment: aws.String("c"), Runtime: cftypes.FunctionRuntimeCloudfrontJs20},
	})
	if err != nil {
		t.Fatalf("CreateConnectionFunction(%s): %v", name, err)
	}
	return *out.ConnectionFunctionSummary.Id, *out.ETag
}

// apiCode returns the AWS error code of err and whether it is an API error.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// httpStatus returns the HTTP status of an SDK error, or 0.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// do sends a raw request to h and returns the recorded answer.
func do(h http.Handler, method, path string, header map[string]string, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// b64 encodes s in standard base64.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// createBody is a CreateConnectionFunctionRequest body.
func createBody(name, code string) string {
	return `<CreateConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionFunctionCode>` +
		b64(code) + `</ConnectionFunctionCode><ConnectionFunctionConfig><Comment>c</Comment><Runtime>cloudfront-js-2.0</Runtime></ConnectionFunctionConfig><Name>` +
		name + `</Name></CreateConnectionFunctionRequest>`
}

// testBody is a TestConnectionFunctionRequest body with a base64 object.
func testBody(objB64 string) string {
	return `<TestConnectionFunctionRequest xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><ConnectionObject>` +
		objB64 + `</ConnectionObject><Stage>DEVELOPMENT</Stage></TestConnectionFunctionRequest>`
}

// errorCode extracts <Code> from an error envelope.
func errorCode(body []byte) string {
	_, rest, ok := bytes.Cut(body, []byte("<Code>"))
	if !ok {
		return ""
	}
	code, _, _ := bytes.Cut(rest, []byte("</Code>"))
	return string(code)
}

// errorsAs is errors.As, for tests that also import smithy.
func errorsAs(err error, target any) bool { return errors.As(err, target) }

// errorMessage extracts the unescaped <Message> of an error envelope.
func errorMessage(body []byte) string {
	var env struct {
		Message string `xml:"Error>Message"`
	}
	if xml.Unmarshal(body, &env) != nil {
		return ""
	}
	return env.Message
}
