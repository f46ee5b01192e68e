package target_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/target"
)

const errorBody = `<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`

const resultBody = `<?xml version="1.0" encoding="UTF-8"?>
<ConnectionFunctionTestResult xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
<ComputeUtilization>17</ComputeUtilization>
<ConnectionFunctionErrorMessage>TypeError: cannot read property 'x' of undefined at line 3:12</ConnectionFunctionErrorMessage>
<ConnectionFunctionExecutionLogs><member>one</member><member>&lt;two&gt;</member></ConnectionFunctionExecutionLogs>
<ConnectionFunctionOutput>{"decision":"deny","calls":["deny","allow"],"customData":"cd","error":{"name":"TypeError","line":3,"column":12}}</ConnectionFunctionOutput>
</ConnectionFunctionTestResult>`

// countingServer answers every request with status and body and counts requests.
func countingServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func newSDK(t *testing.T, endpoint string) *target.SDK {
	t.Helper()
	s, err := target.NewSDK(context.Background(), target.SDKOptions{Endpoint: endpoint, FunctionID: "cf_abc", ETag: "ETVABCEXAMPLE"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSDKOneRequestPerTest(t *testing.T) {
	tests := []struct {
		reason     string
		status     int
		body       string
		wantStatus int
		wantCode   string
	}{
		{"a function failure (500) is an outcome, not retried", 500, fmtErr("Receiver", "TestFunctionFailed", "The CloudFront function failed."), 500, "TestFunctionFailed"},
		{"a throttle is reported, never silently replayed", 400, fmtErr("Sender", "Throttling", "Rate exceeded"), 400, "Throttling"},
		{"a 503 is reported, never silently replayed", 503, fmtErr("Receiver", "ServiceUnavailable", "CloudFront encountered an internal error. Please try again."), 503, "ServiceUnavailable"},
		{"a 500 with an empty body is UnknownError", 500, "", 500, "UnknownError"},
		{"a precondition failure maps its status", 412, fmtErr("Sender", "PreconditionFailed", "stale"), 412, "PreconditionFailed"},
		{"a success is a test result", 200, resultBody, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.wantCode+"/"+http.StatusText(tt.status), func(t *testing.T) {
			srv, n := countingServer(t, tt.status, tt.body)
			s := newSDK(t, srv.URL)
			o, err := s.Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
			if err != nil {
				t.Fatalf("%s: unexpected transport error %v", tt.reason, err)
			}
			if got := n.Load(); got != 1 {
				t.Errorf("%s: %d requests, want exactly 1", tt.reason, got)
			}
			if o.Status != tt.wantStatus || o.ErrorCode != tt.wantCode || o.Attempts != 1 || o.Target != "endpoint" {
				t.Errorf("%s: outcome status %d code %q attempts %d target %q", tt.reason, o.Status, o.ErrorCode, o.Attempts, o.Target)
			}
		})
	}
}

func fmtErr(typ, code, msg string) string {
	return strings.Replace(strings.Replace(strings.Replace(errorBody, "%s", typ, 1), "%s", code, 1), "%s", msg, 1)
}

func TestSDKResultMapping(t *testing.T) {
	srv, _ := countingServer(t, 200, resultBody)
	o, err := newSDK(t, srv.URL).Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	want := cffuzz.Outcome{Decision: cffuzz.DecisionDeny, ErrorName: "TypeError", Line: 3, Column: 12, Utilization: 17, CustomData: "cd"}
	if o.Decision != want.Decision || o.ErrorName != want.ErrorName || o.Line != want.Line || o.Column != want.Column ||
		o.Utilization != want.Utilization || o.CustomData != want.CustomData || !o.OK() {
		t.Errorf("outcome %+v, want %+v", o, want)
	}
	if strings.Join(o.Calls, ",") != "deny,allow" || strings.Join(o.Logs, "|") != "one|<two>" {
		t.Errorf("calls %q logs %q", o.Calls, o.Logs)
	}
	if !strings.HasPrefix(o.FunctionError, "TypeError: cannot read") {
		t.Errorf("function error %q", o.FunctionError)
	}
}

func TestSDKTransportError(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	o, err := newSDK(t, srv.URL).Test(context.Background(), &cffuzz.Case{Object: []byte(`{}`)})
	if err == nil || o == nil || o.Transport == "" || o.Status != 0 {
		t.Fatalf("dropped connection: outcome %+v, err %v; want a transport error", o, err)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests for one Test, want 1 (SDK retries must be off)", n.Load())
	}
}

func TestNewSDKFetchesETag(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Method + " " + r.URL.Path + "?" + r.URL.RawQuery)
		w.Header().Set("ETag", "E2TESTETAG")
		_, _ = io.WriteString(w, `<ConnectionFunctionSummary><Id>cf_abc</Id><Name>n</Name></ConnectionFunctionSummary>`)
	}))
	defer srv.Close()
	s, err := target.NewSDK(context.Background(), target.SDKOptions{Endpoint: srv.URL, FunctionID: "cf_abc", Stage: "live"})
	if err != nil {
		t.Fatal(err)
	}
	if s.ETag() != "E2TESTETAG" || got.Load() != "GET /2020-05-31/connection-function/cf_abc/describe?Stage=LIVE" {
		t.Errorf("ETag %q from request %v", s.ETag(), got.Load())
	}
}

func TestNewSDKBadOptions(t *testing.T) {
	tests := []struct {
		reason string
		opts   target.SDKOptions
		want   string
	}{
		{"the function id is required", target.SDKOptions{Endpoint: "http://127.0.0.1:1"}, "no function id"},
		{"the stage must be known", target.SDKOptions{Endpoint: "http://127.0.0.1:1", FunctionID: "cf_x", ETag: "E", Stage: "PROD"}, "unknown stage"},
	}
	for _, tt := range tests {
		_, err := target.NewSDK(context.Background(), tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.reason, err, tt.want)
		}
	}
}
